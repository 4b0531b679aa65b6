import { ConfigurationError } from "../errors.js";
import type { PlanJson } from "./plan-json.js";
import { changeAction, VM_RESOURCE_TYPE, type PlanSummary } from "./plan-summary.js";

/**
 * Refuses a plan that deletes or replaces a control-plane VM unless the operator allowed it:
 * losing control planes one after another is how an etcd quorum dies. Workers may be deleted by
 * a reviewed plan (scale-down); a full destroy is its own mode with its own checks.
 */
export function assertNoControlPlaneLoss(summary: PlanSummary, options: { allowReplace: boolean }): void {
  if (options.allowReplace) return;
  const lost = summary.vms.filter((vm) => vm.role === "control-plane" && (vm.action === "delete" || vm.action === "replace"));
  if (lost.length === 0) return;
  const list = lost.map((vm) => `${vm.name} (${vm.action}${vm.replaceBecause.length ? ` because of ${vm.replaceBecause.join(", ")}` : ""})`).join(", ");
  throw new ConfigurationError(
    `the plan would ${lost.some((vm) => vm.action === "delete") ? "delete or replace" : "replace"} control-plane VM${lost.length > 1 ? "s" : ""}: ${list}`,
    "if this is intended (and etcd keeps its quorum), re-run with `allow-replace: true`; otherwise revert the cluster.yaml change that causes it",
  );
}

/** A plan with errors is incomplete and must never be applied. */
export function assertPlanComplete(summary: PlanSummary): void {
  if (summary.errored) throw new Error("the plan reports errors (errored: true); it is incomplete and cannot be applied");
}

export interface OwnershipProblem {
  address: string;
  vmid?: number;
  reason: string;
}

/**
 * Every VM a plan deletes or replaces must prove it belongs to this cluster, with the values the
 * refresh just read from Proxmox: the `pve-kube` and `cluster-<name>` tags and `uid=<uid>` in its
 * description. A state file pointed at the wrong cluster, or a VMID reused by someone else, stops
 * here before anything is touched.
 */
export function ownershipProblems(plan: PlanJson, cluster: string, uid: string): OwnershipProblem[] {
  const problems: OwnershipProblem[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== VM_RESOURCE_TYPE) continue;
    const action = changeAction(rc.change.actions);
    if (action !== "delete" && action !== "replace") continue;
    const before = (rc.change.before ?? {}) as { tags?: unknown; description?: unknown; vm_id?: unknown };
    const vmid = typeof before.vm_id === "number" ? before.vm_id : undefined;
    const tags = Array.isArray(before.tags) ? before.tags.map(String) : [];
    const missing = ["pve-kube", `cluster-${cluster}`].filter((tag) => !tags.includes(tag));
    const description = typeof before.description === "string" ? before.description : "";
    const uidOk = description.split(/\s+/).includes(`uid=${uid}`);
    const reasons = [
      ...(missing.length ? [`missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (has: ${tags.join(", ") || "none"})`] : []),
      ...(uidOk ? [] : [`its description does not carry uid=${uid}`]),
    ];
    if (reasons.length) problems.push({ address: rc.address, ...(vmid !== undefined ? { vmid } : {}), reason: reasons.join("; ") });
  }
  return problems;
}

export function assertOwnership(plan: PlanJson, cluster: string, uid: string): void {
  const problems = ownershipProblems(plan, cluster, uid);
  if (problems.length === 0) return;
  const list = problems.map((p) => `${p.address}${p.vmid !== undefined ? ` (VMID ${p.vmid})` : ""}: ${p.reason}`).join("; ");
  throw new ConfigurationError(
    `refusing to delete VMs that do not prove they belong to cluster '${cluster}' (uid ${uid}): ${list}`,
    "check that the OpenTofu state (backend) belongs to this cluster.yaml; never re-tag a VM by hand to get past this check",
  );
}
