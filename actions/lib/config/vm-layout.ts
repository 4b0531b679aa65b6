import type { ClusterConfig } from "./schema.js";

/** Name, role, pool and size of every VM, in plan order — the part of the plan that needs no addresses. */
export interface VmSlot {
  name: string;
  role: "control-plane" | "worker";
  pool: string;
  /** Proxmox nodes this VM may go to, and its index among its group for round-robin spread */
  nodes: string[];
  index: number;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  labels: Record<string, string>;
  taints: string[];
}

export function vmSlots(config: ClusterConfig): VmSlot[] {
  const cluster = config.metadata.name;
  const cp = config.controlPlane;
  const slots: VmSlot[] = [];
  for (let i = 0; i < cp.count; i++) {
    slots.push({
      name: `${cluster}-cp-${i + 1}`,
      role: "control-plane",
      pool: "control-plane",
      nodes: cp.nodes ?? config.proxmox.nodes,
      index: i,
      cores: cp.cores,
      memoryMiB: cp.memoryMiB,
      diskGiB: cp.diskGiB,
      labels: {},
      taints: [],
    });
  }
  for (const pool of config.workerPools) {
    for (let i = 0; i < pool.count; i++) {
      slots.push({
        name: `${cluster}-${pool.name}-${i + 1}`,
        role: "worker",
        pool: pool.name,
        nodes: pool.nodes ?? config.proxmox.nodes,
        index: i,
        cores: pool.cores,
        memoryMiB: pool.memoryMiB,
        diskGiB: pool.diskGiB,
        labels: pool.labels,
        taints: pool.taints,
      });
    }
  }
  return slots;
}
