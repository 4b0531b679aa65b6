/**
 * Runs the tofu-provision action's code as its own process, the way a runner runs a step: inputs
 * from INPUT_* variables, log lines on stdout, outputs written as JSON to PVE_KUBE_TEST_OUTPUTS.
 * The interrupted-apply test kills this process (and the `tofu` it started) with SIGKILL.
 */
import { writeFileSync } from "node:fs";
import { ConfigurationError, getErrorMessage } from "../../../actions/lib/errors.js";
import { consoleLogger } from "../../../actions/lib/logger.js";
import { noPluginCache } from "../../../actions/lib/tofu/plugin-cache.js";
import { run } from "../../../actions/tofu-provision/src/tofu-provision-action.js";

const outputs: Record<string, string> = {};
const outputsFile = process.env.PVE_KUBE_TEST_OUTPUTS;
try {
  await run({
    env: process.env,
    logger: consoleLogger({ stream: process.stdout }),
    setOutput: (name, value) => (outputs[name] = value),
    maskSecret: () => undefined,
    pluginCache: noPluginCache,
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
