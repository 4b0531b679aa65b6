import * as core from "@actions/core";
import { actionsLogger, type Logger } from "./logger.js";
import { defaultArtifactStore, type ArtifactStore } from "./state/index.js";

/** What every action touches outside its logic; each action's deps add their own seams. */
export interface ActionDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  setOutput: (name: string, value: string) => void;
  maskSecret: (secret: string) => void;
  /** undefined: no artifact service in this environment; phase state is not stored */
  artifactStore?: ArtifactStore;
}

/** The runner's own: @actions/core for outputs and masks, the artifact service when the runner offers one. */
export function actionDeps(env: NodeJS.ProcessEnv = process.env): ActionDeps {
  return {
    env,
    logger: actionsLogger,
    setOutput: (name, value) => core.setOutput(name, value),
    maskSecret: (secret) => core.setSecret(secret),
    ...(env.ACTIONS_RUNTIME_TOKEN ? { artifactStore: defaultArtifactStore() } : {}),
  };
}
