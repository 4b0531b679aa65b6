import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";

describe("pve-sim semantics", () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0 });
    const node = proxmoxApiFor(sim).nodes.$("pve1");
    await waitTask(
      sim,
      "pve1",
      await node.qemu.$post({
        vmid: 9000,
        name: "base",
        scsi0: "local-lvm:4",
        ide2: "local-lvm:cloudinit",
        net0: "virtio,bridge=vmbr0",
        agent: "1",
      }),
    );
    await waitTask(sim, "pve1", await node.qemu.$(9000).template.$post());
  });
  afterAll(() => sim.close());

  it("keeps cloud-init changes of a running VM pending until the next start", async () => {
    const node = proxmoxApiFor(sim).nodes.$("pve1");
    await waitTask(sim, "pve1", await node.qemu.$(9000).clone.$post({ newid: 200, name: "p" }));
    await waitTask(sim, "pve1", await node.qemu.$(200).status.start.$post());
    await node.qemu.$(200).config.$put({ ciuser: "admin", description: "now" });
    const pending = (await node.qemu.$(200).pending.$get()) as { key: string; pending?: string }[];
    expect(pending.find((p) => p.key === "ciuser")?.pending).toBe("admin");
    expect(
      ((await node.qemu.$(200).config.$get({ current: 1 } as never)) as Record<string, unknown>)
        .ciuser,
    ).toBeUndefined();
    expect(
      ((await node.qemu.$(200).config.$get({ current: 1 } as never)) as Record<string, unknown>)
        .description,
    ).toBe("now");
    await waitTask(sim, "pve1", await node.qemu.$(200).status.stop.$post());
    await waitTask(sim, "pve1", await node.qemu.$(200).status.start.$post());
    expect(
      ((await node.qemu.$(200).config.$get({ current: 1 } as never)) as Record<string, unknown>)
        .ciuser,
    ).toBe("admin");
  });

  it("refuses what Proxmox refuses", async () => {
    const node = proxmoxApiFor(sim).nodes.$("pve1");
    await expect(node.qemu.$(9000).clone.$post({ newid: 300, target: "pve2" })).rejects.toThrow(
      /can't clone VM to node 'pve2' \(VM uses local storage\)/,
    );
    await expect(
      node.qemu.$(9000).clone.$post({ newid: 300, full: 0, storage: "local-lvm" } as never),
    ).rejects.toThrow(/parameter 'storage' not allowed for linked clones/);
    await expect(node.qemu.$(9000).clone.$post({ newid: 200 })).rejects.toThrow(
      /unable to create VM 200: config file already exists/,
    );
    await expect(node.qemu.$(9000).template.$post()).rejects.toThrow(
      /you can't convert a template to a template/,
    );
    await expect(
      node.qemu.$(200).config.$put({ digest: "0".repeat(40), description: "x" }),
    ).rejects.toThrow(/checksum mismatch \(file change by other user\?\)/);
    const resize = await node.qemu.$(200).resize.$put({ disk: "scsi0", size: "1G" });
    expect(await waitTask(sim, "pve1", resize)).toMatchObject({
      exitstatus: "shrinking disks is not supported",
    });
  });

  it("shows a clone's lock while the task runs", async () => {
    sim.admin.setTimeScale(1);
    try {
      const node = proxmoxApiFor(sim).nodes.$("pve1");
      const upid = await node.qemu.$(9000).clone.$post({ newid: 201, full: 1 } as never);
      expect(await node.qemu.$(201).status.current.$get()).toMatchObject({ lock: "clone" });
      await expect(node.qemu.$(201).config.$put({ description: "x" })).rejects.toThrow(
        /VM is locked \(clone\)/,
      );
      await node.tasks.$(upid).$delete();
      expect(await waitTask(sim, "pve1", upid)).toMatchObject({
        exitstatus: "interrupted by signal",
      });
    } finally {
      sim.admin.setTimeScale(0);
    }
  });
});

describe("pve-sim persistence", () => {
  it("keeps state, certificate and token across a restart", async () => {
    const statePath = path.join(
      mkdtempSync(path.join(os.tmpdir(), "pve-sim-state-")),
      "state.json",
    );
    const first = await startPveSim({ statePath });
    await waitTask(
      first,
      "pve1",
      await proxmoxApiFor(first)
        .nodes.$("pve1")
        .qemu.$post({ vmid: 500, name: "kept", scsi0: "local-lvm:2" }),
    );
    const { fingerprint, rootToken } = first;
    await first.close();
    const second = await startPveSim({ statePath });
    try {
      expect(second.fingerprint).toBe(fingerprint);
      expect(second.rootToken).toEqual(rootToken);
      expect(await proxmoxApiFor(second).nodes.$("pve1").qemu.$(500).config.$get()).toMatchObject({
        name: "kept",
      });
    } finally {
      await second.close();
    }
  });
});
