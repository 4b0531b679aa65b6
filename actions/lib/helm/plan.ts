import { valuesHash, type HelmValues } from "./values.js";
import type { DeployedRelease } from "./release.js";

/** What `helm upgrade --install` would do to one release, decided before anything is applied. */
export type ReleaseAction = "install" | "upgrade" | "none" | "unknown";

export interface ReleasePlan {
  release: string;
  action: ReleaseAction;
  chart: string;
  /** the chart version to install, and the deployed one (when there is a release) */
  version: string;
  deployedVersion?: string;
  valuesHash: string;
  deployedValuesHash?: string;
  deployedRevision?: number;
  /** why: each difference in one short phrase (for logs, the summary and the PR comment) */
  reasons: string[];
}

/**
 * Compares the desired chart version and values with the deployed release. Unchanged version and
 * values of a `deployed` release means nothing to do: no upgrade, so no new revision and no
 * rollout. A release in any other status (failed, pending-*) is upgraded again. `deployed`
 * undefined with `reachable` false: the cluster could not be asked (plan before the cluster exists).
 */
export function planRelease(opts: {
  release: string;
  chart: string;
  version: string;
  values: HelmValues;
  deployed: DeployedRelease | undefined;
  deployedValues: HelmValues | undefined;
  reachable: boolean;
}): ReleasePlan {
  const hash = valuesHash(opts.values);
  const base = {
    release: opts.release,
    chart: opts.chart,
    version: opts.version,
    valuesHash: hash,
  };
  if (!opts.reachable)
    return { ...base, action: "unknown", reasons: ["the cluster is not reachable yet"] };
  const d = opts.deployed;
  if (!d) return { ...base, action: "install", reasons: ["not installed"] };
  const deployedHash = valuesHash(opts.deployedValues ?? {});
  const reasons: string[] = [];
  if (d.chartName !== opts.chart) reasons.push(`chart ${d.chartName} → ${opts.chart}`);
  if (d.chartVersion !== opts.version) reasons.push(`version ${d.chartVersion} → ${opts.version}`);
  if (deployedHash !== hash) reasons.push(`values ${deployedHash} → ${hash}`);
  if (d.status !== "deployed") reasons.push(`last revision ${d.revision} is ${d.status}`);
  return {
    ...base,
    action: reasons.length > 0 ? "upgrade" : "none",
    deployedVersion: d.chartVersion,
    deployedValuesHash: deployedHash,
    deployedRevision: d.revision,
    reasons,
  };
}

/** One line per plan, e.g. "cilium: upgrade 1.19.4 → 1.20.2 (values 1a2b… → 3c4d…)". */
export function releasePlanLine(plan: ReleasePlan): string {
  switch (plan.action) {
    case "none":
      return `${plan.release}: no change (${plan.chart} ${plan.version}, revision ${plan.deployedRevision}, values ${plan.valuesHash})`;
    case "install":
      return `${plan.release}: install ${plan.chart} ${plan.version} (values ${plan.valuesHash})`;
    case "upgrade":
      return `${plan.release}: upgrade revision ${plan.deployedRevision} (${plan.reasons.join("; ")})`;
    case "unknown":
      return `${plan.release}: ${plan.chart} ${plan.version}, values ${plan.valuesHash} (${plan.reasons.join("; ")}: install or upgrade decided at deploy time)`;
  }
}
