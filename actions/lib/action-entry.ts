import * as core from "@actions/core";
import { getErrorMessage, isConfigurationError } from "./errors.js";

const POST_STATE = "pve-kube-is-post";

export interface ActionEntry {
  /** action name, used as the prefix of a failure message */
  name: string;
  main: () => Promise<void>;
  /** optional post step; runs in a new process after all job steps */
  post?: () => Promise<void>;
}

/**
 * The one entry wrapper every action uses: it tells main from post by a saved state, turns a thrown
 * user mistake into a failure message without a stack, keeps the stack of a bug, and exits
 * explicitly so that dangling sockets (artifact/cache clients) cannot keep the step alive.
 */
export async function runAction(entry: ActionEntry): Promise<void> {
  const isPost = core.getState(POST_STATE) === "true";
  let failed = false;
  try {
    if (isPost) {
      if (entry.post) await entry.post();
    } else {
      core.saveState(POST_STATE, "true");
      await entry.main();
    }
  } catch (error) {
    failed = true;
    reportFailure(entry.name, error);
  }
  process.exit(failed || process.exitCode ? 1 : 0);
}

export function reportFailure(actionName: string, error: unknown): void {
  if (isConfigurationError(error)) {
    core.setFailed(`${actionName}: ${error.message}`);
    return;
  }
  if (error instanceof Error && error.stack) core.error(error.stack);
  core.setFailed(`${actionName} failed: ${getErrorMessage(error)}`);
}
