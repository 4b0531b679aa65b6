import type { ClusterPlan } from "../../lib/config/index.js";
import {
  isOwnedBy,
  listVms,
  vmConfig,
  type ClusterVm,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import {
  parseBuildMarker,
  recipeTag,
  TEMPLATE_RANGE_SIZE,
  TEMPLATE_TAG,
  type BuildMarker,
} from "../../lib/template/index.js";

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
export async function inspectTemplates(
  client: ProxmoxClient,
  plan: ClusterPlan,
  fingerprint: string,
): Promise<TemplateSlots> {
  const vms = await listVms(client);
  const { start, end } = templateRange(plan);
  const ours = vms.filter(
    (vm) =>
      vm.vmid >= start &&
      vm.vmid <= end &&
      vm.tags.includes(TEMPLATE_TAG) &&
      isOwnedBy(vm, plan.cluster),
  );
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
export function isAbandoned(
  marker: BuildMarker | undefined,
  now: number,
  staleAfterMs: number,
): boolean {
  if (!marker) return true;
  const started = Date.parse(marker.startedAt);
  return !Number.isFinite(started) || now - started > staleAfterMs;
}

/**
 * Which of this cluster's VMs still depend on each older template: a linked clone's disks live on
 * the template's base volume (`…base-<vmid>-disk-N/vm-…`), so removing the template would break
 * them. Full clones do not depend on it. Read-only.
 */
export async function templateUsers(
  client: ProxmoxClient,
  plan: ClusterPlan,
  templates: readonly ClusterVm[],
): Promise<Map<number, number[]>> {
  const users = new Map<number, number[]>(templates.map((t) => [t.vmid, []]));
  if (templates.length === 0) return users;
  const clones = (await listVms(client)).filter(
    (vm) => !vm.template && isOwnedBy(vm, plan.cluster),
  );
  for (const vm of clones) {
    const config = await vmConfig(client, vm.node, vm.vmid);
    const disks = Object.entries(config ?? {})
      .filter(
        ([key, value]) =>
          /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/.test(key) && typeof value === "string",
      )
      .map(([, value]) => String(value));
    for (const t of templates) {
      if (disks.some((d) => d.includes(`base-${t.vmid}-disk-`))) users.get(t.vmid)?.push(vm.vmid);
    }
  }
  return users;
}
