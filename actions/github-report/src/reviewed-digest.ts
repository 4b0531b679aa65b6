import { createHash } from "node:crypto";
import { canonicalJson } from "../../lib/state/phase-state.js";
import type { VmChange } from "../../lib/tofu/plan-summary.js";

/**
 * The reviewed digest: what a reviewer approved in the PR comment, as one SHA-256 that a deploy
 * can recompute and compare before it changes anything (deploy.yml's `reviewed-digest` input).
 *
 * It covers
 * - the cluster.yaml the plan was made from, as parsed data (every value: a memory size edited
 *   after the review changes it; a comment or a reordering does not), and
 * - the VM changes OpenTofu planned against the state of that moment (VM, action, which attributes
 *   change, what forces a replacement) — normalised from the JSON plan, never the plan's text or
 *   its binary bytes, which differ between two runs that do the same thing.
 *
 * So a deploy refuses when cluster.yaml differs from the reviewed one, or when the state moved on
 * (someone applied in between, a VM was deleted by hand) so that the same file now means other
 * changes. The binary plan's own SHA-256 (`planSha256` in the marker) proves the bytes within one
 * run; across runs (PR → merge → deploy) only this digest can.
 */
export function reviewedDigest(input: { config: unknown; vms: readonly VmChange[] }): string {
  const vms = input.vms
    .map((vm) => ({
      name: vm.name,
      action: vm.action,
      changed: [...vm.changedAttributes].sort(),
      because: [...vm.replaceBecause].sort(),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash("sha256")
    .update(canonicalJson({ v: 1, config: input.config, vms }))
    .digest("hex");
}
