import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  releasePlanLine
} from "./chunk-IT5A3JKS.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/services/plan.ts
function objectsPlanLine(o) {
  const what = o.names.join(", ");
  if (o.action === "none") return `${o.id}: no change (${what})`;
  if (o.action === "change") return `${o.id}: create or update ${what}`;
  return `${o.id}: ${what} (compared with the cluster at deploy time)`;
}
__name(objectsPlanLine, "objectsPlanLine");
function servicesPlanLines(plan) {
  const lines = [...plan.releases.map(releasePlanLine), ...plan.objects.map(objectsPlanLine)];
  if (plan.nodeLabels)
    for (const l of plan.nodeLabels)
      lines.push(
        `node ${l.node}: label ${Object.entries(l.labels).map(([k, v]) => `${k}=${v}`).join(" ")}`
      );
  return lines;
}
__name(servicesPlanLines, "servicesPlanLines");
function planChanges(plan) {
  return plan.releases.some((r) => r.action !== "none") || plan.objects.some((o) => o.action !== "none") || (plan.nodeLabels?.length ?? 0) > 0;
}
__name(planChanges, "planChanges");

export {
  objectsPlanLine,
  servicesPlanLines,
  planChanges
};
