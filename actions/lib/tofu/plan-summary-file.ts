import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { RefreshOnlyResult } from "./refresh-only.js";
import type { PlanSummary } from "./plan-summary.js";

/**
 * The plan summary of tofu-provision's plan mode as JSON in the job's temp folder, where a later
 * step of the same job (github-report's plan-render) reads it for the PR comment. A file, never a
 * step output or an environment variable: plans outgrow both (E2BIG, the 1 MB output limit).
 */
export function planSummaryPath(cluster: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(
    // outside a runner (tests, a local call): the system's temp folder, never the working tree
    env.RUNNER_TEMP ?? os.tmpdir(),
    "pve-kube",
    cluster,
    "tofu-plan-summary.json",
  );
}

export interface PlanSummaryFile {
  cluster: string;
  sha256?: string;
  refusal?: string;
  summary: PlanSummary;
  /** the refresh-only pass (drift checks): what changed outside OpenTofu */
  refreshOnly?: RefreshOnlyResult;
}

export async function writePlanSummaryFile(
  content: PlanSummaryFile,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const file = planSummaryPath(content.cluster, env);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export async function readPlanSummaryFile(
  cluster: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PlanSummaryFile | undefined> {
  try {
    return JSON.parse(await readFile(planSummaryPath(cluster, env), "utf8")) as PlanSummaryFile;
  } catch {
    return undefined;
  }
}
