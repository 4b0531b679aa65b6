import { beforeEach, describe, expect, it } from "vitest";
import { useSimHttp } from "./access-helpers.js";

const ctx = useSimHttp();
beforeEach(async () => {
  ctx.sim.admin.reset();
  await ctx.http.waitTask(
    (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
      vmid: "9000",
      scsi0: "local-lvm:2",
      ide2: "local-lvm:cloudinit",
    })) as string,
  );
  await ctx.http.waitTask(
    (await ctx.http.root200("POST", "/nodes/pve1/qemu/9000/template")) as string,
  );
});

async function clone(params: Record<string, string>): Promise<string[]> {
  const upid = (await ctx.http.root200("POST", "/nodes/pve1/qemu/9000/clone", params)) as string;
  expect(await ctx.http.waitTask(upid)).toBe("OK");
  return (
    (await ctx.http.root200("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`)) as {
      t: string;
    }[]
  ).map((l) => l.t);
}

describe("pve-sim clones a cloud-init drive the way qemu-server does", () => {
  it("a linked clone links the disks but allocates a new, unlinked cloud-init volume", async () => {
    expect(await clone({ newid: "101" })).toEqual([
      "create full clone of drive ide2 (local-lvm:vm-9000-cloudinit)",
      "allocated target volume 'local-lvm:vm-101-cloudinit'",
      "create linked clone of drive scsi0 (local-lvm:base-9000-disk-0)",
      "TASK OK",
    ]);
    const volumes = (await ctx.http.root200("GET", "/nodes/pve1/storage/local-lvm/content", {
      vmid: "101",
    })) as { volid: string; size: number; parent?: string }[];
    expect(volumes).toContainEqual(
      expect.objectContaining({
        volid: "local-lvm:base-9000-disk-0/vm-101-disk-0",
        parent: "base-9000-disk-0",
      }),
    );
    const ci = volumes.find((v) => v.volid === "local-lvm:vm-101-cloudinit");
    expect(ci).toMatchObject({ size: 4 * 1024 * 1024 });
    expect(ci?.parent).toBeUndefined();
  });

  it("a full clone to another storage puts the new cloud-init volume there too", async () => {
    const log = await clone({ newid: "102", full: "1", storage: "shared" });
    expect(log.slice(0, 2)).toEqual([
      "create full clone of drive ide2 (local-lvm:vm-9000-cloudinit)",
      "allocated target volume 'shared:102/vm-102-cloudinit.qcow2'",
    ]);
    expect(log).toContain("allocated target volume 'shared:102/vm-102-disk-0.qcow2'");
    const config = (await ctx.http.root200("GET", "/nodes/pve1/qemu/102/config")) as Record<
      string,
      string
    >;
    expect(config.ide2).toBe("shared:102/vm-102-cloudinit.qcow2,media=cdrom");
  });
});
