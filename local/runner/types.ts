import type { AnnotationLevel } from "./workflow-commands.js";

/** Shared records of a local run: what the scheduler, job runner, log and report exchange. */
export type Conclusion = "success" | "failure" | "cancelled" | "skipped";

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  /** job key and step name it came from */
  job?: string;
  step?: string;
}

export interface StepRecord {
  /** step id (`__run`, `__self_2` for steps without one) */
  id: string;
  name: string;
  kind: "run" | "action" | "checkout" | "post";
  outcome: Conclusion;
  conclusion: Conclusion;
  startedAt?: number;
  durationMs: number;
  outputs: Record<string, string>;
  /** step summary (GITHUB_STEP_SUMMARY), as written */
  summary: string;
  error?: string;
}

export interface JobRecord {
  /** unique within the run: `build`, `build (1, linux)`, `deploy / preflight` */
  key: string;
  /** the job id in its workflow */
  id: string;
  name: string;
  /** workflow file the job is defined in */
  workflow: string;
  matrix?: Record<string, unknown>;
  result: Conclusion;
  startedAt?: number;
  durationMs: number;
  steps: StepRecord[];
  outputs: Record<string, string>;
  environment?: string;
  /** why the job failed or was skipped */
  reason?: string;
  /** caller job key for jobs of a reusable workflow */
  parent?: string;
}

export interface ArtifactInfo {
  name: string;
  size: number;
  digest: string;
  runId: string;
  jobId?: string;
  /** where the bytes are on disk */
  file?: string;
}

/** What the runner needs of the local results service (local/results). */
export interface ResultsServiceLike {
  url: string;
  dataDir?: string;
  runtimeEnv(runId: string, jobId: string): Record<string, string>;
  artifacts(): ArtifactInfo[];
}
