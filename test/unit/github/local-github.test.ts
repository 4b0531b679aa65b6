import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient, tokenLogin } from "../../../actions/lib/github/client.js";
import { parseMarker, type Marker } from "../../../actions/lib/github/marker.js";
import { upsertStickyComment } from "../../../actions/lib/github/sticky-comment.js";
import { syncTrackingIssue } from "../../../actions/lib/github/tracking-issue.js";
import { consoleLogger } from "../../../actions/lib/logger.js";
import {
  loadOpenApiCheck,
  startGitHubServer,
  type GitHubServer,
} from "../../../local/github/index.js";

/**
 * The real octokit (@actions/github with the retry and throttling plugins) over HTTP against the
 * local GitHub server, whose every request and response is checked against GitHub's OpenAPI
 * description: a shape GitHub does not document makes the server answer 500 and record it.
 */
const REPO = { owner: "acme", repo: "infra" };
const logger = consoleLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream });
const marker: Marker = { v: 1, kind: "plan", cluster: "prod", environment: "production" };

describe("local GitHub server + octokit", () => {
  let gh: GitHubServer;
  beforeAll(async () => {
    gh = await startGitHubServer({ check: loadOpenApiCheck() });
  });
  afterAll(() => gh.close());

  const client = (token: string) =>
    createGitHubClient({ token, apiUrl: gh.url, logger, retries: 2 });

  it("knows who a token is: a personal token reads /user, GITHUB_TOKEN is the Actions bot", async () => {
    expect(await tokenLogin(client(gh.mintToken({ login: "alice" })))).toBe("alice");
    expect(await tokenLogin(client(gh.mintToken("app")))).toBe("github-actions[bot]");
    expect(gh.requests.filter((r) => r.path === "/user").map((r) => r.status)).toEqual([200, 403]);
  });

  it("keeps ONE comment per cluster+environment, found by marker and own login, across pages", async () => {
    const pr = gh.openPullRequest("acme/infra", {
      title: "grow",
      headSha: "a".repeat(40),
      files: [],
    });
    // 120 comments by a person first (seeded: octokit spaces content writes 3 s apart, as
    // GitHub asks) — one of them pastes our marker: it must never be edited
    const bob = { login: "bob", id: 7, type: "User" as const };
    const at = new Date().toISOString();
    for (let i = 0; i < 120; i++)
      gh.repo("acme/infra").comments.push({
        id: 1_000_000 + i,
        issueNumber: pr,
        body: i === 0 ? `<!-- pve-kube ${JSON.stringify(marker)} -->\nquoted` : `chat ${i}`,
        user: bob,
        createdAt: at,
        updatedAt: at,
      });
    const bot = client(gh.mintToken("app"));
    const login = await tokenLogin(bot);
    const first = await upsertStickyComment({
      client: bot,
      repo: REPO,
      issueNumber: pr,
      login,
      marker,
      body: "one",
      logger,
    });
    const second = await upsertStickyComment({
      client: bot,
      repo: REPO,
      issueNumber: pr,
      login,
      marker,
      body: "two",
      logger,
    });
    const same = await upsertStickyComment({
      client: bot,
      repo: REPO,
      issueNumber: pr,
      login,
      marker,
      body: "two",
      logger,
    });
    const other = await upsertStickyComment({
      client: bot,
      repo: REPO,
      issueNumber: pr,
      login,
      marker: { ...marker, environment: "staging" },
      body: "x",
      logger,
    });
    expect([first.action, second.action, same.action, other.action]).toEqual([
      "created",
      "updated",
      "unchanged",
      "created",
    ]);
    expect(second.commentId).toBe(first.commentId);
    const comments = gh.repo("acme/infra").comments.filter((c) => c.issueNumber === pr);
    expect(comments).toHaveLength(122);
    expect(comments[0]!.body).toContain("quoted");
    expect(parseMarker(comments.find((c) => c.id === first.commentId)!.body)).toEqual(marker);
    // the listing went over two pages of 100, following the Link header
    expect(
      gh.requests.filter((r) => r.path.endsWith(`/issues/${pr}/comments`) && r.status === 200)
        .length,
    ).toBeGreaterThanOrEqual(6);
  });

  it("answers a body over 65536 characters with GitHub's 422", async () => {
    const pr = gh.openPullRequest("acme/infra", {
      title: "big",
      headSha: "b".repeat(40),
      files: [],
    });
    const bot = client(gh.mintToken("app"));
    const error = await bot.rest.issues
      .createComment({ ...REPO, issue_number: pr, body: "x".repeat(65537) })
      .catch((e: unknown) => e as { status: number; message: string });
    expect(error).toMatchObject({ status: 422 });
    expect((error as { message: string }).message).toContain("body is too long");
  });

  it("retries a 502 and follows 404 for a missing issue", async () => {
    const bot = client(gh.mintToken("app"));
    const pr = gh.openPullRequest("acme/infra", { title: "r", headSha: "c".repeat(40), files: [] });
    gh.failNext(1);
    const { data } = await bot.rest.issues.get({ ...REPO, issue_number: pr });
    expect(data.number).toBe(pr);
    await expect(bot.rest.issues.get({ ...REPO, issue_number: 9999 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("opens one drift issue, updates it on re-detection, closes it when drift is gone", async () => {
    const bot = client(gh.mintToken("app"));
    const drift: Marker = { v: 1, kind: "drift", cluster: "prod", environment: "production" };
    const label = { name: "pve-kube:drift", color: "d93f0b", description: "pve-kube drift" };
    const present = { title: "Drift in prod", body: "memory", comment: "still there" };
    const opened = await syncTrackingIssue({
      client: bot,
      repo: REPO,
      label,
      marker: drift,
      present,
      resolvedComment: "gone",
      logger,
    });
    const updated = await syncTrackingIssue({
      client: bot,
      repo: REPO,
      label,
      marker: drift,
      present,
      resolvedComment: "gone",
      logger,
    });
    const closed = await syncTrackingIssue({
      client: bot,
      repo: REPO,
      label,
      marker: drift,
      resolvedComment: "gone",
      logger,
    });
    const none = await syncTrackingIssue({
      client: bot,
      repo: REPO,
      label,
      marker: drift,
      resolvedComment: "gone",
      logger,
    });
    expect([opened.action, updated.action, closed.action, none.action]).toEqual([
      "opened",
      "updated",
      "closed",
      "none",
    ]);
    expect(updated.number).toBe(opened.number);
    const issue = gh.repo("acme/infra").issues.find((i) => i.number === opened.number)!;
    expect(issue).toMatchObject({
      state: "closed",
      stateReason: "completed",
      labels: ["pve-kube:drift"],
    });
  });

  it("saw no request or response that GitHub's OpenAPI description does not allow", () => {
    expect(gh.violations).toEqual([]);
  });
});
