/**
 * Runs the build-template action's code as its own process, the way a runner runs a step: inputs
 * from INPUT_* variables, log lines on stdout, outputs written as JSON to PVE_KUBE_TEST_OUTPUTS.
 * Its own process, as on a runner: the image upload's client and pve-sim's receiving end then
 * run on different cores instead of sharing one event loop.
 */
import { writeFileSync } from "node:fs";
import { getErrorMessage } from "../../../actions/lib/errors.js";
import { consoleLogger } from "../../../actions/lib/logger.js";
import { run } from "../../../actions/build-template/src/build-template-action.js";

const outputs: Record<string, string> = {};
const outputsFile = process.env.PVE_KUBE_TEST_OUTPUTS;
try {
  await run({
    env: process.env,
    logger: consoleLogger({ stream: process.stdout }),
    setOutput: (name, value) => (outputs[name] = value),
    maskSecret: () => undefined,
  });
  if (outputsFile) writeFileSync(outputsFile, JSON.stringify(outputs));
} catch (error) {
  if (outputsFile)
    writeFileSync(outputsFile, JSON.stringify({ ...outputs, error: getErrorMessage(error) }));
  process.stdout.write(`error: ${getErrorMessage(error)}\n`);
  process.exitCode = 1;
}
