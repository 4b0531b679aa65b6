import { ConfigurationError } from "../errors.js";
import type { PlanJson } from "./plan-json.js";
import { changeAction, VM_RESOURCE_TYPE, type PlanSummary } from "./plan-summary.js";

/**
 * Refuses a plan that deletes or replaces a control-plane VM unless the operator allowed it:
 * losing control planes one after another is how an etcd quorum dies. Workers may be deleted by
 * a reviewed plan (scale-down); a full destroy is its own mode with its own checks. Replacing a
 * VM that an earlier apply only half-created (tainted) finishes that create — it never joined
 * the cluster — and is not a loss.
 */
export function assertNoControlPlaneLoss(
  summary: PlanSummary,
  options: { allowReplace: boolean },
): void {
  if (options.allowReplace) return;
  const lost = summary.vms.filter(
    (vm) =>
      vm.role === "control-plane" &&
      (vm.action === "delete" || (vm.action === "replace" && !vm.tainted)),
  );
  if (lost.length === 0) return;
  const list = lost
    .map(
      (vm) =>
        `${vm.name} (${vm.action}${vm.replaceBecause.length ? ` because of ${vm.replaceBecause.join(", ")}` : ""})`,
    )
    .join(", ");
  throw new ConfigurationError(
    `the plan would ${lost.some((vm) => vm.action === "delete") ? "delete or replace" : "replace"} control-plane VM${lost.length > 1 ? "s" : ""}: ${list}`,
    "if this is intended (and etcd keeps its quorum), re-run with `allow-replace: true`; otherwise revert the cluster.yaml change that causes it",
  );
}

/** A plan with errors is incomplete and must never be applied. */
export function assertPlanComplete(summary: PlanSummary): void {
  if (summary.errored)
    throw new Error(
      "the plan reports errors (errored: true); it is incomplete and cannot be applied",
    );
}

export interface OwnershipProblem {
  address: string;
  vmid?: number;
  reason: string;
}

/**
 * Every VM a plan deletes, replaces or changes in place must prove it belongs to this cluster
 * (an update renames, retags and resizes: a state entry pointing at a foreign VM would take it
 * over), with the values the
 * refresh just read from Proxmox: the `pve-kube` and `cluster-<name>` tags and `uid=<uid>` in its
 * description. A state file pointed at the wrong cluster, or a VMID reused by someone else, stops
 * here before anything is touched.
 *
 * A VM that OpenTofu itself created in a failed apply (tainted in the state) may not have its tags
 * yet — the provider sets them after the clone, and that call may be what failed. Its description
 * (`uid=…`, sent with the clone request) is proof enough; without this exception a single failed
 * configuration call would block every later run.
 */
export function ownershipProblems(
  plan: PlanJson,
  cluster: string,
  uid: string,
): OwnershipProblem[] {
  const problems: OwnershipProblem[] = [];
  const tainted = taintedAddresses(plan);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== VM_RESOURCE_TYPE) continue;
    const action = changeAction(rc.change.actions);
    if (action !== "delete" && action !== "replace" && action !== "update") continue;
    const before = (rc.change.before ?? {}) as {
      tags?: unknown;
      description?: unknown;
      vm_id?: unknown;
    };
    const vmid = typeof before.vm_id === "number" ? before.vm_id : undefined;
    const tags = Array.isArray(before.tags) ? before.tags.map(String) : [];
    const isTainted = tainted.has(rc.address) || rc.action_reason === "replace_because_tainted";
    // an in-place update may be what restores tags someone removed: the uid proves it alone
    const missing =
      isTainted || action === "update"
        ? []
        : ["pve-kube", `cluster-${cluster}`].filter((tag) => !tags.includes(tag));
    const description = typeof before.description === "string" ? before.description : "";
    const uidOk = description.split(/\s+/).includes(`uid=${uid}`);
    const reasons = [
      ...(missing.length
        ? [
            `missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (has: ${tags.join(", ") || "none"})`,
          ]
        : []),
      ...(uidOk
        ? []
        : [
            `its description does not carry uid=${uid}${isTainted ? " (a half-created VM from a failed apply: check it, then delete it by hand or `tofu state rm` it)" : ""}`,
          ]),
    ];
    if (reasons.length)
      problems.push({
        address: rc.address,
        ...(vmid !== undefined ? { vmid } : {}),
        reason: reasons.join("; "),
      });
  }
  return problems;
}

/** Resources the prior state marks tainted (created by an apply that failed part-way). */
function taintedAddresses(plan: PlanJson): Set<string> {
  const out = new Set<string>();
  const walk = (module: unknown) => {
    const m = module as
      | { resources?: { address?: unknown; tainted?: unknown }[]; child_modules?: unknown[] }
      | undefined;
    for (const r of m?.resources ?? [])
      if (r.tainted === true && typeof r.address === "string") out.add(r.address);
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(
    (plan.prior_state as { values?: { root_module?: unknown } } | undefined)?.values?.root_module,
  );
  return out;
}

export function assertOwnership(plan: PlanJson, cluster: string, uid: string): void {
  const problems = ownershipProblems(plan, cluster, uid);
  if (problems.length === 0) return;
  const list = problems
    .map((p) => `${p.address}${p.vmid !== undefined ? ` (VMID ${p.vmid})` : ""}: ${p.reason}`)
    .join("; ");
  throw new ConfigurationError(
    `refusing to delete VMs that do not prove they belong to cluster '${cluster}' (uid ${uid}): ${list}`,
    "check that the OpenTofu state (backend) belongs to this cluster.yaml; never re-tag a VM by hand to get past this check",
  );
}
