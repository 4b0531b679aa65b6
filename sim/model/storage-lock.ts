import type { SimStorage } from "./types.js";

/**
 * Proxmox's storage lock, modelled so that lock timeouts come from load, not dice.
 *
 * pve-storage runs every volume allocation, linked-clone snapshot and free under
 * `cluster_lock_storage`: for a local storage a `flock` on
 * `/var/lock/pve-manager/pve-storage-<storeid>` of the node, for a shared one the cluster-wide
 * pmxcfs lock `storage-<storeid>`. Both wait at most 10 s (`lock_file` / `cfs_lock` default
 * timeout) and then die with the texts below, which qemu-server's clone wraps as
 * `clone failed: …`. So allocations on one storage are serialised: a burst of concurrent clones
 * queues on it, and a clone that waits longer than the timeout fails — the bpg provider's
 * best-known failure.
 */
export const STORAGE_LOCK_TIMEOUT_MS = 10_000;

/**
 * How long one operation holds the storage lock, before time scaling. Calibrated from the linked
 * clone task of ~2 s (docs/pve-sim.md): most of it is storage work under the lock — the
 * thin snapshot of the base disk and the allocation of the cloud-init volume.
 */
export const STORAGE_LOCK_HOLD_MS = {
  /** `lvcreate -s` / `qemu-img create -b` of a linked clone's disk */
  linkedClone: 1000,
  /** `vdisk_alloc` of a new volume (a cloud-init drive, an empty disk, a full clone's target) */
  alloc: 500,
  /** `vdisk_free` */
  free: 500,
} as const;

/** The lock one storage operation on `node` takes, and the error a timeout on it prints. */
export interface StorageLockName {
  key: string;
  timeoutError: string;
}

export function storageLockName(
  storage: Pick<SimStorage, "id" | "shared">,
  node: string,
): StorageLockName {
  if (storage.shared)
    return {
      key: `cluster/${storage.id}`,
      timeoutError: `cfs-lock 'storage-${storage.id}' error: got lock request timeout`,
    };
  return {
    key: `${node}/${storage.id}`,
    timeoutError: `can't lock file '/var/lock/pve-manager/pve-storage-${storage.id}' - got timeout`,
  };
}

export type StorageLockGrant =
  | { ok: true; startMs: number; endMs: number; waitedMs: number }
  | { ok: false; failMs: number; error: string };

/**
 * The storage locks of the cluster as reservations in time: an operation that asks for a lock at
 * `atMs` gets the first free interval of its hold time at or after `atMs`, or fails `timeoutMs`
 * after asking when that interval starts later than that. Reserving ahead (at a task's start for
 * the allocations it makes during its run) keeps the model deterministic and timer-free.
 */
export class StorageLockTable {
  private readonly held = new Map<string, { startMs: number; endMs: number }[]>();
  /** every grant and timeout, for the bench's best-schedule bound and the tests */
  readonly history: { key: string; atMs: number; grant: StorageLockGrant }[] = [];

  reserve(
    lock: StorageLockName,
    atMs: number,
    holdMs: number,
    timeoutMs: number,
  ): StorageLockGrant {
    const intervals = this.held.get(lock.key) ?? [];
    this.held.set(lock.key, intervals);
    let start = atMs;
    for (const iv of intervals) {
      if (iv.endMs <= start) continue;
      if (iv.startMs >= start + holdMs) break;
      start = iv.endMs;
    }
    let grant: StorageLockGrant;
    if (start - atMs > timeoutMs) {
      grant = { ok: false, failMs: atMs + timeoutMs, error: lock.timeoutError };
    } else {
      const reservation = { startMs: start, endMs: start + holdMs };
      intervals.push(reservation);
      intervals.sort((a, b) => a.startMs - b.startMs);
      grant = { ok: true, ...reservation, waitedMs: start - atMs };
    }
    this.history.push({ key: lock.key, atMs, grant });
    return grant;
  }

  /** Drops reservations that ended before `ms` (the table stays small in long runs). */
  prune(ms: number): void {
    for (const [key, intervals] of this.held)
      this.held.set(
        key,
        intervals.filter((iv) => iv.endMs > ms),
      );
  }

  timeouts(): number {
    return this.history.filter((h) => !h.grant.ok).length;
  }
}
