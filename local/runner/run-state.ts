import type { RunFacts } from "./context.js";
import type { RunLog } from "./log.js";
import type { Masker } from "./masker.js";
import type { WorkflowCache } from "./parse.js";
import type { KeyedMutex, Semaphore } from "./scheduler.js";
import type { Annotation, JobRecord, ResultsServiceLike } from "./types.js";

/** Everything a run shares across its jobs (and the jobs of reusable workflows it calls). */
export interface RunState {
  facts: RunFacts;
  vars: Record<string, string>;
  /** where the run keeps event.json, job temp folders, logs and the report */
  runDir: string;
  masker: Masker;
  log: RunLog;
  annotations: Annotation[];
  /** job records in the order the jobs started (or were skipped) */
  jobs: JobRecord[];
  results?: ResultsServiceLike;
  workflows: WorkflowCache;
  /** bounds how many jobs run at once */
  slots: Semaphore;
  /** serialises jobs of one concurrency group */
  groups: KeyedMutex;
  /** cancels the whole run (Ctrl-C) */
  signal: AbortSignal;
  /** the caller's environment, minus an outer runner's variables */
  baseEnv: Record<string, string>;
  /** job keys already used in this run */
  keys: Set<string>;
}

/** Claims a unique job key (`build (1)`, then `build (1) #2` for a duplicate matrix leg). */
export function claimKey(state: RunState, key: string): string {
  let candidate = key;
  for (let n = 2; state.keys.has(candidate); n++) candidate = `${key} #${n}`;
  state.keys.add(candidate);
  return candidate;
}

/** Registers a job that starts now: `success` until a step says otherwise. */
export function startJobRecord(
  state: RunState,
  job: Pick<JobRecord, "key" | "id" | "name" | "workflow" | "matrix" | "parent">,
): JobRecord & { startedAt: number } {
  const record: JobRecord & { startedAt: number } = {
    ...job,
    result: "success",
    startedAt: Date.now(),
    durationMs: 0,
    steps: [],
    outputs: {},
  };
  state.jobs.push(record);
  return record;
}

/** A job key safe for folder names and results-service job ids. */
export function safeName(key: string): string {
  // also the job id of results-service tokens: 1-128 of [A-Za-z0-9._-]
  return (key.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "") || "job").slice(0, 128);
}
