import type { PlanJson, ResourceChange } from "./plan-json.js";
import { VM_RESOURCE_TYPE } from "./plan-summary.js";

/**
 * What a refresh-only plan (`tofu plan -refresh-only -detailed-exitcode`) found: resources whose
 * real state differs from the OpenTofu state — changes made outside OpenTofu (by hand, by another
 * tool, by the Proxmox CSI driver or HA) — kept apart from what cluster.yaml's own edits would
 * change. A normal plan mixes both: it wants to undo an out-of-band change and to apply a
 * configuration change alike.
 */
export interface RefreshOnlyDrift {
  address: string;
  /** the VM name (for_each key), or the address for other resources */
  name: string;
  vm: boolean;
  /** "update" (changed) or "delete" (gone outside OpenTofu) */
  action: "update" | "delete";
  changedAttributes: string[];
}

export interface RefreshOnlyResult {
  /** the detailed exit code said the refreshed state differs (2) */
  hasChanges: boolean;
  drifted: RefreshOnlyDrift[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function driftOf(rc: ResourceChange): RefreshOnlyDrift {
  const before = record(rc.change.before);
  const after = record(rc.change.after);
  const gone = rc.change.actions.includes("delete") || (before !== undefined && !after);
  const changed =
    before && after
      ? Object.keys(after)
          .filter(
            (key) => key in before && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
          )
          .sort()
      : [];
  const vm = rc.type === VM_RESOURCE_TYPE;
  return {
    address: rc.address,
    name: vm && typeof rc.index === "string" ? rc.index : rc.address,
    vm,
    action: gone ? "delete" : "update",
    changedAttributes: changed,
  };
}

export function summariseRefreshOnly(plan: PlanJson, hasChanges: boolean): RefreshOnlyResult {
  return {
    hasChanges,
    drifted: (plan.resource_drift ?? [])
      .filter((rc) => rc.mode === undefined || rc.mode === "managed")
      .map(driftOf),
  };
}
