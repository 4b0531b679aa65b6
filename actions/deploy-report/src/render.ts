import type { ClusterPlan } from "../../lib/config/index.js";
import { topologyMermaid } from "../../lib/report/cluster-plan.js";
import { details, formatDuration, table } from "../../lib/report/markdown.js";
import { verifyTable } from "../../lib/verify/checks.js";
import type { PhaseStates } from "./collect.js";
import { overallConclusion, type PhaseRow, type PhaseStatus } from "./phase-rows.js";

const STATUS: Record<PhaseStatus, string> = {
  succeeded: "✅ succeeded",
  failed: "❌ failed",
  cancelled: "⊘ cancelled",
  skipped: "⏭️ skipped",
  "not requested": "➖ not requested",
  "to come": "🔜 to come",
};

export interface DeployReportInput {
  plan: ClusterPlan;
  rows: readonly PhaseRow[];
  states: PhaseStates;
}

function headline(plan: ClusterPlan, rows: readonly PhaseRow[]): string {
  const conclusion = overallConclusion(rows);
  const failed = rows.find((r) => r.status === "failed");
  const done = rows.filter((r) => r.status === "succeeded").length;
  const icon = conclusion === "success" ? "✅" : conclusion === "failure" ? "❌" : "⊘";
  const what =
    conclusion === "failure"
      ? `failed in ${failed?.phase ?? "a phase"}`
      : conclusion === "cancelled"
        ? "cancelled"
        : `${done} of ${rows.length} phases done`;
  return `## ${icon} pve-kube deploy — cluster \`${plan.cluster}\`: ${what}`;
}

function simulatedBanner(rows: readonly PhaseRow[]): string {
  const simulated = rows.filter((r) => r.simulatedSteps.length > 0);
  if (simulated.length === 0) return "";
  const list = simulated.map((r) => `${r.phase} (${r.simulatedSteps.join(", ")})`).join("; ");
  return `> ⚠️ **simulated** — these steps did not run for real (embedded demo only): ${list}.`;
}

function phaseTable(rows: readonly PhaseRow[]): string {
  return table(
    ["Phase", "Result", "Duration", "Details", "Jobs"],
    rows.map((r) => [
      r.simulatedSteps.length > 0 ? `${r.phase} (simulated steps)` : r.phase,
      STATUS[r.status],
      r.durationMs !== undefined ? formatDuration(r.durationMs) : "",
      r.note,
      r.jobs.join(", "),
    ]),
  );
}

function stepTimings(states: PhaseStates): string {
  const rows = Object.values(states).flatMap((s) =>
    s.timings.map((t) => [s.phase, t.step, formatDuration(t.ms), t.simulated ? "simulated" : ""]),
  );
  return rows.length === 0
    ? ""
    : details("Step timings", table(["Phase", "Step", "Duration", ""], rows));
}

function vmSection(plan: ClusterPlan, states: PhaseStates): string {
  const inventory = states["tofu-provision"]?.outputs.inventory;
  if (inventory) {
    return [
      "### Virtual machines",
      table(
        ["Name", "VMID", "Proxmox node", "Role", "Pool", "IP"],
        [...inventory]
          .sort((a, b) => a.vmid - b.vmid)
          .map((vm) => [vm.name, vm.vmid, vm.node, vm.role, vm.pool ?? "", vm.ip]),
      ),
    ].join("\n\n");
  }
  return [
    "### Virtual machines (planned — not provisioned in this run)",
    table(
      ["Name", "VMID", "Proxmox node", "Role", "Pool", "IP"],
      plan.vms.map((vm) => [vm.name, vm.vmid, vm.node, vm.role, vm.pool, vm.ip]),
    ),
  ].join("\n\n");
}

/** The verify phase's table: what the cluster was checked for, and what it answered. */
function verifySection(states: PhaseStates): string {
  const checks = states.verify?.outputs.checks;
  if (!checks) return "";
  return ["### Verify", verifyTable(checks)].join("\n\n");
}

function toCome(rows: readonly PhaseRow[]): string {
  const coming = rows.filter((r) => r.status === "to come");
  if (coming.length === 0) return "";
  return ["### Phases still to come", ...coming.map((r) => `- **${r.phase}** — ${r.note}`)].join(
    "\n",
  );
}

/** The deploy report: headline, simulated banner, phases, VMs, topology, timings, roadmap. */
export function renderDeployReport({ plan, rows, states }: DeployReportInput): string {
  return [
    headline(plan, rows),
    simulatedBanner(rows),
    `Proxmox \`${plan.proxmox.endpoint}\` · Kubernetes ${plan.kubernetes.version} · API \`${plan.network.vip}:6443\``,
    "### Phases",
    phaseTable(rows),
    verifySection(states),
    vmSection(plan, states),
    "### Topology",
    `\`\`\`mermaid\n${topologyMermaid(plan)}\n\`\`\``,
    stepTimings(states),
    toCome(rows),
  ]
    .filter(Boolean)
    .join("\n\n")
    .concat("\n");
}
