/**
 * Runs an action's code as its own process, the way a runner runs a step: inputs from INPUT_*
 * variables, log lines on stdout, outputs written as JSON to PVE_KUBE_TEST_OUTPUTS. Which action:
 * PVE_KUBE_TEST_ACTION, `tofu-provision` (the default; the interrupted-apply test kills this
 * process and the `tofu` it started with SIGKILL) or `build-template` (the guest tests: the image
 * upload's client and pve-sim's receiving end then run on different cores instead of sharing one
 * event loop).
 */
import { writeFileSync } from "node:fs";
import { ConfigurationError, getErrorMessage } from "../../../actions/lib/errors.js";
import { consoleLogger } from "../../../actions/lib/logger.js";
import { noPluginCache } from "../../../actions/lib/tofu/plugin-cache.js";
import type { ActionDeps } from "../../../actions/lib/action-deps.js";

const actions: Record<string, () => Promise<(deps: ActionDeps) => Promise<unknown>>> = {
  "tofu-provision": async () => {
    const { run } = await import("../../../actions/tofu-provision/src/tofu-provision-action.js");
    return (deps) => run({ ...deps, pluginCache: noPluginCache });
  },
  "build-template": async () =>
    (await import("../../../actions/build-template/src/build-template-action.js")).run,
};

const outputs: Record<string, string> = {};
const outputsFile = process.env.PVE_KUBE_TEST_OUTPUTS;
try {
  const name = process.env.PVE_KUBE_TEST_ACTION ?? "tofu-provision";
  const load = actions[name];
  if (!load) throw new Error(`PVE_KUBE_TEST_ACTION=${name}: no such action here`);
  await (
    await load()
  )({
    env: process.env,
    logger: consoleLogger({ stream: process.stdout }),
    setOutput: (output, value) => (outputs[output] = value),
    maskSecret: () => undefined,
  });
  if (outputsFile) writeFileSync(outputsFile, JSON.stringify(outputs));
} catch (error) {
  const fix = error instanceof ConfigurationError && error.fix ? { fix: error.fix } : {};
  if (outputsFile)
    writeFileSync(
      outputsFile,
      JSON.stringify({ ...outputs, error: getErrorMessage(error), ...fix }),
    );
  process.stdout.write(`error: ${getErrorMessage(error)}\n`);
  process.exitCode = 1;
}
