import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import {
  authenticatedUserObject,
  commentObject,
  fileObject,
  issueObject,
  labelObject,
  type CommentRecord,
  type FileRecord,
  type IssueRecord,
  type LabelRecord,
  type UserRecord,
} from "./objects.js";
import type { OpenApiCheck } from "./openapi-check.js";

/**
 * A GitHub REST API on loopback for the endpoints pve-kube's actions use: the authenticated user,
 * issue comments (list/create/update), issues (list/get/create/update), labels, and a pull
 * request's files. It behaves like api.github.com where the client can tell: pagination with Link
 * headers, 401/403/404/422 bodies, rate-limit headers, the 65536-character body limit, and a
 * GITHUB_TOKEN (an installation token) that may not read GET /user. Octokit talks to it over
 * HTTP; nothing is intercepted. With `check`, every request and response is validated against
 * GitHub's OpenAPI description and a violation is answered with 500 and recorded.
 */
export interface RepoRecord {
  issues: IssueRecord[];
  comments: CommentRecord[];
  labels: LabelRecord[];
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  login?: string;
}

export interface GitHubServer {
  url: string;
  /** a token that acts as the given user (type User) or as the Actions bot (`app`) */
  mintToken(kind: "app" | { login: string }): string;
  /** a repository's data; created empty on first use */
  repo(fullName: string): RepoRecord;
  /** opens a pull request (an issue with a head SHA and changed files) as `login` */
  openPullRequest(
    fullName: string,
    pr: { title: string; headSha: string; files: FileRecord[]; author?: string },
  ): number;
  /** moves a pull request's head to a new commit (a push to its branch) */
  pushToPullRequest(fullName: string, number: number, headSha: string, files?: FileRecord[]): void;
  requests: RequestRecord[];
  /** OpenAPI violations seen so far (empty when the traffic conformed) */
  violations: string[];
  /** makes the next N requests answer 502 (retry testing) */
  failNext(count: number): void;
  close(): Promise<void>;
}

export const BODY_LIMIT = 65536;
const DOCS = "https://docs.github.com/rest";
const ACTIONS_BOT: UserRecord = { login: "github-actions[bot]", id: 41898282, type: "Bot" };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const notFound = () =>
  new HttpError(404, { message: "Not Found", documentation_url: DOCS, status: "404" });
const validationFailed = (errors: Record<string, unknown>[]) =>
  new HttpError(422, {
    message: "Validation Failed",
    errors,
    documentation_url: DOCS,
    status: "422",
  });

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  handle: (ctx: RouteContext) => { status: number; body: unknown; link?: string };
}

interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  user: UserRecord;
  repoName: string;
  repo: RepoRecord;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

function paginate<T>(
  items: T[],
  query: URLSearchParams,
  baseUrl: string,
): { page: T[]; link?: string } {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
  const pageNo = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const at = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("per_page", String(perPage));
    q.set("page", String(n));
    return `<${baseUrl}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(`${at(pageNo - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (pageNo < last) links.push(`${at(pageNo + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  return { page, ...(links.length ? { link: links.join(", ") } : {}) };
}

function tooLong(resource: string, body: unknown): HttpError | undefined {
  if (typeof body === "string" && body.length > BODY_LIMIT)
    return validationFailed([
      {
        resource,
        code: "custom",
        field: "body",
        message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
      },
    ]);
  return undefined;
}

export async function startGitHubServer(
  options: { check?: OpenApiCheck; port?: number; rateLimit?: number } = {},
): Promise<GitHubServer> {
  const repos = new Map<string, RepoRecord>();
  const tokens = new Map<string, UserRecord>();
  const requests: RequestRecord[] = [];
  const violations: string[] = [];
  let ids = 1000;
  let failures = 0;
  let used = 0;
  const limit = options.rateLimit ?? 5000;
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  let api = "";

  const repo = (name: string): RepoRecord => {
    let r = repos.get(name);
    if (!r) repos.set(name, (r = { issues: [], comments: [], labels: [] }));
    return r;
  };
  const issueOf = (ctx: RouteContext, n: string) => {
    const issue = ctx.repo.issues.find((i) => i.number === Number(n));
    if (!issue) throw notFound();
    return issue;
  };
  const nextNumber = (r: RepoRecord) => Math.max(0, ...r.issues.map((i) => i.number)) + 1;
  const labelsFrom = (ctx: RouteContext, value: unknown): string[] => {
    if (!Array.isArray(value)) return [];
    const names = value.map((l) =>
      typeof l === "string" ? l : String((l as { name?: unknown }).name),
    );
    // GitHub creates unknown labels on the fly when issues are created or edited
    for (const name of names)
      if (!ctx.repo.labels.some((l) => l.name === name))
        ctx.repo.labels.push({ id: ids++, name, color: "ededed", description: null });
    return [...new Set(names)];
  };

  const routes: Route[] = [];
  const route = (method: string, template: string, handle: Route["handle"]) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
    routes.push({ method, template, pattern, handle });
  };

  route("GET", "/user", (ctx) => {
    if (ctx.user.type === "Bot")
      throw new HttpError(403, {
        message: "Resource not accessible by integration",
        documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
        status: "403",
      });
    return { status: 200, body: authenticatedUserObject(api, ctx.user) };
  });

  route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (ctx) => {
    const issue = issueOf(ctx, ctx.params[2]!);
    const all = ctx.repo.comments.filter((c) => c.issueNumber === issue.number);
    const { page, link } = paginate(
      all,
      ctx.query,
      `${api}/repos/${ctx.repoName}/issues/${issue.number}/comments`,
    );
    return {
      status: 200,
      body: page.map((c) => commentObject(api, ctx.repoName, c)),
      ...(link ? { link } : {}),
    };
  });

  route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (ctx) => {
    const issue = issueOf(ctx, ctx.params[2]!);
    const body = ctx.body.body;
    if (typeof body !== "string" || body === "")
      throw validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    const error = tooLong("IssueComment", body);
    if (error) throw error;
    const at = now();
    const comment: CommentRecord = {
      id: ids++,
      issueNumber: issue.number,
      body,
      user: ctx.user,
      createdAt: at,
      updatedAt: at,
    };
    ctx.repo.comments.push(comment);
    issue.comments++;
    return { status: 201, body: commentObject(api, ctx.repoName, comment) };
  });

  route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (ctx) => {
    const comment = ctx.repo.comments.find((c) => c.id === Number(ctx.params[2]));
    if (!comment) throw notFound();
    // only the author (or a maintainer, which a bot token is not) may edit a comment
    if (comment.user.login !== ctx.user.login)
      throw new HttpError(403, {
        message: "Resource not accessible by integration",
        documentation_url: DOCS,
        status: "403",
      });
    const body = ctx.body.body;
    if (typeof body !== "string")
      throw validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    const error = tooLong("IssueComment", body);
    if (error) throw error;
    comment.body = body;
    comment.updatedAt = now();
    return { status: 200, body: commentObject(api, ctx.repoName, comment) };
  });

  route("GET", "/repos/{owner}/{repo}/issues", (ctx) => {
    const state = ctx.query.get("state") ?? "open";
    const wanted = (ctx.query.get("labels") ?? "").split(",").filter(Boolean);
    const all = ctx.repo.issues
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => wanted.every((l) => i.labels.includes(l)))
      .sort((a, b) => b.number - a.number);
    const { page, link } = paginate(all, ctx.query, `${api}/repos/${ctx.repoName}/issues`);
    return {
      status: 200,
      body: page.map((i) => issueObject(api, ctx.repoName, i, ctx.repo.labels)),
      ...(link ? { link } : {}),
    };
  });

  route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", (ctx) => ({
    status: 200,
    body: issueObject(api, ctx.repoName, issueOf(ctx, ctx.params[2]!), ctx.repo.labels),
  }));

  route("POST", "/repos/{owner}/{repo}/issues", (ctx) => {
    const title = ctx.body.title;
    if (typeof title !== "string" || title.trim() === "")
      throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
    const error = tooLong("Issue", ctx.body.body);
    if (error) throw error;
    const at = now();
    const issue: IssueRecord = {
      id: ids++,
      number: nextNumber(ctx.repo),
      title,
      body: typeof ctx.body.body === "string" ? ctx.body.body : null,
      state: "open",
      stateReason: null,
      labels: labelsFrom(ctx, ctx.body.labels),
      user: ctx.user,
      comments: 0,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    ctx.repo.issues.push(issue);
    return { status: 201, body: issueObject(api, ctx.repoName, issue, ctx.repo.labels) };
  });

  route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", (ctx) => {
    const issue = issueOf(ctx, ctx.params[2]!);
    const { title, body, state, state_reason, labels } = ctx.body;
    if (state !== undefined && state !== "open" && state !== "closed")
      throw validationFailed([{ resource: "Issue", code: "invalid", field: "state" }]);
    const error = tooLong("Issue", body);
    if (error) throw error;
    if (typeof title === "string") issue.title = title;
    if (typeof body === "string") issue.body = body;
    if (labels !== undefined) issue.labels = labelsFrom(ctx, labels);
    if (state === "closed" && issue.state === "open") {
      issue.state = "closed";
      issue.closedAt = now();
      issue.stateReason = state_reason === "not_planned" ? "not_planned" : "completed";
    } else if (state === "open" && issue.state === "closed") {
      issue.state = "open";
      issue.closedAt = null;
      issue.stateReason = "reopened";
    }
    issue.updatedAt = now();
    return { status: 200, body: issueObject(api, ctx.repoName, issue, ctx.repo.labels) };
  });

  route("GET", "/repos/{owner}/{repo}/labels/{name}", (ctx) => {
    const name = decodeURIComponent(ctx.params[2]!);
    const label = ctx.repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (!label) throw notFound();
    return { status: 200, body: labelObject(api, ctx.repoName, label) };
  });

  route("POST", "/repos/{owner}/{repo}/labels", (ctx) => {
    const name = ctx.body.name;
    if (typeof name !== "string" || name === "")
      throw validationFailed([{ resource: "Label", code: "missing_field", field: "name" }]);
    if (ctx.repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase()))
      throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
    const color = typeof ctx.body.color === "string" ? ctx.body.color : "ededed";
    if (!/^[0-9a-fA-F]{6}$/.test(color))
      throw validationFailed([{ resource: "Label", code: "invalid", field: "color" }]);
    const label: LabelRecord = {
      id: ids++,
      name,
      color,
      description: typeof ctx.body.description === "string" ? ctx.body.description : null,
    };
    ctx.repo.labels.push(label);
    return { status: 201, body: labelObject(api, ctx.repoName, label) };
  });

  route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", (ctx) => {
    const issue = issueOf(ctx, ctx.params[2]!);
    if (!issue.pull) throw notFound();
    const { page, link } = paginate(
      issue.pull.files,
      ctx.query,
      `${api}/repos/${ctx.repoName}/pulls/${issue.number}/files`,
    );
    return {
      status: 200,
      body: page.map((f) => fileObject(api, ctx.repoName, issue.pull!.headSha, f)),
      ...(link ? { link } : {}),
    };
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    used++;
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-github-api-version-selected": "2022-11-28",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - used)),
      "x-ratelimit-reset": String(resetAt),
      "x-ratelimit-used": String(used),
      "x-ratelimit-resource": "core",
    };
    const send = (
      status: number,
      body: unknown,
      login?: string,
      extra: Record<string, string> = {},
    ) => {
      requests.push({ method, path: url.pathname, status, ...(login ? { login } : {}) });
      res.writeHead(status, { ...headers, ...extra });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (failures > 0) {
      failures--;
      return send(502, { message: "Server Error" });
    }
    const auth = /^(?:token|Bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const user = auth ? tokens.get(auth[1]!) : undefined;
    if (!user)
      return send(401, {
        message: "Requires authentication",
        documentation_url: DOCS,
        status: "401",
      });
    if (used > limit)
      return send(
        403,
        {
          message: `API rate limit exceeded for user ID ${user.id}.`,
          documentation_url: DOCS,
          status: "403",
        },
        user.login,
      );
    const match = routes
      .filter((r) => r.method === method)
      .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
      .find((x) => x.m);
    if (!match?.m)
      return send(
        404,
        { message: "Not Found", documentation_url: DOCS, status: "404" },
        user.login,
      );
    let body: Record<string, unknown> = {};
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return send(
          400,
          { message: "Problems parsing JSON", documentation_url: DOCS, status: "400" },
          user.login,
        );
      }
    }
    const params = match.m.slice(1).map((p) => decodeURIComponent(p));
    const repoName = `${params[0]}/${params[1]}`;
    if (options.check && method !== "GET") {
      const problems = options.check.request(method, match.r.template, body);
      if (problems.length) {
        violations.push(...problems);
        return send(
          500,
          { message: `request does not match GitHub's OpenAPI: ${problems[0]}` },
          user.login,
        );
      }
    }
    let status: number;
    let out: unknown;
    let link: string | undefined;
    try {
      const result = match.r.handle({
        params,
        query: url.searchParams,
        body,
        user,
        repoName,
        repo: repo(repoName),
      });
      ({ status, body: out, link } = result);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      status = error.status;
      out = error.body;
    }
    if (options.check) {
      const problems = options.check.response(method, match.r.template, status, out);
      if (problems.length) {
        violations.push(...problems);
        return send(
          500,
          { message: `response does not match GitHub's OpenAPI: ${problems[0]}` },
          user.login,
        );
      }
    }
    send(status, out, user.login, link ? { link } : {});
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`server error: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: api,
    mintToken(kind) {
      const user: UserRecord =
        kind === "app" ? ACTIONS_BOT : { login: kind.login, id: 5000 + tokens.size, type: "User" };
      const token = `${kind === "app" ? "ghs" : "ghp"}_${randomBytes(18).toString("base64url")}`;
      tokens.set(token, user);
      return token;
    },
    repo,
    openPullRequest(fullName, pr) {
      const r = repo(fullName);
      const at = now();
      const number = nextNumber(r);
      r.issues.push({
        id: ids++,
        number,
        title: pr.title,
        body: null,
        state: "open",
        stateReason: null,
        labels: [],
        user: { login: pr.author ?? "octocat", id: 583231, type: "User" },
        comments: 0,
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        pull: { headSha: pr.headSha, files: pr.files },
      });
      return number;
    },
    pushToPullRequest(fullName, number, headSha, files) {
      const issue = repo(fullName).issues.find((i) => i.number === number && i.pull);
      if (!issue?.pull) throw new Error(`no pull request #${number} in ${fullName}`);
      issue.pull.headSha = headSha;
      if (files) issue.pull.files = files;
    },
    requests,
    violations,
    failNext(count) {
      failures = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
