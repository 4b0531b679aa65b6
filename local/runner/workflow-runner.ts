import type { WorkflowJob } from "@actions/workflow-parser/model/workflow-template";
import { getErrorMessage } from "../../actions/lib/errors.js";
import { githubContext } from "./context.js";
import type { EvalScope, JobStatusView } from "./expressions.js";
import {
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
} from "./expressions.js";
import type { JobOutcome, WorkflowCall } from "./job-types.js";
import { runJobLeg } from "./job-runner.js";
import { expandMatrix, matrixLegName } from "./matrix.js";
import type { MatrixCombination } from "./matrix.js";
import { runReusableLeg } from "./reusable.js";
import type { RunState } from "./run-state.js";
import { claimKey } from "./run-state.js";
import { Semaphore } from "./scheduler.js";
import type { RunDefaults } from "./settings.js";
import { concurrencyGroupName, runDefaults } from "./settings.js";
import type { Conclusion, JobRecord } from "./types.js";

/**
 * Runs the jobs of one workflow (the one given, or one called with `uses:`): each job starts when
 * its `needs` are done, its `if:` decides, its strategy expands into matrix legs; legs run
 * through the run-wide slot limit, per-job max-parallel, fail-fast and concurrency groups.
 */
/** Shared by the legs of one job: the evaluated pieces every leg builds on. */
export interface JobPlan {
  call: WorkflowCall;
  job: WorkflowJob;
  needs: Record<string, { result: Conclusion; outputs: Record<string, string> }>;
  workflowEnv: Record<string, string>;
  workflowDefaults: RunDefaults;
}

function aggregate(records: readonly { result: Conclusion }[]): Conclusion {
  if (records.some((r) => r.result === "failure")) return "failure";
  if (records.some((r) => r.result === "cancelled")) return "cancelled";
  if (records.length > 0 && records.every((r) => r.result === "skipped")) return "skipped";
  return "success";
}

function mergeOutputs(records: readonly JobRecord[]): Record<string, string> {
  const outputs: Record<string, string> = {};
  const finished = [...records].sort(
    (a, b) => (a.startedAt ?? 0) + a.durationMs - ((b.startedAt ?? 0) + b.durationMs),
  );
  for (const record of finished) {
    for (const [name, value] of Object.entries(record.outputs))
      if (value !== "" || !(name in outputs)) outputs[name] = value;
  }
  return outputs;
}

/** A job that did not run (if: false, cancelled before start, or failed before its first step). */
function recordWithoutRun(
  state: RunState,
  call: WorkflowCall,
  job: WorkflowJob,
  result: Conclusion,
  reason?: string,
): JobRecord {
  const key = claimKey(state, `${call.prefix}${job.id.value}`);
  const record: JobRecord = {
    key,
    id: job.id.value,
    name: key,
    workflow: call.workflow.display,
    result,
    durationMs: 0,
    steps: [],
    outputs: {},
    reason,
    parent: call.parent,
  };
  state.jobs.push(record);
  if (reason && result === "failure")
    state.annotations.push({ level: "error", message: reason, job: key });
  state.log.jobEnd(key, result, 0, reason);
  return record;
}

function strategyOf(
  job: WorkflowJob,
  scope: EvalScope,
): { legs: (MatrixCombination | undefined)[]; failFast: boolean; maxParallel?: number } {
  if (!job.strategy) return { legs: [undefined], failFast: true };
  const strategy = (evaluateToken(job.strategy, scope) ?? {}) as Record<string, unknown>;
  const legs = strategy.matrix === undefined ? [undefined] : expandMatrix(strategy.matrix);
  if (legs.length === 0) throw new Error(`job '${job.id.value}': the matrix has no combinations`);
  const maxParallel =
    strategy["max-parallel"] === undefined ? undefined : Number(strategy["max-parallel"]);
  return {
    legs,
    failFast: strategy["fail-fast"] !== false && strategy["fail-fast"] !== "false",
    maxParallel,
  };
}

/** `concurrency:` of a job → its group name (cancel-in-progress is not applied to jobs of one local run). */
function concurrencyGroup(job: WorkflowJob, scope: EvalScope): string | undefined {
  if (!job.concurrency) return undefined;
  return concurrencyGroupName(evaluateToken(job.concurrency, scope));
}

async function runJob(
  state: RunState,
  plan: JobPlan,
  outcomesOfNeeds: Map<string, JobOutcome>,
): Promise<JobOutcome> {
  const { call, job } = plan;
  const needsOutcomes = [...outcomesOfNeeds.values()];
  const ancestorFailed = needsOutcomes.some((o) => o.result === "failure" || o.ancestorFailed);
  const status: JobStatusView = {
    success: () => !call.signal.aborted && needsOutcomes.every((o) => o.result === "success"),
    failure: () => !call.signal.aborted && ancestorFailed,
    cancelled: () => call.signal.aborted,
  };
  const baseContexts = {
    inputs: call.inputs,
    secrets: call.secrets,
    vars: state.vars,
    needs: plan.needs,
  };
  const jobScope: EvalScope = {
    contexts: { ...baseContexts, github: githubContext(state.facts, job.id.value) },
    status,
    file: call.workflow.display,
  };

  let run: boolean;
  let strategy: ReturnType<typeof strategyOf>;
  try {
    run = evaluateCondition(job.if.expression, jobScope);
    strategy = run ? strategyOf(job, jobScope) : { legs: [], failFast: true };
  } catch (error) {
    recordWithoutRun(state, call, job, "failure", getErrorMessage(error));
    return { result: "failure", outputs: {}, ancestorFailed };
  }
  if (!run) {
    const result = call.signal.aborted ? "cancelled" : "skipped";
    const reason = call.signal.aborted
      ? "the run was cancelled"
      : `if: ${job.if.expression} was false`;
    recordWithoutRun(state, call, job, result, reason);
    return { result, outputs: {}, ancestorFailed };
  }

  const failFast = new AbortController();
  const cancelLegs = () => failFast.abort();
  if (call.signal.aborted) failFast.abort();
  else call.signal.addEventListener("abort", cancelLegs, { once: true });
  const legLimit = new Semaphore(Math.max(1, strategy.maxParallel ?? strategy.legs.length));
  const total = strategy.legs.length;

  const records = await Promise.all(
    strategy.legs.map((matrix, index) =>
      legLimit.run(async (): Promise<JobRecord> => {
        const key = claimKey(state, `${call.prefix}${matrixLegName(job.id.value, matrix)}`);
        const contexts: Record<string, unknown> = {
          ...baseContexts,
          matrix: matrix ?? {},
          strategy: {
            "fail-fast": strategy.failFast,
            "job-index": index,
            "job-total": total,
            "max-parallel": strategy.maxParallel ?? total,
          },
        };
        const legScope: EvalScope = {
          ...jobScope,
          contexts: { ...jobScope.contexts, ...contexts },
        };
        let name = key;
        try {
          if (job.name && job.name.toString() !== job.id.value)
            name = `${call.prefix}${evaluateString(job.name, legScope)}`;
        } catch {
          // a name that cannot be evaluated keeps the key
        }
        const group = concurrencyGroup(job, legScope);
        const notes = group ? [`concurrency group: ${group}`] : [];
        const start = () => {
          if (failFast.signal.aborted) {
            const record: JobRecord = {
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
              parent: call.parent,
            };
            state.jobs.push(record);
            state.log.jobEnd(key, "cancelled", 0, record.reason);
            return Promise.resolve(record);
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
                notes,
              },
              runJobGraph,
            );
          }
          const raw = call.workflow.jobs.get(job.id.value);
          if (!raw)
            throw new Error(
              `job '${job.id.value}' not found in the parsed ${call.workflow.display}`,
            );
          return state.slots.run(() =>
            runJobLeg(state, {
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
              notes,
            }),
          );
        };
        const record = group
          ? await state.groups.run(group, start, () =>
              state.log.info(`… ${key} waits for concurrency group '${group}'`),
            )
          : await start();
        if (record.result === "failure" && strategy.failFast && total > 1) failFast.abort();
        return record;
      }),
    ),
  );
  call.signal.removeEventListener("abort", cancelLegs);
  return { result: aggregate(records), outputs: mergeOutputs(records), ancestorFailed };
}

/** Runs every job of a workflow (or the --job selection); resolves when all have finished. */
export async function runJobGraph(
  state: RunState,
  call: WorkflowCall,
): Promise<Map<string, JobOutcome>> {
  const { workflow } = call;
  const scope: EvalScope = {
    contexts: {
      github: githubContext(state.facts, ""),
      inputs: call.inputs,
      secrets: call.secrets,
      vars: state.vars,
    },
    file: workflow.display,
  };
  const workflowEnv = evaluateStringMap(workflow.template.env, scope);
  const workflowDefaults = runDefaults(workflow.root, scope);
  const jobs = new Map(workflow.template.jobs.map((job) => [job.id.value, job]));
  const outcomes = new Map<string, Promise<JobOutcome>>();

  const outcomeOf = (id: string): Promise<JobOutcome> => {
    let outcome = outcomes.get(id);
    if (outcome) return outcome;
    const job = jobs.get(id);
    if (!job) return Promise.resolve({ result: "skipped", outputs: {}, ancestorFailed: false });
    outcome = (async () => {
      const needIds = (job.needs ?? []).map((n) => n.value);
      const results = await Promise.all(needIds.map((need) => outcomeOf(need)));
      const needOutcomes = new Map(needIds.map((need, i) => [need, results[i] as JobOutcome]));
      const needs = Object.fromEntries(
        [...needOutcomes].map(([need, o]) => [need, { result: o.result, outputs: o.outputs }]),
      );
      return runJob(state, { call, job, needs, workflowEnv, workflowDefaults }, needOutcomes);
    })();
    outcomes.set(id, outcome);
    return outcome;
  };

  const selected = workflow.template.jobs.filter(
    (job) => !call.only || call.only.has(job.id.value),
  );
  await Promise.all(selected.map((job) => outcomeOf(job.id.value)));
  const result = new Map<string, JobOutcome>();
  for (const [id, outcome] of outcomes) result.set(id, await outcome);
  return result;
}
