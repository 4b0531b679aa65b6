import type { ClusterPlan } from "../config/plan.js";
import { describeResources, describeRoles, sumResources } from "./cluster-plan-facts.js";
import {
  addonTable,
  kubernetesFacts,
  networkFacts,
  nodeTable,
  poolTable,
  proxmoxFacts,
  templateFacts,
  vmTable,
  type Facts,
  type Table,
} from "./cluster-plan-sections.js";
import { topologyMermaid, type TopologyOptions } from "./cluster-topology.js";
import { table } from "./markdown.js";
import { keyValueLines, textTable } from "./text-table.js";

export { topologyMermaid, type TopologyOptions } from "./cluster-topology.js";

/** One line: "demo: 3 control planes + 3 workers on pve1, pve2, pve3 — 18 vCPU, 36 GiB memory, 288 GiB disk". */
export function planHeadline(plan: ClusterPlan): string {
  return `${plan.cluster}: ${describeRoles(plan)} on ${plan.proxmox.nodes.join(", ")} — ${describeResources(sumResources(plan.vms))}`;
}

/** The plan as terminal text: every VM with role, node, VMID, IP and size; network; add-ons. */
export function renderPlanText(plan: ClusterPlan): string {
  const facts = (title: string, entries: Facts) => `${title}\n${keyValueLines(entries)}`;
  const rows = (title: string, t: Table) =>
    `${title}\n${textTable(
      t.headers.map((h) => h.toUpperCase()),
      t.rows,
      { indent: "  ", alignRight: t.numeric },
    )}`;
  return [
    `Cluster plan — ${planHeadline(plan)}`,
    rows("Virtual machines", vmTable(plan)),
    rows("Pools", poolTable(plan)),
    rows("Per Proxmox node", nodeTable(plan)),
    facts("Network", networkFacts(plan)),
    facts("Kubernetes", kubernetesFacts(plan)),
    rows("Add-ons", addonTable(plan)),
    facts("Proxmox", proxmoxFacts(plan)),
    facts("Template", templateFacts(plan)),
  ]
    .join("\n\n")
    .concat("\n");
}

export interface PlanMarkdownOptions extends TopologyOptions {
  /** level of the title heading (sections go one deeper); 1 for a document, 2–3 inside a job summary */
  headingLevel?: number;
}

/** The plan as a Markdown document: tables and a mermaid topology of nodes, VMs, VIP and LB range. */
export function renderPlanMarkdown(plan: ClusterPlan, options: PlanMarkdownOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 1, 1), 5);
  const title = "#".repeat(level);
  const section = "#".repeat(level + 1);
  const facts = (entries: Facts) => table(["setting", "value"], entries);
  const rows = (t: Table) => table(t.headers, t.rows);
  return [
    `${title} Cluster plan: \`${plan.cluster}\``,
    `${describeRoles(plan)} on Proxmox nodes ${plan.proxmox.nodes.map((n) => `\`${n}\``).join(", ")} — ${describeResources(sumResources(plan.vms))}. Kubernetes API at \`${plan.network.vip}:6443\`.`,
    `${section} Topology`,
    `\`\`\`mermaid\n${topologyMermaid(plan, options)}\n\`\`\``,
    `${section} Virtual machines`,
    rows(vmTable(plan)),
    `${section} Pools`,
    rows(poolTable(plan)),
    `${section} Per Proxmox node`,
    rows(nodeTable(plan)),
    `${section} Network`,
    facts(networkFacts(plan)),
    `${section} Kubernetes`,
    facts(kubernetesFacts(plan)),
    `${section} Add-ons`,
    rows(addonTable(plan)),
    `${section} Proxmox and template`,
    facts([...proxmoxFacts(plan), ...templateFacts(plan)]),
  ]
    .join("\n\n")
    .concat("\n");
}
