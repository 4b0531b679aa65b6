/** The local workflow runner: `runWorkflow` runs a workflow file job by job with the real runner contract. */
export { runWorkflow, DEFAULT_MAX_PARALLEL } from "./run-workflow.js";
export type { RunOptions, RunResult } from "./run-workflow.js";
export { EVENT_NAMES } from "./context.js";
export { checkoutOf, loadWorkflow, WorkflowCache } from "./parse.js";
export { killAllStepProcesses } from "./process.js";
export type { EventName } from "./context.js";
export type {
  Annotation,
  ArtifactInfo,
  Conclusion,
  JobRecord,
  ResultsServiceLike,
  StepRecord,
} from "./types.js";
