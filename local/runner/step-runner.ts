import path from "node:path";
import { isBasicExpression, isScalar, isString } from "@actions/workflow-parser";
import type { Step } from "@actions/workflow-parser/model/workflow-template";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { ConfigurationError, getErrorMessage } from "../../actions/lib/errors.js";
import { loadActionManifest } from "./action-manifest.js";
import type { EvalScope } from "./expressions.js";
import {
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateTemplateString,
  stripExpressionMarkers,
} from "./expressions.js";
import type { PostStep, StepRun } from "./job-types.js";
import { SUPPORTED_STEP_USES, classifyStepUses } from "./refs.js";
import { booleanSetting, stringSetting, timeoutMs } from "./settings.js";
import { actionInputs, runActionEntry } from "./steps/action-step.js";
import { runCheckoutStep } from "./steps/checkout-step.js";
import type { StepExecution } from "./steps/execute.js";
import { emptyFiles } from "./steps/execute.js";
import { runScriptStep } from "./steps/run-step.js";
import { findKey } from "./tokens.js";
import type { StepRecord } from "./types.js";

/**
 * One step of a job: its `if:`, its env, the kind of step (run / this checkout's action /
 * checkout), and what its file commands change for later steps (outputs, env, path, state).
 */
function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim();
}

function sourceText(token: TemplateToken): string {
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  return isScalar(token) ? token.toString() : "";
}

export function stepDisplayName(step: Step, scope: EvalScope): string {
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

/** The process environment of a step: base, env contexts, PATH additions, then the protected GITHUB_* / RUNNER_* values. */
function processEnv(run: StepRun, env: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = { ...run.state.baseEnv, ...env, ...run.standardEnv };
  const basePath = env.PATH ?? run.state.baseEnv.PATH ?? "";
  merged.PATH = [...run.runtime.path, basePath].filter((p) => p !== "").join(path.delimiter);
  return merged;
}

function unsupportedUses(name: string, uses: string, reason: string): ConfigurationError {
  return new ConfigurationError(
    `step '${name}' uses '${uses}', which the local runner cannot run: ${reason}`,
    `the local runner runs ${SUPPORTED_STEP_USES}`,
  );
}

async function dispatch(
  run: StepRun,
  name: string,
  env: Record<string, string>,
  scope: EvalScope,
  timeout: number | undefined,
  record: StepRecord,
): Promise<StepExecution> {
  const { step, raw, host } = run;
  if ("run" in step) {
    record.kind = "run";
    return runScriptStep(host, {
      step: name,
      script: evaluateString(step.run, scope),
      shell: (raw && stringSetting(raw, "shell", scope)) ?? run.runtime.defaults.shell,
      workingDirectory:
        (raw && stringSetting(raw, "working-directory", scope)) ??
        run.runtime.defaults.workingDirectory,
      env: { ...processEnv(run, env), GITHUB_ACTION: step.id },
      timeoutMs: timeout,
    });
  }
  if (!("uses" in step))
    throw new ConfigurationError(
      `step '${name}' is not a run: or uses: step; the local runner runs only those`,
    );
  const uses = step.uses.value;
  const target = classifyStepUses(uses, run.state.facts.checkout);
  const given = evaluateStringMap(raw ? findKey(raw, "with") : undefined, scope);
  if (target.kind === "unsupported") throw unsupportedUses(name, uses, target.reason);
  if (target.kind === "checkout") {
    record.kind = "checkout";
    return runCheckoutStep(host, { checkout: run.state.facts.checkout, inputs: given });
  }
  record.kind = "action";
  const manifest = loadActionManifest(target.dir, uses);
  const defaults: Record<string, string> = {};
  for (const [input, spec] of Object.entries(manifest.inputs)) {
    if (spec.default !== undefined && !(input in given))
      defaults[input] = evaluateTemplateString(spec.default, scope);
  }
  const { inputs, unexpected, missing } = actionInputs(manifest, given, defaults);
  const warn = (message: string) => {
    run.state.annotations.push({ level: "warning", message, job: host.job, step: name });
    host.log.output(host.job, `warning: ${message}`, 0);
  };
  if (unexpected.length > 0)
    warn(
      `Unexpected input(s) ${unexpected.map((u) => `'${u}'`).join(", ")}, valid inputs are [${Object.keys(
        manifest.inputs,
      )
        .map((i) => `'${i}'`)
        .join(", ")}]`,
    );
  for (const input of missing) warn(`Input required and not supplied: ${input}`);
  const spec = {
    step: name,
    stepId: step.id,
    manifest,
    inputs,
    env: processEnv(run, env),
    runtimeEnv: run.state.results?.runtimeEnv(run.state.facts.runId, run.backendJobId) ?? {},
    timeoutMs: timeout,
  };
  const execution = await runActionEntry(host, spec, manifest.main);
  if (manifest.post) {
    const stepEnv = Object.fromEntries(
      Object.entries(env).filter(([k, v]) => run.runtime.env[k] !== v),
    );
    run.runtime.posts.push({
      step,
      index: run.leg.job.steps.indexOf(step),
      name,
      manifest,
      inputs,
      stepEnv,
      state: execution.files.state,
    });
  }
  return execution;
}

/**
 * The host a step process runs with: a step running when the job is cancelled (or times out) is
 * stopped; a step that starts after that (an always() step, a post step) runs to its end, as on
 * GitHub.
 */
function withStepSignal(run: StepRun): { run: StepRun; release(): void } {
  const controller = new AbortController();
  const jobSignal = run.host.signal;
  const onAbort = () => controller.abort();
  if (!jobSignal.aborted) jobSignal.addEventListener("abort", onAbort, { once: true });
  return {
    run: { ...run, host: { ...run.host, signal: controller.signal } },
    release: () => jobSignal.removeEventListener("abort", onAbort),
  };
}

function newRecord(step: Step, name: string): StepRecord {
  return {
    id: step.id,
    name,
    kind: "run" in step ? "run" : "action",
    outcome: "skipped",
    conclusion: "skipped",
    durationMs: 0,
    outputs: {},
    summary: "",
  };
}

function shouldRun(run: StepRun, condition: string, record: StepRecord): boolean | undefined {
  try {
    return evaluateCondition(condition, run.scope(run.runtime.env));
  } catch (error) {
    record.error = getErrorMessage(error);
    return undefined;
  }
}

function finish(
  run: StepRun,
  record: StepRecord,
  execution: StepExecution,
  continueOnError: boolean,
  started: number,
): StepRecord {
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
    record.durationMs,
  );
  return record;
}

function failEarly(run: StepRun, record: StepRecord, message: string): StepExecution {
  run.host.log.output(run.host.job, `error: ${message}`, 0);
  run.state.annotations.push({ level: "error", message, job: run.host.job, step: record.name });
  return { ok: false, error: message, files: emptyFiles() };
}

export async function runStep(run: StepRun): Promise<StepRecord> {
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
  let execution: StepExecution;
  if (go === undefined) {
    execution = failEarly(run, record, record.error ?? "the if: condition failed");
  } else {
    try {
      const stepEnv = "env" in step ? evaluateStringMap(step.env, run.scope(runtime.env)) : {};
      const env = { ...runtime.env, ...stepEnv };
      const scope = run.scope(env);
      continueOnError = booleanSetting(step["continue-on-error"], scope);
      const timeout = run.raw ? timeoutMs(run.raw, scope, "step") : undefined;
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
    conclusion: result.conclusion,
  };
  return result;
}

export async function runPostStep(run: StepRun, post: PostStep): Promise<StepRecord> {
  const name = `Post ${post.name}`;
  const record: StepRecord = { ...newRecord(post.step, name), kind: "post" };
  const started = Date.now();
  const go = shouldRun(run, stripExpressionMarkers(post.manifest.postIf), record);
  if (go === false) {
    run.host.log.stepEnd(run.host.job, name, "skipped", "skipped", 0);
    return record;
  }
  run.host.log.stepStart(run.host.job, name);
  record.startedAt = started;
  let execution: StepExecution;
  if (go === undefined || !post.manifest.post) {
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
        state: post.state,
      },
      post.manifest.post,
    ).finally(() => signalled.release());
  }
  return finish(run, record, execution, false, started);
}
