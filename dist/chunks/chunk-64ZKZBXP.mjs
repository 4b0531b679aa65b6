import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/drift/classify.ts
var CSI_VOLUME = /* @__PURE__ */ __name((vmid) => new RegExp(`(^|:)vm-${vmid}-pvc-[0-9a-f-]+`, "i"), "CSI_VOLUME");
function diskGiB(value) {
  const m = typeof value === "string" ? /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?/.exec(value) : null;
  if (!m) return void 0;
  const n = Number(m[1]);
  const unit = m[2] ?? "G";
  return unit === "T" ? n * 1024 : unit === "G" ? n : unit === "M" ? n / 1024 : n / 1024 / 1024;
}
__name(diskGiB, "diskGiB");
function extraDisks(vm) {
  const csi = [];
  const other = [];
  for (const [key, value] of Object.entries(vm.config ?? {})) {
    if (!/^(scsi|virtio|sata|ide)\d+$/.test(key) || key === "scsi0") continue;
    const text = String(value);
    if (/media=cdrom/.test(text) || /cloudinit/.test(text)) continue;
    (CSI_VOLUME(vm.vmid).test(text) ? csi : other).push(`${key}=${text.split(",")[0]}`);
  }
  return { csi, other };
}
__name(extraDisks, "extraDisks");
function proxmoxFindings(plan, observed) {
  const findings = [];
  const byVmid = new Map(observed.map((vm) => [vm.vmid, vm]));
  for (const want of plan.vms) {
    const vm = byVmid.get(want.vmid);
    const base = { vm: want.name, vmid: want.vmid };
    if (!vm) {
      findings.push({
        ...base,
        kind: "missing",
        detail: `VMID ${want.vmid} does not exist`,
        drift: true
      });
      continue;
    }
    if (!(vm.tags.includes("pve-kube") && vm.tags.includes(`cluster-${plan.cluster}`))) {
      findings.push({
        ...base,
        kind: "identity",
        detail: `VMID ${want.vmid} does not carry the tags pve-kube, cluster-${plan.cluster} (has: ${vm.tags.join(", ") || "none"})`,
        drift: true
      });
      continue;
    }
    if (vm.status !== "running")
      findings.push({
        ...base,
        kind: "not-running",
        detail: `status ${vm.status ?? "unknown"}, declared running`,
        drift: true
      });
    if (vm.node !== want.node)
      findings.push({
        ...base,
        kind: "ha-migration",
        detail: `on ${vm.node}, planned on ${want.node} (HA migration or manual move: not drift)`,
        drift: false
      });
    const config = vm.config ?? {};
    if (config.memory !== void 0 && Number(config.memory) !== want.memoryMiB)
      findings.push({
        ...base,
        kind: "memory",
        detail: `${Number(config.memory)} MiB, declared ${want.memoryMiB} MiB`,
        drift: true
      });
    if (config.cores !== void 0 && Number(config.cores) !== want.cores)
      findings.push({
        ...base,
        kind: "cores",
        detail: `${Number(config.cores)} cores, declared ${want.cores}`,
        drift: true
      });
    const size = diskGiB(config.scsi0);
    if (size !== void 0 && size !== want.diskGiB)
      findings.push({
        ...base,
        kind: "disk",
        detail: `scsi0 ${size} GiB, declared ${want.diskGiB} GiB`,
        drift: true
      });
    const extra = extraDisks(vm);
    for (const disk of extra.csi)
      findings.push({
        ...base,
        kind: "csi-volume",
        detail: `${disk} (attached by the Proxmox CSI driver: not drift)`,
        drift: false
      });
    for (const disk of extra.other)
      findings.push({
        ...base,
        kind: "disk",
        detail: `extra disk ${disk} that cluster.yaml does not declare`,
        drift: true
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
        drift: true
      });
  return findings;
}
__name(proxmoxFindings, "proxmoxFindings");
function tofuFindings(summary, proxmox) {
  const expectedBy = /* @__PURE__ */ __name((vm, kind) => proxmox.some((f) => f.vm === vm && f.kind === kind), "expectedBy");
  const findings = [];
  for (const change of summary.vms) {
    const unexplained = change.changedAttributes.filter(
      (attr) => !(attr === "node_name" && expectedBy(change.name, "ha-migration")) && !(attr === "disk" && expectedBy(change.name, "csi-volume"))
    );
    const explainedOnly = change.action === "update" && unexplained.length === 0 && change.changedAttributes.length > 0;
    findings.push({
      vm: change.name,
      ...change.vmid !== void 0 ? { vmid: change.vmid } : {},
      kind: "tofu",
      detail: `OpenTofu would ${change.action}${change.changedAttributes.length ? ` (${change.changedAttributes.join(", ")})` : ""}${explainedOnly ? " \u2014 explained by an expected change above" : ""}`,
      drift: !explainedOnly
    });
  }
  for (const other of summary.others)
    findings.push({
      vm: other.address,
      kind: "tofu",
      detail: `OpenTofu would ${other.action} ${other.address}`,
      drift: true
    });
  return findings;
}
__name(tofuFindings, "tofuFindings");
function refreshOnlyFindings(result, proxmox) {
  const expectedBy = /* @__PURE__ */ __name((vm, kind) => proxmox.some((f) => f.vm === vm && f.kind === kind), "expectedBy");
  return result.drifted.map((d) => {
    const unexplained = d.changedAttributes.filter(
      (attr) => !(attr === "node_name" && expectedBy(d.name, "ha-migration")) && !(attr === "disk" && expectedBy(d.name, "csi-volume"))
    );
    const explainedOnly = d.action === "update" && unexplained.length === 0 && d.changedAttributes.length > 0;
    return {
      vm: d.name,
      kind: "out-of-band",
      detail: d.action === "delete" ? "gone outside OpenTofu (refresh-only plan)" : `changed outside OpenTofu: ${d.changedAttributes.join(", ") || "attributes"} (refresh-only plan)${explainedOnly ? " \u2014 explained by an expected change above" : ""}`,
      drift: !explainedOnly
    };
  });
}
__name(refreshOnlyFindings, "refreshOnlyFindings");
function renderDriftMarkdown(report, runUrl) {
  const drift = report.findings.filter((f) => f.drift);
  const expected = report.findings.filter((f) => !f.drift);
  const out = [
    `### pve-kube drift \xB7 \`${report.cluster}\` \xB7 ${report.status === "none" ? "no drift" : report.status === "detected" ? `**${drift.length} finding${drift.length === 1 ? "" : "s"}**` : "**check failed**"}`,
    "",
    `Checked ${report.checkedAt}${runUrl ? ` in [this run](${runUrl})` : ""}.`,
    ""
  ];
  if (report.error) out.push(`> [!WARNING]
> The check failed: ${report.error}`, "");
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
__name(renderDriftMarkdown, "renderDriftMarkdown");

export {
  proxmoxFindings,
  tofuFindings,
  refreshOnlyFindings,
  renderDriftMarkdown
};
