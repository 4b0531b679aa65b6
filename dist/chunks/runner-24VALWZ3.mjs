import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  Evaluator,
  Lexer,
  NoOperationTraceWriter,
  Parser,
  convertWorkflowTemplate,
  data_exports,
  findKey,
  findMapping,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isScalar,
  isSequence,
  isString,
  literalValue,
  parseWorkflow,
  rawJobs,
  rawSteps,
  readTriggers
} from "./chunk-4YCXECOZ.mjs";
import {
  processAlive
} from "./chunk-RHOG2TJY.mjs";
import {
  details,
  formatDuration,
  table
} from "./chunk-47EJWNSM.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  ConfigurationErrors,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// local/runner/run-workflow.ts
import { mkdirSync as mkdirSync7, readFileSync as readFileSync7, writeFileSync as writeFileSync4 } from "node:fs";
import path14 from "node:path";

// local/runner/context.ts
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
var EVENT_NAMES = [
  "workflow_dispatch",
  "workflow_call",
  "push",
  "pull_request",
  "schedule"
];
function git(cwd, args) {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"]
    }).trim() || void 0;
  } catch {
    return void 0;
  }
}
__name(git, "git");
function repositoryFromRemote(url) {
  if (!url || /^(\/|\.|file:)/.test(url)) return void 0;
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : void 0;
}
__name(repositoryFromRemote, "repositoryFromRemote");
function packageName(checkout) {
  try {
    const pkg = JSON.parse(readFileSync(path.join(checkout, "package.json"), "utf8"));
    return typeof pkg.name === "string" ? pkg.name.replace(/^@[^/]+\//, "") : void 0;
  } catch {
    return void 0;
  }
}
__name(packageName, "packageName");
function readGitInfo(checkout) {
  return {
    sha: git(checkout, ["rev-parse", "HEAD"]) ?? "0".repeat(40),
    ref: git(checkout, ["symbolic-ref", "-q", "HEAD"]) ?? "refs/heads/main",
    repository: repositoryFromRemote(git(checkout, ["remote", "get-url", "origin"])) ?? `local/${packageName(checkout) ?? path.basename(checkout)}`
  };
}
__name(readGitInfo, "readGitInfo");
function eventPayload(eventName, facts) {
  const [owner = "local", name = "repo"] = facts.repository.split("/");
  const repository = {
    full_name: facts.repository,
    name,
    owner: { login: owner },
    default_branch: "main"
  };
  const sender = { login: facts.actor };
  const branch = facts.ref.replace(/^refs\/heads\//, "");
  switch (eventName) {
    case "workflow_dispatch":
      return { inputs: facts.inputs, ref: facts.ref, repository, sender, workflow: "" };
    case "workflow_call":
      return { inputs: facts.inputs, ref: facts.ref, repository, sender };
    case "push":
      return {
        ref: facts.ref,
        before: "0".repeat(40),
        after: facts.sha,
        repository,
        sender,
        head_commit: { id: facts.sha }
      };
    case "pull_request": {
      const pr = facts.pullRequest ?? {
        number: 1,
        headSha: facts.sha,
        headRef: branch,
        baseSha: facts.sha,
        baseRef: "main"
      };
      const headRepo = pr.headRepository ?? facts.repository;
      const [headOwner = owner, headName = name] = headRepo.split("/");
      const user = { login: pr.author ?? facts.actor, type: "User" };
      return {
        action: pr.action ?? "opened",
        number: pr.number,
        pull_request: {
          number: pr.number,
          state: "open",
          title: pr.title ?? `local pull request #${pr.number}`,
          user,
          draft: false,
          labels: (pr.labels ?? []).map((label) => ({ name: label })),
          html_url: `https://github.com/${facts.repository}/pull/${pr.number}`,
          head: {
            ref: pr.headRef,
            sha: pr.headSha,
            label: `${headOwner}:${pr.headRef}`,
            user: { login: headOwner },
            repo: {
              ...repository,
              full_name: headRepo,
              name: headName,
              owner: { login: headOwner },
              fork: headRepo !== facts.repository
            }
          },
          base: {
            ref: pr.baseRef,
            sha: pr.baseSha,
            label: `${owner}:${pr.baseRef}`,
            user: { login: owner },
            repo: { ...repository, fork: false }
          }
        },
        repository,
        sender
      };
    }
    case "schedule":
      return { schedule: "local", repository, sender };
  }
}
__name(eventPayload, "eventPayload");
function runnerArch() {
  return process.arch === "x64" ? "X64" : process.arch === "arm64" ? "ARM64" : process.arch === "arm" ? "ARM" : process.arch.toUpperCase();
}
__name(runnerArch, "runnerArch");
function runnerOs() {
  return process.platform === "linux" ? "Linux" : process.platform === "darwin" ? "macOS" : process.platform === "win32" ? "Windows" : process.platform;
}
__name(runnerOs, "runnerOs");
function githubContext(run, jobId) {
  const [owner = "local"] = run.repository.split("/");
  const refName = run.ref.replace(/^refs\/(heads|tags)\//, "");
  return {
    action: "",
    action_path: "",
    actor: run.actor,
    api_url: run.apiUrl ?? "https://api.github.com",
    base_ref: run.eventName === "pull_request" ? run.pullRequest?.baseRef ?? "main" : "",
    event: run.event,
    event_name: run.eventName,
    event_path: run.eventPath,
    graphql_url: "https://api.github.com/graphql",
    head_ref: run.eventName === "pull_request" ? run.pullRequest?.headRef ?? refName : "",
    job: jobId,
    ref: run.ref,
    ref_name: refName,
    ref_type: run.ref.startsWith("refs/tags/") ? "tag" : "branch",
    repository: run.repository,
    repository_owner: owner,
    retention_days: "90",
    run_attempt: "1",
    run_id: run.runId,
    run_number: String(run.runNumber),
    server_url: "https://github.com",
    sha: run.sha,
    // the local GitHub server's token when the run has one; else none, and actions that need
    // one fail with their own message
    token: run.token ?? "",
    triggering_actor: run.actor,
    workflow: run.workflowName,
    workflow_ref: run.workflowRef,
    workspace: run.workspace
  };
}
__name(githubContext, "githubContext");
function runnerContext(run, temp) {
  return {
    name: `pve-kube-local-${os.hostname()}`,
    os: runnerOs(),
    arch: runnerArch(),
    temp,
    tool_cache: run.toolCache,
    debug: run.debug ? "1" : "",
    environment: "self-hosted"
  };
}
__name(runnerContext, "runnerContext");
function standardEnv(run, jobId, temp) {
  const [owner = "local"] = run.repository.split("/");
  const env = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTOR: run.actor,
    GITHUB_API_URL: run.apiUrl ?? "https://api.github.com",
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_EVENT_PATH: run.eventPath,
    GITHUB_GRAPHQL_URL: "https://api.github.com/graphql",
    GITHUB_JOB: jobId,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: run.ref.startsWith("refs/tags/") ? "tag" : "branch",
    GITHUB_REPOSITORY: run.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_RETENTION_DAYS: "90",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_RUN_ID: run.runId,
    GITHUB_RUN_NUMBER: String(run.runNumber),
    // never localhost or an IP: @actions/artifact and cache would take it for GitHub Enterprise Server
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: run.sha,
    GITHUB_WORKFLOW: run.workflowName,
    GITHUB_WORKFLOW_REF: run.workflowRef,
    GITHUB_WORKSPACE: run.workspace,
    RUNNER_ARCH: runnerArch(),
    RUNNER_ENVIRONMENT: "self-hosted",
    RUNNER_NAME: `pve-kube-local-${os.hostname()}`,
    RUNNER_OS: runnerOs(),
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: run.toolCache
  };
  if (run.eventName === "pull_request") {
    env.GITHUB_BASE_REF = run.pullRequest?.baseRef ?? "main";
    env.GITHUB_HEAD_REF = run.pullRequest?.headRef ?? env.GITHUB_REF_NAME;
  }
  if (run.debug) env.RUNNER_DEBUG = "1";
  return env;
}
__name(standardEnv, "standardEnv");
function baseEnv(env) {
  const result = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === void 0) continue;
    if (/^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)/i.test(key)) continue;
    result[key] = value;
  }
  const noProxy = [result.NO_PROXY ?? result.no_proxy, "127.0.0.1,localhost"].filter(Boolean).join(",");
  result.NO_PROXY = noProxy;
  return result;
}
__name(baseEnv, "baseEnv");

// local/runner/expressions.ts
var ExpressionFailure = class extends Error {
  static {
    __name(this, "ExpressionFailure");
  }
  name = "ExpressionFailure";
};
function toExpressionData(value) {
  if (value === void 0) return new data_exports.Null();
  return JSON.parse(JSON.stringify(value), data_exports.reviver);
}
__name(toExpressionData, "toExpressionData");
function fromExpressionData(value) {
  return JSON.parse(JSON.stringify(value, data_exports.replacer));
}
__name(fromExpressionData, "fromExpressionData");
function runnerFunctions(scope) {
  const status2 = scope.status;
  const statusFn = /* @__PURE__ */ __name((name, fn) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: /* @__PURE__ */ __name(() => new data_exports.BooleanData(fn()), "call")
  }), "statusFn");
  const fns = [
    statusFn("success", () => status2?.success() ?? true),
    statusFn("failure", () => status2?.failure() ?? false),
    statusFn("cancelled", () => status2?.cancelled() ?? false),
    statusFn("always", () => true),
    {
      name: "hashFiles",
      minArgs: 1,
      maxArgs: 255,
      call: /* @__PURE__ */ __name((...args) => {
        if (!scope.hashFiles) throw new ExpressionFailure("hashFiles() is only available in steps");
        return new data_exports.StringData(scope.hashFiles(args.map((a) => a.coerceString())));
      }, "call")
    }
  ];
  return new Map(fns.map((f) => [f.name.toLowerCase(), f]));
}
__name(runnerFunctions, "runnerFunctions");
function evaluateExpression(expression, scope) {
  const functions = runnerFunctions(scope);
  const names = Object.keys(scope.contexts);
  const lexed = new Lexer(expression).lex();
  const tree = new Parser(lexed.tokens, names, [...functions.values()]).parse();
  const context = new data_exports.Dictionary(
    ...names.map((key) => ({ key, value: toExpressionData(scope.contexts[key]) }))
  );
  return new Evaluator(tree, context, functions).evaluate();
}
__name(evaluateExpression, "evaluateExpression");
function where(token, scope) {
  return token.line !== void 0 ? `${scope.file ?? "workflow"}:${token.line}:${token.col ?? 1}: ` : "";
}
__name(where, "where");
function describe(token) {
  if (isBasicExpression(token)) return `\${{ ${token.expression} }}`;
  return isScalar(token) ? token.toString() : isSequence(token) ? "(a list)" : "(a mapping)";
}
__name(describe, "describe");
function evaluateTokenExpression(token, expression, scope) {
  try {
    return evaluateExpression(expression, scope);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionFailure(`${where(token, scope)}evaluating ${describe(token)}: ${message}`);
  }
}
__name(evaluateTokenExpression, "evaluateTokenExpression");
function evaluateCondition(expression, scope) {
  try {
    const result = evaluateExpression(expression, scope);
    return !(result.kind === data_exports.Kind.Null || result.kind === data_exports.Kind.Boolean && !result.value || result.kind === data_exports.Kind.Number && (result.number() === 0 || Number.isNaN(result.number())) || result.kind === data_exports.Kind.String && result.coerceString() === "");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionFailure(`evaluating condition '${expression}': ${message}`);
  }
}
__name(evaluateCondition, "evaluateCondition");
function evaluateToken(token, scope) {
  if (isBasicExpression(token))
    return fromExpressionData(evaluateTokenExpression(token, token.expression, scope));
  if (isString(token)) return token.value;
  if (isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (isMapping(token)) {
    const result = {};
    for (const pair of token)
      result[evaluateString(pair.key, scope)] = evaluateToken(pair.value, scope);
    return result;
  }
  if (token.isLiteral) return null;
  throw new ExpressionFailure(
    `${where(token, scope)}${describe(token)}: this kind of expression (insert) is not supported by the local runner`
  );
}
__name(evaluateToken, "evaluateToken");
function evaluateString(token, scope) {
  if (isString(token)) return token.value;
  if (isNumber(token) || isBoolean(token)) return String(token.value);
  if (isBasicExpression(token)) {
    const result = evaluateTokenExpression(token, token.expression, scope);
    if (result.kind === data_exports.Kind.Array || result.kind === data_exports.Kind.Dictionary) {
      throw new ExpressionFailure(
        `${where(token, scope)}${describe(token)} is ${result.kind === data_exports.Kind.Array ? "a list" : "an object"}, a string was expected (use toJSON())`
      );
    }
    return result.kind === data_exports.Kind.Null ? "" : result.coerceString();
  }
  if (token.isLiteral) return "";
  throw new ExpressionFailure(
    `${where(token, scope)}a string was expected, got a ${isSequence(token) ? "list" : "mapping"}`
  );
}
__name(evaluateString, "evaluateString");
function evaluateStringMap(token, scope) {
  if (!token) return {};
  if (isBasicExpression(token)) {
    const value = evaluateToken(token, scope);
    if (!value || typeof value !== "object" || Array.isArray(value))
      throw new ExpressionFailure(
        `${where(token, scope)}${describe(token)} must evaluate to a mapping`
      );
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        typeof v === "string" ? v : v === null ? "" : JSON.stringify(v)
      ])
    );
  }
  if (!isMapping(token))
    throw new ExpressionFailure(`${where(token, scope)}a mapping was expected`);
  const result = {};
  for (const pair of token)
    result[evaluateString(pair.key, scope)] = evaluateString(pair.value, scope);
  return result;
}
__name(evaluateStringMap, "evaluateStringMap");
function evaluateTemplateString(text, scope) {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression) => {
    const result = evaluateExpression(expression.trim(), scope);
    if (result.kind === data_exports.Kind.Null) return "";
    if (result.kind === data_exports.Kind.Array || result.kind === data_exports.Kind.Dictionary)
      return JSON.stringify(fromExpressionData(result));
    return result.coerceString();
  });
}
__name(evaluateTemplateString, "evaluateTemplateString");
function stripExpressionMarkers(text) {
  const match = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  return (match?.[1] ?? text).trim();
}
__name(stripExpressionMarkers, "stripExpressionMarkers");

// local/runner/group-lock.ts
import { createHash } from "node:crypto";
import { mkdirSync, openSync, readFileSync as readFileSync2, rmSync, writeFileSync, closeSync } from "node:fs";
import path2 from "node:path";
var POLL_MS = 500;
async function acquireGroupLock(dir, group, options = {}) {
  mkdirSync(dir, { recursive: true });
  const file = path2.join(
    dir,
    `${createHash("sha256").update(group).digest("hex").slice(0, 24)}.lock`
  );
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  let told = false;
  for (; ; ) {
    try {
      const fd = openSync(file, "wx");
      writeFileSync(fd, JSON.stringify({ pid: process.pid, group, token }));
      closeSync(fd);
      return () => {
        try {
          const held = JSON.parse(readFileSync2(file, "utf8"));
          if (held.token === token) rmSync(file, { force: true });
        } catch {
        }
      };
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let holder = 0;
    try {
      holder = JSON.parse(readFileSync2(file, "utf8")).pid ?? 0;
    } catch {
    }
    if (holder > 0 && !processAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told && holder > 0) {
      options.onWait?.(holder);
      told = true;
    }
    if (options.signal?.aborted)
      throw new Error(`cancelled while waiting for concurrency group '${group}'`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
__name(acquireGroupLock, "acquireGroupLock");

// local/runner/inputs.ts
function coerce(definition, value) {
  const name = definition.name;
  switch (definition.type) {
    case "boolean": {
      if (typeof value === "boolean") return { value };
      const text = String(value).trim().toLowerCase();
      if (text === "true" || text === "false") return { value: text === "true" };
      return { problem: `input '${name}' is a boolean: use true or false, not '${String(value)}'` };
    }
    case "number": {
      const number = typeof value === "number" ? value : Number(String(value).trim());
      if (String(value).trim() === "" || Number.isNaN(number))
        return { problem: `input '${name}' is a number, got '${String(value)}'` };
      return { value: number };
    }
    case "choice": {
      const text = String(value);
      if (definition.options && !definition.options.includes(text)) {
        return {
          problem: `input '${name}' must be one of ${definition.options.map((o) => `'${o}'`).join(", ")}, got '${text}'`
        };
      }
      return { value: text };
    }
    default:
      return {
        value: typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value)
      };
  }
}
__name(coerce, "coerce");
function emptyValue(type) {
  return type === "boolean" ? false : type === "number" ? 0 : "";
}
__name(emptyValue, "emptyValue");
function resolveInputs(definitions, given, options) {
  const values = {};
  const problems = [];
  const byName = new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name.toLowerCase())) {
      const known = definitions.map((d) => d.name).join(", ") || "none";
      problems.push(`unknown input '${name}' (${options.source}); the workflow defines: ${known}`);
    }
  }
  for (const definition of definitions) {
    const key = Object.keys(given).find((k) => k.toLowerCase() === definition.name.toLowerCase());
    let raw = key === void 0 ? void 0 : given[key];
    if (raw === void 0 && definition.default !== void 0)
      raw = options.evaluateDefault(definition.default);
    if (raw === void 0 || raw === null) {
      if (definition.required)
        problems.push(
          `input '${definition.name}' is required: pass it with ${options.source === "--input" ? `--input ${definition.name}=<value>` : `with: ${definition.name}: <value>`}`
        );
      values[definition.name] = emptyValue(definition.type);
      continue;
    }
    const result = coerce(definition, raw);
    if (result.problem) problems.push(result.problem);
    values[definition.name] = result.value ?? emptyValue(definition.type);
  }
  return { values, problems };
}
__name(resolveInputs, "resolveInputs");
function checkSecrets(definitions, given, source) {
  const present = new Set(
    Object.entries(given).filter(([, value]) => value !== "").map(([k]) => k.toLowerCase())
  );
  return definitions.filter((d) => d.required && !present.has(d.name.toLowerCase())).map(
    (d) => `secret '${d.name}' is required: pass it with ${source === "--secret" ? `--secret ${d.name}=<value>` : `secrets: ${d.name}: <value> (or secrets: inherit)`}`
  );
}
__name(checkSecrets, "checkSecrets");

// local/runner/log.ts
import { appendFileSync, mkdirSync as mkdirSync2 } from "node:fs";
import path3 from "node:path";
var ICONS = {
  success: "\u2713",
  failure: "\u2717",
  cancelled: "\u2298",
  skipped: "\u21B7"
};
var RunLog = class {
  constructor(options) {
    this.options = options;
    this.debugEnabled = options.debug ?? false;
    if (options.file) mkdirSync2(path3.dirname(options.file), { recursive: true });
  }
  options;
  static {
    __name(this, "RunLog");
  }
  debugEnabled;
  write(text) {
    const masked = this.options.masker.mask(text);
    const lines = masked.split("\n").map((l) => `${l}
`).join("");
    this.options.out.write(lines);
    if (this.options.file) appendFileSync(this.options.file, lines);
  }
  jobLine(job, text) {
    this.write(
      text.split("\n").map((line) => `${job} \u2502 ${line}`).join("\n")
    );
  }
  info(text) {
    this.write(text);
  }
  jobStart(job, details2 = []) {
    this.write(`\u25B6 ${job}`);
    for (const detail of details2) this.jobLine(job, `  ${detail}`);
  }
  jobEnd(job, result, durationMs, reason) {
    this.write(
      `${ICONS[result]} ${job} ${result}${durationMs > 0 ? ` \xB7 ${formatDuration(durationMs)}` : ""}${reason ? ` \u2014 ${reason}` : ""}`
    );
  }
  jobNote(job, text) {
    this.jobLine(job, `  ${text}`);
  }
  stepStart(job, step) {
    this.jobLine(job, `\u25B6 ${step}`);
  }
  stepEnd(job, step, outcome, conclusion2, durationMs, note) {
    const tolerated = outcome === "failure" && conclusion2 === "success" ? " (continue-on-error)" : "";
    this.jobLine(
      job,
      `${ICONS[outcome]} ${step} ${outcome}${tolerated}${outcome === "skipped" ? "" : ` \xB7 ${formatDuration(durationMs)}`}${note ? ` \u2014 ${note}` : ""}`
    );
  }
  output(job, text, depth) {
    this.jobLine(job, `${"  ".repeat(depth + 1)}${text}`);
  }
  group(job, title, depth) {
    this.jobLine(job, `${"  ".repeat(depth + 1)}\u25B8 ${title}`);
  }
  debug(job, text, depth) {
    if (this.debugEnabled) this.jobLine(job, `${"  ".repeat(depth + 1)}debug: ${text}`);
  }
  annotation(job, annotation, depth) {
    const where2 = annotation.file ? ` ${annotation.file}${annotation.line ? `:${annotation.line}` : ""}${annotation.col ? `:${annotation.col}` : ""}` : "";
    const title = annotation.title ? ` ${annotation.title}:` : "";
    this.jobLine(
      job,
      `${"  ".repeat(depth + 1)}${annotation.level}${where2}:${title} ${annotation.message}`
    );
  }
  /** The closing table: every job with its result and duration. */
  summaryTable(jobs, conclusion2, durationMs) {
    const width = Math.max(3, ...jobs.map((j) => j.key.length));
    const lines = [
      "",
      `${"Job".padEnd(width)}  Result     Duration`,
      `${"-".repeat(width)}  ---------  --------`
    ];
    for (const job of jobs) {
      lines.push(
        `${job.key.padEnd(width)}  ${`${ICONS[job.result]} ${job.result}`.padEnd(9)}  ${job.result === "skipped" ? "" : formatDuration(job.durationMs)}`
      );
    }
    lines.push("", `${ICONS[conclusion2]} run ${conclusion2} in ${formatDuration(durationMs)}`);
    this.write(lines.join("\n"));
  }
};

// local/runner/masker.ts
var MASK = "***";
var Masker = class {
  static {
    __name(this, "Masker");
  }
  values = /* @__PURE__ */ new Set();
  /** longest first, so a secret that contains another one is replaced whole */
  ordered = [];
  /** Registers a value (and each of its lines); blank values are ignored like on GitHub. */
  add(value) {
    if (value === void 0) return;
    const candidates = [value, ...value.split(/\r?\n/)];
    let changed = false;
    for (const candidate of candidates) {
      const trimmed = candidate.trim();
      if (trimmed === "" || this.values.has(candidate)) continue;
      this.values.add(candidate);
      changed = true;
    }
    if (changed) this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }
  get size() {
    return this.values.size;
  }
  mask(text) {
    let result = text;
    for (const value of this.ordered) {
      if (result.includes(value)) result = result.split(value).join(MASK);
    }
    return result;
  }
  /** Masks every string inside a JSON-like value (outputs, annotations for the report). */
  maskDeep(value) {
    if (typeof value === "string") return this.mask(value);
    if (Array.isArray(value)) return value.map((v) => this.maskDeep(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)]));
    }
    return value;
  }
  /** True when the text contains a registered value (job outputs holding a secret are dropped). */
  containsSecret(text) {
    return this.ordered.some((value) => text.includes(value));
  }
};

// local/runner/parse.ts
import { existsSync, readFileSync as readFileSync3 } from "node:fs";
import path5 from "node:path";

// local/runner/refs.ts
import path4 from "node:path";
var SUPPORTED_STEP_USES = "this repository's actions (./<path> or <owner>/pve-kube/<path>@<ref>), actions/checkout@<any ref>, and run: steps";
var SUPPORTED_WORKFLOW_USES = "./<path>.yml or <owner>/pve-kube/<path>.yml@<ref> (mapped to this checkout)";
function inside(root, relative) {
  const resolved = path4.resolve(root, relative);
  return resolved === root || resolved.startsWith(root + path4.sep) ? resolved : void 0;
}
__name(inside, "inside");
function splitRemote(uses) {
  const at = uses.lastIndexOf("@");
  if (at <= 0) return void 0;
  const [owner, repo, ...rest] = uses.slice(0, at).split("/");
  if (!owner || !repo) return void 0;
  return { owner, repo, subpath: rest.join("/"), ref: uses.slice(at + 1) };
}
__name(splitRemote, "splitRemote");
function classifyStepUses(uses, checkout, repositoryName = "pve-kube") {
  const display = uses;
  if (uses.startsWith("docker://"))
    return {
      kind: "unsupported",
      display,
      reason: "docker actions need Docker, which the local runner does not use"
    };
  if (uses.startsWith("./") || uses === ".") {
    const dir = inside(checkout, uses);
    if (!dir) return { kind: "unsupported", display, reason: "the path leaves the checkout" };
    return { kind: "local-action", dir, display };
  }
  const remote = splitRemote(uses);
  if (!remote)
    return {
      kind: "unsupported",
      display,
      reason: "not a valid reference (expected owner/repo[/path]@ref or ./path)"
    };
  if (remote.owner.toLowerCase() === "actions" && remote.repo.toLowerCase() === "checkout" && remote.subpath === "")
    return { kind: "checkout", display };
  if (remote.repo.toLowerCase() === repositoryName.toLowerCase()) {
    const dir = remote.subpath ? inside(checkout, remote.subpath) : void 0;
    if (!dir)
      return {
        kind: "unsupported",
        display,
        reason: `only actions in subfolders of ${repositoryName} are mapped to this checkout`
      };
    return { kind: "local-action", dir, display };
  }
  return {
    kind: "unsupported",
    display,
    reason: `${remote.owner}/${remote.repo} is a third-party action`
  };
}
__name(classifyStepUses, "classifyStepUses");
function classifyWorkflowUses(uses, checkout, repositoryName = "pve-kube") {
  const display = uses;
  if (uses.startsWith("./")) {
    const file = inside(checkout, uses);
    return file ? { kind: "local-workflow", file, display } : { kind: "unsupported", display, reason: "the path leaves the checkout" };
  }
  const remote = splitRemote(uses);
  if (remote && remote.repo.toLowerCase() === repositoryName.toLowerCase() && remote.subpath) {
    const file = inside(checkout, remote.subpath);
    if (file) return { kind: "local-workflow", file, display };
  }
  return {
    kind: "unsupported",
    display,
    reason: remote ? `${remote.owner}/${remote.repo} is another repository` : "not a valid reusable workflow reference"
  };
}
__name(classifyWorkflowUses, "classifyWorkflowUses");

// local/runner/parse.ts
var PREFIX = /^(.*?) \(Line: (\d+), Col: (\d+)\)$/;
function displayPath(file, checkout) {
  const relative = path5.relative(checkout, file);
  return relative.startsWith("..") ? file : relative;
}
__name(displayPath, "displayPath");
function toConfigurationErrors(errors, fallbackFile) {
  return new ConfigurationErrors(
    errors.map((e) => {
      const prefix = e.prefix ? PREFIX.exec(e.prefix) : null;
      const file = prefix?.[1] ?? e.prefix ?? fallbackFile;
      const line = e.range?.start.line ?? Number(prefix?.[2] ?? 1);
      const col = e.range?.start.column ?? Number(prefix?.[3] ?? 1);
      return new ConfigurationError(e.rawMessage.trim(), void 0, { file, line, col });
    })
  );
}
__name(toConfigurationErrors, "toConfigurationErrors");
function checkWorkflowRefs(root, display, checkout) {
  const problems = [];
  for (const [id, job] of rawJobs(root)) {
    const uses = findKey(job, "uses");
    if (!uses || !isString(uses)) continue;
    const location = {
      file: display,
      line: uses.line ?? 1,
      col: uses.col ?? 1,
      path: `jobs.${id}.uses`
    };
    const target = classifyWorkflowUses(uses.value, checkout);
    if (target.kind === "unsupported") {
      problems.push(
        new ConfigurationError(
          `reusable workflow '${uses.value}' cannot run locally: ${target.reason}`,
          `use ${SUPPORTED_WORKFLOW_USES}`,
          location
        )
      );
    } else if (!existsSync(target.file)) {
      problems.push(
        new ConfigurationError(
          `reusable workflow '${uses.value}' not found at ${displayPath(target.file, checkout)}`,
          "check the path",
          location
        )
      );
    }
  }
  return problems;
}
__name(checkWorkflowRefs, "checkWorkflowRefs");
async function loadWorkflow(file, options) {
  const absolute = path5.resolve(options.checkout, file);
  const display = displayPath(absolute, options.checkout);
  let content;
  try {
    content = readFileSync3(absolute, "utf8");
  } catch {
    throw new ConfigurationError(
      `workflow file ${display} cannot be read`,
      "check the path (relative to the current directory)"
    );
  }
  const parsed = parseWorkflow({ name: display, content }, new NoOperationTraceWriter());
  const root = parsed.value;
  if (parsed.context.errors.count > 0 || !root)
    throw toConfigurationErrors(parsed.context.errors.getErrors(), display);
  const refProblems = checkWorkflowRefs(root, display, options.checkout);
  if (refProblems.length > 0) throw new ConfigurationErrors(refProblems);
  const fileProvider = {
    getFileContent(ref) {
      const uses = "repository" in ref ? `${ref.owner}/${ref.repository}/${ref.path}@${ref.version}` : `./${ref.path}`;
      const target = classifyWorkflowUses(uses, options.checkout);
      if (target.kind === "unsupported") return Promise.reject(new Error(target.reason));
      return Promise.resolve({
        name: displayPath(target.file, options.checkout),
        content: readFileSync3(target.file, "utf8")
      });
    }
  };
  const template = await convertWorkflowTemplate(parsed.context, root, fileProvider, {
    fetchReusableWorkflowDepth: 1
  });
  if (parsed.context.errors.count > 0)
    throw toConfigurationErrors(parsed.context.errors.getErrors(), display);
  const nameToken = findKey(root, "name");
  return {
    file: absolute,
    display,
    name: nameToken && isString(nameToken) ? nameToken.value : display,
    template,
    root,
    jobs: rawJobs(root)
  };
}
__name(loadWorkflow, "loadWorkflow");
function checkoutOf(workflowFile, fallback) {
  const dir = path5.dirname(path5.resolve(fallback, workflowFile));
  if (path5.basename(dir) === "workflows" && path5.basename(path5.dirname(dir)) === ".github")
    return path5.dirname(path5.dirname(dir));
  return fallback;
}
__name(checkoutOf, "checkoutOf");
var WorkflowCache = class {
  constructor(options) {
    this.options = options;
  }
  options;
  static {
    __name(this, "WorkflowCache");
  }
  loaded = /* @__PURE__ */ new Map();
  load(file) {
    const key = path5.resolve(this.options.checkout, file);
    let entry = this.loaded.get(key);
    if (!entry) {
      entry = loadWorkflow(key, this.options);
      this.loaded.set(key, entry);
    }
    return entry;
  }
};

// local/runner/report.ts
var status = /* @__PURE__ */ __name((c) => `${ICONS[c]} ${c}`, "status");
function keyValue(title, values) {
  const entries = Object.entries(values);
  if (entries.length === 0) return [];
  return [
    `## ${title}`,
    "",
    table(
      ["Name", "Value"],
      entries.map(([k, v]) => [`\`${k}\``, typeof v === "string" ? v : JSON.stringify(v)])
    ),
    ""
  ];
}
__name(keyValue, "keyValue");
function annotationLocation(a) {
  if (!a.file) return "";
  return `${a.file}${a.line ? `:${a.line}` : ""}${a.col ? `:${a.col}` : ""}`;
}
__name(annotationLocation, "annotationLocation");
function jobSection(job, runStart) {
  const lines = [`### ${ICONS[job.result]} ${job.key}`, ""];
  const facts = [["Result", job.result]];
  if (job.name !== job.key) facts.push(["Name", job.name]);
  facts.push(["Workflow", `\`${job.workflow}\``]);
  if (job.startedAt) facts.push(["Started", `+${formatDuration(job.startedAt - runStart)}`]);
  if (job.result !== "skipped") facts.push(["Duration", formatDuration(job.durationMs)]);
  if (job.matrix) facts.push(["Matrix", JSON.stringify(job.matrix)]);
  if (job.environment)
    facts.push(["Environment", `${job.environment} (approved automatically, local run)`]);
  if (job.reason) facts.push(["Note", job.reason]);
  lines.push(table(["", ""], facts), "");
  if (job.steps.length > 0) {
    lines.push(
      table(
        ["#", "Step", "Outcome", "Duration"],
        job.steps.map((s, i) => [
          i + 1,
          s.name,
          `${status(s.outcome)}${s.outcome !== s.conclusion ? ` (continue-on-error \u2192 ${s.conclusion})` : ""}${s.error ? ` \u2014 ${s.error}` : ""}`,
          s.outcome === "skipped" ? "" : formatDuration(s.durationMs)
        ])
      ),
      ""
    );
  }
  const outputs = Object.entries(job.outputs);
  if (outputs.length > 0)
    lines.push(
      "Job outputs:",
      "",
      table(
        ["Output", "Value"],
        outputs.map(([k, v]) => [`\`${k}\``, v])
      ),
      ""
    );
  const stepOutputs = job.steps.flatMap(
    (s) => Object.entries(s.outputs).map(([k, v]) => [s.name, `\`${k}\``, v])
  );
  if (stepOutputs.length > 0)
    lines.push(details("Step outputs", table(["Step", "Output", "Value"], stepOutputs)), "");
  for (const step of job.steps) {
    if (step.summary.trim() === "") continue;
    lines.push(`#### Summary of ${step.name}`, "", step.summary.trimEnd(), "");
  }
  return lines;
}
__name(jobSection, "jobSection");
function renderReport(data, masker) {
  const lines = [
    `# Local run: ${data.workflowName}`,
    "",
    table(
      ["", ""],
      [
        ["Result", status(data.conclusion)],
        ["Workflow", `\`${data.workflowFile}\``],
        ["Event", data.event],
        ["Run id", data.runId],
        ["Started", new Date(data.startedAt).toISOString()],
        ["Duration", formatDuration(data.durationMs)],
        ["Workspace", `\`${data.workspace}\``],
        ["Run folder", `\`${data.runDir}\``],
        ["Log", `\`${data.logFile}\``]
      ]
    ),
    "",
    ...keyValue("Inputs", data.inputs),
    "## Jobs",
    "",
    table(
      ["Job", "Result", "Started", "Duration"],
      data.jobs.map((j) => [
        j.key,
        status(j.result),
        j.startedAt ? `+${formatDuration(j.startedAt - data.startedAt)}` : "",
        j.result === "skipped" ? "" : formatDuration(j.durationMs)
      ])
    ),
    ""
  ];
  if (data.annotations.length > 0) {
    lines.push(
      "## Annotations",
      "",
      table(
        ["Level", "Job", "Step", "Location", "Message"],
        data.annotations.map((a) => [
          a.level,
          a.job ?? "",
          a.step ?? "",
          annotationLocation(a),
          a.title ? `${a.title}: ${a.message}` : a.message
        ])
      ),
      ""
    );
  }
  lines.push(...keyValue("Workflow outputs", data.outputs));
  lines.push("## Artifacts", "");
  if (!data.artifacts) {
    lines.push("No results service was running, so no artifacts or caches could be stored.", "");
  } else if (data.artifacts.items.length === 0) {
    lines.push(`No artifacts were uploaded (results service ${data.artifacts.service}).`, "");
  } else {
    lines.push(
      `Stored by the local results service at ${data.artifacts.service}${data.artifacts.dataDir ? `, data in \`${data.artifacts.dataDir}\`` : ""}:`,
      "",
      table(
        ["Artifact", "Job", "Size", "Digest", "File"],
        data.artifacts.items.map((a) => [
          a.name,
          a.jobId ?? "",
          `${a.size} B`,
          `\`${a.digest}\``,
          a.file ? `\`${a.file}\`` : ""
        ])
      ),
      ""
    );
  }
  lines.push("## Job details", "");
  for (const job of data.jobs) lines.push(...jobSection(job, data.startedAt));
  return masker.mask(`${lines.join("\n").trimEnd()}
`);
}
__name(renderReport, "renderReport");

// local/runner/scheduler.ts
var Semaphore = class {
  constructor(limit) {
    this.limit = limit;
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`a semaphore needs a positive limit, got ${limit}`);
  }
  limit;
  static {
    __name(this, "Semaphore");
  }
  active = 0;
  waiting = [];
  async run(fn) {
    if (this.active >= this.limit) await new Promise((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
};
var KeyedMutex = class {
  static {
    __name(this, "KeyedMutex");
  }
  tails = /* @__PURE__ */ new Map();
  /** Runs fn after every earlier holder of the key; `onWait` is told when it has to wait. */
  async run(key, fn, onWait) {
    const previous = this.tails.get(key);
    let release = /* @__PURE__ */ __name(() => {
    }, "release");
    const mine = new Promise((resolve) => release = resolve);
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.tails.set(key, tail);
    if (previous) {
      onWait?.();
      await previous;
    }
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
};

// local/runner/settings.ts
var DEFAULT_JOB_TIMEOUT_MINUTES = 360;
function numberSetting(token, scope, what) {
  if (!token) return void 0;
  const value = evaluateToken(token, scope);
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number) || number <= 0)
    throw new ExpressionFailure(
      `${what} must be a positive number of minutes, got '${String(value)}'`
    );
  return number;
}
__name(numberSetting, "numberSetting");
function timeoutMs(owner, scope, what) {
  const minutes = numberSetting(
    findKey(owner, "timeout-minutes"),
    scope,
    `${what} timeout-minutes`
  );
  return minutes === void 0 ? void 0 : Math.round(minutes * 6e4);
}
__name(timeoutMs, "timeoutMs");
function booleanSetting(token, scope) {
  if (token === void 0) return false;
  if (typeof token === "boolean") return token;
  const value = evaluateToken(token, scope);
  return value === true || typeof value === "string" && value.trim().toLowerCase() === "true";
}
__name(booleanSetting, "booleanSetting");
function runDefaults(owner, scope, outer = {}) {
  const run = findMapping(findMapping(owner, "defaults"), "run");
  const shell = findKey(run, "shell");
  const workingDirectory = findKey(run, "working-directory");
  return {
    shell: shell ? evaluateString(shell, scope) : outer.shell,
    workingDirectory: workingDirectory ? evaluateString(workingDirectory, scope) : outer.workingDirectory
  };
}
__name(runDefaults, "runDefaults");
function environmentName(token, scope) {
  if (!token) return void 0;
  if (isMapping(token)) {
    const name = findKey(token, "name");
    const url = findKey(token, "url");
    return {
      name: name ? evaluateString(name, scope) : "",
      url: url ? evaluateString(url, scope) : void 0
    };
  }
  return { name: evaluateString(token, scope) };
}
__name(environmentName, "environmentName");
function describePermissions(owner) {
  const token = findKey(owner, "permissions");
  if (!token) return void 0;
  if (isString(token)) return token.value;
  const value = literalValue(token);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{} (none)" : entries.map(([k, v]) => `${k}: ${String(v)}`).join(", ");
  }
  return String(value);
}
__name(describePermissions, "describePermissions");
function describeRunsOn(token, scope) {
  if (!token) return void 0;
  const value = evaluateToken(token, scope);
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}
__name(describeRunsOn, "describeRunsOn");
function concurrencyGroupName(value) {
  const group = value && typeof value === "object" && "group" in value ? value.group : value;
  if (typeof group === "number") return String(group);
  return typeof group === "string" && group !== "" ? group : void 0;
}
__name(concurrencyGroupName, "concurrencyGroupName");
function stringSetting(owner, key, scope) {
  const token = findKey(owner, key);
  return token ? evaluateString(token, scope) : void 0;
}
__name(stringSetting, "stringSetting");

// local/runner/action-manifest.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync as existsSync2, readFileSync as readFileSync4 } from "node:fs";
import path6 from "node:path";
var NODE_RUNTIMES = /* @__PURE__ */ new Set(["node12", "node16", "node20", "node24"]);
function loadActionManifest(dir, display) {
  const file = ["action.yml", "action.yaml"].map((f) => path6.join(dir, f)).find((f) => existsSync2(f));
  if (!file)
    throw new ConfigurationError(
      `action '${display}' has no action.yml in ${dir}`,
      "check the path in uses:"
    );
  const doc = (0, import_yaml.parse)(readFileSync4(file, "utf8"));
  const runs = doc?.runs ?? {};
  const using = typeof runs.using === "string" ? runs.using : "";
  if (!NODE_RUNTIMES.has(using)) {
    throw new ConfigurationError(
      `action '${display}' uses runs.using '${using || "(none)"}', which the local runner does not run`,
      "only JavaScript actions (runs.using: node20/node24) run locally"
    );
  }
  if (typeof runs.main !== "string")
    throw new ConfigurationError(`action '${display}' has no runs.main in ${file}`);
  if (runs.pre !== void 0)
    throw new ConfigurationError(
      `action '${display}' has a runs.pre entry point, which the local runner does not support`
    );
  const inputs = {};
  for (const [name, spec] of Object.entries(
    doc?.inputs ?? {}
  )) {
    const value = spec?.default;
    inputs[name] = {
      default: typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : void 0,
      required: spec?.required === true || spec?.required === "true"
    };
  }
  const main = path6.join(dir, runs.main);
  if (!existsSync2(main)) {
    throw new ConfigurationError(
      `action '${display}' is not built: ${path6.relative(process.cwd(), main) || main} does not exist`,
      "run `npm run build` first"
    );
  }
  return {
    dir,
    file,
    name: typeof doc?.name === "string" ? doc.name : display,
    inputs,
    using,
    main,
    post: typeof runs.post === "string" ? path6.join(dir, runs.post) : void 0,
    postIf: typeof runs["post-if"] === "string" ? runs["post-if"] : "always()"
  };
}
__name(loadActionManifest, "loadActionManifest");
function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
__name(inputEnvName, "inputEnvName");

// local/runner/validate.ts
async function checkRunnable(workflow, cache, checkout, seen = /* @__PURE__ */ new Set()) {
  if (seen.has(workflow.file)) return [];
  seen.add(workflow.file);
  const problems = [];
  for (const [jobId, job] of workflow.jobs) {
    const callUses = findKey(job, "uses");
    if (callUses && isString(callUses)) {
      const target = classifyWorkflowUses(callUses.value, checkout);
      if (target.kind === "local-workflow")
        problems.push(
          ...await checkRunnable(await cache.load(target.file), cache, checkout, seen)
        );
      continue;
    }
    for (const key of ["container", "services"]) {
      const token = findKey(job, key);
      if (!token) continue;
      problems.push(
        new ConfigurationError(
          `job '${jobId}' uses ${key}:, which the local runner does not run (it uses no Docker)`,
          "run the job on a self-hosted runner, or drop the key for local runs",
          {
            file: workflow.display,
            line: token.line ?? 1,
            col: token.col ?? 1,
            path: `jobs.${jobId}.${key}`
          }
        )
      );
    }
    for (const [index, step] of rawSteps(job).entries()) {
      const uses = findKey(step, "uses");
      if (!uses || !isString(uses)) continue;
      const label = literalValue(findKey(step, "name")) ?? literalValue(findKey(step, "id"));
      const name = typeof label === "string" ? label : `#${index + 1}`;
      const location = {
        file: workflow.display,
        line: uses.line ?? 1,
        col: uses.col ?? 1,
        path: `jobs.${jobId}.steps[${index}].uses`
      };
      const target = classifyStepUses(uses.value, checkout);
      if (target.kind === "unsupported") {
        problems.push(
          new ConfigurationError(
            `step '${name}' uses '${uses.value}', which the local runner cannot run: ${target.reason}`,
            `the local runner runs ${SUPPORTED_STEP_USES}`,
            location
          )
        );
      } else if (target.kind === "local-action") {
        try {
          loadActionManifest(target.dir, uses.value);
        } catch (error) {
          if (!(error instanceof ConfigurationError)) throw error;
          problems.push(new ConfigurationError(error.message, void 0, location));
        }
      }
    }
  }
  return problems;
}
__name(checkRunnable, "checkRunnable");

// local/runner/job-runner.ts
import { mkdirSync as mkdirSync6, rmSync as rmSync2 } from "node:fs";
import path13 from "node:path";

// local/runner/hash-files.ts
import { createHash as createHash2 } from "node:crypto";
import { readFileSync as readFileSync5, readdirSync, statSync } from "node:fs";
import path7 from "node:path";
function globToRegExp(pattern) {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        source += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end > i) {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      } else {
        source += "\\[";
      }
    } else {
      source += char.replace(/[.+^${}()|\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
__name(globToRegExp, "globToRegExp");
function literalPrefix(pattern) {
  const segments = pattern.split("/");
  const literal = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}
__name(literalPrefix, "literalPrefix");
function walk(root, dir, files) {
  let entries;
  try {
    entries = readdirSync(path7.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, relative, files);
    else if (entry.isFile() || entry.isSymbolicLink() && statSync(path7.join(root, relative), { throwIfNoEntry: false })?.isFile())
      files.push(relative);
  }
}
__name(walk, "walk");
function normalise(pattern, workspace) {
  let p = pattern.trim().replace(/\\/g, "/");
  if (path7.isAbsolute(p)) {
    const relative = path7.relative(workspace, p).replace(/\\/g, "/");
    if (relative.startsWith("..")) return void 0;
    p = relative;
  }
  return p.replace(/^\.\//, "");
}
__name(normalise, "normalise");
function matchFiles(workspace, patterns) {
  const includes = [];
  const excludes = [];
  for (const raw of patterns.flatMap((p) => p.split("\n")).filter((p) => p.trim() !== "")) {
    const negated = raw.trim().startsWith("!");
    const pattern = normalise(negated ? raw.trim().slice(1) : raw, workspace);
    if (pattern === void 0) continue;
    if (negated) excludes.push(globToRegExp(pattern));
    else includes.push(pattern);
  }
  const found = /* @__PURE__ */ new Set();
  for (const pattern of includes) {
    const regex = globToRegExp(pattern);
    const files = [];
    walk(workspace, literalPrefix(pattern), files);
    for (const file of files) if (regex.test(file)) found.add(file);
  }
  return [...found].filter((file) => !excludes.some((re) => re.test(file))).sort();
}
__name(matchFiles, "matchFiles");
function hashFiles(workspace, patterns) {
  const files = matchFiles(workspace, patterns);
  if (files.length === 0) return "";
  const total = createHash2("sha256");
  for (const file of files)
    total.update(
      createHash2("sha256").update(readFileSync5(path7.join(workspace, file))).digest()
    );
  return total.digest("hex");
}
__name(hashFiles, "hashFiles");

// local/runner/run-state.ts
function claimKey(state, key) {
  let candidate = key;
  for (let n = 2; state.keys.has(candidate); n++) candidate = `${key} #${n}`;
  state.keys.add(candidate);
  return candidate;
}
__name(claimKey, "claimKey");
function startJobRecord(state, job) {
  const record = {
    ...job,
    result: "success",
    startedAt: Date.now(),
    durationMs: 0,
    steps: [],
    outputs: {}
  };
  state.jobs.push(record);
  return record;
}
__name(startJobRecord, "startJobRecord");
function safeName(key) {
  return (key.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "") || "job").slice(0, 128);
}
__name(safeName, "safeName");

// local/runner/step-runner.ts
import path12 from "node:path";

// local/runner/steps/execute.ts
import path9 from "node:path";

// local/runner/file-commands.ts
import { randomUUID } from "node:crypto";
import { mkdirSync as mkdirSync3, readFileSync as readFileSync6, statSync as statSync2, writeFileSync as writeFileSync2 } from "node:fs";
import path8 from "node:path";
var SUMMARY_LIMIT_BYTES = 1024 * 1024;
var FileCommandError = class extends Error {
  static {
    __name(this, "FileCommandError");
  }
  name = "FileCommandError";
};
function createStepFiles(dir) {
  mkdirSync3(dir, { recursive: true });
  const id = randomUUID();
  const file = /* @__PURE__ */ __name((name) => {
    const p = path8.join(dir, `${name}_${id}`);
    writeFileSync2(p, "");
    return p;
  }, "file");
  return {
    GITHUB_OUTPUT: file("set_output"),
    GITHUB_ENV: file("set_env"),
    GITHUB_PATH: file("add_path"),
    GITHUB_STATE: file("save_state"),
    GITHUB_STEP_SUMMARY: file("step_summary")
  };
}
__name(createStepFiles, "createStepFiles");
function parseKeyValueFile(content) {
  const result = {};
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const key = line.slice(0, equals);
      if (key === "") throw new FileCommandError(`line ${i + 1}: empty name before '='`);
      result[key] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const key = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (key === "" || delimiter === "")
        throw new FileCommandError(
          `line ${i + 1}: heredoc needs a name and a delimiter ('name<<EOF')`
        );
      const value = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        const next = lines[i] ?? "";
        if (next === delimiter) {
          closed = true;
          break;
        }
        value.push(next);
      }
      if (!closed)
        throw new FileCommandError(`matching delimiter '${delimiter}' not found for '${key}'`);
      result[key] = value.join("\n");
    } else {
      throw new FileCommandError(
        `line ${i + 1}: expected 'name=value' or 'name<<DELIMITER', got '${line.slice(0, 40)}'`
      );
    }
  }
  return result;
}
__name(parseKeyValueFile, "parseKeyValueFile");
function readKeyValue(file, label, problems) {
  try {
    return parseKeyValueFile(readFileSync6(file, "utf8"));
  } catch (error) {
    if (error instanceof FileCommandError) {
      problems.push(`${label}: ${error.message}`);
      return {};
    }
    throw error;
  }
}
__name(readKeyValue, "readKeyValue");
var BLOCKED_ENV = /* @__PURE__ */ new Set(["NODE_OPTIONS"]);
function readStepFiles(files) {
  const problems = [];
  const env = readKeyValue(files.GITHUB_ENV, "GITHUB_ENV", problems);
  for (const name of Object.keys(env)) {
    if (BLOCKED_ENV.has(name.toUpperCase())) {
      problems.push(`GITHUB_ENV: setting ${name} is not allowed (blocked by the runner)`);
      delete env[name];
    }
  }
  let summary = "";
  const summarySize = statSync2(files.GITHUB_STEP_SUMMARY).size;
  if (summarySize > SUMMARY_LIMIT_BYTES) {
    problems.push(
      `GITHUB_STEP_SUMMARY: ${summarySize} bytes is over the 1 MiB limit; the summary was dropped`
    );
  } else {
    summary = readFileSync6(files.GITHUB_STEP_SUMMARY, "utf8");
  }
  return {
    outputs: readKeyValue(files.GITHUB_OUTPUT, "GITHUB_OUTPUT", problems),
    env,
    path: readFileSync6(files.GITHUB_PATH, "utf8").split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== ""),
    state: readKeyValue(files.GITHUB_STATE, "GITHUB_STATE", problems),
    summary,
    problems
  };
}
__name(readStepFiles, "readStepFiles");

// local/runner/process.ts
import { spawn } from "node:child_process";
var KILL_GRACE_MS = 3e3;
var running = /* @__PURE__ */ new Set();
function killAllStepProcesses() {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
    }
  }
  return running.size;
}
__name(killAllStepProcesses, "killAllStepProcesses");
function lineSplitter(emit) {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        emit(buffer.slice(0, newline).replace(/\r$/, ""));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    },
    flush() {
      if (buffer !== "") emit(buffer.replace(/\r$/, ""));
      buffer = "";
    }
  };
}
__name(lineSplitter, "lineSplitter");
function runStepProcess(options) {
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    });
    const pid = child.pid;
    if (pid !== void 0) running.add(pid);
    const stdout = lineSplitter((line) => options.onLine(line, "stdout"));
    const stderr = lineSplitter((line) => options.onLine(line, "stderr"));
    child.stdout.setEncoding("utf8").on("data", (chunk) => stdout.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => stderr.push(chunk));
    const timers = [];
    const killGroup = /* @__PURE__ */ __name((signal) => {
      if (child.pid === void 0) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
      }
    }, "killGroup");
    const stop = /* @__PURE__ */ __name(() => {
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS));
    }, "stop");
    if (options.timeoutMs !== void 0 && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      );
    }
    const onAbort = /* @__PURE__ */ __name(() => {
      cancelled = true;
      stop();
    }, "onAbort");
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    const finish2 = /* @__PURE__ */ __name((result) => {
      if (settled) return;
      settled = true;
      if (pid !== void 0) running.delete(pid);
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      stdout.flush();
      stderr.flush();
      resolve(result);
    }, "finish");
    child.on(
      "error",
      (error) => finish2({ exitCode: null, signal: null, timedOut, cancelled, spawnError: error.message })
    );
    child.on("close", (exitCode, signal) => {
      if (timedOut || cancelled) killGroup("SIGKILL");
      finish2({ exitCode, signal, timedOut, cancelled });
    });
  });
}
__name(runStepProcess, "runStepProcess");

// local/runner/workflow-commands.ts
var COMMAND_LINE = /^::([A-Za-z][\w-]*)(?:\s+([^:]*?))?\s*::(.*)$/s;
function unescapeData(value) {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%25/g, "%");
}
__name(unescapeData, "unescapeData");
function unescapeProperty(value) {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%3A/gi, ":").replace(/%2C/gi, ",").replace(/%25/g, "%");
}
__name(unescapeProperty, "unescapeProperty");
function parseWorkflowCommand(line) {
  const match = COMMAND_LINE.exec(line.trimStart());
  if (!match) return void 0;
  const [, name = "", props = "", data = ""] = match;
  const properties = {};
  for (const part of props.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    properties[part.slice(0, eq).trim()] = unescapeProperty(part.slice(eq + 1));
  }
  return { name: name.toLowerCase(), properties, data: unescapeData(data) };
}
__name(parseWorkflowCommand, "parseWorkflowCommand");
var CommandProcessor = class {
  static {
    __name(this, "CommandProcessor");
  }
  stopToken;
  process(line) {
    if (this.stopToken !== void 0) {
      if (line.trim() === `::${this.stopToken}::`) {
        this.stopToken = void 0;
        return { kind: "none" };
      }
      return { kind: "output", text: line };
    }
    const command = parseWorkflowCommand(line);
    if (!command) return { kind: "output", text: line };
    switch (command.name) {
      case "add-mask":
        return { kind: "mask", value: command.data };
      case "group":
        return { kind: "group", title: command.data };
      case "endgroup":
        return { kind: "endgroup" };
      case "debug":
        return { kind: "debug", text: command.data };
      case "error":
      case "warning":
      case "notice":
        return {
          kind: "annotation",
          level: command.name,
          message: command.data,
          properties: command.properties
        };
      case "stop-commands":
        this.stopToken = command.data;
        return { kind: "none" };
      case "echo":
        return { kind: "echo", on: command.data.trim().toLowerCase() === "on" };
      default:
        return { kind: "output", text: line };
    }
  }
};

// local/runner/step-io.ts
var StepIo = class {
  constructor(job, step, log, masker, annotations) {
    this.job = job;
    this.step = step;
    this.log = log;
    this.masker = masker;
    this.annotations = annotations;
  }
  job;
  step;
  log;
  masker;
  annotations;
  static {
    __name(this, "StepIo");
  }
  commands = new CommandProcessor();
  depth = 0;
  /** the last lines, for the failure message of a step */
  tail = [];
  line = /* @__PURE__ */ __name((line) => {
    const event = this.commands.process(line);
    switch (event.kind) {
      case "output":
        this.log.output(this.job, event.text, this.depth);
        this.tail.push(this.masker.mask(event.text));
        if (this.tail.length > 20) this.tail.shift();
        return;
      case "mask":
        this.masker.add(event.value);
        return;
      case "group":
        this.log.group(this.job, event.title, this.depth);
        this.depth = 1;
        return;
      case "endgroup":
        this.depth = 0;
        return;
      case "debug":
        this.log.debug(this.job, event.text, this.depth);
        return;
      case "annotation": {
        const annotation = toAnnotation(
          event.level,
          event.message,
          event.properties,
          this.job,
          this.step
        );
        this.annotations.push(annotation);
        this.log.annotation(this.job, annotation, this.depth);
        return;
      }
      case "echo":
      case "none":
        return;
    }
  }, "line");
  /** Annotations raised by the runner itself (failures, file-command problems). */
  annotate(level, message) {
    const annotation = { level, message, job: this.job, step: this.step };
    this.annotations.push(annotation);
    this.log.annotation(this.job, annotation, 0);
  }
};
function toNumber(value) {
  if (value === void 0) return void 0;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? void 0 : n;
}
__name(toNumber, "toNumber");
function toAnnotation(level, message, properties, job, step) {
  const annotation = { level, message, job, step };
  if (properties.title) annotation.title = properties.title;
  if (properties.file) annotation.file = properties.file;
  const line = toNumber(properties.line);
  if (line !== void 0) annotation.line = line;
  const col = toNumber(properties.col ?? properties.column);
  if (col !== void 0) annotation.col = col;
  const endLine = toNumber(properties.endLine);
  if (endLine !== void 0) annotation.endLine = endLine;
  const endColumn = toNumber(properties.endColumn);
  if (endColumn !== void 0) annotation.endColumn = endColumn;
  return annotation;
}
__name(toAnnotation, "toAnnotation");

// local/runner/steps/execute.ts
function emptyFiles() {
  return { outputs: {}, env: {}, path: [], state: {}, summary: "", problems: [] };
}
__name(emptyFiles, "emptyFiles");
async function executeStepProcess(host, spec) {
  const files = createStepFiles(path9.join(host.temp, "_runner_file_commands"));
  const io = new StepIo(host.job, spec.step, host.log, host.masker, host.annotations);
  const result = await runStepProcess({
    command: spec.command,
    args: spec.args,
    cwd: spec.cwd,
    env: { ...spec.env, ...files },
    signal: host.signal,
    timeoutMs: spec.timeoutMs,
    onLine: io.line
  });
  const read = readStepFiles(files);
  for (const problem of read.problems) io.annotate("error", problem);
  let error;
  if (result.spawnError) error = `could not start ${spec.command}: ${result.spawnError}`;
  else if (result.cancelled) error = "the step was cancelled";
  else if (result.timedOut)
    error = `the step exceeded its timeout of ${formatMinutes(spec.timeoutMs ?? 0)}`;
  else if (result.exitCode !== 0)
    error = `Process completed with exit code ${result.exitCode ?? `null (signal ${result.signal ?? "?"})`}.`;
  if (error && !result.cancelled) io.annotate("error", error);
  return { ok: error === void 0, error, cancelled: result.cancelled, files: read };
}
__name(executeStepProcess, "executeStepProcess");
function formatMinutes(ms) {
  const minutes = ms / 6e4;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(2)} minute${minutes === 1 ? "" : "s"}`;
}
__name(formatMinutes, "formatMinutes");

// local/runner/steps/action-step.ts
function actionInputs(manifest, given, defaults) {
  const inputs = {};
  const declared = new Map(Object.keys(manifest.inputs).map((n) => [n.toLowerCase(), n]));
  const unexpected = [];
  for (const [name, value] of Object.entries(given)) {
    const declaredName = declared.get(name.toLowerCase());
    if (!declaredName) unexpected.push(name);
    inputs[declaredName ?? name] = value;
  }
  for (const [name, value] of Object.entries(defaults)) {
    if (!(name in inputs)) inputs[name] = value;
  }
  const missing = Object.entries(manifest.inputs).filter(([name, spec]) => spec.required && (inputs[name] === void 0 || inputs[name] === "")).map(([name]) => name);
  return { inputs, unexpected, missing };
}
__name(actionInputs, "actionInputs");
function actionEnv(spec) {
  const env = {
    ...spec.env,
    ...spec.runtimeEnv,
    GITHUB_ACTION: spec.stepId,
    GITHUB_ACTION_PATH: spec.manifest.dir
  };
  for (const [name, value] of Object.entries(spec.inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(spec.state ?? {})) env[`STATE_${name}`] = value;
  return env;
}
__name(actionEnv, "actionEnv");
function runActionEntry(host, spec, entry) {
  return executeStepProcess(host, {
    step: spec.step,
    command: process.execPath,
    args: [entry],
    cwd: host.workspace,
    env: actionEnv(spec),
    timeoutMs: spec.timeoutMs
  });
}
__name(runActionEntry, "runActionEntry");

// local/runner/steps/checkout-step.ts
import { execFileSync as execFileSync2 } from "node:child_process";
import { cpSync, existsSync as existsSync3, mkdirSync as mkdirSync4, readdirSync as readdirSync2 } from "node:fs";
import path10 from "node:path";
var SKIP_WITHOUT_GIT = /* @__PURE__ */ new Set([".git", "node_modules", ".local-run"]);
function checkoutFiles(checkout) {
  try {
    const listed = execFileSync2(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      {
        cwd: checkout,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 256 * 1024 * 1024
      }
    );
    return listed.split("\0").filter((f) => f !== "" && existsSync3(path10.join(checkout, f)));
  } catch {
    const files = [];
    const walk2 = /* @__PURE__ */ __name((dir) => {
      for (const entry of readdirSync2(path10.join(checkout, dir), { withFileTypes: true })) {
        if (SKIP_WITHOUT_GIT.has(entry.name)) continue;
        const relative = dir ? path10.join(dir, entry.name) : entry.name;
        if (entry.isDirectory()) walk2(relative);
        else files.push(relative);
      }
    }, "walk");
    walk2("");
    return files;
  }
}
__name(checkoutFiles, "checkoutFiles");
function runCheckoutStep(host, spec) {
  const target = path10.resolve(host.workspace, spec.inputs.path ?? "");
  if (!isInside(host.workspace, target)) {
    return {
      ok: false,
      error: `path '${spec.inputs.path ?? ""}' is not under the workspace ${host.workspace}`,
      files: emptyFiles()
    };
  }
  const ignored = Object.keys(spec.inputs).filter((k) => k !== "path");
  if (ignored.length > 0)
    host.log.output(
      host.job,
      `inputs ignored locally: ${ignored.join(", ")} (the checkout is used as it is)`,
      0
    );
  if (target === path10.resolve(spec.checkout)) {
    host.log.output(
      host.job,
      `the workspace is the checkout (${spec.checkout}); nothing to copy`,
      0
    );
    return { ok: true, files: emptyFiles() };
  }
  const relativeToTarget = path10.relative(target, spec.checkout);
  if (relativeToTarget === "" || !relativeToTarget.startsWith("..")) {
    return {
      ok: false,
      error: `cannot check out into ${target}: it contains the checkout itself`,
      files: emptyFiles()
    };
  }
  const files = checkoutFiles(spec.checkout);
  mkdirSync4(target, { recursive: true });
  for (const file of files) {
    cpSync(path10.join(spec.checkout, file), path10.join(target, file), {
      force: true,
      recursive: false,
      dereference: false
    });
  }
  host.log.output(host.job, `copied ${files.length} files of ${spec.checkout} to ${target}`, 0);
  return { ok: true, files: emptyFiles() };
}
__name(runCheckoutStep, "runCheckoutStep");
function isInside(workspace, target) {
  const relative = path10.relative(path10.resolve(workspace), path10.resolve(target));
  return relative === "" || !relative.startsWith("..") && !path10.isAbsolute(relative);
}
__name(isInside, "isInside");

// local/runner/steps/run-step.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { mkdirSync as mkdirSync5, writeFileSync as writeFileSync3 } from "node:fs";
import path11 from "node:path";
function shellCommand(shell, script) {
  const name = shell?.trim() ?? "";
  const known = {
    "": { template: "bash -e {0}", extension: ".sh" },
    bash: { template: "bash --noprofile --norc -eo pipefail {0}", extension: ".sh" },
    sh: { template: "sh -e {0}", extension: ".sh" },
    python: { template: "python3 {0}", extension: ".py" }
  };
  const entry = known[name] ?? (name.includes("{0}") ? { template: name, extension: "" } : void 0);
  if (!entry) {
    throw new ConfigurationError(
      `shell '${name}' is not supported locally`,
      "use bash, sh, python, or a command with {0} for the script path"
    );
  }
  const [command = "bash", ...args] = entry.template.split(/\s+/).filter((a) => a !== "");
  return { command, args: args.map((a) => a.replace("{0}", script)), extension: entry.extension };
}
__name(shellCommand, "shellCommand");
function runScriptStep(host, spec) {
  const probe = shellCommand(spec.shell, "{script}");
  const scriptDir = host.temp;
  mkdirSync5(scriptDir, { recursive: true });
  const scriptPath = path11.join(scriptDir, `${randomUUID2()}${probe.extension}`);
  writeFileSync3(scriptPath, spec.script.endsWith("\n") ? spec.script : `${spec.script}
`);
  const shell = shellCommand(spec.shell, scriptPath);
  const cwd = spec.workingDirectory ? path11.resolve(host.workspace, spec.workingDirectory) : host.workspace;
  if (!isInside(host.workspace, cwd)) {
    return Promise.resolve({
      ok: false,
      error: `working-directory '${spec.workingDirectory ?? ""}' is not under the workspace ${host.workspace}`,
      files: emptyFiles()
    });
  }
  return executeStepProcess(host, {
    step: spec.step,
    command: shell.command,
    args: shell.args,
    cwd,
    env: spec.env,
    timeoutMs: spec.timeoutMs
  });
}
__name(runScriptStep, "runScriptStep");

// local/runner/step-runner.ts
function firstLine(text) {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim();
}
__name(firstLine, "firstLine");
function sourceText(token) {
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  return isScalar(token) ? token.toString() : "";
}
__name(sourceText, "sourceText");
function stepDisplayName(step, scope) {
  if (step.name) {
    try {
      return evaluateString(step.name, scope);
    } catch {
      return sourceText(step.name);
    }
  }
  if ("run" in step) return `Run ${firstLine(sourceText(step.run))}`;
  if ("uses" in step) return `Run ${step.uses.value}`;
  return step.id;
}
__name(stepDisplayName, "stepDisplayName");
function processEnv(run, env) {
  const merged = { ...run.state.baseEnv, ...env, ...run.standardEnv };
  const basePath = env.PATH ?? run.state.baseEnv.PATH ?? "";
  merged.PATH = [...run.runtime.path, basePath].filter((p) => p !== "").join(path12.delimiter);
  return merged;
}
__name(processEnv, "processEnv");
function unsupportedUses(name, uses, reason) {
  return new ConfigurationError(
    `step '${name}' uses '${uses}', which the local runner cannot run: ${reason}`,
    `the local runner runs ${SUPPORTED_STEP_USES}`
  );
}
__name(unsupportedUses, "unsupportedUses");
async function dispatch(run, name, env, scope, timeout, record) {
  const { step, raw, host } = run;
  if ("run" in step) {
    record.kind = "run";
    return runScriptStep(host, {
      step: name,
      script: evaluateString(step.run, scope),
      shell: (raw && stringSetting(raw, "shell", scope)) ?? run.runtime.defaults.shell,
      workingDirectory: (raw && stringSetting(raw, "working-directory", scope)) ?? run.runtime.defaults.workingDirectory,
      env: { ...processEnv(run, env), GITHUB_ACTION: step.id },
      timeoutMs: timeout
    });
  }
  if (!("uses" in step))
    throw new ConfigurationError(
      `step '${name}' is not a run: or uses: step; the local runner runs only those`
    );
  const uses = step.uses.value;
  const target = classifyStepUses(uses, run.state.facts.checkout);
  const given = evaluateStringMap(raw ? findKey(raw, "with") : void 0, scope);
  if (target.kind === "unsupported") throw unsupportedUses(name, uses, target.reason);
  if (target.kind === "checkout") {
    record.kind = "checkout";
    return runCheckoutStep(host, { checkout: run.state.facts.checkout, inputs: given });
  }
  record.kind = "action";
  const manifest = loadActionManifest(target.dir, uses);
  const defaults = {};
  for (const [input, spec2] of Object.entries(manifest.inputs)) {
    if (spec2.default !== void 0 && !(input in given))
      defaults[input] = evaluateTemplateString(spec2.default, scope);
  }
  const { inputs, unexpected, missing } = actionInputs(manifest, given, defaults);
  const warn = /* @__PURE__ */ __name((message) => {
    run.state.annotations.push({ level: "warning", message, job: host.job, step: name });
    host.log.output(host.job, `warning: ${message}`, 0);
  }, "warn");
  if (unexpected.length > 0)
    warn(
      `Unexpected input(s) ${unexpected.map((u) => `'${u}'`).join(", ")}, valid inputs are [${Object.keys(
        manifest.inputs
      ).map((i) => `'${i}'`).join(", ")}]`
    );
  for (const input of missing) warn(`Input required and not supplied: ${input}`);
  const spec = {
    step: name,
    stepId: step.id,
    manifest,
    inputs,
    env: processEnv(run, env),
    runtimeEnv: run.state.results?.runtimeEnv(run.state.facts.runId, run.backendJobId) ?? {},
    timeoutMs: timeout
  };
  const execution = await runActionEntry(host, spec, manifest.main);
  if (manifest.post) {
    const stepEnv = Object.fromEntries(
      Object.entries(env).filter(([k, v]) => run.runtime.env[k] !== v)
    );
    run.runtime.posts.push({
      step,
      index: run.leg.job.steps.indexOf(step),
      name,
      manifest,
      inputs,
      stepEnv,
      state: execution.files.state
    });
  }
  return execution;
}
__name(dispatch, "dispatch");
function withStepSignal(run) {
  const controller = new AbortController();
  const jobSignal = run.host.signal;
  const onAbort = /* @__PURE__ */ __name(() => controller.abort(), "onAbort");
  if (!jobSignal.aborted) jobSignal.addEventListener("abort", onAbort, { once: true });
  return {
    run: { ...run, host: { ...run.host, signal: controller.signal } },
    release: /* @__PURE__ */ __name(() => jobSignal.removeEventListener("abort", onAbort), "release")
  };
}
__name(withStepSignal, "withStepSignal");
function newRecord(step, name) {
  return {
    id: step.id,
    name,
    kind: "run" in step ? "run" : "action",
    outcome: "skipped",
    conclusion: "skipped",
    durationMs: 0,
    outputs: {},
    summary: ""
  };
}
__name(newRecord, "newRecord");
function shouldRun(run, condition, record) {
  try {
    return evaluateCondition(condition, run.scope(run.runtime.env));
  } catch (error) {
    record.error = getErrorMessage(error);
    return void 0;
  }
}
__name(shouldRun, "shouldRun");
function finish(run, record, execution, continueOnError, started) {
  record.outcome = execution.cancelled ? "cancelled" : execution.ok ? "success" : "failure";
  record.conclusion = record.outcome === "failure" && continueOnError ? "success" : record.outcome;
  record.durationMs = Date.now() - started;
  record.summary = execution.files.summary;
  if (execution.error) record.error = execution.error;
  if (record.conclusion === "failure") run.runtime.status = "failure";
  run.host.log.stepEnd(
    run.host.job,
    record.name,
    record.outcome,
    record.conclusion,
    record.durationMs
  );
  return record;
}
__name(finish, "finish");
function failEarly(run, record, message) {
  run.host.log.output(run.host.job, `error: ${message}`, 0);
  run.state.annotations.push({ level: "error", message, job: run.host.job, step: record.name });
  return { ok: false, error: message, files: emptyFiles() };
}
__name(failEarly, "failEarly");
async function runStep(run) {
  const { step, runtime, host } = run;
  const name = stepDisplayName(step, run.scope(runtime.env));
  const record = newRecord(step, name);
  const condition = "if" in step && step.if ? step.if.expression : "success()";
  const started = Date.now();
  const go = shouldRun(run, condition, record);
  if (go === false) {
    runtime.steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
    host.log.stepEnd(host.job, name, "skipped", "skipped", 0);
    return record;
  }
  host.log.stepStart(host.job, name);
  record.startedAt = started;
  let continueOnError = false;
  let execution;
  if (go === void 0) {
    execution = failEarly(run, record, record.error ?? "the if: condition failed");
  } else {
    try {
      const stepEnv = "env" in step ? evaluateStringMap(step.env, run.scope(runtime.env)) : {};
      const env = { ...runtime.env, ...stepEnv };
      const scope = run.scope(env);
      continueOnError = booleanSetting(step["continue-on-error"], scope);
      const timeout = run.raw ? timeoutMs(run.raw, scope, "step") : void 0;
      const signalled = withStepSignal(run);
      try {
        execution = await dispatch(signalled.run, name, env, scope, timeout, record);
      } finally {
        signalled.release();
      }
    } catch (error) {
      execution = failEarly(run, record, getErrorMessage(error));
    }
  }
  record.outputs = execution.files.outputs;
  Object.assign(runtime.env, execution.files.env);
  runtime.path.unshift(...[...execution.files.path].reverse());
  const result = finish(run, record, execution, continueOnError, started);
  runtime.steps[step.id] = {
    outputs: execution.files.outputs,
    outcome: result.outcome,
    conclusion: result.conclusion
  };
  return result;
}
__name(runStep, "runStep");
async function runPostStep(run, post) {
  const name = `Post ${post.name}`;
  const record = { ...newRecord(post.step, name), kind: "post" };
  const started = Date.now();
  const go = shouldRun(run, stripExpressionMarkers(post.manifest.postIf), record);
  if (go === false) {
    run.host.log.stepEnd(run.host.job, name, "skipped", "skipped", 0);
    return record;
  }
  run.host.log.stepStart(run.host.job, name);
  record.startedAt = started;
  let execution;
  if (go === void 0 || !post.manifest.post) {
    execution = failEarly(run, record, record.error ?? "post-if failed");
  } else {
    const env = { ...processEnv(run, { ...run.runtime.env, ...post.stepEnv }) };
    const signalled = withStepSignal(run);
    execution = await runActionEntry(
      signalled.run.host,
      {
        step: name,
        stepId: post.step.id,
        manifest: post.manifest,
        inputs: post.inputs,
        env,
        runtimeEnv: run.state.results?.runtimeEnv(run.state.facts.runId, run.backendJobId) ?? {},
        state: post.state
      },
      post.manifest.post
    ).finally(() => signalled.release());
  }
  return finish(run, record, execution, false, started);
}
__name(runPostStep, "runPostStep");

// local/runner/job-runner.ts
function statusView(runtime, signal) {
  return {
    success: /* @__PURE__ */ __name(() => runtime.status === "success" && !signal.aborted, "success"),
    failure: /* @__PURE__ */ __name(() => runtime.status === "failure" && !signal.aborted, "failure"),
    cancelled: /* @__PURE__ */ __name(() => signal.aborted, "cancelled")
  };
}
__name(statusView, "statusView");
async function runJobLeg(state, leg) {
  const record = startJobRecord(state, {
    key: leg.key,
    id: leg.jobId,
    name: leg.name,
    workflow: leg.workflow.display,
    matrix: leg.matrix,
    parent: leg.parent
  });
  const dir = path13.join(state.runDir, "jobs", safeName(leg.key));
  const temp = path13.join(dir, "temp");
  mkdirSync6(temp, { recursive: true });
  const cancel = jobCancellation(leg.signal);
  const runtime = {
    status: "success",
    env: {},
    path: [],
    steps: {},
    posts: [],
    defaults: {}
  };
  const scope = jobScope(state, leg, runtime, cancel.signal, temp);
  let continueOnError = false;
  try {
    const settings = startJob(state, leg, record, runtime, scope(leg.workflowEnv));
    continueOnError = settings.continueOnError;
    cancel.abortAfter(settings.timeoutMs);
    await runSteps(state, leg, record, runtime, scope, { temp, signal: cancel.signal });
    record.outputs = jobOutputs(state, leg, scope(runtime.env));
  } catch (error) {
    runtime.status = "failure";
    record.reason = getErrorMessage(error);
    state.annotations.push({ level: "error", message: record.reason, job: leg.key });
  } finally {
    cancel.dispose();
    rmSync2(dir, { recursive: true, force: true });
  }
  record.result = conclusion(state, leg, record, runtime, {
    timedOut: cancel.timedOut(),
    continueOnError,
    scope
  });
  record.durationMs = Date.now() - record.startedAt;
  state.log.jobEnd(leg.key, record.result, record.durationMs, record.reason);
  return record;
}
__name(runJobLeg, "runJobLeg");
function jobCancellation(runSignal) {
  const controller = new AbortController();
  const onCancel = /* @__PURE__ */ __name(() => controller.abort(), "onCancel");
  if (runSignal.aborted) controller.abort();
  else runSignal.addEventListener("abort", onCancel, { once: true });
  let timedOut = false;
  let timer;
  return {
    signal: controller.signal,
    abortAfter(ms) {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
    },
    timedOut: /* @__PURE__ */ __name(() => timedOut, "timedOut"),
    dispose() {
      if (timer) clearTimeout(timer);
      runSignal.removeEventListener("abort", onCancel);
    }
  };
}
__name(jobCancellation, "jobCancellation");
function jobScope(state, leg, runtime, signal, temp) {
  return (env) => ({
    contexts: {
      ...leg.contexts,
      github: githubContext(state.facts, leg.jobId),
      env,
      steps: runtime.steps,
      job: {
        status: signal.aborted ? "cancelled" : runtime.status,
        container: {},
        services: {}
      },
      runner: runnerContext(state.facts, temp)
    },
    status: statusView(runtime, signal),
    hashFiles: /* @__PURE__ */ __name((patterns) => hashFiles(state.facts.workspace, patterns), "hashFiles"),
    file: leg.workflow.display
  });
}
__name(jobScope, "jobScope");
function startJob(state, leg, record, runtime, scope) {
  const continueOnError = booleanSetting(leg.raw.find("continue-on-error"), scope);
  const timeout = timeoutMs(leg.raw, scope, "job") ?? DEFAULT_JOB_TIMEOUT_MINUTES * 6e4;
  runtime.defaults = runDefaults(leg.raw, scope, leg.workflowDefaults);
  const environment = environmentName(leg.job.environment, scope);
  if (environment) record.environment = environment.name;
  runtime.env = { ...leg.workflowEnv, ...evaluateStringMap(leg.job.env, scope) };
  const details2 = [
    ...leg.notes ?? [],
    `runs-on: ${describeRunsOn(leg.job["runs-on"], scope) ?? "(none)"} \u2192 this machine (${process.platform}/${process.arch})`
  ];
  const permissions = describePermissions(leg.raw) ?? describePermissions(leg.workflow.root);
  if (permissions)
    details2.push(`permissions: ${permissions} (not enforced locally: there is no GITHUB_TOKEN)`);
  if (environment)
    details2.push(
      `environment: ${environment.name}${environment.url ? ` (${environment.url})` : ""} \u2014 approval granted automatically for this local run`
    );
  state.log.jobStart(leg.key, details2);
  return { continueOnError, timeoutMs: timeout };
}
__name(startJob, "startJob");
async function runSteps(state, leg, record, runtime, scope, { temp, signal }) {
  const host = {
    job: leg.key,
    workspace: state.facts.workspace,
    temp,
    log: state.log,
    masker: state.masker,
    annotations: state.annotations,
    signal
  };
  const raws = rawSteps(leg.raw);
  const standard = standardEnv(state.facts, leg.jobId, temp);
  const stepRun = /* @__PURE__ */ __name((step, index) => ({
    state,
    leg,
    host,
    runtime,
    step,
    raw: raws[index],
    scope,
    standardEnv: standard,
    backendJobId: safeName(leg.key)
  }), "stepRun");
  for (const [index, step] of leg.job.steps.entries()) {
    record.steps.push(await runStep(stepRun(step, index)));
  }
  for (const post of [...runtime.posts].reverse()) {
    record.steps.push(await runPostStep(stepRun(post.step, post.index), post));
  }
}
__name(runSteps, "runSteps");
function conclusion(state, leg, record, runtime, ended) {
  let result = runtime.status;
  if (ended.timedOut) {
    result = "failure";
    record.reason = `the job exceeded its timeout-minutes (${formatMinutes(timeoutMs(leg.raw, ended.scope(leg.workflowEnv), "job") ?? 0)})`;
    state.annotations.push({ level: "error", message: record.reason, job: leg.key });
  } else if (leg.signal.aborted) {
    result = "cancelled";
    record.reason ??= "cancelled";
  }
  if (result === "failure" && ended.continueOnError) {
    result = "success";
    record.reason = `failed, tolerated by continue-on-error${record.reason ? `: ${record.reason}` : ""}`;
  }
  return result;
}
__name(conclusion, "conclusion");
function jobOutputs(state, leg, scope) {
  const outputs = evaluateStringMap(leg.job.outputs, scope);
  for (const [name, value] of Object.entries(outputs)) {
    if (state.masker.containsSecret(value)) {
      delete outputs[name];
      const message = `Skip output '${name}' since it may contain secret.`;
      state.annotations.push({ level: "warning", message, job: leg.key });
      state.log.jobNote(leg.key, `warning: ${message}`);
    }
  }
  return outputs;
}
__name(jobOutputs, "jobOutputs");

// local/runner/matrix.ts
import { isDeepStrictEqual } from "node:util";
var MatrixError = class extends Error {
  static {
    __name(this, "MatrixError");
  }
  name = "MatrixError";
};
function asEntries(value, key) {
  if (value === void 0 || value === null) return [];
  if (!Array.isArray(value)) throw new MatrixError(`matrix.${key} must be a list of mappings`);
  return value.map((entry, i) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry))
      throw new MatrixError(`matrix.${key}[${i}] must be a mapping`);
    return entry;
  });
}
__name(asEntries, "asEntries");
function expandMatrix(matrix) {
  if (!matrix || typeof matrix !== "object" || Array.isArray(matrix))
    throw new MatrixError("strategy.matrix must be a mapping");
  const record = matrix;
  const dimensions = Object.entries(record).filter(([k]) => k !== "include" && k !== "exclude");
  for (const [key, values] of dimensions) {
    if (!Array.isArray(values))
      throw new MatrixError(`matrix.${key} must be a list (got ${typeof values})`);
  }
  let combinations = [];
  if (dimensions.length > 0) {
    combinations = [{}];
    for (const [key, values] of dimensions) {
      combinations = combinations.flatMap(
        (c) => values.map((v) => ({ ...c, [key]: v }))
      );
    }
  }
  const excludes = asEntries(record.exclude, "exclude");
  combinations = combinations.filter(
    (c) => !excludes.some((ex) => Object.entries(ex).every(([k, v]) => isDeepStrictEqual(c[k], v)))
  );
  const originalKeys = new Set(dimensions.map(([k]) => k));
  const base = combinations.map((c) => ({ ...c }));
  const extra = [];
  for (const include of asEntries(record.include, "include")) {
    let merged = false;
    for (const combination of base) {
      const fits = Object.entries(include).every(
        ([k, v]) => !originalKeys.has(k) || isDeepStrictEqual(combination[k], v)
      );
      if (fits) {
        Object.assign(combination, include);
        merged = true;
      }
    }
    if (!merged) extra.push({ ...include });
  }
  return [...base, ...extra];
}
__name(expandMatrix, "expandMatrix");
function matrixLegName(jobName, combination) {
  if (!combination || Object.keys(combination).length === 0) return jobName;
  const values = Object.values(combination).map(
    (v) => typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)
  );
  return `${jobName} (${values.join(", ")})`;
}
__name(matrixLegName, "matrixLegName");

// local/runner/reusable.ts
function calleeInputs(state, job, scope, triggers) {
  const given = {};
  for (const pair of job["input-values"] ?? [])
    given[pair.key.toString()] = evaluateToken(pair.value, scope);
  const defaultScope = {
    contexts: { github: githubContext(state.facts, ""), inputs: {}, vars: state.vars },
    file: scope.file
  };
  const resolved = resolveInputs(triggers.callInputs, given, {
    source: "with:",
    evaluateDefault: /* @__PURE__ */ __name((token) => evaluateToken(token, defaultScope), "evaluateDefault")
  });
  return { inputs: resolved.values, problems: resolved.problems };
}
__name(calleeInputs, "calleeInputs");
function calleeOutputs(state, callee, triggers, inputs, secrets, outcomes) {
  const jobs = Object.fromEntries(
    [...outcomes].map(([id, o]) => [id, { result: o.result, outputs: o.outputs }])
  );
  const scope = {
    contexts: { github: githubContext(state.facts, ""), inputs, secrets, vars: state.vars, jobs },
    file: callee.display
  };
  const outputs = {};
  for (const output of triggers.callOutputs)
    outputs[output.name] = output.value ? evaluateString(output.value, scope) : "";
  return outputs;
}
__name(calleeOutputs, "calleeOutputs");
async function runReusableLeg(state, leg, runJobGraph2) {
  const job = leg.job;
  const record = startJobRecord(state, {
    key: leg.key,
    id: job.id.value,
    name: leg.name,
    workflow: leg.call.workflow.display,
    matrix: leg.matrix,
    parent: leg.call.parent
  });
  const started = record.startedAt;
  const scope = { contexts: leg.contexts, file: leg.call.workflow.display };
  let result;
  try {
    const target = classifyWorkflowUses(job.ref.value, state.facts.checkout);
    if (target.kind === "unsupported")
      throw new Error(`reusable workflow '${job.ref.value}' cannot run locally: ${target.reason}`);
    const callee = await state.workflows.load(target.file);
    const triggers = readTriggers(callee.root);
    if (!triggers.events.includes("workflow_call"))
      throw new Error(`${callee.display} has no on.workflow_call, so it cannot be called`);
    const secrets = job["inherit-secrets"] ? { ...leg.call.secrets } : evaluateStringMap(job["secret-values"], scope);
    for (const value of Object.values(secrets)) state.masker.add(value);
    const { inputs, problems } = calleeInputs(state, job, scope, triggers);
    problems.push(...checkSecrets(triggers.callSecrets, secrets, "secrets:"));
    if (problems.length > 0) throw new Error(`calling ${callee.display}: ${problems.join("; ")}`);
    state.log.jobStart(leg.key, [
      ...leg.notes,
      `calls reusable workflow ${callee.display}${job["inherit-secrets"] ? " (secrets: inherit)" : ""}`
    ]);
    const outcomes = await runJobGraph2(state, {
      workflow: callee,
      inputs,
      secrets,
      prefix: `${leg.key} / `,
      parent: leg.key,
      signal: leg.signal
    });
    const results = [...outcomes.values()];
    result = results.some((o) => o.result === "failure") ? "failure" : results.some((o) => o.result === "cancelled") || leg.signal.aborted ? "cancelled" : "success";
    record.outputs = calleeOutputs(state, callee, triggers, inputs, secrets, outcomes);
    for (const [name, value] of Object.entries(record.outputs)) {
      if (state.masker.containsSecret(value)) {
        delete record.outputs[name];
        state.annotations.push({
          level: "warning",
          message: `Skip output '${name}' since it may contain secret.`,
          job: leg.key
        });
      }
    }
    if (result === "failure") record.reason = "a job of the called workflow failed";
  } catch (error) {
    result = "failure";
    record.reason = getErrorMessage(error);
    state.annotations.push({ level: "error", message: record.reason, job: leg.key });
  }
  record.result = result;
  record.durationMs = Date.now() - started;
  state.log.jobEnd(leg.key, result, record.durationMs, record.reason);
  return record;
}
__name(runReusableLeg, "runReusableLeg");

// local/runner/workflow-runner.ts
function aggregate(records) {
  if (records.some((r) => r.result === "failure")) return "failure";
  if (records.some((r) => r.result === "cancelled")) return "cancelled";
  if (records.length > 0 && records.every((r) => r.result === "skipped")) return "skipped";
  return "success";
}
__name(aggregate, "aggregate");
function mergeOutputs(records) {
  const outputs = {};
  const finished = [...records].sort(
    (a, b) => (a.startedAt ?? 0) + a.durationMs - ((b.startedAt ?? 0) + b.durationMs)
  );
  for (const record of finished) {
    for (const [name, value] of Object.entries(record.outputs))
      if (value !== "" || !(name in outputs)) outputs[name] = value;
  }
  return outputs;
}
__name(mergeOutputs, "mergeOutputs");
function recordWithoutRun(state, call, job, result, reason) {
  const key = claimKey(state, `${call.prefix}${job.id.value}`);
  const record = {
    key,
    id: job.id.value,
    name: key,
    workflow: call.workflow.display,
    result,
    durationMs: 0,
    steps: [],
    outputs: {},
    reason,
    parent: call.parent
  };
  state.jobs.push(record);
  if (reason && result === "failure")
    state.annotations.push({ level: "error", message: reason, job: key });
  state.log.jobEnd(key, result, 0, reason);
  return record;
}
__name(recordWithoutRun, "recordWithoutRun");
function strategyOf(job, scope) {
  if (!job.strategy) return { legs: [void 0], failFast: true };
  const strategy = evaluateToken(job.strategy, scope) ?? {};
  const legs = strategy.matrix === void 0 ? [void 0] : expandMatrix(strategy.matrix);
  if (legs.length === 0) throw new Error(`job '${job.id.value}': the matrix has no combinations`);
  const maxParallel = strategy["max-parallel"] === void 0 ? void 0 : Number(strategy["max-parallel"]);
  return {
    legs,
    failFast: strategy["fail-fast"] !== false && strategy["fail-fast"] !== "false",
    maxParallel
  };
}
__name(strategyOf, "strategyOf");
function concurrencyGroup(job, scope) {
  if (!job.concurrency) return void 0;
  return concurrencyGroupName(evaluateToken(job.concurrency, scope));
}
__name(concurrencyGroup, "concurrencyGroup");
async function runJob(state, plan, outcomesOfNeeds) {
  const { call, job } = plan;
  const needsOutcomes = [...outcomesOfNeeds.values()];
  const ancestorFailed = needsOutcomes.some((o) => o.result === "failure" || o.ancestorFailed);
  const status2 = {
    success: /* @__PURE__ */ __name(() => !call.signal.aborted && needsOutcomes.every((o) => o.result === "success"), "success"),
    failure: /* @__PURE__ */ __name(() => !call.signal.aborted && ancestorFailed, "failure"),
    cancelled: /* @__PURE__ */ __name(() => call.signal.aborted, "cancelled")
  };
  const baseContexts = {
    inputs: call.inputs,
    secrets: call.secrets,
    vars: state.vars,
    needs: plan.needs
  };
  const jobScope2 = {
    contexts: { ...baseContexts, github: githubContext(state.facts, job.id.value) },
    status: status2,
    file: call.workflow.display
  };
  let run;
  let strategy;
  try {
    run = evaluateCondition(job.if.expression, jobScope2);
    strategy = run ? strategyOf(job, jobScope2) : { legs: [], failFast: true };
  } catch (error) {
    recordWithoutRun(state, call, job, "failure", getErrorMessage(error));
    return { result: "failure", outputs: {}, ancestorFailed };
  }
  if (!run) {
    const result = call.signal.aborted ? "cancelled" : "skipped";
    const reason = call.signal.aborted ? "the run was cancelled" : `if: ${job.if.expression} was false`;
    recordWithoutRun(state, call, job, result, reason);
    return { result, outputs: {}, ancestorFailed };
  }
  const failFast = new AbortController();
  const cancelLegs = /* @__PURE__ */ __name(() => failFast.abort(), "cancelLegs");
  if (call.signal.aborted) failFast.abort();
  else call.signal.addEventListener("abort", cancelLegs, { once: true });
  const legLimit = new Semaphore(Math.max(1, strategy.maxParallel ?? strategy.legs.length));
  const total = strategy.legs.length;
  const records = await Promise.all(
    strategy.legs.map(
      (matrix, index) => legLimit.run(async () => {
        const key = claimKey(state, `${call.prefix}${matrixLegName(job.id.value, matrix)}`);
        const contexts = {
          ...baseContexts,
          matrix: matrix ?? {},
          strategy: {
            "fail-fast": strategy.failFast,
            "job-index": index,
            "job-total": total,
            "max-parallel": strategy.maxParallel ?? total
          }
        };
        const legScope = {
          ...jobScope2,
          contexts: { ...jobScope2.contexts, ...contexts }
        };
        let name = key;
        try {
          if (job.name && job.name.toString() !== job.id.value)
            name = `${call.prefix}${evaluateString(job.name, legScope)}`;
        } catch {
        }
        const group = concurrencyGroup(job, legScope);
        const notes = group ? [`concurrency group: ${group}`] : [];
        const start = /* @__PURE__ */ __name(() => {
          if (failFast.signal.aborted) {
            const record2 = {
              key,
              id: job.id.value,
              name,
              workflow: call.workflow.display,
              result: "cancelled",
              durationMs: 0,
              steps: [],
              outputs: {},
              reason: "cancelled before it started (fail-fast or run cancelled)",
              matrix,
              parent: call.parent
            };
            state.jobs.push(record2);
            state.log.jobEnd(key, "cancelled", 0, record2.reason);
            return Promise.resolve(record2);
          }
          if (job.type === "reusableWorkflowJob") {
            return runReusableLeg(
              state,
              {
                call,
                job,
                key,
                name,
                matrix,
                contexts: legScope.contexts,
                signal: failFast.signal,
                notes
              },
              runJobGraph
            );
          }
          const raw = call.workflow.jobs.get(job.id.value);
          if (!raw)
            throw new Error(
              `job '${job.id.value}' not found in the parsed ${call.workflow.display}`
            );
          return state.slots.run(
            () => runJobLeg(state, {
              key,
              jobId: job.id.value,
              name,
              workflow: call.workflow,
              job,
              raw,
              contexts,
              workflowEnv: plan.workflowEnv,
              workflowDefaults: plan.workflowDefaults,
              matrix,
              parent: call.parent,
              signal: failFast.signal,
              notes
            })
          );
        }, "start");
        const record = group ? await state.groups.run(
          group,
          start,
          () => state.log.info(`\u2026 ${key} waits for concurrency group '${group}'`)
        ) : await start();
        if (record.result === "failure" && strategy.failFast && total > 1) failFast.abort();
        return record;
      })
    )
  );
  call.signal.removeEventListener("abort", cancelLegs);
  return { result: aggregate(records), outputs: mergeOutputs(records), ancestorFailed };
}
__name(runJob, "runJob");
async function runJobGraph(state, call) {
  const { workflow } = call;
  const scope = {
    contexts: {
      github: githubContext(state.facts, ""),
      inputs: call.inputs,
      secrets: call.secrets,
      vars: state.vars
    },
    file: workflow.display
  };
  const workflowEnv = evaluateStringMap(workflow.template.env, scope);
  const workflowDefaults = runDefaults(workflow.root, scope);
  const jobs = new Map(workflow.template.jobs.map((job) => [job.id.value, job]));
  const outcomes = /* @__PURE__ */ new Map();
  const outcomeOf = /* @__PURE__ */ __name((id) => {
    let outcome = outcomes.get(id);
    if (outcome) return outcome;
    const job = jobs.get(id);
    if (!job) return Promise.resolve({ result: "skipped", outputs: {}, ancestorFailed: false });
    outcome = (async () => {
      const needIds = (job.needs ?? []).map((n) => n.value);
      const results = await Promise.all(needIds.map((need) => outcomeOf(need)));
      const needOutcomes = new Map(needIds.map((need, i) => [need, results[i]]));
      const needs = Object.fromEntries(
        [...needOutcomes].map(([need, o]) => [need, { result: o.result, outputs: o.outputs }])
      );
      return runJob(state, { call, job, needs, workflowEnv, workflowDefaults }, needOutcomes);
    })();
    outcomes.set(id, outcome);
    return outcome;
  }, "outcomeOf");
  const selected = workflow.template.jobs.filter(
    (job) => !call.only || call.only.has(job.id.value)
  );
  await Promise.all(selected.map((job) => outcomeOf(job.id.value)));
  const result = /* @__PURE__ */ new Map();
  for (const [id, outcome] of outcomes) result.set(id, await outcome);
  return result;
}
__name(runJobGraph, "runJobGraph");

// local/runner/run-workflow.ts
var DEFAULT_MAX_PARALLEL = 2;
function chooseEvent(triggers, requested, display) {
  const supported = triggers.events.filter(
    (e) => EVENT_NAMES.includes(e)
  );
  if (requested) {
    if (!triggers.events.includes(requested)) {
      throw new ConfigurationError(
        `${display} does not run on '${requested}'`,
        `it runs on: ${triggers.events.join(", ") || "(no events)"}`
      );
    }
    return requested;
  }
  const preferred = ["workflow_dispatch", "workflow_call", "push", "pull_request", "schedule"].find((e) => supported.includes(e));
  if (!preferred)
    throw new ConfigurationError(
      `${display} runs on ${triggers.events.join(", ") || "no events"}; the local runner simulates ${EVENT_NAMES.join(", ")}`
    );
  return preferred;
}
__name(chooseEvent, "chooseEvent");
function jobClosure(workflow, jobId) {
  const byId = new Map(workflow.template.jobs.map((j) => [j.id.value, j]));
  if (!byId.has(jobId))
    throw new ConfigurationError(
      `job '${jobId}' is not in ${workflow.display}`,
      `jobs: ${[...byId.keys()].join(", ")}`
    );
  const result = /* @__PURE__ */ new Set();
  const visit = /* @__PURE__ */ __name((id) => {
    if (result.has(id)) return;
    result.add(id);
    for (const need of byId.get(id)?.needs ?? []) visit(need.value);
  }, "visit");
  visit(jobId);
  return result;
}
__name(jobClosure, "jobClosure");
function missingSecretNames(text, given) {
  const names = new Set(
    [...text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1] ?? "")
  );
  const present = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  return [...names].filter((n) => n !== "" && n.toUpperCase() !== "GITHUB_TOKEN" && !present.has(n.toLowerCase())).sort();
}
__name(missingSecretNames, "missingSecretNames");
function resolveRootInputs(workflow, triggers, event, options, facts) {
  const given = options.inputs ?? {};
  const definitions = event === "workflow_dispatch" ? triggers.dispatchInputs : event === "workflow_call" ? triggers.callInputs : [];
  if (definitions.length === 0 && event !== "workflow_dispatch" && event !== "workflow_call" && Object.keys(given).length > 0) {
    throw new ConfigurationError(
      `--input is only for workflow_dispatch and workflow_call; the event is ${event}`
    );
  }
  const scope = {
    contexts: { github: { event_name: event, ...facts }, inputs: {}, vars: options.vars ?? {} },
    file: workflow.display
  };
  const resolved = resolveInputs(definitions, given, {
    source: "--input",
    evaluateDefault: /* @__PURE__ */ __name((token) => evaluateToken(token, scope), "evaluateDefault")
  });
  const problems = [...resolved.problems];
  if (event === "workflow_call")
    problems.push(...checkSecrets(triggers.callSecrets, options.secrets ?? {}, "--secret"));
  if (problems.length > 0)
    throw new ConfigurationErrors(
      problems.map((p) => new ConfigurationError(`${workflow.display}: ${p}`))
    );
  return resolved.values;
}
__name(resolveRootInputs, "resolveRootInputs");
function localRunDir(options, checkout) {
  return path14.resolve(options.localRunDir ?? path14.join(checkout, ".local-run"));
}
__name(localRunDir, "localRunDir");
function newRunId() {
  return String(Date.now());
}
__name(newRunId, "newRunId");
async function runWorkflow(options) {
  const run = await checkRun(options);
  const controller = new AbortController();
  const onAbort = /* @__PURE__ */ __name(() => controller.abort(), "onAbort");
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const { state, files } = startRunState(options, run, controller.signal);
  const { workflow, triggers, event, inputs } = run;
  const started = Date.now();
  announceRun(state, options, run, files.runDir);
  let release;
  const secrets = {
    ...options.secrets ?? {},
    ...options.github ? { GITHUB_TOKEN: options.github.token } : {}
  };
  let outputs = {};
  try {
    release = await acquireConcurrencyGroup(state, options, run);
    const outcomes = await runJobGraph(state, {
      workflow,
      inputs,
      secrets,
      prefix: "",
      signal: controller.signal,
      only: run.only
    });
    if (event === "workflow_call" && triggers.callOutputs.length > 0)
      outputs = workflowCallOutputs(state, run, secrets, outcomes);
  } finally {
    release?.();
    options.signal?.removeEventListener("abort", onAbort);
  }
  return finishRun(state, options, run, { ...files, started, outputs });
}
__name(runWorkflow, "runWorkflow");
async function checkRun(options) {
  const masker = new Masker();
  for (const value of Object.values(options.secrets ?? {})) masker.add(value);
  if (options.github) masker.add(options.github.token);
  const checkout = path14.resolve(options.checkout);
  const workspace = path14.resolve(options.workspace ?? checkout);
  const cache = options.workflows ?? new WorkflowCache({ checkout });
  const workflow = await cache.load(options.workflowFile);
  const triggers = readTriggers(workflow.root);
  const event = chooseEvent(triggers, options.event, workflow.display);
  const git2 = readGitInfo(checkout);
  const inputs = resolveRootInputs(workflow, triggers, event, options, git2);
  const only = options.job ? jobClosure(workflow, options.job) : void 0;
  const problems = await checkRunnable(workflow, cache, checkout);
  if (problems.length > 0) throw new ConfigurationErrors(problems);
  return { masker, checkout, workspace, cache, workflow, triggers, event, git: git2, inputs, only };
}
__name(checkRun, "checkRun");
function startRunState(options, run, signal) {
  const { checkout, workspace, workflow, event, git: git2, inputs, masker } = run;
  const runId = options.runId ?? newRunId();
  const runDir = path14.resolve(options.runDir ?? path14.join(localRunDir(options, checkout), runId));
  mkdirSync7(runDir, { recursive: true });
  mkdirSync7(workspace, { recursive: true });
  const logFile = path14.join(runDir, "log.txt");
  const reportFile = path14.resolve(options.reportFile ?? path14.join(runDir, "report.md"));
  const log = new RunLog({ out: options.out, masker, file: logFile, debug: options.debug });
  const actor = (options.env ?? process.env).USER ?? "local";
  const eventPath = path14.join(runDir, "event.json");
  const payload = eventPayload(event, {
    inputs,
    ref: git2.ref,
    sha: git2.sha,
    repository: git2.repository,
    actor,
    ...options.pullRequest ? { pullRequest: options.pullRequest } : {}
  });
  writeFileSync4(eventPath, `${JSON.stringify(payload, null, 2)}
`);
  const toolCache = path14.resolve(
    options.toolCache ?? path14.join(localRunDir(options, checkout), "tool-cache")
  );
  mkdirSync7(toolCache, { recursive: true });
  const facts = {
    runId,
    runNumber: 1,
    repository: git2.repository,
    sha: event === "pull_request" && options.pullRequest ? options.pullRequest.headSha : git2.sha,
    // a pull_request run checks out the merge ref, as on GitHub
    ref: event === "pull_request" && options.pullRequest ? `refs/pull/${options.pullRequest.number}/merge` : git2.ref,
    eventName: event,
    eventPath,
    event: payload,
    workflowName: workflow.name,
    workflowRef: `${git2.repository}/${workflow.display}@${git2.ref}`,
    actor,
    checkout,
    workspace,
    toolCache,
    debug: options.debug ?? false,
    ...options.github ? { apiUrl: options.github.apiUrl, token: options.github.token } : {},
    ...options.pullRequest ? { pullRequest: options.pullRequest } : {}
  };
  const state = {
    facts,
    vars: options.vars ?? {},
    runDir,
    masker,
    log,
    annotations: [],
    jobs: [],
    results: options.results,
    workflows: run.cache,
    slots: new Semaphore(options.maxParallel ?? DEFAULT_MAX_PARALLEL),
    groups: new KeyedMutex(),
    signal,
    baseEnv: baseEnv(options.env ?? process.env),
    keys: /* @__PURE__ */ new Set()
  };
  return { state, files: { runDir, logFile, reportFile } };
}
__name(startRunState, "startRunState");
function announceRun(state, options, run, runDir) {
  const { log, facts } = state;
  const { workflow, triggers, event, inputs, workspace, checkout } = run;
  log.info(`\u25B6 ${workflow.name} (${workflow.display}) \xB7 event ${event} \xB7 run ${facts.runId}`);
  log.info(
    `  workspace ${workspace}${workspace === checkout ? " (the checkout)" : ""} \xB7 run folder ${runDir}`
  );
  log.info(
    `  results service: ${options.results ? options.results.url : "not running (artifacts and cache are unavailable)"}`
  );
  for (const [name, value] of Object.entries(inputs))
    log.info(`  input ${name} = ${typeof value === "string" ? value : JSON.stringify(value)}`);
  const permissions = findKey(workflow.root, "permissions");
  if (permissions)
    log.info("  permissions: declared (not enforced locally: there is no GITHUB_TOKEN)");
  const optional = new Set(
    triggers.callSecrets.filter((s) => !s.required).map((s) => s.name.toLowerCase())
  );
  const missing = missingSecretNames(readFileSync7(workflow.file, "utf8"), options.secrets ?? {});
  for (const name of missing.filter((n) => !optional.has(n.toLowerCase()))) {
    log.info(
      `  warning: secrets.${name} is used but not given (--secret ${name}=...); it evaluates to ''`
    );
  }
  const optionalMissing = missing.filter((n) => optional.has(n.toLowerCase()));
  if (optionalMissing.length > 0)
    log.info(`  optional secrets not given (they evaluate to ''): ${optionalMissing.join(", ")}`);
}
__name(announceRun, "announceRun");
async function acquireConcurrencyGroup(state, options, run) {
  const concurrency = findKey(run.workflow.root, "concurrency");
  if (!concurrency) return void 0;
  const scope = {
    contexts: { github: githubContext(state.facts, ""), inputs: run.inputs, vars: state.vars },
    file: run.workflow.display
  };
  const group = concurrencyGroupName(evaluateToken(concurrency, scope));
  if (!group) return void 0;
  const release = await acquireGroupLock(
    options.locksDir ?? path14.join(localRunDir(options, run.checkout), "locks"),
    group,
    {
      signal: state.signal,
      onWait: /* @__PURE__ */ __name((pid) => state.log.info(
        `\u2026 waiting for concurrency group '${group}', held by the local run of process ${pid}`
      ), "onWait")
    }
  );
  state.log.info(`  concurrency group '${group}' acquired`);
  return release;
}
__name(acquireConcurrencyGroup, "acquireConcurrencyGroup");
function workflowCallOutputs(state, run, secrets, outcomes) {
  const jobs = Object.fromEntries(
    [...outcomes].map(([id, o]) => [id, { result: o.result, outputs: o.outputs }])
  );
  const scope = {
    contexts: {
      github: githubContext(state.facts, ""),
      inputs: run.inputs,
      secrets,
      vars: state.vars,
      jobs
    },
    file: run.workflow.display
  };
  return Object.fromEntries(
    run.triggers.callOutputs.map((o) => [o.name, o.value ? evaluateString(o.value, scope) : ""])
  );
}
__name(workflowCallOutputs, "workflowCallOutputs");
function finishRun(state, options, run, done) {
  const { log, facts } = state;
  const { runDir, logFile, reportFile, started, outputs } = done;
  const runId = facts.runId;
  const durationMs = Date.now() - started;
  const conclusion2 = state.jobs.some((j) => j.result === "failure") ? "failure" : state.signal.aborted || state.jobs.some((j) => j.result === "cancelled") ? "cancelled" : "success";
  log.summaryTable(state.jobs, conclusion2, durationMs);
  const artifacts = options.results ? {
    service: options.results.url,
    dataDir: options.results.dataDir,
    items: options.results.artifacts().filter((a) => a.runId === runId)
  } : void 0;
  const report = renderReport(
    {
      workflowName: run.workflow.name,
      workflowFile: run.workflow.display,
      event: run.event,
      runId,
      conclusion: conclusion2,
      startedAt: started,
      durationMs,
      workspace: run.workspace,
      runDir,
      logFile,
      inputs: run.inputs,
      outputs,
      jobs: state.jobs,
      annotations: state.annotations,
      artifacts
    },
    state.masker
  );
  mkdirSync7(path14.dirname(reportFile), { recursive: true });
  writeFileSync4(reportFile, report);
  log.info(`report: ${reportFile} \xB7 log: ${logFile} \xB7 ${formatDuration(durationMs)}`);
  return {
    runId,
    conclusion: conclusion2,
    jobs: state.jobs,
    annotations: state.annotations,
    outputs,
    runDir,
    reportFile,
    logFile,
    durationMs
  };
}
__name(finishRun, "finishRun");
export {
  DEFAULT_MAX_PARALLEL,
  EVENT_NAMES,
  WorkflowCache,
  checkoutOf,
  killAllStepProcesses,
  loadWorkflow,
  runWorkflow
};
