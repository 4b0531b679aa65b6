import { releasePlanLine, type ReleasePlan } from "../../lib/helm/plan.js";
import type { BootstrapPlan } from "../../lib/kubeadm/plan.js";
import { servicesPlanLines, type ServicesPlan } from "../../lib/services/plan.js";
import type { PlanSummaryFile } from "../../lib/tofu/plan-summary-file.js";
import type { VmChange } from "../../lib/tofu/plan-summary.js";
import { describeConfigChange, type ConfigChange } from "./config-diff.js";

/** Everything the plan comment shows, gathered by the plan job. */
export interface PlanCommentData {
  cluster: string;
  environment: string;
  clusterFile: string;
  headSha: string;
  baseSha?: string;
  runUrl?: string;
  artifactName: string;
  /** undefined: the base commit's cluster.yaml could not be read */
  configChanges?: ConfigChange[];
  configIsNew: boolean;
  template?: { wouldBuild: boolean; fingerprint?: string; vmid?: string };
  tofu?: PlanSummaryFile;
  kubeadm?: BootstrapPlan;
  /** install-cilium's and deploy-services' plans (mode: plan), when they ran */
  cilium?: ReleasePlan;
  services?: ServicesPlan;
  /** reviewed-digest.ts: the parsed cluster.yaml and the VM changes */
  reviewedDigest: string;
}

const VERB: Record<VmChange["action"], string> = {
  delete: "🗑️ **delete**",
  replace: "♻️ **replace**",
  create: "➕ create",
  update: "✏️ update",
};

export function controlPlaneLosses(data: PlanCommentData): VmChange[] {
  return (data.tofu?.summary.vms ?? []).filter(
    (vm) =>
      vm.role === "control-plane" &&
      (vm.action === "delete" || (vm.action === "replace" && !vm.tainted)),
  );
}

function vmRow(vm: VmChange): string {
  const what =
    vm.action === "replace"
      ? `because of ${vm.replaceBecause.join(", ") || "a forced replacement"}${vm.tainted ? " (finishing a failed create)" : ""}`
      : vm.action === "update"
        ? vm.changedAttributes.join(", ")
        : "";
  return `| ${VERB[vm.action]} | \`${vm.name}\` | ${vm.role} | ${vm.vmid ?? ""} | ${vm.node ?? ""} | ${what} |`;
}

function kubernetesSection(data: PlanCommentData): string[] {
  const out = ["#### Kubernetes actions", ""];
  if (data.kubeadm) {
    const k = data.kubeadm;
    if (k.init) out.push(`- \`kubeadm init\` on \`${k.init}\``);
    if (k.controlPlaneJoins.length)
      out.push(
        `- control-plane joins, one at a time: ${k.controlPlaneJoins.map((n) => `\`${n}\``).join(", ")}`,
      );
    if (k.workerJoins.length)
      out.push(`- worker joins, in parallel: ${k.workerJoins.map((n) => `\`${n}\``).join(", ")}`);
    for (const r of k.removals)
      out.push(
        `- **drain and remove** \`${r.name}\`${r.role === "control-plane" ? " (etcd member removed too)" : ""}`,
      );
    if (k.upgrade) out.push(`- **upgrade** ${k.upgrade.from} → ${k.upgrade.to}, node by node`);
    if (out.length === 2) out.push("No change: every node is a member at the right version.");
    return out;
  }
  // no kubeadm plan in this run (the bootstrap plan needs SSH to the nodes): what the VM plan implies
  out.push(
    "_Derived from the VM plan — the kubeadm-bootstrap plan did not run in this job (it needs SSH access to the nodes: plan.yml's `kubeadm-plan: true` with SSH_PRIVATE_KEY on a runner that reaches them)._",
    "",
  );
  const vms = data.tofu?.summary.vms ?? [];
  for (const vm of vms) {
    if (vm.action === "create") out.push(`- \`${vm.name}\` joins as ${vm.role}`);
    if (vm.action === "delete")
      out.push(
        `- **\`${vm.name}\` is drained and removed**${vm.role === "control-plane" ? " (its etcd member too)" : ""} before its VM is deleted`,
      );
    if (vm.action === "replace")
      out.push(`- **\`${vm.name}\` is drained, removed and joins again** on the new VM`);
  }
  if (out.length === 4) out.push("No node joins or leaves.");
  return out;
}

/** Chart, version and values-hash changes of install-cilium and deploy-services, one line each. */
function addonsSection(data: PlanCommentData): string[] {
  const out = ["#### Add-ons", ""];
  if (!data.cilium && !data.services) {
    out.push("_install-cilium and deploy-services did not run in plan mode in this job._");
    return out;
  }
  const line = (text: string, action: string) =>
    `- ${action === "none" ? "" : "**"}${text}${action === "none" ? "" : "**"}`;
  if (data.cilium) out.push(line(releasePlanLine(data.cilium), data.cilium.action));
  else out.push("- _install-cilium did not run in plan mode._");
  if (data.services) {
    const lines = servicesPlanLines(data.services);
    if (lines.length === 0) out.push("- no service is enabled in cluster.yaml");
    const actions = [
      ...data.services.releases.map((r) => r.action as string),
      ...data.services.objects.map((o) => (o.action === "change" ? "change" : o.action)),
      ...(data.services.nodeLabels ?? []).map(() => "label"),
    ];
    lines.forEach((l, i) => out.push(line(l, actions[i] ?? "change")));
  } else out.push("- _deploy-services did not run in plan mode._");
  if (
    [data.cilium?.action, ...(data.services?.releases ?? []).map((r) => r.action)].includes(
      "unknown",
    )
  )
    out.push(
      "",
      "_Compared with the cluster only where this job could reach it: otherwise install or upgrade is decided at deploy time from the same chart, version and values hash._",
    );
  return out;
}

/** The full rendering (job summary and artifact); the PR comment is this, fitted to the limit. */
export function renderPlanComment(data: PlanCommentData): string {
  const short = data.headSha.slice(0, 7);
  const out: string[] = [`### pve-kube plan · \`${data.cluster}\` · ${data.environment}`, ""];
  out.push(
    `Planned for ${short}${data.runUrl ? ` in [this run](${data.runUrl})` : ""}` +
      (data.tofu?.sha256 ? ` · OpenTofu plan SHA-256 \`${data.tofu.sha256.slice(0, 16)}…\`` : "") +
      ` · reviewed digest \`${data.reviewedDigest}\``,
    "",
  );
  const vms = data.tofu?.summary.vms ?? [];
  const destructive = vms.filter((vm) => vm.action === "delete" || vm.action === "replace");
  const losses = controlPlaneLosses(data);
  if (destructive.length) {
    out.push("> [!CAUTION]");
    out.push(
      `> **This plan deletes or replaces ${destructive.length} VM${destructive.length > 1 ? "s" : ""}:**`,
    );
    for (const vm of destructive)
      out.push(
        `> - ${vm.action === "delete" ? "DELETE" : "REPLACE"} \`${vm.name}\` (${vm.role}${vm.vmid ? `, VMID ${vm.vmid}` : ""})`,
      );
    if (losses.length)
      out.push(
        ">",
        `> Control planes (etcd members) are lost: deploy refuses this plan unless it runs with \`allow-replace: true\`.`,
      );
    out.push("");
  }
  if (data.tofu?.refusal && !losses.length) out.push(`> [!WARNING]\n> ${data.tofu.refusal}`, "");

  out.push(`#### \`${data.clusterFile}\``, "");
  if (data.configIsNew) out.push("A new cluster file.");
  else if (!data.configChanges)
    out.push("_The base commit's version could not be read; no change list._");
  else if (data.configChanges.length === 0) out.push("No change to the cluster file.");
  else for (const change of data.configChanges) out.push(`- ${describeConfigChange(change)}`);
  out.push("");

  out.push("#### Template", "");
  if (!data.template) out.push("_build-template did not run in plan mode._");
  else if (data.template.wouldBuild)
    out.push(
      `**Rebuilt**: the recipe changed (fingerprint \`${(data.template.fingerprint ?? "").slice(0, 12)}\`).`,
    );
  else out.push(`Unchanged (template ${data.template.vmid ?? ""} has this recipe).`);
  out.push("");

  out.push("#### VMs", "");
  if (!data.tofu) out.push("_tofu-provision did not run in plan mode._");
  else if (!data.tofu.summary.hasChanges) out.push("No change: every VM is as declared.");
  else {
    const c = data.tofu.summary.counts;
    out.push(
      `${c.delete} to delete, ${c.replace} to replace, ${c.create} to create, ${c.update} to change in place.`,
      "",
      "| | VM | role | VMID | node | what |",
      "|---|---|---|---|---|---|",
      ...vms.map(vmRow),
    );
    for (const other of data.tofu.summary.others)
      out.push(`- ${other.action} \`${other.address}\``);
  }
  if (data.tofu?.summary.drifted.length)
    out.push(
      "",
      `Changed outside OpenTofu since the last apply: ${data.tofu.summary.drifted.map((n) => `\`${n}\``).join(", ")}`,
    );
  out.push("");
  out.push(...kubernetesSection(data), "");
  out.push(...addonsSection(data), "");
  out.push(
    "---",
    `<sub>This plan changed nothing on Proxmox or in the OpenTofu state. Full rendering: the job summary${data.runUrl ? ` of [this run](${data.runUrl})` : ""} and the artifact \`${data.artifactName}\`.</sub>`,
  );
  return out.join("\n");
}

/** The line that replaces what did not fit. */
export function cutNote(data: PlanCommentData, omittedLines: number): string {
  return `> [!NOTE]\n> ${omittedLines} more line${omittedLines === 1 ? "" : "s"} did not fit in a GitHub comment: see the job summary${data.runUrl ? ` of [this run](${data.runUrl})` : ""} or the artifact \`${data.artifactName}\`.`;
}

/** Prepended to a comment whose plan was made for an older commit. */
export function outdatedBanner(oldSha: string, newSha: string): string {
  return `> [!IMPORTANT]\n> **Outdated**: this plan is for ${oldSha.slice(0, 7)}; ${newSha.slice(0, 7)} was pushed and is being planned.\n`;
}

/** Replaces the outdated banner when the plan of the newer commit failed: the comment is not current. */
export function failedBanner(oldSha: string | undefined, newSha: string, runUrl?: string): string {
  const run = runUrl ? ` in [this run](${runUrl})` : "";
  return oldSha
    ? `> [!WARNING]\n> **Outdated, and the new plan failed**: this plan is for ${oldSha.slice(0, 7)}; planning ${newSha.slice(0, 7)} failed${run}. Do not deploy from this comment.\n`
    : `> [!WARNING]\n> **The plan for ${newSha.slice(0, 7)} failed**${run}: there is no plan to review.\n`;
}

/** The comment body without a leading banner block (an outdated or failed notice), marker excluded. */
export function withoutBanner(rest: string): string {
  const lines = rest.split("\n");
  if (!/^> \[!(IMPORTANT|WARNING)\]$/.test(lines[0] ?? "")) return rest;
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i++;
  while (i < lines.length && lines[i] === "") i++;
  return lines.slice(i).join("\n");
}
