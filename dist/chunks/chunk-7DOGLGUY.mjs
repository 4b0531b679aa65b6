import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  getErrorMessage,
  isConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import {
  error,
  getState,
  saveState,
  setFailed
} from "./chunk-4EMYZHSE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/action-entry.ts
var POST_STATE = "pve-kube-is-post";
async function runAction(entry) {
  const isPost = getState(POST_STATE) === "true";
  let failed = false;
  try {
    if (isPost) {
      if (entry.post) await entry.post();
    } else {
      saveState(POST_STATE, "true");
      await entry.main();
    }
  } catch (error2) {
    failed = true;
    reportFailure(entry.name, error2);
  }
  process.exit(failed || process.exitCode ? 1 : 0);
}
__name(runAction, "runAction");
function reportFailure(actionName, error2) {
  if (isConfigurationError(error2)) {
    setFailed(`${actionName}: ${error2.message}`);
    return;
  }
  if (error2 instanceof Error && error2.stack) error(error2.stack);
  setFailed(`${actionName} failed: ${getErrorMessage(error2)}`);
}
__name(reportFailure, "reportFailure");

export {
  runAction
};
