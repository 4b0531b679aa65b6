import { z } from "zod";
import type { ClusterPlan } from "../config/index.js";
import { REGION_LABEL, ZONE_LABEL } from "./csi.js";

const nodeList = z
  .object({
    items: z.array(
      z
        .object({
          metadata: z
            .object({ name: z.string(), labels: z.record(z.string(), z.string()).default({}) })
            .loose(),
        })
        .loose(),
    ),
  })
  .loose();

export interface NodeLabelChange {
  node: string;
  labels: Record<string, string>;
}

/**
 * Proxmox CSI finds the VM of a node by the node's name: every Kubernetes node must be named
 * exactly like its VM. Returns what does not match (empty when all do), for the error message.
 */
export function nodeNameMismatches(plan: ClusterPlan, nodesJson: unknown): string[] {
  const nodes = new Set(nodeList.parse(nodesJson).items.map((n) => n.metadata.name));
  const vms = new Set(plan.vms.map((v) => v.name));
  const problems: string[] = [];
  const noVm = [...nodes].filter((n) => !vms.has(n));
  const noNode = [...vms].filter((v) => !nodes.has(v));
  if (noVm.length) problems.push(`nodes without a VM of that name: ${noVm.join(", ")}`);
  if (noNode.length) problems.push(`VMs that are no node of that name: ${noNode.join(", ")}`);
  return problems;
}

/**
 * The topology labels Proxmox CSI places volumes by: region = the Proxmox cluster (its name in
 * the CSI config), zone = the Proxmox node the VM runs on. Only nodes whose labels differ are
 * listed: a cluster already labelled gets no write.
 */
export function topologyLabelChanges(
  plan: ClusterPlan,
  region: string,
  nodesJson: unknown,
): NodeLabelChange[] {
  const zoneOf = new Map(plan.vms.map((v) => [v.name, v.node]));
  const changes: NodeLabelChange[] = [];
  for (const n of nodeList.parse(nodesJson).items) {
    const zone = zoneOf.get(n.metadata.name);
    if (!zone) continue;
    const want = { [REGION_LABEL]: region, [ZONE_LABEL]: zone };
    const differ = Object.entries(want).filter(([k, v]) => n.metadata.labels[k] !== v);
    if (differ.length) changes.push({ node: n.metadata.name, labels: Object.fromEntries(differ) });
  }
  return changes;
}

export function labelNodeArgs(kubeconfig: string, change: NodeLabelChange): string[] {
  return [
    "label",
    "node",
    change.node,
    ...Object.entries(change.labels).map(([k, v]) => `${k}=${v}`),
    "--overwrite",
    "--kubeconfig",
    kubeconfig,
  ];
}
