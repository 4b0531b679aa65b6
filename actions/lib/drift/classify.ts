import type { ClusterPlan } from "../config/index.js";
import type { ClusterVm } from "../proxmox/vms.js";
import type { PlanSummary } from "../tofu/plan-summary.js";
import type { RefreshOnlyResult } from "../tofu/refresh-only.js";

/**
 * Drift between what cluster.yaml declares and what Proxmox and the OpenTofu state hold, in
 * findings a person can act on. Some out-of-band changes are how a healthy cluster lives and are
 * listed as expected, never as drift: volumes the Proxmox CSI driver attaches for persistent
 * volumes (`scsiN` with a `vm-<vmid>-pvc-…` volume) and HA migrations (a VM on another node).
 */
export interface DriftFinding {
  vm: string;
  vmid?: number;
  kind:
    | "missing"
    | "not-running"
    | "memory"
    | "cores"
    | "disk"
    | "foreign"
    | "identity"
    | "tofu"
    | "out-of-band"
    | "health"
    | "ha-migration"
    | "csi-volume";
  detail: string;
  /** false: an expected change, reported but not drift */
  drift: boolean;
}

export interface ObservedVm extends ClusterVm {
  config?: Record<string, unknown>;
}

const CSI_VOLUME = (vmid: number) => new RegExp(`(^|:)vm-${vmid}-pvc-[0-9a-f-]+`, "i");

function diskGiB(value: unknown): number | undefined {
  const m = typeof value === "string" ? /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?/.exec(value) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "G";
  return unit === "T" ? n * 1024 : unit === "G" ? n : unit === "M" ? n / 1024 : n / 1024 / 1024;
}

/** The disks besides scsi0 on a VM, split into CSI volumes and others. */
function extraDisks(vm: ObservedVm): { csi: string[]; other: string[] } {
  const csi: string[] = [];
  const other: string[] = [];
  for (const [key, value] of Object.entries(vm.config ?? {})) {
    if (!/^(scsi|virtio|sata|ide)\d+$/.test(key) || key === "scsi0") continue;
    const text = String(value);
    if (/media=cdrom/.test(text) || /cloudinit/.test(text)) continue;
    (CSI_VOLUME(vm.vmid).test(text) ? csi : other).push(`${key}=${text.split(",")[0]}`);
  }
  return { csi, other };
}

export function proxmoxFindings(plan: ClusterPlan, observed: ObservedVm[]): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const byVmid = new Map(observed.map((vm) => [vm.vmid, vm]));
  for (const want of plan.vms) {
    const vm = byVmid.get(want.vmid);
    const base = { vm: want.name, vmid: want.vmid };
    if (!vm) {
      findings.push({
        ...base,
        kind: "missing",
        detail: `VMID ${want.vmid} does not exist`,
        drift: true,
      });
      continue;
    }
    if (!(vm.tags.includes("pve-kube") && vm.tags.includes(`cluster-${plan.cluster}`))) {
      findings.push({
        ...base,
        kind: "identity",
        detail: `VMID ${want.vmid} does not carry the tags pve-kube, cluster-${plan.cluster} (has: ${vm.tags.join(", ") || "none"})`,
        drift: true,
      });
      continue;
    }
    if (vm.status !== "running")
      findings.push({
        ...base,
        kind: "not-running",
        detail: `status ${vm.status ?? "unknown"}, declared running`,
        drift: true,
      });
    if (vm.node !== want.node)
      findings.push({
        ...base,
        kind: "ha-migration",
        detail: `on ${vm.node}, planned on ${want.node} (HA migration or manual move: not drift)`,
        drift: false,
      });
    const config = vm.config ?? {};
    if (config.memory !== undefined && Number(config.memory) !== want.memoryMiB)
      findings.push({
        ...base,
        kind: "memory",
        detail: `${Number(config.memory)} MiB, declared ${want.memoryMiB} MiB`,
        drift: true,
      });
    if (config.cores !== undefined && Number(config.cores) !== want.cores)
      findings.push({
        ...base,
        kind: "cores",
        detail: `${Number(config.cores)} cores, declared ${want.cores}`,
        drift: true,
      });
    const size = diskGiB(config.scsi0);
    if (size !== undefined && size !== want.diskGiB)
      findings.push({
        ...base,
        kind: "disk",
        detail: `scsi0 ${size} GiB, declared ${want.diskGiB} GiB`,
        drift: true,
      });
    const extra = extraDisks(vm);
    for (const disk of extra.csi)
      findings.push({
        ...base,
        kind: "csi-volume",
        detail: `${disk} (attached by the Proxmox CSI driver: not drift)`,
        drift: false,
      });
    for (const disk of extra.other)
      findings.push({
        ...base,
        kind: "disk",
        detail: `extra disk ${disk} that cluster.yaml does not declare`,
        drift: true,
      });
  }
  const planned = new Set(plan.vms.map((vm) => vm.vmid));
  for (const vm of observed)
    if (!planned.has(vm.vmid) && !vm.template && vm.tags.includes(`cluster-${plan.cluster}`))
      findings.push({
        vm: vm.name ?? `VMID ${vm.vmid}`,
        vmid: vm.vmid,
        kind: "foreign",
        detail: `carries the tag cluster-${plan.cluster} on ${vm.node} but is not one of the cluster's VMs`,
        drift: true,
      });
  return findings;
}

/**
 * Changes the OpenTofu plan wants. Updates explained by an expected change (node_name after an
 * HA migration, the disk list after a CSI attach) are not drift; everything else is.
 */
export function tofuFindings(summary: PlanSummary, proxmox: DriftFinding[]): DriftFinding[] {
  const expectedBy = (vm: string, kind: DriftFinding["kind"]) =>
    proxmox.some((f) => f.vm === vm && f.kind === kind);
  const findings: DriftFinding[] = [];
  for (const change of summary.vms) {
    const unexplained = change.changedAttributes.filter(
      (attr) =>
        !(attr === "node_name" && expectedBy(change.name, "ha-migration")) &&
        !(attr === "disk" && expectedBy(change.name, "csi-volume")),
    );
    const explainedOnly =
      change.action === "update" && unexplained.length === 0 && change.changedAttributes.length > 0;
    findings.push({
      vm: change.name,
      ...(change.vmid !== undefined ? { vmid: change.vmid } : {}),
      kind: "tofu",
      detail: `OpenTofu would ${change.action}${change.changedAttributes.length ? ` (${change.changedAttributes.join(", ")})` : ""}${explainedOnly ? " — explained by an expected change above" : ""}`,
      drift: !explainedOnly,
    });
  }
  for (const other of summary.others)
    findings.push({
      vm: other.address,
      kind: "tofu",
      detail: `OpenTofu would ${other.action} ${other.address}`,
      drift: true,
    });
  return findings;
}

/**
 * What the refresh-only plan found changed outside OpenTofu: drift unless an expected change on
 * the same VM explains every changed attribute (node_name after an HA migration, the disk list
 * after a CSI attach).
 */
export function refreshOnlyFindings(
  result: RefreshOnlyResult,
  proxmox: DriftFinding[],
): DriftFinding[] {
  const expectedBy = (vm: string, kind: DriftFinding["kind"]) =>
    proxmox.some((f) => f.vm === vm && f.kind === kind);
  return result.drifted.map((d) => {
    const unexplained = d.changedAttributes.filter(
      (attr) =>
        !(attr === "node_name" && expectedBy(d.name, "ha-migration")) &&
        !(attr === "disk" && expectedBy(d.name, "csi-volume")),
    );
    const explainedOnly =
      d.action === "update" && unexplained.length === 0 && d.changedAttributes.length > 0;
    return {
      vm: d.name,
      kind: "out-of-band",
      detail:
        d.action === "delete"
          ? "gone outside OpenTofu (refresh-only plan)"
          : `changed outside OpenTofu: ${d.changedAttributes.join(", ") || "attributes"} (refresh-only plan)${explainedOnly ? " — explained by an expected change above" : ""}`,
      drift: !explainedOnly,
    } satisfies DriftFinding;
  });
}

export type DriftStatus = "none" | "detected" | "error";

export interface DriftReport {
  cluster: string;
  status: DriftStatus;
  checkedAt: string;
  findings: DriftFinding[];
  /** what was not checked, and why */
  notes: string[];
  error?: string;
}

export function renderDriftMarkdown(report: DriftReport, runUrl?: string): string {
  const drift = report.findings.filter((f) => f.drift);
  const expected = report.findings.filter((f) => !f.drift);
  const out = [
    `### pve-kube drift · \`${report.cluster}\` · ${report.status === "none" ? "no drift" : report.status === "detected" ? `**${drift.length} finding${drift.length === 1 ? "" : "s"}**` : "**check failed**"}`,
    "",
    `Checked ${report.checkedAt}${runUrl ? ` in [this run](${runUrl})` : ""}.`,
    "",
  ];
  if (report.error) out.push(`> [!WARNING]\n> The check failed: ${report.error}`, "");
  // out-of-band changes (refresh-only plan) apart from what the configuration would change
  const outOfBand = drift.filter((f) => f.kind === "out-of-band");
  const rest = drift.filter((f) => f.kind !== "out-of-band");
  if (outOfBand.length) {
    out.push("#### Changed outside OpenTofu (refresh-only plan)", "");
    out.push("| VM | what | detail |", "|---|---|---|");
    for (const f of outOfBand) out.push(`| \`${f.vm}\` | ${f.kind} | ${f.detail} |`);
    out.push("");
  }
  if (rest.length) {
    if (outOfBand.length)
      out.push("#### Proxmox, cluster and OpenTofu plan compared with cluster.yaml", "");
    out.push("| VM | VMID | what | detail |", "|---|---|---|---|");
    for (const f of rest) out.push(`| \`${f.vm}\` | ${f.vmid ?? ""} | ${f.kind} | ${f.detail} |`);
    out.push("");
  }
  if (expected.length) {
    out.push("Expected changes (not drift):", "");
    for (const f of expected) out.push(`- \`${f.vm}\`: ${f.detail}`);
    out.push("");
  }
  for (const note of report.notes) out.push(`- _${note}_`);
  return out.join("\n");
}
