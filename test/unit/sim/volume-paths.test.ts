import { describe, expect, it } from "vitest";
import { useSimHttp } from "./access-helpers.js";

const ctx = useSimHttp();

const content = (storage: string, volid: string) =>
  ctx.http.root200(
    "GET",
    `/nodes/pve1/storage/${storage}/content/${encodeURIComponent(volid)}`,
  ) as Promise<{ path: string }>;

describe("pve-sim reports volume paths as the storage plugins do", () => {
  it("lvmthin volumes are block devices in the volume group, linked clones their own LV", async () => {
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
        vmid: "9000",
        scsi0: "local-lvm:1",
        ide2: "local-lvm:cloudinit",
      })) as string,
    );
    expect(await content("local-lvm", "local-lvm:vm-9000-disk-0")).toMatchObject({
      path: "/dev/pve/vm-9000-disk-0",
    });
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu/9000/template")) as string,
    );
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu/9000/clone", { newid: "101" })) as string,
    );
    expect(await content("local-lvm", "local-lvm:base-9000-disk-0")).toMatchObject({
      path: "/dev/pve/base-9000-disk-0",
    });
    expect(await content("local-lvm", "local-lvm:base-9000-disk-0/vm-101-disk-0")).toMatchObject({
      path: "/dev/pve/vm-101-disk-0",
    });
    expect(await content("local-lvm", "local-lvm:vm-101-cloudinit")).toMatchObject({
      path: "/dev/pve/vm-101-cloudinit",
    });
  });

  it("file-based storages keep images under images/<vmid>/ and downloads in their content directory", async () => {
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
        vmid: "200",
        scsi0: "shared:1",
      })) as string,
    );
    expect(await content("shared", "shared:200/vm-200-disk-0.qcow2")).toMatchObject({
      path: "/mnt/pve/shared/images/200/vm-200-disk-0.qcow2",
    });
    ctx.sim.admin.registerRemoteFile("https://images.example/noble.qcow2", {
      size: 4096,
      sha256: "d".repeat(64),
    });
    const upid = (await ctx.http.root200("POST", "/nodes/pve1/storage/local/download-url", {
      url: "https://images.example/noble.qcow2",
      content: "import",
      filename: "noble.qcow2",
    })) as string;
    await ctx.http.waitTask(upid);
    expect(await content("local", "local:import/noble.qcow2")).toMatchObject({
      path: "/var/lib/vz/import/noble.qcow2",
    });
    const log = (await ctx.http.root200(
      "GET",
      `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`,
    )) as { t: string }[];
    expect(log[0]?.t).toBe(
      "downloading https://images.example/noble.qcow2 to /var/lib/vz/import/noble.qcow2",
    );
  });
});
