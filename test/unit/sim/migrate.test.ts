import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";

/**
 * What the bpg provider does to place a clone of a template on local storage onto another node:
 * clone on the template's node, then an offline migration; and the escaped volume ids it reads.
 */
describe("pve-sim: migration, volume ids with slashes, pools on clone", () => {
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
      }),
    );
    await waitTask(sim, "pve1", await node.qemu.$(9000).template.$post());
  });
  afterAll(() => sim.close());

  const config = async (node: string, vmid: number) =>
    (await proxmoxApiFor(sim).nodes.$(node).qemu.$(vmid).config.$get()) as Record<string, string>;

  it("migrates a stopped linked clone: its disks become full volumes on the target node", async () => {
    const api = proxmoxApiFor(sim);
    await waitTask(
      sim,
      "pve1",
      await api.nodes.$("pve1").qemu.$(9000).clone.$post({ newid: 301, name: "w1" }),
    );
    expect((await config("pve1", 301)).scsi0).toMatch(
      /^local-lvm:base-9000-disk-0\/vm-301-disk-0,/,
    );
    const upid = await api.nodes
      .$("pve1")
      .qemu.$(301)
      .migrate.$post({ target: "pve2", "with-local-disks": 1 } as never);
    expect(upid).toMatch(/^UPID:pve1:.*:qmigrate:301:/);
    expect(await waitTask(sim, "pve1", upid)).toMatchObject({ exitstatus: "OK" });
    const moved = await config("pve2", 301);
    expect(moved.scsi0).toMatch(/^local-lvm:vm-301-disk-0,/);
    expect(moved.ide2).toMatch(/^local-lvm:vm-301-cloudinit,/);
    expect(moved.lock).toBeUndefined();
    const volumes = sim.admin.snapshot().volumes.filter((v) => v.vmid === 301);
    expect(volumes.map((v) => [v.volid, v.node, v.parent]).sort()).toEqual([
      ["local-lvm:vm-301-cloudinit", "pve2", undefined],
      ["local-lvm:vm-301-disk-0", "pve2", undefined],
    ]);
    await expect(api.nodes.$("pve1").qemu.$(301).config.$get()).rejects.toThrow(/does not exist/);
  });

  it("refuses what qm migrate refuses", async () => {
    const api = proxmoxApiFor(sim);
    await waitTask(
      sim,
      "pve1",
      await api.nodes.$("pve1").qemu.$(9000).clone.$post({ newid: 302, name: "w2" }),
    );
    await expect(api.nodes.$("pve1").qemu.$(302).migrate.$post({ target: "pve1" })).rejects.toThrow(
      /target is local node/,
    );
    await waitTask(sim, "pve1", await api.nodes.$("pve1").qemu.$(302).status.start.$post());
    await expect(api.nodes.$("pve1").qemu.$(302).migrate.$post({ target: "pve3" })).rejects.toThrow(
      /can't migrate running VM without --online/,
    );
  });

  it("needs VM.Migrate on the VM", async () => {
    const token = sim.admin.createToken("nomig@pve", "t", ["VM.Audit", "VM.Allocate"], "/");
    await expect(
      proxmoxApiFor(sim, token).nodes.$("pve2").qemu.$(301).migrate.$post({ target: "pve3" }),
    ).rejects.toThrow(/403/);
  });

  it("serves a linked clone's volume by its escaped id (content/local-lvm:base-…%2Fvm-…)", async () => {
    const volid = "local-lvm:base-9000-disk-0/vm-302-disk-0";
    const response = (await proxmoxApiFor(sim)
      .nodes.$("pve1")
      .storage.$("local-lvm")
      .content.$(volid)
      .$get()) as { path?: string; size?: number };
    expect(response.size).toBeGreaterThan(0);
    expect(sim.admin.requestLog().at(-1)?.path).toContain("base-9000-disk-0%2Fvm-302-disk-0");
  });

  it("refuses to clone into a pool that does not exist, before it creates anything", async () => {
    await expect(
      proxmoxApiFor(sim)
        .nodes.$("pve1")
        .qemu.$(9000)
        .clone.$post({ newid: 303, name: "w3", pool: "nope" }),
    ).rejects.toThrow(/pool 'nope' does not exist/);
    expect(sim.admin.snapshot().vms.some((v) => v.vmid === 303)).toBe(false);
    sim.admin.ensurePool("k8s");
    await waitTask(
      sim,
      "pve1",
      await proxmoxApiFor(sim)
        .nodes.$("pve1")
        .qemu.$(9000)
        .clone.$post({ newid: 303, name: "w3", pool: "k8s" }),
    );
    expect(sim.admin.snapshot().pools.find((p) => p.poolid === "k8s")?.vmids).toEqual([303]);
  });
});
