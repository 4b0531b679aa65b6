import type { ClusterPlan } from "../../lib/config/index.js";
import { isOwnedBy, listVms, vmConfig, type ClusterVm, type ProxmoxClient } from "../../lib/proxmox/index.js";
import { parseBuildMarker, recipeTag, TEMPLATE_RANGE_SIZE, TEMPLATE_TAG, type BuildMarker } from "../../lib/template/index.js";

export interface TemplateSlots {
  /** a finished template with this recipe */
  ready?: ClusterVm;
  /** a VM with this recipe that is not a template yet: a build in progress, or abandoned */
  building?: ClusterVm & { marker?: BuildMarker };
  /**
   * VMs of the range still being created: Proxmox writes their real config (tags, marker) only
   * when the create task ends, so until then they could be another builder of this recipe.
   */
  creating: ClusterVm[];
  /** this cluster's templates with other recipes (kept; existing VMs may use them) */
  others: ClusterVm[];
  /** every VM the token sees (for the free VMID search) */
  vms: ClusterVm[];
}

export function templateRange(plan: ClusterPlan): { start: number; end: number } {
  return { start: plan.template.vmid, end: plan.template.vmid + TEMPLATE_RANGE_SIZE - 1 };
}

/** Read-only look at the template range: what exists for this recipe. */
export async function inspectTemplates(client: ProxmoxClient, plan: ClusterPlan, fingerprint: string): Promise<TemplateSlots> {
  const vms = await listVms(client);
  const { start, end } = templateRange(plan);
  const ours = vms.filter((vm) => vm.vmid >= start && vm.vmid <= end && vm.tags.includes(TEMPLATE_TAG) && isOwnedBy(vm, plan.cluster));
  const tag = recipeTag(fingerprint);
  const withRecipe = ours.filter((vm) => vm.tags.includes(tag));
  const ready = withRecipe.find((vm) => vm.template);
  const pending = withRecipe.find((vm) => !vm.template);
  let building: TemplateSlots["building"];
  if (!ready && pending) {
    const config = await vmConfig(client, pending.node, pending.vmid);
    const marker = parseBuildMarker(config?.description);
    building = config ? { ...pending, ...(marker ? { marker } : {}) } : undefined;
  }
  return {
    ...(ready ? { ready } : {}),
    ...(building ? { building } : {}),
    creating: vms.filter((vm) => vm.vmid >= start && vm.vmid <= end && vm.lock === "create"),
    others: ours.filter((vm) => !vm.tags.includes(tag) && vm.template),
    vms,
  };
}

/** Whether a build marker is older than the lock timeout (its builder died). */
export function isAbandoned(marker: BuildMarker | undefined, now: number, staleAfterMs: number): boolean {
  if (!marker) return true;
  const started = Date.parse(marker.startedAt);
  return !Number.isFinite(started) || now - started > staleAfterMs;
}

