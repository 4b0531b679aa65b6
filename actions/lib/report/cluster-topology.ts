import type { ClusterPlan, PlannedVm } from "../config/plan.js";
import { formatMemory, lbRangeFacts } from "./cluster-plan-facts.js";

export interface TopologyOptions {
  /**
   * A pool with more VMs than this on one Proxmox node is drawn as one box ("general × 6")
   * instead of one box per VM, so large clusters stay readable. Default 4.
   */
  maxVmsPerBox?: number;
}

/** One box of the diagram: a single VM or several VMs of one pool on one node. */
interface Box {
  id: string;
  role: PlannedVm["role"];
  label: string[];
}

/**
 * The cluster topology as a mermaid flowchart: each Proxmox node is a subgraph holding its VMs,
 * the API VIP points at the control planes, the LoadBalancer range at the nodes that run
 * workloads. Returns the diagram source without the ```mermaid fence.
 */
export function topologyMermaid(plan: ClusterPlan, options: TopologyOptions = {}): string {
  const maxVmsPerBox = options.maxVmsPerBox ?? 4;
  const lines = ["flowchart TB"];
  lines.push(
    `  vip(["${mermaidLabel(`Kubernetes API VIP`)}<br/>${mermaidLabel(`${plan.network.vip}:6443`)}"])`,
  );
  const lb = lbRangeFacts(plan.network);
  if (lb)
    lines.push(
      `  lb{{"${mermaidLabel("LoadBalancer IPs")}<br/>${mermaidLabel(`${lb.start} – ${lb.end}`)}"}}`,
    );

  const nodes = [...plan.proxmox.nodes];
  for (const vm of plan.vms) if (!nodes.includes(vm.node)) nodes.push(vm.node);
  const boxes: Box[] = [];
  nodes.forEach((node, index) => {
    // ids are positional: Proxmox node names such as "end" or "graph" are mermaid keywords
    lines.push(`  subgraph pve${index}["${mermaidLabel(`Proxmox node ${node}`)}"]`);
    lines.push("    direction TB");
    const here = boxesOnNode(
      plan.vms.filter((vm) => vm.node === node),
      maxVmsPerBox,
    );
    if (here.length === 0) lines.push(`    pve${index}_empty["${mermaidLabel("no VMs")}"]`);
    for (const box of here) lines.push(`    ${box.id}["${box.label.join("<br/>")}"]`);
    lines.push("  end");
    boxes.push(...here);
  });

  const controlPlanes = boxes.filter((b) => b.role === "control-plane");
  const workers = boxes.filter((b) => b.role === "worker");
  for (const box of controlPlanes) lines.push(`  vip --> ${box.id}`);
  // without workers the control planes run the workloads, so they answer LoadBalancer IPs too
  if (lb)
    for (const box of workers.length > 0 ? workers : controlPlanes)
      lines.push(`  lb -.-> ${box.id}`);

  lines.push("  classDef controlPlane fill:#dbeafe,stroke:#1d4ed8,color:#0f172a");
  lines.push("  classDef worker fill:#dcfce7,stroke:#15803d,color:#0f172a");
  lines.push("  classDef address fill:#fef9c3,stroke:#a16207,color:#0f172a");
  if (controlPlanes.length > 0)
    lines.push(`  class ${controlPlanes.map((b) => b.id).join(",")} controlPlane`);
  if (workers.length > 0) lines.push(`  class ${workers.map((b) => b.id).join(",")} worker`);
  lines.push(`  class ${lb ? "vip,lb" : "vip"} address`);
  return lines.join("\n");
}

function boxesOnNode(vms: readonly PlannedVm[], maxVmsPerBox: number): Box[] {
  const byPool = new Map<string, PlannedVm[]>();
  for (const vm of vms) byPool.set(vm.pool, [...(byPool.get(vm.pool) ?? []), vm]);
  return [...byPool.values()].flatMap((group): Box[] => {
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) return [];
    if (group.length <= maxVmsPerBox) return group.map(vmBox);
    const size = `${first.cores} vCPU · ${formatMemory(first.memoryMiB)} · ${first.diskGiB} GiB each`;
    return [
      {
        id: `vms${first.vmid}_${last.vmid}`,
        role: first.role,
        label: [
          mermaidLabel(`${first.pool} × ${group.length}`),
          mermaidLabel(`${first.name} … ${last.name}`),
          mermaidLabel(size),
        ],
      },
    ];
  });
}

function vmBox(vm: PlannedVm): Box {
  return {
    id: `vm${vm.vmid}`,
    role: vm.role,
    label: [
      mermaidLabel(vm.name),
      mermaidLabel(`${vm.role === "control-plane" ? "control plane" : `worker · ${vm.pool}`}`),
      mermaidLabel(`${vm.ip} · VMID ${vm.vmid}`),
      mermaidLabel(`${vm.cores} vCPU · ${formatMemory(vm.memoryMiB)} · ${vm.diskGiB} GiB`),
    ],
  };
}

/**
 * Makes a value safe inside a quoted mermaid label: quotes and angle brackets become mermaid's
 * entity codes, so data can never close the label or inject markup.
 */
export function mermaidLabel(value: string): string {
  return value
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;");
}
