import type { HostRecap } from "../../lib/kubeadm/recap.js";
import type { CriticalPath } from "../../lib/kubeadm/critical-path.js";
import { formatTaint } from "../../lib/kubeadm/node-metadata.js";
import type { BootstrapPlan } from "../../lib/kubeadm/plan.js";
import type { NodeProfile } from "../../lib/kubeadm/profile.js";
import type { Timing } from "../../lib/state/index.js";

export interface SummaryInput {
  cluster: string;
  mode: string;
  version: string;
  endpoint: string;
  provider: string;
  profile: NodeProfile;
  plan: BootstrapPlan;
  recap: (HostRecap & { seconds: number })[];
  timings: Timing[];
  notReady: string[];
  criticalPath?: CriticalPath & { phaseSeconds: number; ratio: number };
}

/** What the plan does, as lines (log, summary and the PR preview). */
export function planLines(plan: BootstrapPlan): string[] {
  const lines: string[] = [];
  if (plan.init) lines.push(`init: kubeadm init on ${plan.init}`);
  if (plan.upgrade)
    lines.push(
      `upgrade ${plan.upgrade.from} → ${plan.upgrade.to}, one node at a time: ${plan.upgrade.steps.map((s) => `${s.name} (upgrade ${s.command})`).join(", ")}`,
    );
  if (plan.controlPlaneJoins.length > 0)
    lines.push(`join control planes one at a time: ${plan.controlPlaneJoins.join(", ")}`);
  if (plan.workerJoins.length > 0)
    lines.push(`join workers in parallel: ${plan.workerJoins.join(", ")}`);
  for (const r of plan.removals)
    lines.push(
      `remove ${r.name}: cordon, drain, kubeadm reset${r.etcdMember ? " (removes its etcd member)" : ""}, delete the node`,
    );
  if (plan.forget?.etcdMembers.length)
    lines.push(
      `remove dead etcd members of gone or rebuilt control planes: ${plan.forget.etcdMembers.map((m) => `${m.name || "(unnamed)"} ${m.id}`).join(", ")}`,
    );
  if (plan.forget?.nodes.length)
    lines.push(
      `delete the Node objects of gone or rebuilt machines: ${plan.forget.nodes.join(", ")}`,
    );
  if (plan.forget?.leftAlone.length)
    lines.push(
      `registered, no VM of this cluster, left alone: ${plan.forget.leftAlone.join(", ")}`,
    );
  for (const m of plan.nodeMetadata ?? []) {
    const parts = [
      ...Object.entries(m.setLabels).map(([k, v]) => `label ${k}=${v}`),
      ...m.removeLabels.map((k) => `unlabel ${k}`),
      ...m.addTaints.map((t) => `taint ${formatTaint(t)}`),
      ...m.removeTaints.map((t) => `untaint ${formatTaint(t)}`),
    ];
    if (parts.length > 0) lines.push(`${m.node}: ${parts.join(", ")}`);
  }
  if (plan.strays.length > 0)
    lines.push(`registered but not in cluster.yaml (left alone): ${plan.strays.join(", ")}`);
  if (lines.length === 0) lines.push("nothing to do: every node is a member at the wanted version");
  return lines;
}

export function kubeadmBootstrapSummary(input: SummaryInput): string {
  const out: string[] = [`## kubeadm-bootstrap (${input.mode}) — ${input.cluster}`, ""];
  out.push(
    `Kubernetes ${input.version} · endpoint \`${input.endpoint}\` (${input.provider}) · node profile **${input.profile.name}**`,
    "",
  );
  if (input.profile.name !== "production") {
    out.push(`> **Lab profile used** — settings that differ from production:`);
    for (const note of input.profile.notes) out.push(`> - ${note}`);
    out.push("");
  }
  out.push("### Plan", "", ...planLines(input.plan).map((l) => `- ${l}`), "");
  if (input.recap.length > 0) {
    out.push(
      "### Ansible recap",
      "",
      "| host | ok | changed | failed | unreachable | time |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const h of input.recap)
      out.push(
        `| ${h.host} | ${h.ok} | ${h.changed} | ${h.failed} | ${h.unreachable} | ${h.seconds.toFixed(1)} s |`,
      );
    out.push("");
  }
  if (input.notReady.length > 0)
    out.push(
      `Nodes registered but not Ready yet: ${input.notReady.join(", ")} — expected until a CNI runs (install-cilium).`,
      "",
    );
  if (input.criticalPath) {
    const c = input.criticalPath;
    out.push(
      `kubeadm's own critical path: ${c.totalSeconds} s (init ${c.initSeconds} s, control-plane joins ${c.controlPlaneJoinSeconds.join(" + ") || "0"} s, slowest worker join ${c.slowestWorkerJoinSeconds} s); the phase took ${c.phaseSeconds} s — **${c.ratio}×** the critical path.`,
      "",
    );
  }
  if (input.timings.length > 0) {
    out.push("### Steps", "", "| step | time |", "|---|---:|");
    for (const t of input.timings) out.push(`| ${t.step} | ${(t.ms / 1000).toFixed(1)} s |`);
  }
  return out.join("\n");
}
