import path from "node:path";
import { createStepFiles, readStepFiles } from "../file-commands.js";
import type { StepFileResults } from "../file-commands.js";
import type { RunLog } from "../log.js";
import type { Masker } from "../masker.js";
import { runStepProcess } from "../process.js";
import { StepIo } from "../step-io.js";
import type { Annotation } from "../types.js";

/**
 * What every step runner shares: the job's identity, folders, log, masker, annotations and
 * cancellation; and the one way a step process is run (fresh file-command files, output through
 * StepIo, files read back after exit).
 */
export interface StepHost {
  /** job key, for the log */
  job: string;
  workspace: string;
  /** RUNNER_TEMP of the job */
  temp: string;
  log: RunLog;
  masker: Masker;
  annotations: Annotation[];
  signal: AbortSignal;
}

export interface StepExecution {
  ok: boolean;
  /** why the step failed (exit code, timeout, spawn error) */
  error?: string;
  cancelled?: boolean;
  files: StepFileResults;
}

export interface ProcessSpec {
  step: string;
  command: string;
  args: string[];
  cwd: string;
  /** complete environment, without the file-command variables (added here) */
  env: Record<string, string>;
  timeoutMs?: number;
}

export function emptyFiles(): StepFileResults {
  return { outputs: {}, env: {}, path: [], state: {}, summary: "", problems: [] };
}

export async function executeStepProcess(
  host: StepHost,
  spec: ProcessSpec,
): Promise<StepExecution> {
  const files = createStepFiles(path.join(host.temp, "_runner_file_commands"));
  const io = new StepIo(host.job, spec.step, host.log, host.masker, host.annotations);
  const result = await runStepProcess({
    command: spec.command,
    args: spec.args,
    cwd: spec.cwd,
    env: { ...spec.env, ...files },
    signal: host.signal,
    timeoutMs: spec.timeoutMs,
    onLine: io.line,
  });
  const read = readStepFiles(files);
  for (const problem of read.problems) io.annotate("error", problem);
  let error: string | undefined;
  if (result.spawnError) error = `could not start ${spec.command}: ${result.spawnError}`;
  else if (result.cancelled) error = "the step was cancelled";
  else if (result.timedOut)
    error = `the step exceeded its timeout of ${formatMinutes(spec.timeoutMs ?? 0)}`;
  else if (result.exitCode !== 0)
    error = `Process completed with exit code ${result.exitCode ?? `null (signal ${result.signal ?? "?"})`}.`;
  if (error && !result.cancelled) io.annotate("error", error);
  return { ok: error === undefined, error, cancelled: result.cancelled, files: read };
}

export function formatMinutes(ms: number): string {
  const minutes = ms / 60000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(2)} minute${minutes === 1 ? "" : "s"}`;
}
