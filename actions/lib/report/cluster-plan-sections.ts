import type { ClusterPlan } from "../config/plan.js";
import {
  apiServerSans,
  apiServerUrl,
  describeBridge,
  describePublicKey,
  describeTls,
  formatLabels,
  formatMemory,
  lbRangeFacts,
  loadPerNode,
  poolSummaries,
  shortDigest,
} from "./cluster-plan-facts.js";

/**
 * The content of a plan report, independent of its layout: the text and the Markdown rendering
 * show exactly these facts and rows, so the two can never disagree.
 */
export type Facts = [label: string, value: string][];

export interface Table {
  headers: string[];
  rows: string[][];
  /** columns that hold numbers (right-aligned in text) */
  numeric: number[];
}

export function proxmoxFacts(plan: ClusterPlan): Facts {
  const p = plan.proxmox;
  return [
    ["endpoint", p.endpoint],
    ["nodes", p.nodes.join(", ")],
    ["resource pool", p.pool ?? "none"],
    ["storage", `disks on ${p.diskStorage}, images on ${p.imageStorage}`],
    ["TLS trust", describeTls(p.tls)],
    ["cluster uid", plan.uid],
  ];
}

export function templateFacts(plan: ClusterPlan): Facts {
  const t = plan.template;
  return [
    ["template", `${t.name} — VMID ${t.vmid} on ${t.node}, disk on ${t.storage}`],
    [
      "image",
      t.image.url ? `${t.image.fileName} (sha256 ${shortDigest(t.image.sha256)})` : "none pinned",
    ],
    ["image source", t.image.url || "none"],
    [
      "staging",
      t.source === "upload"
        ? "customised on the runner, then uploaded"
        : "Proxmox downloads the base image (download-url)",
    ],
    ["hardware", `machine ${t.machine}, firmware ${t.bios}`],
    [
      "cloud-init login",
      `user ${plan.ssh.user}, ${plan.ssh.publicKeys.length} SSH key${plan.ssh.publicKeys.length === 1 ? "" : "s"}: ${plan.ssh.publicKeys.map(describePublicKey).join("; ")}`,
    ],
  ];
}

export function networkFacts(plan: ClusterPlan): Facts {
  const n = plan.network;
  const lb = lbRangeFacts(n);
  return [
    ["bridge", describeBridge(n)],
    ["node network", `${n.cidr}, gateway ${n.gateway}`],
    ["DNS", `${n.dns.join(", ")}${n.searchDomain ? ` (search ${n.searchDomain})` : ""}`],
    ["API VIP", `${n.vip} (kube-vip) → ${apiServerUrl(plan)}`],
    [
      "LoadBalancer range",
      lb ? `${lb.start} – ${lb.end} (${lb.size} address${lb.size === 1 ? "" : "es"})` : "none",
    ],
    ["pod network", plan.kubernetes.podCidr],
    ["service network", plan.kubernetes.serviceCidr],
  ];
}

export function kubernetesFacts(plan: ClusterPlan): Facts {
  const k = plan.kubernetes;
  const c = plan.cilium;
  return [
    ["Kubernetes", `${k.version} (kubeadm)`],
    ["cluster domain", k.clusterDomain],
    [
      "API certificate SANs",
      `${apiServerSans(plan).join(", ")} and every control-plane name and address`,
    ],
    [
      "CNI",
      `Cilium ${c.version}${c.kubeProxyReplacement ? ", kube-proxy replacement" : ", with kube-proxy"}, Hubble ${c.hubble ? "on" : "off"}`,
    ],
  ];
}

export function vmTable(plan: ClusterPlan): Table {
  return {
    headers: ["name", "role", "pool", "node", "VMID", "IP", "vCPU", "memory", "disk"],
    rows: plan.vms.map((vm) => [
      vm.name,
      vm.role,
      vm.pool,
      vm.node,
      String(vm.vmid),
      vm.ip,
      String(vm.cores),
      formatMemory(vm.memoryMiB),
      `${vm.diskGiB} GiB`,
    ]),
    numeric: [4, 6, 7, 8],
  };
}

export function poolTable(plan: ClusterPlan): Table {
  return {
    headers: ["pool", "VMs", "each", "Proxmox nodes", "labels", "taints"],
    rows: poolSummaries(plan).map((p) => [
      p.pool,
      String(p.count),
      `${p.cores} vCPU, ${formatMemory(p.memoryMiB)}, ${p.diskGiB} GiB`,
      p.nodes.join(", "),
      formatLabels(p.labels) || "—",
      p.taints.join(", ") || "—",
    ]),
    numeric: [1],
  };
}

export function nodeTable(plan: ClusterPlan): Table {
  return {
    headers: ["Proxmox node", "VMs", "vCPU", "memory", "disk", "names"],
    rows: loadPerNode(plan).map((n) => [
      n.node,
      String(n.vms),
      String(n.cores),
      formatMemory(n.memoryMiB),
      `${n.diskGiB} GiB`,
      n.names.join(", ") || "—",
    ]),
    numeric: [1, 2, 3, 4],
  };
}

export function addonTable(plan: ClusterPlan): Table {
  return {
    headers: ["add-on", "state", "version", "detail"],
    rows: plan.addons.map((a) => [
      a.name,
      a.enabled ? "enabled" : "disabled",
      a.version ?? (a.enabled ? "not pinned" : "—"),
      a.detail ?? "",
    ]),
    numeric: [],
  };
}
