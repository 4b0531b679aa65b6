import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  renderDriftMarkdown
} from "./chunk-64ZKZBXP.mjs";
import {
  readPlanSummaryFile
} from "./chunk-MHG2BPSX.mjs";
import {
  getOctokit,
  require_light,
  retry
} from "./chunk-PI6VJA3N.mjs";
import "./chunk-QP3REOFO.mjs";
import "./chunk-N6HR45QX.mjs";
import {
  servicesPlanLines
} from "./chunk-IHWMXKID.mjs";
import {
  releasePlanLine
} from "./chunk-IT5A3JKS.mjs";
import {
  actionDeps,
  appendJobSummary,
  canonicalJson,
  inputFromEnv,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/github-report/src/github-report-action.ts
import { execFile } from "node:child_process";
import { mkdir as mkdir2, readFile as readFile2, writeFile } from "node:fs/promises";
import os2 from "node:os";
import path2 from "node:path";
import { promisify } from "node:util";

// node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var import_light = __toESM(require_light(), 1);
var VERSION = "0.0.0-development";
var noop = /* @__PURE__ */ __name(() => Promise.resolve(), "noop");
function wrapRequest(state, request, options) {
  return state.retryLimiter.schedule(doRequest, state, request, options);
}
__name(wrapRequest, "wrapRequest");
async function doRequest(state, request, options) {
  const { pathname } = new URL(options.url, "http://github.test");
  const isAuth = isAuthRequest(options.method, pathname);
  const isWrite = !isAuth && options.method !== "GET" && options.method !== "HEAD";
  const isSearch = options.method === "GET" && pathname.startsWith("/search/");
  const isGraphQL = pathname.startsWith("/graphql");
  const retryCount = ~~request.retryCount;
  const jobOptions = retryCount > 0 ? { priority: 0, weight: 0 } : {};
  if (state.clustering) {
    jobOptions.expiration = 1e3 * 60;
  }
  if (isWrite || isGraphQL) {
    await state.write.key(state.id).schedule(jobOptions, noop);
  }
  if (isWrite && state.triggersNotification(pathname)) {
    await state.notifications.key(state.id).schedule(jobOptions, noop);
  }
  if (isSearch) {
    await state.search.key(state.id).schedule(jobOptions, noop);
  }
  const req = (isAuth ? state.auth : state.global).key(state.id).schedule(jobOptions, request, options);
  if (isGraphQL) {
    const res = await req;
    if (res.data.errors != null && res.data.errors.some((error) => error.type === "RATE_LIMITED")) {
      const error = Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: res,
        data: res.data
      });
      throw error;
    }
  }
  return req;
}
__name(doRequest, "doRequest");
function isAuthRequest(method, pathname) {
  return method === "PATCH" && // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-a-scoped-access-token
  /^\/applications\/[^/]+\/token\/scoped$/.test(pathname) || method === "POST" && // https://docs.github.com/en/rest/apps/oauth-applications?apiVersion=2022-11-28#reset-a-token
  (/^\/applications\/[^/]+\/token$/.test(pathname) || // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-an-installation-access-token-for-an-app
  /^\/app\/installations\/[^/]+\/access_tokens$/.test(pathname) || // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
  pathname === "/login/oauth/access_token");
}
__name(isAuthRequest, "isAuthRequest");
var triggers_notification_paths_default = [
  "/orgs/{org}/invitations",
  "/orgs/{org}/invitations/{invitation_id}",
  "/orgs/{org}/teams/{team_slug}/discussions",
  "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "/repos/{owner}/{repo}/collaborators/{username}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "/repos/{owner}/{repo}/issues",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/releases",
  "/teams/{team_id}/discussions",
  "/teams/{team_id}/discussions/{discussion_number}/comments"
];
function routeMatcher(paths) {
  const regexes = paths.map(
    (path3) => path3.split("/").map((c) => c.startsWith("{") ? "(?:.+?)" : c).join("/")
  );
  const regex2 = `^(?:${regexes.map((r) => `(?:${r})`).join("|")})[^/]*$`;
  return new RegExp(regex2, "i");
}
__name(routeMatcher, "routeMatcher");
var regex = routeMatcher(triggers_notification_paths_default);
var triggersNotification = regex.test.bind(regex);
var groups = {};
var createGroups = /* @__PURE__ */ __name(function(Bottleneck, common) {
  groups.global = new Bottleneck.Group({
    id: "octokit-global",
    maxConcurrent: 10,
    ...common
  });
  groups.auth = new Bottleneck.Group({
    id: "octokit-auth",
    maxConcurrent: 1,
    ...common
  });
  groups.search = new Bottleneck.Group({
    id: "octokit-search",
    maxConcurrent: 1,
    minTime: 2e3,
    ...common
  });
  groups.write = new Bottleneck.Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    ...common
  });
  groups.notifications = new Bottleneck.Group({
    id: "octokit-notifications",
    maxConcurrent: 1,
    minTime: 3e3,
    ...common
  });
}, "createGroups");
function throttling(octokit, octokitOptions) {
  const {
    enabled = true,
    Bottleneck = import_light.default,
    id = "no-id",
    timeout = 1e3 * 60 * 2,
    // Redis TTL: 2 minutes
    connection
  } = octokitOptions.throttle || {};
  if (!enabled) {
    return {};
  }
  const common = { timeout };
  if (typeof connection !== "undefined") {
    common.connection = connection;
  }
  const state = Object.assign(
    {
      clustering: connection != null,
      triggersNotification,
      fallbackSecondaryRateRetryAfter: 60,
      retryAfterBaseValue: 1e3,
      id
    },
    octokitOptions.throttle
  );
  if (typeof state.onSecondaryRateLimit !== "function" || typeof state.onRateLimit !== "function") {
    throw new Error(`octokit/plugin-throttling error:
        You must pass the onSecondaryRateLimit and onRateLimit error handlers.
        See https://octokit.github.io/rest.js/#throttling

        const octokit = new Octokit({
          throttle: {
            onSecondaryRateLimit: (retryAfter, options) => {/* ... */},
            onRateLimit: (retryAfter, options) => {/* ... */}
          }
        })
    `);
  }
  let initialized = false;
  const initializeBottleneck = /* @__PURE__ */ __name(() => {
    if (initialized) {
      return;
    }
    initialized = true;
    if (groups.global == null) {
      createGroups(Bottleneck, common);
    }
    state.global = state.global ?? groups.global;
    state.auth = state.auth ?? groups.auth;
    state.search = state.search ?? groups.search;
    state.write = state.write ?? groups.write;
    state.notifications = state.notifications ?? groups.notifications;
    state.retryLimiter = state.retryLimiter ?? new Bottleneck();
    const events = {};
    const emitter = new Bottleneck.Events(events);
    events.on("secondary-limit", state.onSecondaryRateLimit);
    events.on("rate-limit", state.onRateLimit);
    events.on(
      "error",
      (e) => octokit.log.warn("Error in throttling-plugin limit handler", e)
    );
    state.retryLimiter.on("failed", async function(error, info) {
      const [state2, request, options] = info.args;
      const { pathname } = new URL(options.url, "http://github.test");
      const shouldRetryGraphQL = pathname.startsWith("/graphql") && error.status !== 401;
      if (!(shouldRetryGraphQL || error.status === 403 || error.status === 429)) {
        return;
      }
      const retryCount = ~~request.retryCount;
      request.retryCount = retryCount;
      options.request.retryCount = retryCount;
      const { wantRetry, retryAfter = 0 } = await (async function() {
        if (/\bsecondary rate\b/i.test(error.message)) {
          const retryAfter2 = Number(error.response.headers["retry-after"]) || state2.fallbackSecondaryRateRetryAfter;
          const wantRetry2 = await emitter.trigger(
            "secondary-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        if (error.response.headers != null && error.response.headers["x-ratelimit-remaining"] === "0" || (error.response.data?.errors ?? []).some(
          (error2) => error2.type === "RATE_LIMITED"
        )) {
          const rateLimitReset = new Date(
            ~~error.response.headers["x-ratelimit-reset"] * 1e3
          ).getTime();
          const retryAfter2 = Math.max(
            // Add one second so we retry _after_ the reset time
            // https://docs.github.com/en/rest/overview/resources-in-the-rest-api?apiVersion=2022-11-28#exceeding-the-rate-limit
            Math.ceil((rateLimitReset - Date.now()) / 1e3) + 1,
            0
          );
          const wantRetry2 = await emitter.trigger(
            "rate-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        return {};
      })();
      if (wantRetry) {
        request.retryCount++;
        return retryAfter * state2.retryAfterBaseValue;
      }
    });
  }, "initializeBottleneck");
  octokit.hook.wrap("request", (request, options) => {
    initializeBottleneck();
    return wrapRequest(state, request, options);
  });
  return {};
}
__name(throttling, "throttling");
throttling.VERSION = VERSION;
throttling.triggersNotification = triggersNotification;

// actions/lib/github/client.ts
function createGitHubClient(options) {
  const retries = options.retries ?? 3;
  return getOctokit(
    options.token,
    {
      ...options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, "") } : {},
      // plugin-retry: 5xx and network errors, never 4xx (a request.retries here would retry those too)
      retry: { retries },
      throttle: {
        onRateLimit: /* @__PURE__ */ __name((after, request, _o, count) => {
          options.logger.warning(
            `GitHub rate limit on ${request.method} ${request.url}: retrying in ${after} s (attempt ${count + 1})`
          );
          return count < retries;
        }, "onRateLimit"),
        onSecondaryRateLimit: /* @__PURE__ */ __name((after, request, _o, count) => {
          options.logger.warning(
            `GitHub secondary rate limit on ${request.method} ${request.url}: retrying in ${after} s`
          );
          return count < retries;
        }, "onSecondaryRateLimit")
      }
    },
    retry,
    throttling
  );
}
__name(createGitHubClient, "createGitHubClient");
async function tokenLogin(client) {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    if (error.status === 403) return "github-actions[bot]";
    throw error;
  }
}
__name(tokenLogin, "tokenLogin");

// actions/lib/github/fit-comment.ts
function step(open, line) {
  const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
  if (open.fence) {
    const closes = fence && fence[1].startsWith(open.fence) && line.trim() === fence[1];
    return closes ? { details: open.details } : open;
  }
  if (fence) return { fence: fence[1], details: open.details };
  const opened = (line.match(/<details\b/gi) ?? []).length;
  const closed = (line.match(/<\/details>/gi) ?? []).length;
  return { details: Math.max(0, open.details + opened - closed) };
}
__name(step, "step");
function closing(open) {
  return [
    ...open.fence ? [open.fence] : [],
    ...Array.from({ length: open.details }, () => "</details>")
  ];
}
__name(closing, "closing");
function fitComment(body, note, limit = 6e4) {
  if (body.length <= limit) return { body, truncated: false, omittedLines: 0 };
  const lines = body.split("\n");
  const tail = /* @__PURE__ */ __name((open2, kept2) => ["", ...closing(open2), "", note(lines.length - kept2)].join("\n"), "tail");
  let kept = 0;
  let length = 0;
  let open = { details: 0 };
  while (kept < lines.length) {
    const line = lines[kept];
    const after = step(open, line);
    const next = length + line.length + 1;
    if (next + tail(after, kept + 1).length > limit) break;
    length = next;
    open = after;
    kept++;
  }
  const out = lines.slice(0, kept).join("\n") + tail(open, kept);
  return { body: out, truncated: true, omittedLines: lines.length - kept };
}
__name(fitComment, "fitComment");

// actions/lib/github/marker.ts
var PREFIX = "<!-- pve-kube ";
function renderMarker(marker) {
  return `${PREFIX}${JSON.stringify(marker).replace(/--/g, "\\u002d\\u002d")} -->`;
}
__name(renderMarker, "renderMarker");
function parseMarker(body) {
  if (!body?.startsWith(PREFIX)) return void 0;
  const end = body.indexOf(" -->");
  if (end < 0) return void 0;
  try {
    const value = JSON.parse(body.slice(PREFIX.length, end));
    if (value.v !== 1 || typeof value.kind !== "string" || typeof value.cluster !== "string")
      return void 0;
    return value;
  } catch {
    return void 0;
  }
}
__name(parseMarker, "parseMarker");
function sameSubject(a, b) {
  return a.kind === b.kind && a.cluster === b.cluster && a.environment === b.environment;
}
__name(sameSubject, "sameSubject");

// actions/lib/github/sticky-comment.ts
async function upsertStickyComment(options) {
  const { client, repo, issueNumber, login, marker, logger } = options;
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100
  });
  const ours = comments.filter((c) => {
    const found = parseMarker(c.body);
    return c.user?.login === login && found !== void 0 && sameSubject(found, marker);
  });
  const full = `${renderMarker(marker)}
${options.body}`;
  const existing = ours[0];
  if (ours.length > 1)
    logger.warning(
      `${ours.length} pve-kube comments for ${marker.cluster}/${marker.environment} on #${issueNumber}; updating the first (${existing.html_url})`
    );
  if (!existing) {
    const { data: data2 } = await client.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body: full
    });
    return { action: "created", commentId: data2.id, url: data2.html_url };
  }
  if (existing.body === full)
    return { action: "unchanged", commentId: existing.id, url: existing.html_url };
  const { data } = await client.rest.issues.updateComment({
    ...repo,
    comment_id: existing.id,
    body: full
  });
  return { action: "updated", commentId: data.id, url: data.html_url };
}
__name(upsertStickyComment, "upsertStickyComment");

// actions/github-report/src/config-diff.ts
var import_yaml = __toESM(require_dist(), 1);
function flatten(value, prefix, out) {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(prefix, {});
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, value);
}
__name(flatten, "flatten");
function diffConfig(beforeText, afterText) {
  const before = /* @__PURE__ */ new Map();
  const after = /* @__PURE__ */ new Map();
  if (beforeText !== void 0) flatten((0, import_yaml.parse)(beforeText), "", before);
  flatten((0, import_yaml.parse)(afterText), "", after);
  const changes = [];
  for (const [path3, value] of after) {
    if (!before.has(path3)) changes.push({ path: path3, kind: "added", after: value });
    else if (JSON.stringify(before.get(path3)) !== JSON.stringify(value))
      changes.push({ path: path3, kind: "changed", before: before.get(path3), after: value });
  }
  for (const [path3, value] of before)
    if (!after.has(path3)) changes.push({ path: path3, kind: "removed", before: value });
  return changes;
}
__name(diffConfig, "diffConfig");
var show = /* @__PURE__ */ __name((value) => `\`${JSON.stringify(value)}\``, "show");
function describeConfigChange(change) {
  switch (change.kind) {
    case "added":
      return `\`${change.path}\` set to ${show(change.after)}`;
    case "removed":
      return `\`${change.path}\` removed (was ${show(change.before)})`;
    case "changed":
      return `\`${change.path}\`: ${show(change.before)} \u2192 ${show(change.after)}`;
  }
}
__name(describeConfigChange, "describeConfigChange");

// actions/github-report/src/drift-issue.ts
import { mkdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// actions/lib/github/tracking-issue.ts
async function syncTrackingIssue(options) {
  const { client, repo, label, marker, logger } = options;
  await ensureLabel(client, repo, label);
  const open = await client.paginate(client.rest.issues.listForRepo, {
    ...repo,
    state: "open",
    labels: label.name,
    per_page: 100
  });
  const existing = open.find((issue) => {
    const found = parseMarker(issue.body);
    return !issue.pull_request && found !== void 0 && sameSubject(found, marker);
  });
  if (!options.present) {
    if (!existing) return { action: "none" };
    await client.rest.issues.createComment({
      ...repo,
      issue_number: existing.number,
      body: options.resolvedComment
    });
    await client.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      state: "closed",
      state_reason: "completed"
    });
    logger.info(`closed ${existing.html_url}: the condition is gone`);
    return { action: "closed", number: existing.number, url: existing.html_url };
  }
  const body = `${renderMarker(marker)}
${options.present.body}`;
  if (existing) {
    await client.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      title: options.present.title,
      body
    });
    await client.rest.issues.createComment({
      ...repo,
      issue_number: existing.number,
      body: options.present.comment
    });
    return { action: "updated", number: existing.number, url: existing.html_url };
  }
  const { data } = await client.rest.issues.create({
    ...repo,
    title: options.present.title,
    body,
    labels: [label.name]
  });
  return { action: "opened", number: data.number, url: data.html_url };
}
__name(syncTrackingIssue, "syncTrackingIssue");
async function ensureLabel(client, repo, label) {
  try {
    await client.rest.issues.getLabel({ ...repo, name: label.name });
  } catch (error) {
    if (error.status !== 404) throw error;
    try {
      await client.rest.issues.createLabel({ ...repo, ...label });
    } catch (createError) {
      if (createError.status !== 422) throw createError;
    }
  }
}
__name(ensureLabel, "ensureLabel");

// actions/github-report/src/event.ts
import { readFileSync } from "node:fs";
function readRunEvent(env) {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo)
    throw new ConfigurationError(
      "GITHUB_REPOSITORY is not set",
      "run this action inside a workflow"
    );
  let payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
    } catch {
      payload = {};
    }
  }
  const pr = payload.pull_request;
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    ...pr?.number ? { pullRequest: pr.number } : {},
    headSha: pr?.head?.sha ?? env.GITHUB_SHA ?? "",
    ...pr?.base?.sha ? { baseSha: pr.base.sha } : {},
    ...env.GITHUB_RUN_ID ? { runUrl: `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` } : {}
  };
}
__name(readRunEvent, "readRunEvent");

// actions/github-report/src/drift-issue.ts
var DRIFT_LABEL = {
  name: "pve-kube:drift",
  color: "d93f0b",
  description: "pve-kube found the cluster different from cluster.yaml"
};
async function loadReport(inputs, deps) {
  if (inputs["drift-report"])
    return JSON.parse(await readFile(inputs["drift-report"], "utf8"));
  if (!inputs.artifact || !deps.artifactStore)
    throw new ConfigurationError(
      "drift-issue needs the drift report: the artifact input (drift-check's artifact output) or drift-report",
      "pass artifact: ${{ needs.<check job>.outputs.artifact }}"
    );
  const { artifact } = await deps.artifactStore.getArtifact(inputs.artifact);
  const dir = path.join(
    deps.env.RUNNER_TEMP ?? os.tmpdir(),
    "pve-kube",
    "download",
    inputs.artifact
  );
  await mkdir(dir, { recursive: true });
  await deps.artifactStore.downloadArtifact(artifact.id, { path: dir });
  return JSON.parse(await readFile(path.join(dir, "drift.json"), "utf8"));
}
__name(loadReport, "loadReport");
async function driftIssue(inputs, deps, client) {
  const { logger } = deps;
  const report = await loadReport(inputs, deps);
  const event = readRunEvent(deps.env);
  if (report.status === "error") {
    logger.warning(
      `the drift check failed (${report.error ?? "unknown"}): the drift issue is left as it is`
    );
    return;
  }
  const markdown = renderDriftMarkdown(report, event.runUrl);
  const fitted = fitComment(
    markdown,
    (n) => `> [!NOTE]
> ${n} more lines: see the job summary${event.runUrl ? ` of [the run](${event.runUrl})` : ""}.`,
    6e4
  );
  const result = await syncTrackingIssue({
    client,
    repo: { owner: event.owner, repo: event.repo },
    label: DRIFT_LABEL,
    marker: { v: 1, kind: "drift", cluster: report.cluster, environment: inputs.environment },
    ...report.status === "detected" ? {
      present: {
        title: `Drift in cluster ${report.cluster} (${inputs.environment})`,
        body: fitted.body,
        comment: `Still drifting at ${report.checkedAt}${event.runUrl ? ` ([run](${event.runUrl}))` : ""}: ${report.findings.filter((f) => f.drift).length} finding(s).`
      }
    } : {},
    resolvedComment: `No drift any more at ${report.checkedAt}${event.runUrl ? ` ([run](${event.runUrl}))` : ""}: closing.`,
    logger
  });
  logger.info(`drift issue: ${result.action}${result.url ? ` ${result.url}` : ""}`);
  if (result.url) deps.setOutput("issue-url", result.url);
  if (inputs["fail-on-drift"] && report.status === "detected")
    throw new Error(
      `drift detected in cluster ${report.cluster}: ${result.url ?? "see the job summary"}`
    );
}
__name(driftIssue, "driftIssue");

// actions/github-report/src/inputs.ts
var bool = external_exports.enum(["true", "false"]).transform((v) => v === "true").optional();
var inputSchema = external_exports.object({
  mode: external_exports.enum(["plan-render", "plan-comment", "drift-issue", "verify-reviewed"], {
    error: "must be plan-render, plan-comment, drift-issue or verify-reviewed"
  }),
  cluster: external_exports.string().optional(),
  environment: external_exports.string().default("production"),
  "github-token": external_exports.string().optional(),
  stage: external_exports.enum(["outdated", "failed", "final"]).default("final"),
  "reviewed-digest": external_exports.string().optional(),
  artifact: external_exports.string().optional(),
  "template-would-build": bool,
  "template-fingerprint": external_exports.string().optional(),
  "template-vmid": external_exports.string().optional(),
  "kubeadm-plan": external_exports.string().optional(),
  "cilium-plan": external_exports.string().optional(),
  "services-plan": external_exports.string().optional(),
  "comment-limit": external_exports.coerce.number().int().min(1e3).max(65536).default(6e4),
  "drift-report": external_exports.string().optional(),
  "fail-on-drift": bool
});

// actions/github-report/src/plan-render.ts
var VERB = {
  delete: "\u{1F5D1}\uFE0F **delete**",
  replace: "\u267B\uFE0F **replace**",
  create: "\u2795 create",
  update: "\u270F\uFE0F update"
};
function controlPlaneLosses(data) {
  return (data.tofu?.summary.vms ?? []).filter(
    (vm) => vm.role === "control-plane" && (vm.action === "delete" || vm.action === "replace" && !vm.tainted)
  );
}
__name(controlPlaneLosses, "controlPlaneLosses");
function vmRow(vm) {
  const what = vm.action === "replace" ? `because of ${vm.replaceBecause.join(", ") || "a forced replacement"}${vm.tainted ? " (finishing a failed create)" : ""}` : vm.action === "update" ? vm.changedAttributes.join(", ") : "";
  return `| ${VERB[vm.action]} | \`${vm.name}\` | ${vm.role} | ${vm.vmid ?? ""} | ${vm.node ?? ""} | ${what} |`;
}
__name(vmRow, "vmRow");
function kubernetesSection(data) {
  const out = ["#### Kubernetes actions", ""];
  if (data.kubeadm) {
    const k = data.kubeadm;
    if (k.init) out.push(`- \`kubeadm init\` on \`${k.init}\``);
    if (k.controlPlaneJoins.length)
      out.push(
        `- control-plane joins, one at a time: ${k.controlPlaneJoins.map((n) => `\`${n}\``).join(", ")}`
      );
    if (k.workerJoins.length)
      out.push(`- worker joins, in parallel: ${k.workerJoins.map((n) => `\`${n}\``).join(", ")}`);
    for (const r of k.removals)
      out.push(
        `- **drain and remove** \`${r.name}\`${r.role === "control-plane" ? " (etcd member removed too)" : ""}`
      );
    if (k.upgrade) out.push(`- **upgrade** ${k.upgrade.from} \u2192 ${k.upgrade.to}, node by node`);
    if (out.length === 2) out.push("No change: every node is a member at the right version.");
    return out;
  }
  out.push(
    "_Derived from the VM plan \u2014 the kubeadm-bootstrap plan did not run in this job (it needs SSH access to the nodes: plan.yml's `kubeadm-plan: true` with SSH_PRIVATE_KEY on a runner that reaches them)._",
    ""
  );
  const vms = data.tofu?.summary.vms ?? [];
  for (const vm of vms) {
    if (vm.action === "create") out.push(`- \`${vm.name}\` joins as ${vm.role}`);
    if (vm.action === "delete")
      out.push(
        `- **\`${vm.name}\` is drained and removed**${vm.role === "control-plane" ? " (its etcd member too)" : ""} before its VM is deleted`
      );
    if (vm.action === "replace")
      out.push(`- **\`${vm.name}\` is drained, removed and joins again** on the new VM`);
  }
  if (out.length === 4) out.push("No node joins or leaves.");
  return out;
}
__name(kubernetesSection, "kubernetesSection");
function addonsSection(data) {
  const out = ["#### Add-ons", ""];
  if (!data.cilium && !data.services) {
    out.push("_install-cilium and deploy-services did not run in plan mode in this job._");
    return out;
  }
  const line = /* @__PURE__ */ __name((text, action) => `- ${action === "none" ? "" : "**"}${text}${action === "none" ? "" : "**"}`, "line");
  if (data.cilium) out.push(line(releasePlanLine(data.cilium), data.cilium.action));
  else out.push("- _install-cilium did not run in plan mode._");
  if (data.services) {
    const lines = servicesPlanLines(data.services);
    if (lines.length === 0) out.push("- no service is enabled in cluster.yaml");
    const actions = [
      ...data.services.releases.map((r) => r.action),
      ...data.services.objects.map((o) => o.action === "change" ? "change" : o.action),
      ...(data.services.nodeLabels ?? []).map(() => "label")
    ];
    lines.forEach((l, i) => out.push(line(l, actions[i] ?? "change")));
  } else out.push("- _deploy-services did not run in plan mode._");
  if ([data.cilium?.action, ...(data.services?.releases ?? []).map((r) => r.action)].includes(
    "unknown"
  ))
    out.push(
      "",
      "_Compared with the cluster only where this job could reach it: otherwise install or upgrade is decided at deploy time from the same chart, version and values hash._"
    );
  return out;
}
__name(addonsSection, "addonsSection");
function renderPlanComment(data) {
  const short = data.headSha.slice(0, 7);
  const out = [`### pve-kube plan \xB7 \`${data.cluster}\` \xB7 ${data.environment}`, ""];
  out.push(
    `Planned for ${short}${data.runUrl ? ` in [this run](${data.runUrl})` : ""}` + (data.tofu?.sha256 ? ` \xB7 OpenTofu plan SHA-256 \`${data.tofu.sha256.slice(0, 16)}\u2026\`` : "") + ` \xB7 reviewed digest \`${data.reviewedDigest}\``,
    ""
  );
  const vms = data.tofu?.summary.vms ?? [];
  const destructive = vms.filter((vm) => vm.action === "delete" || vm.action === "replace");
  const losses = controlPlaneLosses(data);
  if (destructive.length) {
    out.push("> [!CAUTION]");
    out.push(
      `> **This plan deletes or replaces ${destructive.length} VM${destructive.length > 1 ? "s" : ""}:**`
    );
    for (const vm of destructive)
      out.push(
        `> - ${vm.action === "delete" ? "DELETE" : "REPLACE"} \`${vm.name}\` (${vm.role}${vm.vmid ? `, VMID ${vm.vmid}` : ""})`
      );
    if (losses.length)
      out.push(
        ">",
        `> Control planes (etcd members) are lost: deploy refuses this plan unless it runs with \`allow-replace: true\`.`
      );
    out.push("");
  }
  if (data.tofu?.refusal && !losses.length) out.push(`> [!WARNING]
> ${data.tofu.refusal}`, "");
  out.push(`#### \`${data.clusterFile}\``, "");
  if (data.configIsNew) out.push("A new cluster file.");
  else if (!data.configChanges)
    out.push("_The base commit's version could not be read; no change list._");
  else if (data.configChanges.length === 0) out.push("No change to the cluster file.");
  else for (const change of data.configChanges) out.push(`- ${describeConfigChange(change)}`);
  out.push("");
  out.push("#### Template", "");
  if (!data.template) out.push("_build-template did not run in plan mode._");
  else if (data.template.wouldBuild)
    out.push(
      `**Rebuilt**: the recipe changed (fingerprint \`${(data.template.fingerprint ?? "").slice(0, 12)}\`).`
    );
  else out.push(`Unchanged (template ${data.template.vmid ?? ""} has this recipe).`);
  out.push("");
  out.push("#### VMs", "");
  if (!data.tofu) out.push("_tofu-provision did not run in plan mode._");
  else if (!data.tofu.summary.hasChanges) out.push("No change: every VM is as declared.");
  else {
    const c = data.tofu.summary.counts;
    out.push(
      `${c.delete} to delete, ${c.replace} to replace, ${c.create} to create, ${c.update} to change in place.`,
      "",
      "| | VM | role | VMID | node | what |",
      "|---|---|---|---|---|---|",
      ...vms.map(vmRow)
    );
    for (const other of data.tofu.summary.others)
      out.push(`- ${other.action} \`${other.address}\``);
  }
  if (data.tofu?.summary.drifted.length)
    out.push(
      "",
      `Changed outside OpenTofu since the last apply: ${data.tofu.summary.drifted.map((n) => `\`${n}\``).join(", ")}`
    );
  out.push("");
  out.push(...kubernetesSection(data), "");
  out.push(...addonsSection(data), "");
  out.push(
    "---",
    `<sub>This plan changed nothing on Proxmox or in the OpenTofu state. Full rendering: the job summary${data.runUrl ? ` of [this run](${data.runUrl})` : ""} and the artifact \`${data.artifactName}\`.</sub>`
  );
  return out.join("\n");
}
__name(renderPlanComment, "renderPlanComment");
function cutNote(data, omittedLines) {
  return `> [!NOTE]
> ${omittedLines} more line${omittedLines === 1 ? "" : "s"} did not fit in a GitHub comment: see the job summary${data.runUrl ? ` of [this run](${data.runUrl})` : ""} or the artifact \`${data.artifactName}\`.`;
}
__name(cutNote, "cutNote");
function outdatedBanner(oldSha, newSha) {
  return `> [!IMPORTANT]
> **Outdated**: this plan is for ${oldSha.slice(0, 7)}; ${newSha.slice(0, 7)} was pushed and is being planned.
`;
}
__name(outdatedBanner, "outdatedBanner");
function failedBanner(oldSha, newSha, runUrl) {
  const run2 = runUrl ? ` in [this run](${runUrl})` : "";
  return oldSha ? `> [!WARNING]
> **Outdated, and the new plan failed**: this plan is for ${oldSha.slice(0, 7)}; planning ${newSha.slice(0, 7)} failed${run2}. Do not deploy from this comment.
` : `> [!WARNING]
> **The plan for ${newSha.slice(0, 7)} failed**${run2}: there is no plan to review.
`;
}
__name(failedBanner, "failedBanner");
function withoutBanner(rest) {
  const lines = rest.split("\n");
  if (!/^> \[!(IMPORTANT|WARNING)\]$/.test(lines[0] ?? "")) return rest;
  let i = 0;
  while (i < lines.length && lines[i].startsWith(">")) i++;
  while (i < lines.length && lines[i] === "") i++;
  return lines.slice(i).join("\n");
}
__name(withoutBanner, "withoutBanner");

// actions/github-report/src/reviewed-digest.ts
import { createHash } from "node:crypto";
function reviewedDigest(input) {
  const vms = input.vms.map((vm) => ({
    name: vm.name,
    action: vm.action,
    changed: [...vm.changedAttributes].sort(),
    because: [...vm.replaceBecause].sort()
  })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return createHash("sha256").update(canonicalJson({ v: 1, config: input.config, vms })).digest("hex");
}
__name(reviewedDigest, "reviewedDigest");

// actions/github-report/src/verify-reviewed.ts
async function verifyReviewed(inputs, deps) {
  const { env, logger } = deps;
  const wanted = inputs["reviewed-digest"]?.trim().toLowerCase();
  if (!inputs.cluster || !wanted)
    throw new ConfigurationError(
      "verify-reviewed needs the cluster and reviewed-digest inputs",
      "pass cluster: <path of cluster.yaml> and reviewed-digest: <the digest in the PR plan comment>"
    );
  if (!/^[0-9a-f]{64}$/.test(wanted))
    throw new ConfigurationError(
      `reviewed-digest '${wanted}' is not a SHA-256`,
      "copy the 64 hex digits after 'reviewed digest' in the PR plan comment (or plan.yml's reviewed-digest output)"
    );
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const tofu = await readPlanSummaryFile(loaded.plan.cluster, env);
  if (!tofu)
    throw new ConfigurationError(
      "verify-reviewed found no OpenTofu plan in this job",
      "run it in the same job as tofu-provision (mode: plan), after that step"
    );
  const digest = reviewedDigest({ config: loaded.config, vms: tofu.summary.vms });
  deps.setOutput("reviewed-digest", digest);
  if (digest !== wanted) {
    deps.setOutput("failure-reason", "plan-changed");
    throw new Error(
      `this plan is not the reviewed one: reviewed digest ${wanted}, this plan ${digest} \u2014 cluster.yaml or the OpenTofu state changed since the review. Nothing was applied; plan the pull request again (or deploy without reviewed-digest to apply a fresh plan)`
    );
  }
  logger.info(`the plan is the reviewed one (reviewed digest ${digest})`);
}
__name(verifyReviewed, "verifyReviewed");

// actions/github-report/src/github-report-action.ts
function defaultDeps(env = process.env) {
  return actionDeps(env);
}
__name(defaultDeps, "defaultDeps");
var COMMENT_FILE = "plan-comment.md";
var META_FILE = "plan-comment.json";
async function run(deps = defaultDeps()) {
  const inputs = readInputs(inputSchema, inputFromEnv(deps.env));
  if (inputs["github-token"]) deps.maskSecret(inputs["github-token"]);
  if (inputs.mode === "plan-render") return planRender(inputs, deps);
  if (inputs.mode === "verify-reviewed") return verifyReviewed(inputs, deps);
  const client = openClient(inputs, deps);
  if (inputs.mode === "plan-comment") return planComment(inputs, deps, client);
  return driftIssue(inputs, deps, client);
}
__name(run, "run");
function openClient(inputs, deps) {
  const token = inputs["github-token"];
  if (!token)
    throw new ConfigurationError(
      `${inputs.mode} needs a GitHub token and github-token is empty`,
      "pass github-token: ${{ github.token }} (the default) and grant the job the permission it needs"
    );
  return deps.openClient?.(token) ?? createGitHubClient({
    token,
    ...deps.env.GITHUB_API_URL ? { apiUrl: deps.env.GITHUB_API_URL } : {},
    logger: deps.logger
  });
}
__name(openClient, "openClient");
async function gitShow(cwd, sha, file) {
  try {
    const { stdout } = await promisify(execFile)("git", ["show", `${sha}:${file}`], {
      cwd,
      maxBuffer: 16 * 1024 * 1024
    });
    return stdout;
  } catch {
    return void 0;
  }
}
__name(gitShow, "gitShow");
async function gitHasCommit(cwd, sha) {
  try {
    await promisify(execFile)("git", ["cat-file", "-e", `${sha}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}
__name(gitHasCommit, "gitHasCommit");
async function planRender(inputs, deps) {
  const { env, logger } = deps;
  if (!inputs.cluster)
    throw new ConfigurationError(
      "plan-render needs the cluster input",
      "pass cluster: <path of cluster.yaml>"
    );
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const loaded = await loadClusterConfig(inputs.cluster, { cwd: workspace });
  const cluster = loaded.plan.cluster;
  const event = readRunEvent(env);
  const headText = await readFile2(path2.resolve(workspace, inputs.cluster), "utf8");
  let configChanges;
  let configIsNew = false;
  if (event.baseSha && await gitHasCommit(workspace, event.baseSha)) {
    const baseText = await gitShow(workspace, event.baseSha, inputs.cluster);
    if (baseText === void 0) configIsNew = true;
    else configChanges = diffConfig(baseText, headText);
  }
  let kubeadm;
  if (inputs["kubeadm-plan"]) {
    try {
      kubeadm = JSON.parse(inputs["kubeadm-plan"]);
    } catch {
      logger.warning(
        "kubeadm-plan is not JSON: the Kubernetes section is derived from the VM plan"
      );
    }
  }
  const addonPlan = /* @__PURE__ */ __name((name) => {
    const text = inputs[name];
    if (!text) return void 0;
    try {
      return JSON.parse(text);
    } catch {
      logger.warning(`${name} is not JSON: the add-ons section leaves it out`);
      return void 0;
    }
  }, "addonPlan");
  const cilium = addonPlan("cilium-plan");
  const services = addonPlan("services-plan");
  const tofu = await readPlanSummaryFile(cluster, env);
  const artifactName = `pve-kube-${cluster}-plan-comment`;
  const digest = reviewedDigest({ config: loaded.config, vms: tofu?.summary.vms ?? [] });
  const data = {
    reviewedDigest: digest,
    cluster,
    environment: inputs.environment,
    clusterFile: inputs.cluster,
    headSha: event.headSha,
    ...event.baseSha ? { baseSha: event.baseSha } : {},
    ...event.runUrl ? { runUrl: event.runUrl } : {},
    artifactName,
    ...configChanges ? { configChanges } : {},
    configIsNew,
    ...inputs["template-would-build"] !== void 0 ? {
      template: {
        wouldBuild: inputs["template-would-build"],
        ...inputs["template-fingerprint"] ? { fingerprint: inputs["template-fingerprint"] } : {},
        ...inputs["template-vmid"] ? { vmid: inputs["template-vmid"] } : {}
      }
    } : {},
    ...tofu ? { tofu } : {},
    ...kubeadm ? { kubeadm } : {},
    ...cilium ? { cilium } : {},
    ...services ? { services } : {}
  };
  const markdown = renderPlanComment(data);
  const marker = {
    v: 1,
    kind: "plan",
    cluster,
    environment: inputs.environment,
    file: inputs.cluster,
    head: event.headSha,
    ...tofu?.sha256 ? { planSha256: tofu.sha256 } : {},
    reviewedDigest: digest
  };
  await appendJobSummary(markdown, logger, env);
  const losses = controlPlaneLosses(data);
  const destructive = (tofu?.summary.vms ?? []).some(
    (vm) => vm.action === "delete" || vm.action === "replace"
  );
  deps.setOutput("cluster-name", cluster);
  deps.setOutput("reviewed-digest", digest);
  deps.setOutput("destructive", String(destructive));
  deps.setOutput("control-plane-loss", String(losses.length > 0));
  deps.setOutput("artifact", artifactName);
  if (losses.length)
    logger.warning(
      `the plan deletes or replaces control planes (${losses.map((vm) => vm.name).join(", ")}): deploy refuses it without allow-replace`
    );
  const dir = path2.join(env.RUNNER_TEMP ?? os2.tmpdir(), "pve-kube", cluster, "plan-comment");
  await mkdir2(dir, { recursive: true });
  await writeFile(path2.join(dir, COMMENT_FILE), `${markdown}
`);
  await writeFile(
    path2.join(dir, META_FILE),
    `${JSON.stringify({ marker, data }, null, 2)}
`
  );
  if (!deps.artifactStore) {
    logger.info(`no artifact service here: the rendering stays in ${dir}`);
    return;
  }
  await deps.artifactStore.uploadArtifact(
    artifactName,
    [path2.join(dir, COMMENT_FILE), path2.join(dir, META_FILE)],
    dir,
    { retentionDays: 14 }
  );
  logger.info(
    `plan comment rendered (${markdown.length} characters) and stored as artifact ${artifactName}`
  );
}
__name(planRender, "planRender");
async function downloadRendering(name, deps) {
  if (!deps.artifactStore)
    throw new ConfigurationError(
      "no artifact service: the rendered plan cannot be fetched",
      "run inside a workflow run"
    );
  const { artifact } = await deps.artifactStore.getArtifact(name);
  const dir = path2.join(deps.env.RUNNER_TEMP ?? os2.tmpdir(), "pve-kube", "download", name);
  await mkdir2(dir, { recursive: true });
  await deps.artifactStore.downloadArtifact(artifact.id, { path: dir });
  return {
    markdown: await readFile2(path2.join(dir, COMMENT_FILE), "utf8"),
    meta: JSON.parse(await readFile2(path2.join(dir, META_FILE), "utf8"))
  };
}
__name(downloadRendering, "downloadRendering");
async function planComment(inputs, deps, client) {
  const { logger } = deps;
  const event = readRunEvent(deps.env);
  if (!event.pullRequest) {
    logger.info(`event ${event.eventName} has no pull request: nothing to comment on`);
    return;
  }
  const repo = { owner: event.owner, repo: event.repo };
  const login = await tokenLogin(client);
  if (inputs.stage === "outdated" || inputs.stage === "failed")
    return markOlderComments(inputs, deps, client, event, login);
  if (!inputs.artifact)
    throw new ConfigurationError(
      "plan-comment needs the artifact input",
      "pass the artifact output of the plan-render step"
    );
  const { markdown, meta } = await downloadRendering(inputs.artifact, deps);
  const budget = inputs["comment-limit"] - renderMarker(meta.marker).length - 1;
  const fitted = fitComment(markdown.trimEnd(), (n) => cutNote(meta.data, n), budget);
  if (fitted.truncated)
    logger.warning(
      `the plan comment was cut: ${fitted.omittedLines} lines are only in the job summary and the artifact`
    );
  const result = await upsertStickyComment({
    client,
    repo,
    issueNumber: event.pullRequest,
    login,
    marker: meta.marker,
    body: fitted.body,
    logger
  });
  logger.info(`plan comment ${result.action}: ${result.url}`);
  deps.setOutput("comment-url", result.url);
}
__name(planComment, "planComment");
async function markOlderComments(inputs, deps, client, event, login) {
  const { logger } = deps;
  const repo = { owner: event.owner, repo: event.repo };
  const failed = inputs.stage === "failed";
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: event.pullRequest,
    per_page: 100
  });
  let ours = 0;
  for (const comment of comments) {
    const marker = parseMarker(comment.body);
    if (comment.user?.login !== login || marker?.kind !== "plan") continue;
    if (marker.environment !== inputs.environment) continue;
    ours++;
    if (!failed && (marker.head === event.headSha || marker.outdated === true)) continue;
    if (failed && marker.failed === event.headSha) continue;
    const rest = withoutBanner((comment.body ?? "").split("\n").slice(1).join("\n"));
    const sameHead = marker.head === event.headSha;
    const banner = failed ? failedBanner(sameHead ? void 0 : String(marker.head), event.headSha, event.runUrl) : outdatedBanner(String(marker.head), event.headSha);
    const next = {
      ...marker,
      outdated: true,
      ...failed ? { failed: event.headSha } : {}
    };
    const body = `${renderMarker(next)}
${banner}
${rest}`;
    const fitted = fitComment(
      body,
      (n) => `> [!NOTE]
> ${n} lines of the outdated plan left out.`,
      inputs["comment-limit"]
    );
    await client.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: fitted.body });
    logger.info(
      `marked ${comment.html_url} ${failed ? "outdated (the new plan failed)" : "outdated"} (planned for ${String(marker.head).slice(0, 7)})`
    );
  }
  if (failed && ours === 0 && inputs.cluster) {
    const loaded = await loadClusterConfig(inputs.cluster, {
      cwd: deps.env.GITHUB_WORKSPACE ?? process.cwd()
    }).catch(() => void 0);
    const cluster = loaded?.plan.cluster ?? inputs.cluster;
    const result = await upsertStickyComment({
      client,
      repo,
      issueNumber: event.pullRequest,
      login,
      marker: {
        v: 1,
        kind: "plan",
        cluster,
        environment: inputs.environment,
        head: event.headSha,
        outdated: true,
        failed: event.headSha
      },
      body: `${failedBanner(void 0, event.headSha, event.runUrl)}`,
      logger
    });
    logger.info(`plan comment ${result.action}: ${result.url}`);
  }
}
__name(markOlderComments, "markOlderComments");
export {
  defaultDeps,
  run
};
