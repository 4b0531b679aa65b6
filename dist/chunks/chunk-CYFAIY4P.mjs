import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  conditionList,
  notReadyPods
} from "./chunk-XQFMMS6B.mjs";
import {
  external_exports,
  parseIp
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/verify/checks.ts
var nodeList = external_exports.object({
  items: external_exports.array(
    external_exports.object({
      metadata: external_exports.object({ name: external_exports.string() }).loose(),
      status: external_exports.object({
        conditions: conditionList
      }).loose().prefault({})
    }).loose()
  )
});
function nodesCheck(plan, nodesJson) {
  const nodes = nodeList.parse(nodesJson).items;
  const byName = new Map(nodes.map((n) => [n.metadata.name, n]));
  const problems = [];
  let ready = 0;
  for (const vm of plan.vms) {
    const node = byName.get(vm.name);
    if (!node) {
      problems.push(`${vm.name}: not a node`);
      continue;
    }
    const cond = node.status.conditions.find((c) => c.type === "Ready");
    if (cond?.status === "True") ready++;
    else
      problems.push(
        `${vm.name}: ${cond ? `Ready=${cond.status}${cond.reason ? ` (${cond.reason}${cond.message ? `: ${cond.message}` : ""})` : ""}` : "no Ready condition yet"}`
      );
  }
  return {
    check: "nodes Ready",
    ok: problems.length === 0,
    detail: `${ready}/${plan.vms.length} Ready${problems.length ? `; ${problems.join("; ")}` : ""}`
  };
}
__name(nodesCheck, "nodesCheck");
function systemPodsCheck(podsJson, namespaces) {
  const list = external_exports.object({
    items: external_exports.array(
      external_exports.object({
        metadata: external_exports.object({ namespace: external_exports.string().default("") }).loose(),
        status: external_exports.object({ phase: external_exports.string().optional() }).loose().prefault({})
      }).loose()
    )
  }).loose().parse(podsJson);
  const inScope = list.items.filter(
    (p) => namespaces.includes(p.metadata.namespace) && p.status.phase !== "Succeeded"
  );
  const bad = notReadyPods({ items: inScope });
  return {
    check: "system pods healthy",
    ok: bad.length === 0,
    detail: bad.length === 0 ? `${inScope.length} pods Ready in ${namespaces.join(", ")}` : `${bad.length} of ${inScope.length} not Ready: ${bad.map(
      (p) => `${p.pod} (${p.phase}${p.node ? ` on ${p.node}` : ""}: ${p.reasons.join("; ")})`
    ).join(", ")}`
  };
}
__name(systemPodsCheck, "systemPodsCheck");
function inLbRange(plan, ip) {
  const range = plan.network.lbRange;
  const value = parseIp(ip);
  if (!range || value === void 0) return false;
  return value >= (parseIp(range.start) ?? Infinity) && value <= (parseIp(range.end) ?? -Infinity);
}
__name(inLbRange, "inLbRange");
function verifyTable(checks) {
  const cell = /* @__PURE__ */ __name((t) => t.replace(/\|/g, "\\|").replace(/\n/g, " "), "cell");
  return [
    "| check | result | detail |",
    "|---|---|---|",
    ...checks.map(
      (c) => `| ${c.check} | ${c.ok ? "\u2705 passed" : "\u274C failed"} | ${cell(c.detail)} |`
    )
  ].join("\n");
}
__name(verifyTable, "verifyTable");

export {
  nodesCheck,
  systemPodsCheck,
  inLbRange,
  verifyTable
};
