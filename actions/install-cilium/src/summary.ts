import type { CiliumProfile } from "../../lib/cilium/profile.js";
import { releasePlanLine, type ReleasePlan } from "../../lib/helm/plan.js";
import type { WorkloadStatus } from "../../lib/helm/workloads.js";
import type { Timing } from "../../lib/state/index.js";

export interface SummaryInput {
  cluster: string;
  mode: "apply" | "plan";
  plan: ReleasePlan;
  chart: string;
  profile: CiliumProfile;
  changed: boolean;
  revision?: number;
  statuses: WorkloadStatus[];
  waitSeconds?: number;
  timings: Timing[];
}

function actionText(input: SummaryInput): string {
  const action = input.plan.action;
  if (input.mode === "apply") return input.changed ? action : "none (no new revision)";
  if (action === "unknown") return "install or upgrade (decided at deploy time)";
  return action === "none" ? "would change nothing" : `would ${action}`;
}

/** The job summary section of install-cilium. */
export function installCiliumSummary(input: SummaryInput): string {
  const p = input.plan;
  const lines = [
    `## install-cilium (${input.mode}) — ${input.cluster}`,
    "",
    releasePlanLine(p),
    "",
    "| | |",
    "|---|---|",
    `| chart | ${input.chart} |`,
    `| version | ${p.deployedVersion && p.deployedVersion !== p.version ? `${p.deployedVersion} → ${p.version}` : p.version} |`,
    `| values hash | ${p.deployedValuesHash && p.deployedValuesHash !== p.valuesHash ? `${p.deployedValuesHash} → ${p.valuesHash}` : p.valuesHash} |`,
    `| action | ${actionText(input)} |`,
    ...(input.revision !== undefined ? [`| revision | ${input.revision} |`] : []),
    ...(input.waitSeconds !== undefined ? [`| ready after | ${input.waitSeconds} s |`] : []),
  ];
  if (input.statuses.length > 0) {
    lines.push("", "| workload | status |", "|---|---|");
    for (const s of input.statuses)
      lines.push(
        `| ${s.ref.kind} ${s.ref.namespace}/${s.ref.name} | ${s.ready ? "✅" : "❌"} ${s.detail} |`,
      );
  }
  if (input.profile.name !== "production")
    lines.push("", `Node profile **${input.profile.name}**: ${input.profile.notes.join("; ")}.`);
  if (input.timings.length > 0) {
    lines.push("", "| step | seconds |", "|---|---|");
    for (const t of input.timings) lines.push(`| ${t.step} | ${(t.ms / 1000).toFixed(1)} |`);
  }
  return lines.join("\n");
}
