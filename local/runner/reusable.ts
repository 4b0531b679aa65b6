import type {
  ReusableWorkflowJob,
  WorkflowJob,
} from "@actions/workflow-parser/model/workflow-template";
import { getErrorMessage } from "../../actions/lib/errors.js";
import { githubContext } from "./context.js";
import type { EvalScope } from "./expressions.js";
import { evaluateString, evaluateStringMap, evaluateToken } from "./expressions.js";
import type { InputValue } from "./inputs.js";
import { checkSecrets, resolveInputs } from "./inputs.js";
import type { LoadedWorkflow } from "./parse.js";
import { classifyWorkflowUses } from "./refs.js";
import { startJobRecord, type RunState } from "./run-state.js";
import { readTriggers } from "./triggers.js";
import type { Triggers } from "./triggers.js";
import type { Conclusion, JobRecord } from "./types.js";
import type { JobOutcome, WorkflowCall } from "./job-types.js";

/**
 * A job that calls a reusable workflow (`uses: ./.github/workflows/x.yml` or
 * `<owner>/pve-kube/.github/workflows/x.yml@ref`): `with:` and `secrets:` (or `secrets: inherit`)
 * are checked against the callee's `on.workflow_call`, its jobs run as `caller / job`, and its
 * `outputs` are evaluated from their `jobs` context.
 */
export interface ReusableLeg {
  call: WorkflowCall;
  job: WorkflowJob;
  key: string;
  name: string;
  matrix?: Record<string, unknown>;
  contexts: Record<string, unknown>;
  signal: AbortSignal;
  notes: string[];
}

type RunJobGraph = (state: RunState, call: WorkflowCall) => Promise<Map<string, JobOutcome>>;

function calleeInputs(
  state: RunState,
  job: ReusableWorkflowJob,
  scope: EvalScope,
  triggers: Triggers,
): { inputs: Record<string, InputValue>; problems: string[] } {
  const given: Record<string, unknown> = {};
  for (const pair of job["input-values"] ?? [])
    given[pair.key.toString()] = evaluateToken(pair.value, scope);
  const defaultScope: EvalScope = {
    contexts: { github: githubContext(state.facts, ""), inputs: {}, vars: state.vars },
    file: scope.file,
  };
  const resolved = resolveInputs(triggers.callInputs, given, {
    source: "with:",
    evaluateDefault: (token) => evaluateToken(token, defaultScope),
  });
  return { inputs: resolved.values, problems: resolved.problems };
}

function calleeOutputs(
  state: RunState,
  callee: LoadedWorkflow,
  triggers: Triggers,
  inputs: Record<string, InputValue>,
  secrets: Record<string, string>,
  outcomes: Map<string, JobOutcome>,
): Record<string, string> {
  const jobs = Object.fromEntries(
    [...outcomes].map(([id, o]) => [id, { result: o.result, outputs: o.outputs }]),
  );
  const scope: EvalScope = {
    contexts: { github: githubContext(state.facts, ""), inputs, secrets, vars: state.vars, jobs },
    file: callee.display,
  };
  const outputs: Record<string, string> = {};
  for (const output of triggers.callOutputs)
    outputs[output.name] = output.value ? evaluateString(output.value, scope) : "";
  return outputs;
}

export async function runReusableLeg(
  state: RunState,
  leg: ReusableLeg,
  runJobGraph: RunJobGraph,
): Promise<JobRecord> {
  const job = leg.job as ReusableWorkflowJob;
  const record = startJobRecord(state, {
    key: leg.key,
    id: job.id.value,
    name: leg.name,
    workflow: leg.call.workflow.display,
    matrix: leg.matrix,
    parent: leg.call.parent,
  });
  const started = record.startedAt;
  const scope: EvalScope = { contexts: leg.contexts, file: leg.call.workflow.display };
  let result: Conclusion;
  try {
    const target = classifyWorkflowUses(job.ref.value, state.facts.checkout);
    if (target.kind === "unsupported")
      throw new Error(`reusable workflow '${job.ref.value}' cannot run locally: ${target.reason}`);
    const callee = await state.workflows.load(target.file);
    const triggers = readTriggers(callee.root);
    if (!triggers.events.includes("workflow_call"))
      throw new Error(`${callee.display} has no on.workflow_call, so it cannot be called`);
    const secrets = job["inherit-secrets"]
      ? { ...leg.call.secrets }
      : evaluateStringMap(job["secret-values"], scope);
    for (const value of Object.values(secrets)) state.masker.add(value);
    const { inputs, problems } = calleeInputs(state, job, scope, triggers);
    problems.push(...checkSecrets(triggers.callSecrets, secrets, "secrets:"));
    if (problems.length > 0) throw new Error(`calling ${callee.display}: ${problems.join("; ")}`);

    state.log.jobStart(leg.key, [
      ...leg.notes,
      `calls reusable workflow ${callee.display}${job["inherit-secrets"] ? " (secrets: inherit)" : ""}`,
    ]);
    const outcomes = await runJobGraph(state, {
      workflow: callee,
      inputs,
      secrets,
      prefix: `${leg.key} / `,
      parent: leg.key,
      signal: leg.signal,
    });
    const results = [...outcomes.values()];
    result = results.some((o) => o.result === "failure")
      ? "failure"
      : results.some((o) => o.result === "cancelled") || leg.signal.aborted
        ? "cancelled"
        : "success";
    record.outputs = calleeOutputs(state, callee, triggers, inputs, secrets, outcomes);
    for (const [name, value] of Object.entries(record.outputs)) {
      if (state.masker.containsSecret(value)) {
        delete record.outputs[name];
        state.annotations.push({
          level: "warning",
          message: `Skip output '${name}' since it may contain secret.`,
          job: leg.key,
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
