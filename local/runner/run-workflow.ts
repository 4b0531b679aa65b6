import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigurationError, ConfigurationErrors } from "../../actions/lib/errors.js";
import { formatDuration } from "../../actions/lib/report/markdown.js";
import type { EventName, RunFacts } from "./context.js";
import {
  EVENT_NAMES,
  baseEnv,
  eventPayload,
  githubContext,
  readGitInfo,
  type PullRequestFacts,
} from "./context.js";
import type { EvalScope } from "./expressions.js";
import { evaluateString, evaluateToken } from "./expressions.js";
import { acquireGroupLock } from "./group-lock.js";
import type { InputValue } from "./inputs.js";
import { checkSecrets, resolveInputs } from "./inputs.js";
import { RunLog } from "./log.js";
import { Masker } from "./masker.js";
import type { LoadedWorkflow } from "./parse.js";
import { WorkflowCache } from "./parse.js";
import { renderReport } from "./report.js";
import type { RunState } from "./run-state.js";
import { KeyedMutex, Semaphore } from "./scheduler.js";
import { findKey } from "./tokens.js";
import type { Triggers } from "./triggers.js";
import { concurrencyGroupName } from "./settings.js";
import { readTriggers } from "./triggers.js";
import type { Annotation, Conclusion, JobRecord, ResultsServiceLike } from "./types.js";
import type { JobOutcome } from "./job-types.js";
import { checkRunnable } from "./validate.js";
import { runJobGraph } from "./workflow-runner.js";

/**
 * `pve-kube run <workflow>`: checks everything that can be checked before a job starts (parse,
 * event, inputs, secrets, every uses:), then runs the jobs and writes the report.
 */
export interface RunOptions {
  workflowFile: string;
  /** the checkout: `./` and `<owner>/pve-kube/...@ref` resolve here */
  checkout: string;
  /** GITHUB_WORKSPACE; default the checkout itself */
  workspace?: string;
  event?: EventName;
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** the pull request of a pull_request event (number, head/base SHAs and branches, fork) */
  pullRequest?: PullRequestFacts;
  /** a GitHub REST API (e.g. the local GitHub server) and the token the run's GITHUB_TOKEN is */
  github?: { apiUrl: string; token: string };
  /** run only this job (and the jobs it needs) */
  job?: string;
  /** workflows already parsed by the caller (for this checkout); default a new cache */
  workflows?: WorkflowCache | undefined;
  /**
   * the folder the defaults below live in; default `<checkout>/.local-run`. Two runs from one
   * checkout with different folders share nothing (run folders, locks, tool cache).
   */
  localRunDir?: string;
  /** default `<localRunDir>/<run-id>` */
  runDir?: string;
  /** default `<runDir>/report.md` */
  reportFile?: string;
  /** default `<localRunDir>/locks` */
  locksDir?: string;
  /** RUNNER_TOOL_CACHE, kept across runs; default `<localRunDir>/tool-cache` */
  toolCache?: string;
  /** jobs running at once; default 2 */
  maxParallel?: number;
  debug?: boolean;
  out: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  results?: ResultsServiceLike;
  signal?: AbortSignal;
  runId?: string;
}

export interface RunResult {
  runId: string;
  conclusion: Conclusion;
  jobs: JobRecord[];
  annotations: Annotation[];
  outputs: Record<string, string>;
  runDir: string;
  reportFile: string;
  logFile: string;
  durationMs: number;
}

export const DEFAULT_MAX_PARALLEL = 2;

/** The event to simulate: the one asked for (if the workflow has it), else dispatch, else call. */
export function chooseEvent(
  triggers: Triggers,
  requested: EventName | undefined,
  display: string,
): EventName {
  const supported = triggers.events.filter((e): e is EventName =>
    (EVENT_NAMES as readonly string[]).includes(e),
  );
  if (requested) {
    if (!triggers.events.includes(requested)) {
      throw new ConfigurationError(
        `${display} does not run on '${requested}'`,
        `it runs on: ${triggers.events.join(", ") || "(no events)"}`,
      );
    }
    return requested;
  }
  const preferred = (
    ["workflow_dispatch", "workflow_call", "push", "pull_request", "schedule"] as const
  ).find((e) => supported.includes(e));
  if (!preferred)
    throw new ConfigurationError(
      `${display} runs on ${triggers.events.join(", ") || "no events"}; the local runner simulates ${EVENT_NAMES.join(", ")}`,
    );
  return preferred;
}

/** Jobs to run for --job: the job and everything it needs. */
export function jobClosure(workflow: LoadedWorkflow, jobId: string): Set<string> {
  const byId = new Map(workflow.template.jobs.map((j) => [j.id.value, j]));
  if (!byId.has(jobId))
    throw new ConfigurationError(
      `job '${jobId}' is not in ${workflow.display}`,
      `jobs: ${[...byId.keys()].join(", ")}`,
    );
  const result = new Set<string>();
  const visit = (id: string) => {
    if (result.has(id)) return;
    result.add(id);
    for (const need of byId.get(id)?.needs ?? []) visit(need.value);
  };
  visit(jobId);
  return result;
}

/** Secrets a workflow reads (`secrets.NAME`) that were not given: they evaluate to '' — worth a warning. */
export function missingSecretNames(text: string, given: Record<string, string>): string[] {
  const names = new Set(
    [...text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1] ?? ""),
  );
  const present = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  return [...names]
    .filter((n) => n !== "" && n.toUpperCase() !== "GITHUB_TOKEN" && !present.has(n.toLowerCase()))
    .sort();
}

function resolveRootInputs(
  workflow: LoadedWorkflow,
  triggers: Triggers,
  event: EventName,
  options: RunOptions,
  facts: { sha: string; ref: string; repository: string },
): Record<string, InputValue> {
  const given = options.inputs ?? {};
  const definitions =
    event === "workflow_dispatch"
      ? triggers.dispatchInputs
      : event === "workflow_call"
        ? triggers.callInputs
        : [];
  if (
    definitions.length === 0 &&
    event !== "workflow_dispatch" &&
    event !== "workflow_call" &&
    Object.keys(given).length > 0
  ) {
    throw new ConfigurationError(
      `--input is only for workflow_dispatch and workflow_call; the event is ${event}`,
    );
  }
  const scope: EvalScope = {
    contexts: { github: { event_name: event, ...facts }, inputs: {}, vars: options.vars ?? {} },
    file: workflow.display,
  };
  const resolved = resolveInputs(definitions, given, {
    source: "--input",
    evaluateDefault: (token) => evaluateToken(token, scope),
  });
  const problems = [...resolved.problems];
  if (event === "workflow_call")
    problems.push(...checkSecrets(triggers.callSecrets, options.secrets ?? {}, "--secret"));
  if (problems.length > 0)
    throw new ConfigurationErrors(
      problems.map((p) => new ConfigurationError(`${workflow.display}: ${p}`)),
    );
  return resolved.values;
}

/** Where a run keeps its folders by default: `--local-run`, else `<checkout>/.local-run`. */
function localRunDir(options: RunOptions, checkout: string): string {
  return path.resolve(options.localRunDir ?? path.join(checkout, ".local-run"));
}

function newRunId(): string {
  return String(Date.now());
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
  const run = await checkRun(options);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const { state, files } = startRunState(options, run, controller.signal);
  const { workflow, triggers, event, inputs } = run;
  const started = Date.now();
  announceRun(state, options, run, files.runDir);

  let release: (() => void) | undefined;
  // GITHUB_TOKEN is a secret every workflow has, as on GitHub
  const secrets = {
    ...(options.secrets ?? {}),
    ...(options.github ? { GITHUB_TOKEN: options.github.token } : {}),
  };
  let outputs: Record<string, string> = {};
  try {
    release = await acquireConcurrencyGroup(state, options, run);
    const outcomes = await runJobGraph(state, {
      workflow,
      inputs,
      secrets,
      prefix: "",
      signal: controller.signal,
      only: run.only,
    });
    if (event === "workflow_call" && triggers.callOutputs.length > 0)
      outputs = workflowCallOutputs(state, run, secrets, outcomes);
  } finally {
    release?.();
    options.signal?.removeEventListener("abort", onAbort);
  }
  return finishRun(state, options, run, { ...files, started, outputs });
}

/** What a run is, checked before anything starts: workflow, event, inputs, every uses:. */
async function checkRun(options: RunOptions) {
  const masker = new Masker();
  for (const value of Object.values(options.secrets ?? {})) masker.add(value);
  if (options.github) masker.add(options.github.token);
  const checkout = path.resolve(options.checkout);
  const workspace = path.resolve(options.workspace ?? checkout);
  const cache = options.workflows ?? new WorkflowCache({ checkout });
  const workflow = await cache.load(options.workflowFile);
  const triggers = readTriggers(workflow.root);
  const event = chooseEvent(triggers, options.event, workflow.display);
  const git = readGitInfo(checkout);
  const inputs = resolveRootInputs(workflow, triggers, event, options, git);
  const only = options.job ? jobClosure(workflow, options.job) : undefined;
  const problems = await checkRunnable(workflow, cache, checkout);
  if (problems.length > 0) throw new ConfigurationErrors(problems);
  return { masker, checkout, workspace, cache, workflow, triggers, event, git, inputs, only };
}
type CheckedRun = Awaited<ReturnType<typeof checkRun>>;

/** The run folder, the event file, the log and the state every job of the run shares. */
function startRunState(options: RunOptions, run: CheckedRun, signal: AbortSignal) {
  const { checkout, workspace, workflow, event, git, inputs, masker } = run;
  const runId = options.runId ?? newRunId();
  const runDir = path.resolve(options.runDir ?? path.join(localRunDir(options, checkout), runId));
  mkdirSync(runDir, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const logFile = path.join(runDir, "log.txt");
  const reportFile = path.resolve(options.reportFile ?? path.join(runDir, "report.md"));
  const log = new RunLog({ out: options.out, masker, file: logFile, debug: options.debug });
  const actor = (options.env ?? process.env).USER ?? "local";
  const eventPath = path.join(runDir, "event.json");
  const payload = eventPayload(event, {
    inputs,
    ref: git.ref,
    sha: git.sha,
    repository: git.repository,
    actor,
    ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
  });
  writeFileSync(eventPath, `${JSON.stringify(payload, null, 2)}\n`);
  const toolCache = path.resolve(
    options.toolCache ?? path.join(localRunDir(options, checkout), "tool-cache"),
  );
  mkdirSync(toolCache, { recursive: true });
  const facts: RunFacts = {
    runId,
    runNumber: 1,
    repository: git.repository,
    sha: event === "pull_request" && options.pullRequest ? options.pullRequest.headSha : git.sha,
    // a pull_request run checks out the merge ref, as on GitHub
    ref:
      event === "pull_request" && options.pullRequest
        ? `refs/pull/${options.pullRequest.number}/merge`
        : git.ref,
    eventName: event,
    eventPath,
    event: payload,
    workflowName: workflow.name,
    workflowRef: `${git.repository}/${workflow.display}@${git.ref}`,
    actor,
    checkout,
    workspace,
    toolCache,
    debug: options.debug ?? false,
    ...(options.github ? { apiUrl: options.github.apiUrl, token: options.github.token } : {}),
    ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
  };
  const state: RunState = {
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
    keys: new Set(),
  };
  return { state, files: { runDir, logFile, reportFile } };
}

/** The run's header: what runs where, its inputs, and the secrets it uses but was not given. */
function announceRun(state: RunState, options: RunOptions, run: CheckedRun, runDir: string) {
  const { log, facts } = state;
  const { workflow, triggers, event, inputs, workspace, checkout } = run;
  log.info(`▶ ${workflow.name} (${workflow.display}) · event ${event} · run ${facts.runId}`);
  log.info(
    `  workspace ${workspace}${workspace === checkout ? " (the checkout)" : ""} · run folder ${runDir}`,
  );
  log.info(
    `  results service: ${options.results ? options.results.url : "not running (artifacts and cache are unavailable)"}`,
  );
  for (const [name, value] of Object.entries(inputs))
    log.info(`  input ${name} = ${typeof value === "string" ? value : JSON.stringify(value)}`);
  const permissions = findKey(workflow.root, "permissions");
  if (permissions)
    log.info("  permissions: declared (not enforced locally: there is no GITHUB_TOKEN)");
  // a secret the workflow itself declares optional (workflow_call, required: false) is no surprise when absent
  const optional = new Set(
    triggers.callSecrets.filter((s) => !s.required).map((s) => s.name.toLowerCase()),
  );
  const missing = missingSecretNames(readFileSync(workflow.file, "utf8"), options.secrets ?? {});
  for (const name of missing.filter((n) => !optional.has(n.toLowerCase()))) {
    log.info(
      `  warning: secrets.${name} is used but not given (--secret ${name}=...); it evaluates to ''`,
    );
  }
  const optionalMissing = missing.filter((n) => optional.has(n.toLowerCase()));
  if (optionalMissing.length > 0)
    log.info(`  optional secrets not given (they evaluate to ''): ${optionalMissing.join(", ")}`);
}

/** The workflow's concurrency group, held across local runs; returns its release. */
async function acquireConcurrencyGroup(
  state: RunState,
  options: RunOptions,
  run: CheckedRun,
): Promise<(() => void) | undefined> {
  const concurrency = findKey(run.workflow.root, "concurrency");
  if (!concurrency) return undefined;
  const scope: EvalScope = {
    contexts: { github: githubContext(state.facts, ""), inputs: run.inputs, vars: state.vars },
    file: run.workflow.display,
  };
  const group = concurrencyGroupName(evaluateToken(concurrency, scope));
  if (!group) return undefined;
  const release = await acquireGroupLock(
    options.locksDir ?? path.join(localRunDir(options, run.checkout), "locks"),
    group,
    {
      signal: state.signal,
      onWait: (pid) =>
        state.log.info(
          `… waiting for concurrency group '${group}', held by the local run of process ${pid}`,
        ),
    },
  );
  state.log.info(`  concurrency group '${group}' acquired`);
  return release;
}

/** A called workflow's outputs, evaluated over its jobs' results. */
function workflowCallOutputs(
  state: RunState,
  run: CheckedRun,
  secrets: Record<string, string>,
  outcomes: Map<string, JobOutcome>,
): Record<string, string> {
  const jobs = Object.fromEntries(
    [...outcomes].map(([id, o]) => [id, { result: o.result, outputs: o.outputs }]),
  );
  const scope: EvalScope = {
    contexts: {
      github: githubContext(state.facts, ""),
      inputs: run.inputs,
      secrets,
      vars: state.vars,
      jobs,
    },
    file: run.workflow.display,
  };
  return Object.fromEntries(
    run.triggers.callOutputs.map((o) => [o.name, o.value ? evaluateString(o.value, scope) : ""]),
  );
}

/** The run's conclusion, its summary table in the log and the Markdown report. */
function finishRun(
  state: RunState,
  options: RunOptions,
  run: CheckedRun,
  done: {
    runDir: string;
    logFile: string;
    reportFile: string;
    started: number;
    outputs: Record<string, string>;
  },
): RunResult {
  const { log, facts } = state;
  const { runDir, logFile, reportFile, started, outputs } = done;
  const runId = facts.runId;
  const durationMs = Date.now() - started;
  const conclusion: Conclusion = state.jobs.some((j) => j.result === "failure")
    ? "failure"
    : state.signal.aborted || state.jobs.some((j) => j.result === "cancelled")
      ? "cancelled"
      : "success";
  log.summaryTable(state.jobs, conclusion, durationMs);
  const artifacts = options.results
    ? {
        service: options.results.url,
        dataDir: options.results.dataDir,
        items: options.results.artifacts().filter((a) => a.runId === runId),
      }
    : undefined;
  const report = renderReport(
    {
      workflowName: run.workflow.name,
      workflowFile: run.workflow.display,
      event: run.event,
      runId,
      conclusion,
      startedAt: started,
      durationMs,
      workspace: run.workspace,
      runDir,
      logFile,
      inputs: run.inputs,
      outputs,
      jobs: state.jobs,
      annotations: state.annotations,
      artifacts,
    },
    state.masker,
  );
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, report);
  log.info(`report: ${reportFile} · log: ${logFile} · ${formatDuration(durationMs)}`);
  return {
    runId,
    conclusion,
    jobs: state.jobs,
    annotations: state.annotations,
    outputs,
    runDir,
    reportFile,
    logFile,
    durationMs,
  };
}
