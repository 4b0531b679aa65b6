import { describe, expect, it } from "vitest";
import { useSimHttp } from "./access-helpers.js";

const ctx = useSimHttp();

describe("pve-sim starts with the storages of a fresh Proxmox VE 9 LVM-thin install", () => {
  it("local is a dir storage for iso, vztmpl, backup and import; local-lvm holds images and rootdir", async () => {
    const storages = (await ctx.http.root200("GET", "/nodes/pve1/storage")) as {
      storage: string;
      type: string;
      content: string;
    }[];
    const content = (id: string) =>
      storages
        .find((s) => s.storage === id)
        ?.content.split(",")
        .sort();
    expect(content("local")).toEqual(["backup", "import", "iso", "vztmpl"]);
    expect(content("local-lvm")).toEqual(["images", "rootdir"]);
    expect(storages.find((s) => s.storage === "local")?.type).toBe("dir");
    const forImages = (await ctx.http.root200("GET", "/nodes/pve1/storage", {
      content: "images",
    })) as { storage: string }[];
    expect(forImages.map((s) => s.storage).sort()).toEqual(["local-lvm", "shared"]);
  });

  it("refuses a new disk on local before anything runs, as qemu-server does", async () => {
    const answer = await ctx.http.call(ctx.http.root, "POST", "/nodes/pve1/qemu", {
      vmid: "150",
      scsi0: "local:4",
    });
    expect([answer.status, answer.statusText]).toEqual([400, "Parameter verification failed."]);
    expect(ctx.sim.admin.snapshot().vms.map((v) => v.vmid)).not.toContain(150);
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
        vmid: "151",
        scsi0: "local-lvm:1",
      })) as string,
    );
    const clone = await ctx.http.call(ctx.http.root, "POST", "/nodes/pve1/qemu/151/clone", {
      newid: "152",
      storage: "local",
    });
    expect(clone.status).toBe(400);
  });

  it("still takes cloud images on local (import) and file-based disks on shared", async () => {
    ctx.sim.admin.registerRemoteFile("https://images.example/noble.qcow2", {
      size: 2048,
      sha256: "e".repeat(64),
    });
    const upid = (await ctx.http.root200("POST", "/nodes/pve1/storage/local/download-url", {
      url: "https://images.example/noble.qcow2",
      content: "import",
      filename: "noble.qcow2",
    })) as string;
    expect(await ctx.http.waitTask(upid)).toBe("OK");
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
        vmid: "160",
        scsi0: "shared:0,import-from=local:import/noble.qcow2",
      })) as string,
    );
    const config = (await ctx.http.root200("GET", "/nodes/pve1/qemu/160/config")) as Record<
      string,
      string
    >;
    expect(config.scsi0).toMatch(/^shared:160\/vm-160-disk-0\.qcow2,/);
  });
});
