import type { ClusterVm } from "./vms.js";

/** The tags that mark a VM as managed by pve-kube for one cluster. */
export function clusterTags(cluster: string): string[] {
  return ["pve-kube", `cluster-${cluster}`];
}

/** A VM is ours only when it carries both tags; nothing else is ever changed or deleted. */
export function isOwnedBy(vm: Pick<ClusterVm, "tags">, cluster: string): boolean {
  return clusterTags(cluster).every((tag) => vm.tags.includes(tag));
}
