import type { ClusterPlan } from "../../lib/config/index.js";
import type { BootstrapNode } from "../../lib/kubeadm/types.js";
import type { InventoryVm } from "../../lib/tofu/inventory.js";

/**
 * The nodes cluster.yaml wants, at the addresses the provision state reports (the VMs' real
 * addresses), with their pool's labels and taints.
 */
export function desiredNodes(plan: ClusterPlan, inventory: InventoryVm[]): BootstrapNode[] {
  const ipOf = new Map(inventory.map((vm) => [vm.name, vm.ip]));
  return plan.vms.map((vm) => ({
    name: vm.name,
    ip: ipOf.get(vm.name) || vm.ip,
    role: vm.role,
    pool: vm.pool,
    labels: vm.labels,
    taints: vm.taints,
  }));
}

/** The VMs that exist now (the provision state before an apply), as nodes. */
export function presentNodes(plan: ClusterPlan, inventory: InventoryVm[]): BootstrapNode[] {
  const planned = new Map(plan.vms.map((vm) => [vm.name, vm]));
  return inventory.map((vm) => ({
    name: vm.name,
    ip: vm.ip,
    role: vm.role,
    pool: vm.pool ?? (vm.role === "control-plane" ? "control-plane" : ""),
    labels: planned.get(vm.name)?.labels ?? {},
    taints: planned.get(vm.name)?.taints ?? [],
  }));
}
