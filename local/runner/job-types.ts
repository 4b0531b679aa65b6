import type { Job, Step } from "@actions/workflow-parser/model/workflow-template";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import type { ActionManifest } from "./action-manifest.js";
import type { EvalScope } from "./expressions.js";
import type { InputValue } from "./inputs.js";
import type { LoadedWorkflow } from "./parse.js";
import type { RunState } from "./run-state.js";
import type { RunDefaults } from "./settings.js";
import type { StepHost } from "./steps/execute.js";
import type { Conclusion } from "./types.js";

// The shapes the workflow, job and step runners hand each other. They live apart from the
// runners so that a runner imports only the runners it calls, never the one that calls it.

export interface StepContextEntry {
  outputs: Record<string, string>;
  outcome: Conclusion;
  conclusion: Conclusion;
}

export interface StepRun {
  state: RunState;
  leg: JobLeg;
  host: StepHost;
  runtime: JobRuntime;
  step: Step;
  raw: MappingToken | undefined;
  scope(env: Record<string, string>): EvalScope;
  standardEnv: Record<string, string>;
  /** job id for the results service */
  backendJobId: string;
}

export interface PostStep {
  step: Step;
  index: number;
  name: string;
  manifest: ActionManifest;
  inputs: Record<string, string>;
  stepEnv: Record<string, string>;
  state: Record<string, string>;
}

export interface JobLeg {
  key: string;
  jobId: string;
  name: string;
  workflow: LoadedWorkflow;
  job: Job;
  raw: MappingToken;
  /** github/inputs/secrets/vars/needs/matrix/strategy as the job sees them */
  contexts: Record<string, unknown>;
  workflowEnv: Record<string, string>;
  workflowDefaults: RunDefaults;
  matrix?: Record<string, unknown>;
  parent?: string;
  /** aborted when the run is cancelled or fail-fast cancels the matrix */
  signal: AbortSignal;
  /** extra lines for the job header (concurrency group, ...) */
  notes?: string[];
}

/** Mutable state of a running job that steps read and update. */
export interface JobRuntime {
  status: "success" | "failure";
  /** env from workflow, job and GITHUB_ENV, for later steps */
  env: Record<string, string>;
  /** GITHUB_PATH additions, newest first */
  path: string[];
  steps: Record<string, StepContextEntry>;
  posts: PostStep[];
  defaults: RunDefaults;
}

export interface WorkflowCall {
  workflow: LoadedWorkflow;
  inputs: Record<string, InputValue>;
  secrets: Record<string, string>;
  /** prefix of job keys for a called workflow: `caller / ` */
  prefix: string;
  parent?: string;
  signal: AbortSignal;
  /** run only these job ids (--job and what it needs) */
  only?: ReadonlySet<string>;
}

export interface JobOutcome {
  result: Conclusion;
  outputs: Record<string, string>;
  /** a job this one needs, directly or not, failed (what failure() sees in a job's if:) */
  ancestorFailed: boolean;
}
