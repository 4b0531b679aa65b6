import type { PlanJson, ResourceChange } from "./plan-json.js";

/** The resource type of every cluster VM in terraform/. */
export const VM_RESOURCE_TYPE = "proxmox_virtual_environment_vm";

export type ChangeAction = "create" | "update" | "replace" | "delete";
export type VmRole = "control-plane" | "worker" | "unknown";

export interface VmChange {
  address: string;
  /** the VM name: the for_each key of the resource */
  name: string;
  role: VmRole;
  action: ChangeAction;
  vmid?: number;
  node?: string;
  /** top-level attributes whose known values differ (updates and replaces) */
  changedAttributes: string[];
  /** attributes that force the replacement (replaces only) */
  replaceBecause: string[];
  /** replaced only because OpenTofu created it in an apply that failed part-way (tainted) */
  tainted: boolean;
}

export interface OtherChange {
  address: string;
  action: ChangeAction;
}

export interface PlanCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

export interface PlanSummary {
  /** VM changes, deletes and replaces first (control planes first within each), then creates and updates */
  vms: VmChange[];
  /** changes to resources that are not VMs (none in terraform/ today, but never hidden) */
  others: OtherChange[];
  counts: PlanCounts;
  hasChanges: boolean;
  /** VMs changed outside OpenTofu since the last apply (found by the refresh) */
  drifted: string[];
  /** outputs whose value changes (create/update/delete), for completeness */
  outputChanges: string[];
  /** the plan reached an error part-way and must not be applied */
  errored: boolean;
}

/**
 * Maps the JSON plan's action list to one verb. ["delete","create"] and ["create","delete"] are
 * both replacements (destroy-before-create and create-before-destroy); no-op, read and forget
 * change nothing on Proxmox.
 */
export function changeAction(actions: readonly string[]): ChangeAction | undefined {
  const set = new Set(actions);
  if (set.has("delete") && set.has("create")) return "replace";
  if (set.has("create")) return "create";
  if (set.has("delete")) return "delete";
  if (set.has("update")) return "update";
  return undefined;
}

const ORDER: Record<ChangeAction, number> = { delete: 0, replace: 1, create: 2, update: 3 };
const ROLE_ORDER: Record<VmRole, number> = { "control-plane": 0, worker: 1, unknown: 2 };

/**
 * Summarises a JSON plan for people and for the apply gate. `roles` maps VM names to roles (from
 * the rendered var file); VMs that are leaving the plan are recognised by their `role-*` tag.
 */
export function summarisePlan(
  plan: PlanJson,
  roles: ReadonlyMap<string, VmRole> = new Map(),
): PlanSummary {
  const vms: VmChange[] = [];
  const others: OtherChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== undefined && rc.mode !== "managed") continue;
    const action = changeAction(rc.change.actions);
    if (!action) continue;
    if (rc.type === VM_RESOURCE_TYPE) vms.push(vmChange(rc, action, roles));
    else others.push({ address: rc.address, action });
  }
  vms.sort(
    (a, b) =>
      ORDER[a.action] - ORDER[b.action] ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name, "en", { numeric: true }),
  );
  const counts: PlanCounts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of [...vms, ...others]) counts[change.action]++;
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => changeAction(change.actions) !== undefined)
    .map(([name]) => name);
  return {
    vms,
    others,
    counts,
    hasChanges: vms.length + others.length > 0,
    drifted: (plan.resource_drift ?? [])
      .filter((rc) => rc.type === VM_RESOURCE_TYPE)
      .map((rc) => vmName(rc)),
    outputChanges,
    errored: plan.errored === true,
  };
}

function vmChange(
  rc: ResourceChange,
  action: ChangeAction,
  roles: ReadonlyMap<string, VmRole>,
): VmChange {
  const before = asRecord(rc.change.before);
  const after = asRecord(rc.change.after);
  const name = vmName(rc);
  const known = after ?? before ?? {};
  const vmid = numberOf(known.vm_id) ?? numberOf(before?.vm_id);
  const node = stringOf(known.node_name) ?? stringOf(before?.node_name);
  return {
    address: rc.address,
    name,
    role: roles.get(name) ?? roleFromTags(before?.tags) ?? roleFromTags(after?.tags) ?? "unknown",
    action,
    ...(vmid !== undefined ? { vmid } : {}),
    ...(node !== undefined ? { node } : {}),
    changedAttributes:
      action === "update" || action === "replace" ? changedAttributes(before, after) : [],
    replaceBecause:
      action === "replace"
        ? [...new Set((rc.change.replace_paths ?? []).map((p) => String(p[0])))].sort()
        : [],
    tainted: action === "replace" && rc.action_reason === "replace_because_tainted",
  };
}

function vmName(rc: ResourceChange): string {
  if (typeof rc.index === "string") return rc.index;
  const after = asRecord(rc.change.after) ?? asRecord(rc.change.before);
  return stringOf(after?.name) ?? rc.address;
}

function roleFromTags(tags: unknown): VmRole | undefined {
  if (!Array.isArray(tags)) return undefined;
  if (tags.includes("role-control-plane")) return "control-plane";
  if (tags.includes("role-worker")) return "worker";
  return undefined;
}

/** Top-level attributes present on both sides whose values differ (unknown-after values are left out). */
function changedAttributes(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): string[] {
  if (!before || !after) return [];
  return Object.keys(after)
    .filter((key) => key in before && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** VMs grouped by role, in the summary's order. */
export function vmsByRole(summary: PlanSummary): Map<VmRole, VmChange[]> {
  const groups = new Map<VmRole, VmChange[]>();
  for (const role of ["control-plane", "worker", "unknown"] as const) {
    const vms = summary.vms.filter((vm) => vm.role === role);
    if (vms.length > 0) groups.set(role, vms);
  }
  return groups;
}

/** Deletes and replaces: what a reviewer must look at first. */
export function destructiveChanges(summary: PlanSummary): VmChange[] {
  return summary.vms.filter((vm) => vm.action === "delete" || vm.action === "replace");
}
