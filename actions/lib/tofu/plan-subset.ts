import { isDeepStrictEqual } from "node:util";
import type { PlanJson, ResourceChange } from "./plan-json.js";

/**
 * May a plan made after a failed apply be applied without a new review? Only when it merely
 * finishes what the reviewed plan asked for: every change in it has the same address as a change
 * of the reviewed plan and the same target values (`after`, where the reviewed plan knew them).
 * Its actions must be ones the reviewed change had — with one addition: a resource the reviewed
 * plan created and the failed apply left half-made (tainted) is replaced, which deletes only what
 * this run made. Returns what is outside the reviewed plan, one line each; empty means "apply it".
 */
export function changesOutsideReviewed(reviewed: PlanJson, replanned: PlanJson): string[] {
  const reviewedBy = new Map(
    (reviewed.resource_changes ?? []).filter(changes).map((rc) => [rc.address, rc]),
  );
  const outside: string[] = [];
  for (const rc of (replanned.resource_changes ?? []).filter(changes)) {
    const was = reviewedBy.get(rc.address);
    if (!was) {
      outside.push(`${rc.address}: ${rc.change.actions.join("+")} is not in the reviewed plan`);
      continue;
    }
    const allowed = new Set(was.change.actions);
    if (allowed.has("create")) allowed.add("delete");
    const extra = rc.change.actions.filter((a) => !allowed.has(a));
    if (extra.length)
      outside.push(
        `${rc.address}: ${rc.change.actions.join("+")}, the reviewed plan had ${was.change.actions.join("+")}`,
      );
    const differs = differingKeys(was.change.after, was.change.after_unknown, rc.change.after);
    if (differs.length)
      outside.push(`${rc.address}: ${differs.join(", ")} differ from the reviewed plan`);
  }
  return outside;
}

function changes(rc: ResourceChange): boolean {
  return rc.change.actions.some((a) => a !== "no-op" && a !== "read");
}

/** Top-level attributes whose target value differs, skipping those the reviewed plan did not know. */
function differingKeys(reviewed: unknown, reviewedUnknown: unknown, replanned: unknown): string[] {
  if (!isObject(reviewed) || !isObject(replanned))
    return isDeepStrictEqual(reviewed, replanned) ? [] : ["the whole resource"];
  const unknown = isObject(reviewedUnknown) ? reviewedUnknown : {};
  const keys = new Set([...Object.keys(reviewed), ...Object.keys(replanned)]);
  return [...keys]
    .filter((k) => unknown[k] === undefined || unknown[k] === false)
    .filter((k) => !isDeepStrictEqual(reviewed[k], replanned[k]))
    .sort();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
