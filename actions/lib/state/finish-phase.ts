import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { appendJobSummary } from "../report/summary.js";
import { finishedPhaseState, phaseArtifactName, type PhaseState } from "./phase-state.js";
import { uploadPhaseState, type ArtifactStore } from "./phase-state-artifacts.js";
import type { Phase } from "./phases.js";

export interface PhaseFinish<P extends Phase> {
  plan: { cluster: string; uid: string };
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** undefined where the runner has no artifact service: the state is then only named */
  artifactStore: ArtifactStore | undefined;
  /** why this job uploads no phase state even with an artifact service (a preview plan) */
  noUploadBecause?: string;
  /** the job summary's Markdown */
  summary: string;
  /** what the phase state records of this run */
  state: Pick<PhaseState<P>, "phase" | "status" | "startedAt" | "timings" | "outputs">;
  /** signs the state (the job holds the state key) */
  stateKey?: string | undefined;
  /**
   * a failed upload becomes a warning instead of failing the step: for a phase that fails
   * anyway, whose own failure is what the step must report
   */
  uploadFailureIsWarning?: boolean;
}

/**
 * The tail every phase shares: the job summary, then the phase state uploaded as the artifact
 * later jobs read (or a line saying why not). Returns the state artifact's name.
 */
export async function finishPhase<P extends Phase>(finish: PhaseFinish<P>): Promise<string> {
  const { logger, state } = finish;
  await appendJobSummary(finish.summary, logger, finish.env);
  const name = phaseArtifactName(finish.plan.cluster, state.phase);
  if (finish.noUploadBecause) {
    logger.info(`${state.phase} state not uploaded: ${finish.noUploadBecause}`);
    return name;
  }
  if (!finish.artifactStore) {
    logger.info(`no artifact service in this environment: ${state.phase} state not uploaded`);
    return name;
  }
  try {
    return await uploadPhaseState(
      finishedPhaseState(finish.plan, finish.env, state),
      finish.artifactStore,
      logger,
      { stateKey: finish.stateKey },
    );
  } catch (error) {
    if (!finish.uploadFailureIsWarning) throw error;
    logger.warning(`could not upload the ${state.phase} state: ${getErrorMessage(error)}`);
    return name;
  }
}
