import { parseIp } from "../config/ipv4.js";
import type { ClusterPlan, PlannedVm } from "../config/plan.js";

/**
 * Facts derived from a ClusterPlan that both the text and the Markdown rendering show:
 * sizes, per-node load, pools, TLS trust. Pure functions, no formatting of layout.
 */

/** 4096 → "4 GiB", 1536 → "1536 MiB": whole GiB where possible, never a rounded lie. */
export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

export interface Resources {
  vms: number;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
}

export function sumResources(vms: readonly PlannedVm[]): Resources {
  return vms.reduce(
    (sum, vm) => ({
      vms: sum.vms + 1,
      cores: sum.cores + vm.cores,
      memoryMiB: sum.memoryMiB + vm.memoryMiB,
      diskGiB: sum.diskGiB + vm.diskGiB,
    }),
    {
      vms: 0,
      cores: 0,
      memoryMiB: 0,
      diskGiB: 0,
    },
  );
}

export interface NodeLoad extends Resources {
  node: string;
  names: string[];
}

/** What each Proxmox node will carry, in proxmox.nodes order; nodes without VMs are listed too. */
export function loadPerNode(plan: ClusterPlan): NodeLoad[] {
  const nodes = [...plan.proxmox.nodes];
  for (const vm of plan.vms) if (!nodes.includes(vm.node)) nodes.push(vm.node);
  return nodes.map((node) => {
    const vms = plan.vms.filter((vm) => vm.node === node);
    return { node, names: vms.map((vm) => vm.name), ...sumResources(vms) };
  });
}

export interface PoolSummary {
  pool: string;
  role: PlannedVm["role"];
  count: number;
  /** the size of one VM; pools are uniform by construction */
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  /** Proxmox nodes the pool's VMs land on, in first-use order */
  nodes: string[];
  labels: Record<string, string>;
  taints: string[];
}

/** One entry per pool (control planes first), in plan order. */
export function poolSummaries(plan: ClusterPlan): PoolSummary[] {
  const pools = new Map<string, PoolSummary>();
  for (const vm of plan.vms) {
    const pool = pools.get(vm.pool);
    if (pool) {
      pool.count++;
      if (!pool.nodes.includes(vm.node)) pool.nodes.push(vm.node);
      continue;
    }
    pools.set(vm.pool, {
      pool: vm.pool,
      role: vm.role,
      count: 1,
      cores: vm.cores,
      memoryMiB: vm.memoryMiB,
      diskGiB: vm.diskGiB,
      nodes: [vm.node],
      labels: vm.labels,
      taints: vm.taints,
    });
  }
  return [...pools.values()];
}

export function roleCounts(plan: ClusterPlan): { controlPlanes: number; workers: number } {
  const controlPlanes = plan.vms.filter((vm) => vm.role === "control-plane").length;
  return { controlPlanes, workers: plan.vms.length - controlPlanes };
}

/** "3 control planes + 3 workers" / "1 control plane, no workers". */
export function describeRoles(plan: ClusterPlan): string {
  const { controlPlanes, workers } = roleCounts(plan);
  const cp = `${controlPlanes} control plane${controlPlanes === 1 ? "" : "s"}`;
  return workers === 0
    ? `${cp}, no workers`
    : `${cp} + ${workers} worker${workers === 1 ? "" : "s"}`;
}

export function describeResources(total: Resources): string {
  return `${total.cores} vCPU, ${formatMemory(total.memoryMiB)} memory, ${total.diskGiB} GiB disk`;
}

/** How the runner will trust the Proxmox certificate, in words. */
export function describeTls(tls: ClusterPlan["proxmox"]["tls"]): string {
  if (tls.insecure) return "NOT verified (insecure: true)";
  if (tls.fingerprint) return `pinned SHA-256 fingerprint ${tls.fingerprint}`;
  if (tls.caFile) return `CA file ${tls.caFile}`;
  return "system CA store";
}

export function describeBridge(network: ClusterPlan["network"]): string {
  return network.vlan === undefined
    ? `${network.bridge} (untagged)`
    : `${network.bridge}, VLAN ${network.vlan}`;
}

export interface LbRangeFacts {
  start: string;
  end: string;
  size: number;
}

export function lbRangeFacts(network: ClusterPlan["network"]): LbRangeFacts | undefined {
  if (!network.lbRange) return undefined;
  const start = parseIp(network.lbRange.start);
  const end = parseIp(network.lbRange.end);
  const size = start !== undefined && end !== undefined && end >= start ? end - start + 1 : 0;
  return { start: network.lbRange.start, end: network.lbRange.end, size };
}

/** The API endpoint clients use: kube-vip holds the VIP, kube-apiserver listens on 6443. */
export function apiServerUrl(plan: ClusterPlan): string {
  return `https://${plan.network.vip}:6443`;
}

/** Names that kube-apiserver's certificate covers besides the node names: VIP and extra SANs. */
export function apiServerSans(plan: ClusterPlan): string[] {
  return [...new Set([plan.network.vip, ...plan.kubernetes.extraSans])];
}

/** "612b2c0cc1bc…" — enough of a digest to recognise it, the full value is in the config. */
export function shortDigest(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

/** "ssh-ed25519 … operator@example": key type and comment, never the whole key blob. */
export function describePublicKey(line: string): string {
  const [type = "", , ...comment] = line.trim().split(/\s+/);
  return comment.length > 0 ? `${type} … ${comment.join(" ")}` : `${type} …`;
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}
