import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/tofu/plan-summary-file.ts
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
function planSummaryPath(cluster, env = process.env) {
  return path.join(
    // outside a runner (tests, a local call): the system's temp folder, never the working tree
    env.RUNNER_TEMP ?? os.tmpdir(),
    "pve-kube",
    cluster,
    "tofu-plan-summary.json"
  );
}
__name(planSummaryPath, "planSummaryPath");
async function writePlanSummaryFile(content, env = process.env) {
  const file = planSummaryPath(content.cluster, env);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}
`, { mode: 384 });
  return file;
}
__name(writePlanSummaryFile, "writePlanSummaryFile");
async function readPlanSummaryFile(cluster, env = process.env) {
  try {
    return JSON.parse(await readFile(planSummaryPath(cluster, env), "utf8"));
  } catch {
    return void 0;
  }
}
__name(readPlanSummaryFile, "readPlanSummaryFile");

export {
  writePlanSummaryFile,
  readPlanSummaryFile
};
