import { loadClusterConfig } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import { readPlanSummaryFile } from "../../lib/tofu/plan-summary-file.js";
import type { GitHubReportDeps } from "./deps.js";
import type { GitHubReportInputs } from "./inputs.js";
import { reviewedDigest } from "./reviewed-digest.js";

/**
 * verify-reviewed: in deploy's plan job, right after tofu-provision's plan step, proves the plan
 * about to be applied is the one a reviewer saw in the PR comment: the digest of this cluster.yaml
 * and this plan's VM changes must equal `reviewed-digest` (the comment shows it; plan.yml outputs
 * it). A mismatch fails the plan job, so the apply job never starts; the output
 * `failure-reason=plan-changed` lets a caller branch without reading logs.
 */
export async function verifyReviewed(
  inputs: GitHubReportInputs,
  deps: GitHubReportDeps,
): Promise<void> {
  const { env, logger } = deps;
  const wanted = inputs["reviewed-digest"]?.trim().toLowerCase();
  if (!inputs.cluster || !wanted)
    throw new ConfigurationError(
      "verify-reviewed needs the cluster and reviewed-digest inputs",
      "pass cluster: <path of cluster.yaml> and reviewed-digest: <the digest in the PR plan comment>",
    );
  if (!/^[0-9a-f]{64}$/.test(wanted))
    throw new ConfigurationError(
      `reviewed-digest '${wanted}' is not a SHA-256`,
      "copy the 64 hex digits after 'reviewed digest' in the PR plan comment (or plan.yml's reviewed-digest output)",
    );
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const tofu = await readPlanSummaryFile(loaded.plan.cluster, env);
  if (!tofu)
    throw new ConfigurationError(
      "verify-reviewed found no OpenTofu plan in this job",
      "run it in the same job as tofu-provision (mode: plan), after that step",
    );
  const digest = reviewedDigest({ config: loaded.config, vms: tofu.summary.vms });
  deps.setOutput("reviewed-digest", digest);
  if (digest !== wanted) {
    deps.setOutput("failure-reason", "plan-changed");
    throw new Error(
      `this plan is not the reviewed one: reviewed digest ${wanted}, this plan ${digest} — cluster.yaml or the OpenTofu state changed since the review. Nothing was applied; plan the pull request again (or deploy without reviewed-digest to apply a fresh plan)`,
    );
  }
  logger.info(`the plan is the reviewed one (reviewed digest ${digest})`);
}
