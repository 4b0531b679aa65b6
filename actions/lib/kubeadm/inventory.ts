import type { BootstrapPlan } from "./plan.js";
import type { BootstrapNode } from "./types.js";

export interface InventoryOptions {
  nodes: BootstrapNode[];
  plan: BootstrapPlan;
  user: string;
  /** extra hosts that only this run needs (nodes being removed) */
  leaving?: BootstrapNode[];
}

type HostVars = Record<string, string | number | boolean | Record<string, string> | string[]>;

function hostVars(node: BootstrapNode, user: string): HostVars {
  return {
    ansible_host: node.ip,
    ansible_python_interpreter: "/usr/bin/python3",
    ansible_become: user !== "root",
    node_ip: node.ip,
    node_role: node.role,
    node_pool: node.pool,
    node_labels: node.labels,
  };
}

const hostsOf = (names: string[]) => Object.fromEntries(names.map((n) => [n, {}]));

/**
 * The Ansible inventory (YAML inventory plugin, written as JSON): every host with its address and
 * what cluster.yaml says about it, the standing groups (control_plane, workers, pool_<name>) and
 * one group per step of this run's plan, so each play targets exactly the hosts the plan names.
 * Generated on every run from the provision state and cluster.yaml — never written by hand.
 */
export function renderInventory(options: InventoryOptions): object {
  const { nodes, plan, user } = options;
  const leaving = options.leaving ?? [];
  const all = [...nodes, ...leaving.filter((l) => !nodes.some((n) => n.name === l.name))];
  const pools = [...new Set(nodes.filter((n) => n.role === "worker").map((n) => n.pool))].sort();
  const upgrades = plan.upgrade?.steps ?? [];
  return {
    all: {
      hosts: Object.fromEntries(all.map((n) => [n.name, hostVars(n, user)])),
      children: {
        control_plane: {
          hosts: hostsOf(nodes.filter((n) => n.role === "control-plane").map((n) => n.name)),
        },
        workers: { hosts: hostsOf(nodes.filter((n) => n.role === "worker").map((n) => n.name)) },
        ...Object.fromEntries(
          pools.map((p) => [
            `pool_${p.replace(/-/g, "_")}`,
            {
              hosts: hostsOf(
                nodes.filter((n) => n.role === "worker" && n.pool === p).map((n) => n.name),
              ),
            },
          ]),
        ),
        operator: { hosts: hostsOf([plan.operator]) },
        // the operator, when this run has something to forget / labels or taints to change
        forget: {
          hosts: hostsOf(
            (plan.forget?.nodes.length ?? 0) + (plan.forget?.etcdMembers.length ?? 0) > 0
              ? [plan.operator]
              : [],
          ),
        },
        node_metadata: {
          hosts: hostsOf((plan.nodeMetadata?.length ?? 0) > 0 ? [plan.operator] : []),
        },
        kubeadm_init: { hosts: hostsOf(plan.init ? [plan.init] : []) },
        join_control_plane: { hosts: hostsOf(plan.controlPlaneJoins) },
        join_worker: { hosts: hostsOf(plan.workerJoins) },
        remove_node: { hosts: hostsOf(plan.removals.map((r) => r.name)) },
        upgrade_apply: {
          hosts: hostsOf(upgrades.filter((u) => u.command === "apply").map((u) => u.name)),
        },
        upgrade_control_plane: {
          hosts: hostsOf(
            upgrades
              .filter((u) => u.command === "node" && u.role === "control-plane")
              .map((u) => u.name),
          ),
        },
        upgrade_worker: {
          hosts: hostsOf(upgrades.filter((u) => u.role === "worker").map((u) => u.name)),
        },
      },
    },
  };
}
