import { releasePlanLine, type ReleasePlan } from "../helm/plan.js";
import type { NodeLabelChange } from "./topology.js";

/** What deploy-services would change, for the log, the summary and the PR comment. */
export interface ServicesPlan {
  releases: (ReleasePlan & { id: string; namespace: string })[];
  /** pve-kube's own objects (namespaces, the LB pool): "change" = kubectl diff found one */
  objects: { id: string; names: string[]; action: "change" | "none" | "unknown" }[];
  /** topology labels to set (Proxmox CSI); undefined = the cluster could not be asked */
  nodeLabels?: NodeLabelChange[];
}

export function objectsPlanLine(o: ServicesPlan["objects"][number]): string {
  const what = o.names.join(", ");
  if (o.action === "none") return `${o.id}: no change (${what})`;
  if (o.action === "change") return `${o.id}: create or update ${what}`;
  return `${o.id}: ${what} (compared with the cluster at deploy time)`;
}

/** One line per change the plan holds, in install order. */
export function servicesPlanLines(plan: ServicesPlan): string[] {
  const lines = [...plan.releases.map(releasePlanLine), ...plan.objects.map(objectsPlanLine)];
  if (plan.nodeLabels)
    for (const l of plan.nodeLabels)
      lines.push(
        `node ${l.node}: label ${Object.entries(l.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
      );
  return lines;
}

export function planChanges(plan: ServicesPlan): boolean {
  return (
    plan.releases.some((r) => r.action !== "none") ||
    plan.objects.some((o) => o.action !== "none") ||
    (plan.nodeLabels?.length ?? 0) > 0
  );
}
