import type { WorkloadStatus } from "../../lib/helm/workloads.js";
import type { Timing } from "../../lib/state/index.js";
import { objectsPlanLine, type ServicesPlan } from "../../lib/services/plan.js";

export interface SummaryInput {
  cluster: string;
  mode: "apply" | "plan";
  plan: ServicesPlan;
  /** chart source per release id (repository or local folder) */
  charts: Record<string, string>;
  revisions: Record<string, number | undefined>;
  changed: Record<string, boolean>;
  statuses: Record<string, WorkloadStatus[]>;
  timings: Timing[];
}

function actionCell(mode: "apply" | "plan", action: string, changed: boolean | undefined): string {
  if (mode === "apply") return changed ? action : "none (no new revision)";
  if (action === "unknown") return "install or upgrade (decided at deploy time)";
  return action === "none" ? "would change nothing" : `would ${action}`;
}

/** The job summary section of deploy-services. */
export function deployServicesSummary(input: SummaryInput): string {
  const lines = [`## deploy-services (${input.mode}) — ${input.cluster}`, ""];
  if (input.plan.releases.length === 0 && input.plan.objects.length === 0) {
    lines.push("No service is enabled in cluster.yaml (services:).");
    return lines.join("\n");
  }
  lines.push(
    "| release | namespace | chart | version | values hash | action | revision | ready |",
    "|---|---|---|---|---|---|---|---|",
  );
  for (const r of input.plan.releases) {
    const statuses = input.statuses[r.id] ?? [];
    const ready = statuses.length
      ? statuses.every((s) => s.ready)
        ? `✅ ${statuses.length} workload${statuses.length > 1 ? "s" : ""}`
        : `❌ ${statuses
            .filter((s) => !s.ready)
            .map((s) => `${s.ref.kind} ${s.ref.name}`)
            .join(", ")}`
      : "";
    const version =
      r.deployedVersion && r.deployedVersion !== r.version
        ? `${r.deployedVersion} → ${r.version}`
        : r.version;
    const hash =
      r.deployedValuesHash && r.deployedValuesHash !== r.valuesHash
        ? `${r.deployedValuesHash} → ${r.valuesHash}`
        : r.valuesHash;
    lines.push(
      `| ${r.release} | ${r.namespace} | ${input.charts[r.id] ?? r.chart} | ${version} | ${hash} | ${actionCell(input.mode, r.action, input.changed[r.id])} | ${input.revisions[r.id] ?? ""} | ${ready} |`,
    );
  }
  if (input.plan.objects.length) {
    lines.push("");
    for (const o of input.plan.objects) lines.push(`- ${objectsPlanLine(o)}`);
  }
  if (input.plan.nodeLabels?.length) {
    lines.push("", "Topology labels (Proxmox CSI):");
    for (const l of input.plan.nodeLabels)
      lines.push(
        `- \`${l.node}\`: ${Object.entries(l.labels)
          .map(([k, v]) => `\`${k}=${v}\``)
          .join(" ")}`,
      );
  }
  if (input.timings.length > 0) {
    lines.push("", "| step | seconds |", "|---|---|");
    for (const t of input.timings) lines.push(`| ${t.step} | ${(t.ms / 1000).toFixed(1)} |`);
  }
  return lines.join("\n");
}
