import { z } from "zod";
import type { ClusterPlan } from "../config/index.js";
import { parseIp } from "../config/ipv4.js";
import { conditionList, notReadyPods } from "../helm/workloads.js";

/** One row of the verify table (the phase state's verify.checks). */
export interface VerifyCheck {
  check: string;
  ok: boolean;
  detail: string;
}

const nodeList = z.object({
  items: z.array(
    z
      .object({
        metadata: z.object({ name: z.string() }).loose(),
        status: z
          .object({
            conditions: conditionList,
          })
          .loose()
          .prefault({}),
      })
      .loose(),
  ),
});

/** Every VM of the plan is a node, and Ready; the detail names those that are not, and why. */
export function nodesCheck(plan: ClusterPlan, nodesJson: unknown): VerifyCheck {
  const nodes = nodeList.parse(nodesJson).items;
  const byName = new Map(nodes.map((n) => [n.metadata.name, n]));
  const problems: string[] = [];
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
        `${vm.name}: ${cond ? `Ready=${cond.status}${cond.reason ? ` (${cond.reason}${cond.message ? `: ${cond.message}` : ""})` : ""}` : "no Ready condition yet"}`,
      );
  }
  return {
    check: "nodes Ready",
    ok: problems.length === 0,
    detail: `${ready}/${plan.vms.length} Ready${problems.length ? `; ${problems.join("; ")}` : ""}`,
  };
}

/**
 * The pods of the system namespaces (kube-system and the add-ons' own) are Ready, or finished
 * (a Job's pod that Succeeded is healthy). The detail names the others with their reasons.
 */
export function systemPodsCheck(podsJson: unknown, namespaces: readonly string[]): VerifyCheck {
  const list = z
    .object({
      items: z.array(
        z
          .object({
            metadata: z.object({ namespace: z.string().default("") }).loose(),
            status: z.object({ phase: z.string().optional() }).loose().prefault({}),
          })
          .loose(),
      ),
    })
    .loose()
    .parse(podsJson);
  const inScope = list.items.filter(
    (p) => namespaces.includes(p.metadata.namespace) && p.status.phase !== "Succeeded",
  );
  const bad = notReadyPods({ items: inScope });
  return {
    check: "system pods healthy",
    ok: bad.length === 0,
    detail:
      bad.length === 0
        ? `${inScope.length} pods Ready in ${namespaces.join(", ")}`
        : `${bad.length} of ${inScope.length} not Ready: ${bad
            .map(
              (p) =>
                `${p.pod} (${p.phase}${p.node ? ` on ${p.node}` : ""}: ${p.reasons.join("; ")})`,
            )
            .join(", ")}`,
  };
}

/** The address a LoadBalancer Service got lies in network.loadBalancerRange. */
export function inLbRange(plan: ClusterPlan, ip: string): boolean {
  const range = plan.network.lbRange;
  const value = parseIp(ip);
  if (!range || value === undefined) return false;
  return value >= (parseIp(range.start) ?? Infinity) && value <= (parseIp(range.end) ?? -Infinity);
}

/** The verify table, Markdown (job summary and deploy report). */
export function verifyTable(checks: readonly VerifyCheck[]): string {
  const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    "| check | result | detail |",
    "|---|---|---|",
    ...checks.map(
      (c) => `| ${c.check} | ${c.ok ? "✅ passed" : "❌ failed"} | ${cell(c.detail)} |`,
    ),
  ].join("\n");
}
