import { readFileSync, writeFileSync } from "node:fs";

const INSTANCES = "/proc/sys/fs/inotify/max_user_instances";
/**
 * Enough for a lab of six Kubernetes nodes beside the guest tests: every guest's root is the
 * host's root user (nspawn without user namespaces), so all of them share one per-user inotify
 * limit, and a node uses ~20 instances (kubelet 7, kube-apiserver 6, controller-manager 7, the
 * guest's systemd). Debian's default of 128 ran out with six nodes up: the next guest's
 * containerd failed to load its CRI plugin ("couldn't initialize inotify: too many open files").
 */
export const MIN_INOTIFY_INSTANCES = 1024;

/**
 * Raises the host's fs.inotify.max_user_instances to MIN_INOTIFY_INSTANCES when it is lower (as
 * kind asks of its hosts); never lowers it. A kernel limit, not a resource: nothing to undo.
 */
export function raiseInotifyInstances(log: (line: string) => void): void {
  const current = Number(readFileSync(INSTANCES, "utf8").trim());
  if (current >= MIN_INOTIFY_INSTANCES) return;
  writeFileSync(INSTANCES, `${MIN_INOTIFY_INSTANCES}\n`);
  log(
    `pve-sim guests: raised fs.inotify.max_user_instances ${current} → ${MIN_INOTIFY_INSTANCES} (all guests share the host root's inotify limit)`,
  );
}
