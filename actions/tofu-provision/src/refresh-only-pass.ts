import { rm } from "node:fs/promises";
import path from "node:path";
import { summariseRefreshOnly, type RefreshOnlyResult } from "../../lib/tofu/refresh-only.js";
import type { Logger } from "../../lib/logger.js";
import type { StepTimer } from "../../lib/state/index.js";
import type { PreparedTofu } from "./prepare.js";

const REFRESH_PLAN_FILE = "pve-kube-refresh-only.tfplan";

/**
 * `tofu plan -refresh-only -detailed-exitcode`: what changed outside OpenTofu since the last
 * apply, on its own — the normal plan mixes it with what cluster.yaml's edits change. The plan
 * file is only read (show -json) and removed; nothing is applied, the state is not written.
 */
export async function refreshOnlyPass(ctx: {
  tofu: PreparedTofu;
  logger: Logger;
  timer: StepTimer;
  parallelism: number;
  lockTimeout: string;
}): Promise<RefreshOnlyResult> {
  const { runner, workspace } = ctx.tofu;
  const file = path.join(workspace.dir, REFRESH_PLAN_FILE);
  await rm(file, { force: true });
  try {
    const { hasChanges } = await ctx.logger.group("plan (refresh-only)", () =>
      ctx.timer.time("plan (refresh-only)", () =>
        runner.plan({
          out: file,
          varFile: workspace.varFile,
          refreshOnly: true,
          parallelism: ctx.parallelism,
          lockTimeout: ctx.lockTimeout,
        }),
      ),
    );
    const json = await runner.showPlan(file);
    const result = summariseRefreshOnly(json, hasChanges);
    ctx.logger.info(
      result.drifted.length
        ? `changed outside OpenTofu: ${result.drifted.map((d) => `${d.name} (${d.action}${d.changedAttributes.length ? `: ${d.changedAttributes.join(", ")}` : ""})`).join("; ")}`
        : "refresh-only plan: nothing changed outside OpenTofu",
    );
    return result;
  } finally {
    await rm(file, { force: true });
  }
}
