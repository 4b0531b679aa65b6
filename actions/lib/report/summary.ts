import { appendFile } from "node:fs/promises";
import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Appends a section to the job summary (GITHUB_STEP_SUMMARY). Best effort: a summary that cannot
 * be written is a warning, never the reason a deploy fails.
 */
export async function appendJobSummary(
  markdown: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) {
    logger.debug("no GITHUB_STEP_SUMMARY file: job summary skipped");
    return;
  }
  try {
    await appendFile(file, `${markdown.trimEnd()}\n\n`, "utf8");
  } catch (error) {
    logger.warning(`could not write the job summary: ${getErrorMessage(error)}`);
  }
}
