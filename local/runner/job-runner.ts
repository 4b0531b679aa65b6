import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Step } from "@actions/workflow-parser/model/workflow-template";
import { getErrorMessage } from "../../actions/lib/errors.js";
import { githubContext, runnerContext, standardEnv } from "./context.js";
import type { EvalScope, JobStatusView } from "./expressions.js";
import { evaluateStringMap } from "./expressions.js";
import { hashFiles } from "./hash-files.js";
import type { RunState } from "./run-state.js";
import { safeName, startJobRecord } from "./run-state.js";
import {
  DEFAULT_JOB_TIMEOUT_MINUTES,
  booleanSetting,
  describePermissions,
  describeRunsOn,
  environmentName,
  runDefaults,
  timeoutMs,
} from "./settings.js";
import type { JobLeg, JobRuntime, StepRun } from "./job-types.js";
import { runPostStep, runStep } from "./step-runner.js";
import type { StepHost } from "./steps/execute.js";
import { formatMinutes } from "./steps/execute.js";
import { rawSteps } from "./tokens.js";
import type { Conclusion, JobRecord } from "./types.js";

/**
 * Runs one job (one matrix leg): job env and settings, the steps in order with their `if:`
 * conditions, then the post steps in reverse order, then the job outputs. The job's status
 * (success → failure → cancelled) is what success()/failure()/cancelled() see.
 */
export function statusView(runtime: JobRuntime, signal: AbortSignal): JobStatusView {
  return {
    success: () => runtime.status === "success" && !signal.aborted,
    failure: () => runtime.status === "failure" && !signal.aborted,
    cancelled: () => signal.aborted,
  };
}

export async function runJobLeg(state: RunState, leg: JobLeg): Promise<JobRecord> {
  const record = startJobRecord(state, {
    key: leg.key,
    id: leg.jobId,
    name: leg.name,
    workflow: leg.workflow.display,
    matrix: leg.matrix,
    parent: leg.parent,
  });
  const dir = path.join(state.runDir, "jobs", safeName(leg.key));
  const temp = path.join(dir, "temp");
  mkdirSync(temp, { recursive: true });
  const cancel = jobCancellation(leg.signal);
  const runtime: JobRuntime = {
    status: "success",
    env: {},
    path: [],
    steps: {},
    posts: [],
    defaults: {},
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
    // like the hosted runner, RUNNER_TEMP goes at the end of the job: it holds the file-command
    // files, whose raw contents (summaries, state) may carry values that are masked everywhere else
    rmSync(dir, { recursive: true, force: true });
  }

  record.result = conclusion(state, leg, record, runtime, {
    timedOut: cancel.timedOut(),
    continueOnError,
    scope,
  });
  record.durationMs = Date.now() - record.startedAt;
  state.log.jobEnd(leg.key, record.result, record.durationMs, record.reason);
  return record;
}

/** The job's own abort: the run's cancellation (or fail-fast) and its timeout-minutes. */
function jobCancellation(runSignal: AbortSignal) {
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  if (runSignal.aborted) controller.abort();
  else runSignal.addEventListener("abort", onCancel, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    abortAfter(ms: number) {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
    },
    timedOut: () => timedOut,
    dispose() {
      if (timer) clearTimeout(timer);
      runSignal.removeEventListener("abort", onCancel);
    },
  };
}

/** The expression scope of the job's steps, for a given env (the contexts GitHub gives them). */
function jobScope(
  state: RunState,
  leg: JobLeg,
  runtime: JobRuntime,
  signal: AbortSignal,
  temp: string,
): (env: Record<string, string>) => EvalScope {
  return (env) => ({
    contexts: {
      ...leg.contexts,
      github: githubContext(state.facts, leg.jobId),
      env,
      steps: runtime.steps,
      job: {
        status: signal.aborted ? "cancelled" : runtime.status,
        container: {},
        services: {},
      },
      runner: runnerContext(state.facts, temp),
    },
    status: statusView(runtime, signal),
    hashFiles: (patterns) => hashFiles(state.facts.workspace, patterns),
    file: leg.workflow.display,
  });
}

/** Evaluates the job-level settings into the runtime and writes the job's header to the log. */
function startJob(
  state: RunState,
  leg: JobLeg,
  record: JobRecord,
  runtime: JobRuntime,
  scope: EvalScope,
): { continueOnError: boolean; timeoutMs: number } {
  const continueOnError = booleanSetting(leg.raw.find("continue-on-error"), scope);
  const timeout = timeoutMs(leg.raw, scope, "job") ?? DEFAULT_JOB_TIMEOUT_MINUTES * 60_000;
  runtime.defaults = runDefaults(leg.raw, scope, leg.workflowDefaults);
  const environment = environmentName(leg.job.environment, scope);
  if (environment) record.environment = environment.name;
  runtime.env = { ...leg.workflowEnv, ...evaluateStringMap(leg.job.env, scope) };

  const details = [
    ...(leg.notes ?? []),
    `runs-on: ${describeRunsOn(leg.job["runs-on"], scope) ?? "(none)"} → this machine (${process.platform}/${process.arch})`,
  ];
  const permissions = describePermissions(leg.raw) ?? describePermissions(leg.workflow.root);
  if (permissions)
    details.push(`permissions: ${permissions} (not enforced locally: there is no GITHUB_TOKEN)`);
  if (environment)
    details.push(
      `environment: ${environment.name}${environment.url ? ` (${environment.url})` : ""} — approval granted automatically for this local run`,
    );
  state.log.jobStart(leg.key, details);
  return { continueOnError, timeoutMs: timeout };
}

/** The steps in order, then the post steps in reverse order, each recorded. */
async function runSteps(
  state: RunState,
  leg: JobLeg,
  record: JobRecord,
  runtime: JobRuntime,
  scope: (env: Record<string, string>) => EvalScope,
  { temp, signal }: { temp: string; signal: AbortSignal },
): Promise<void> {
  const host: StepHost = {
    job: leg.key,
    workspace: state.facts.workspace,
    temp,
    log: state.log,
    masker: state.masker,
    annotations: state.annotations,
    signal,
  };
  const raws = rawSteps(leg.raw);
  const standard = standardEnv(state.facts, leg.jobId, temp);
  const stepRun = (step: Step, index: number): StepRun => ({
    state,
    leg,
    host,
    runtime,
    step,
    raw: raws[index],
    scope,
    standardEnv: standard,
    backendJobId: safeName(leg.key),
  });
  for (const [index, step] of leg.job.steps.entries()) {
    record.steps.push(await runStep(stepRun(step, index)));
  }
  for (const post of [...runtime.posts].reverse()) {
    record.steps.push(await runPostStep(stepRun(post.step, post.index), post));
  }
}

/** The job's result: a timeout fails it, cancellation cancels it, continue-on-error tolerates. */
function conclusion(
  state: RunState,
  leg: JobLeg,
  record: JobRecord,
  runtime: JobRuntime,
  ended: {
    timedOut: boolean;
    continueOnError: boolean;
    scope: (env: Record<string, string>) => EvalScope;
  },
): Conclusion {
  let result: Conclusion = runtime.status;
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

/** Job outputs; like GitHub, an output that contains a secret is dropped with a warning. */
function jobOutputs(state: RunState, leg: JobLeg, scope: EvalScope): Record<string, string> {
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
