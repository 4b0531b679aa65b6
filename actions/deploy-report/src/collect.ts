import { z } from "zod";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import {
  AVAILABLE_PHASES,
  downloadPhaseState,
  type ArtifactStore,
  type Phase,
  type PhaseState,
} from "../../lib/state/index.js";

const jobResultSchema = z.object({
  result: z.enum(["success", "failure", "cancelled", "skipped"]),
  outputs: z.record(z.string(), z.string()).default({}),
});
export type JobResult = z.infer<typeof jobResultSchema>;

/** The `needs` context as the report job sees it: job id → result and outputs. */
export function parseJobResults(json: string): Record<string, JobResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(
      `job-results is not JSON: ${getErrorMessage(error)}`,
      "pass job-results: ${{ toJSON(needs) }}",
    );
  }
  const parsed = z.record(z.string(), jobResultSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(
      `job-results: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      "pass job-results: ${{ toJSON(needs) }}",
    );
  }
  return parsed.data;
}

/** The jobs that ran a phase: the one named like it, and `<phase>-<step>` (tofu-provision-plan, …). */
export function jobsOfPhase(phase: Phase, jobs: Record<string, JobResult>): [string, JobResult][] {
  return Object.entries(jobs).filter(([id]) => id === phase || id.startsWith(`${phase}-`));
}

export type PhaseStates = { [P in Phase]?: PhaseState<P> };

/**
 * Every available phase's state artifact of this run; a phase without one (not run, failed before
 * it wrote state, or no artifact service) is simply absent — the report says so.
 */
export async function collectPhaseStates(
  cluster: string,
  store: ArtifactStore | undefined,
  logger: Logger,
): Promise<PhaseStates> {
  const states: PhaseStates = {};
  if (!store) {
    logger.info("no artifact service in this environment: the report shows job results only");
    return states;
  }
  for (const phase of AVAILABLE_PHASES) {
    try {
      Object.assign(states, { [phase]: await downloadPhaseState(cluster, phase, store) });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      logger.info(`no state of phase ${phase}: ${getErrorMessage(error)}`);
    }
  }
  return states;
}
