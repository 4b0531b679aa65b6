import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  STORAGE_LOCK_HOLD_MS,
  STORAGE_LOCK_TIMEOUT_MS,
  StorageLockTable,
  storageLockName,
} from "../../../sim/model/storage-lock.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { createCloudInitTemplate } from "../../../testkit/tofu-fixtures.js";

const local = storageLockName({ id: "local-lvm", shared: false }, "pve1");
const shared = storageLockName({ id: "shared", shared: true }, "pve1");

describe("the storage lock model", () => {
  it("names the lock and its timeout error as pve-storage does", () => {
    expect(local).toEqual({
      key: "pve1/local-lvm",
      timeoutError: "can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout",
    });
    // a local storage's lock is a file on each node; a shared one's is one cluster-wide cfs lock
    expect(storageLockName({ id: "local-lvm", shared: false }, "pve2").key).toBe("pve2/local-lvm");
    expect(shared).toEqual({
      key: "cluster/shared",
      timeoutError: "cfs-lock 'storage-shared' error: got lock request timeout",
    });
  });

  it("serialises operations on one lock, in the order they ask, and leaves other locks alone", () => {
    const table = new StorageLockTable();
    const grants = [0, 0, 0].map(() => table.reserve(local, 0, 1000, 10_000));
    expect(grants).toEqual([
      { ok: true, startMs: 0, endMs: 1000, waitedMs: 0 },
      { ok: true, startMs: 1000, endMs: 2000, waitedMs: 1000 },
      { ok: true, startMs: 2000, endMs: 3000, waitedMs: 2000 },
    ]);
    expect(
      table.reserve(storageLockName({ id: "local-lvm", shared: false }, "pve2"), 0, 1000, 10_000),
    ).toMatchObject({ ok: true, waitedMs: 0 });
  });

  it("gives a free gap to an operation that fits into it", () => {
    const table = new StorageLockTable();
    table.reserve(shared, 0, 1000, 10_000);
    table.reserve(shared, 3000, 1000, 10_000);
    expect(table.reserve(shared, 500, 1000, 10_000)).toMatchObject({ startMs: 1000, endMs: 2000 });
    expect(table.reserve(shared, 500, 1500, 10_000)).toMatchObject({ startMs: 4000 });
  });

  it("fails an operation whose wait exceeds the timeout, at the timeout, without holding the lock", () => {
    const table = new StorageLockTable();
    for (let i = 0; i < 11; i++) table.reserve(local, 0, 1000, 10_000);
    const late = table.reserve(local, 0, 1000, 10_000);
    expect(late).toEqual({ ok: false, failMs: 10_000, error: local.timeoutError });
    expect(table.timeouts()).toBe(1);
    // the one that timed out took nothing: the next operation is queued right after the 11th
    expect(table.reserve(local, 10_500, 100, 10_000)).toMatchObject({ startMs: 11_000 });
  });
});

/**
 * Through pve-sim's API: a burst of linked clones of one template on shared storage queues on the
 * cluster-wide storage lock; those that wait longer than the timeout fail with qemu-server's
 * `clone failed: <lock error>` and leave nothing behind. The same clones one after another never
 * time out. Time scale 0.2: a clone holds the lock 300 ms, the timeout is 2 s — 30 clones at once
 * need 9 s of it, so however the loaded machine spreads the requests, the queue outgrows the timeout.
 */
describe("clones on pve-sim queue on the storage lock", () => {
  const SCALE = 0.2;
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim({ timeScale: SCALE });
    await createCloudInitTemplate(sim);
  });
  afterAll(() => sim?.close());

  const clone = (newid: number) =>
    proxmoxApiFor(sim)
      .nodes.$("pve1")
      .qemu.$(9000)
      .clone.$post({ newid, name: `c${newid}` });

  it("a burst of 30 clones: the lock's timeout, not dice, fails the ones at the back of the queue", async () => {
    const upids = await Promise.all(Array.from({ length: 30 }, (_, i) => clone(200 + i)));
    const results = await Promise.all(upids.map((u) => waitTask(sim, "pve1", u)));
    const failed = results.filter((r) => r.exitstatus !== "OK");
    const perClone = STORAGE_LOCK_HOLD_MS.linkedClone + STORAGE_LOCK_HOLD_MS.alloc;
    // about timeout / hold clones get through before the waits exceed the timeout
    expect(30 - failed.length).toBeGreaterThanOrEqual(
      Math.floor(STORAGE_LOCK_TIMEOUT_MS / perClone) - 1,
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed)
      expect(r.exitstatus).toBe(
        "clone failed: cfs-lock 'storage-shared' error: got lock request timeout",
      );
    const vms = sim.admin.snapshot().vms.filter((vm) => vm.vmid >= 200 && vm.vmid < 9000);
    expect(vms).toHaveLength(30 - failed.length);
    expect(vms.every((vm) => vm.config.lock === undefined)).toBe(true);
    // while the lock was held by one operation, no other held it
    const held = sim.admin
      .storageLockHistory()
      .flatMap((h) => (h.grant.ok ? [[h.grant.startMs, h.grant.endMs] as const] : []))
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < held.length; i++)
      expect(held[i]![0]).toBeGreaterThanOrEqual(held[i - 1]![1]);
  });

  it("the same clones one after another never wait, so never time out", async () => {
    const before = sim.admin.storageLockHistory().length;
    for (let i = 0; i < 8; i++) {
      const r = await waitTask(sim, "pve1", await clone(300 + i));
      expect(r.exitstatus).toBe("OK");
    }
    const mine = sim.admin.storageLockHistory().slice(before);
    expect(mine).toHaveLength(16);
    expect(mine.every((h) => h.grant.ok)).toBe(true);
  });
});
