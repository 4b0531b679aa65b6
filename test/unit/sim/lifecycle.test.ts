import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";

const IMAGE = "https://cloud-images.example/noble.img";

describe("pve-sim driven by the real proxmox-api package", () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0 });
    sim.admin.registerRemoteFile(IMAGE, { size: 3584 * 1024 * 1024, sha256: "a".repeat(64) });
  });
  afterAll(() => sim.close());

  it("runs a full VM lifecycle: import → template → linked clone → config → start → agent IP → stop → delete", async () => {
    const api = proxmoxApiFor(sim);
    const node = api.nodes.$("pve1");

    expect(await api.version.$get()).toMatchObject({ release: "9.1" });
    const download = await node.storage.$("local")["download-url"].$post({
      url: IMAGE,
      content: "import",
      filename: "noble.qcow2",
      checksum: "a".repeat(64),
      "checksum-algorithm": "sha256",
    } as never);
    expect(await waitTask(sim, "pve1", download)).toMatchObject({ exitstatus: "OK" });

    const create = await node.qemu.$post({
      vmid: 9000,
      name: "tmpl",
      memory: "2048",
      cores: 2,
      scsihw: "virtio-scsi-pci",
      net0: "virtio,bridge=vmbr0",
      scsi0: "local-lvm:0,import-from=local:import/noble.qcow2",
      ide2: "local-lvm:cloudinit",
      boot: "order=scsi0",
      serial0: "socket",
      vga: "serial0",
      agent: "1",
    } as never);
    expect(await waitTask(sim, "pve1", create)).toMatchObject({ exitstatus: "OK" });
    const config = (await node.qemu.$(9000).config.$get()) as Record<string, unknown>;
    expect(config.scsi0).toBe("local-lvm:vm-9000-disk-0,size=3584M");
    expect(config.ide2).toBe("local-lvm:vm-9000-cloudinit,media=cdrom");
    expect(config.net0).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0$/);
    expect(config.cores).toBe(2);
    expect(config.digest).toMatch(/^[0-9a-f]{40}$/);

    expect(await waitTask(sim, "pve1", await node.qemu.$(9000).template.$post())).toMatchObject({
      exitstatus: "OK",
    });
    expect(((await node.qemu.$(9000).config.$get()) as Record<string, unknown>).scsi0).toBe(
      "local-lvm:base-9000-disk-0,size=3584M",
    );

    const clone = await node.qemu.$(9000).clone.$post({ newid: 101, name: "demo-cp-1" });
    expect(clone).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:root@pam!pve-kube:$/,
    );
    expect(await waitTask(sim, "pve1", clone)).toMatchObject({ exitstatus: "OK" });
    await node.qemu.$(101).config.$put({
      ipconfig0: "ip=10.0.20.11/24,gw=10.0.20.1",
      ciuser: "ubuntu",
      tags: "pve-kube;cluster-demo;Role-Control-Plane",
    });
    const cloned = (await node.qemu.$(101).config.$get()) as Record<string, unknown>;
    expect(cloned.scsi0).toBe("local-lvm:base-9000-disk-0/vm-101-disk-0,size=3584M");
    expect(cloned.ide2).toBe("local-lvm:vm-101-cloudinit,media=cdrom");
    expect(cloned.net0).not.toBe(config.net0);
    expect(cloned.tags).toBe("cluster-demo;pve-kube;role-control-plane");

    expect(await waitTask(sim, "pve1", await node.qemu.$(101).status.start.$post())).toMatchObject({
      exitstatus: "OK",
    });
    expect(await node.qemu.$(101).status.current.$get()).toMatchObject({
      status: "running",
      agent: 1,
    });
    const interfaces = (await node.qemu.$(101).agent["network-get-interfaces"].$get()) as {
      result: { name: string; "ip-addresses": { "ip-address": string }[] }[];
    };
    expect(
      interfaces.result.find((i) => i.name === "eth0")?.["ip-addresses"][0]?.["ip-address"],
    ).toBe("10.0.20.11");

    await expect(node.qemu.$(101).$delete()).rejects.toThrow(/VM 101 is running - destroy failed/);
    expect(await waitTask(sim, "pve1", await node.qemu.$(101).status.stop.$post())).toMatchObject({
      exitstatus: "OK",
    });
    expect(
      await waitTask(sim, "pve1", await node.qemu.$(101).$delete({ purge: 1 } as never)),
    ).toMatchObject({ exitstatus: "OK" });
    await expect(node.qemu.$(101).status.current.$get()).rejects.toThrow(
      /Configuration file 'nodes\/pve1\/qemu-server\/101.conf' does not exist/,
    );
    expect(
      sim.admin
        .snapshot()
        .volumes.map((v) => v.volid)
        .sort(),
    ).toEqual([
      "local-lvm:base-9000-disk-0",
      "local-lvm:vm-9000-cloudinit",
      "local:import/noble.qcow2",
    ]);
  });

  it("starts a template only to fail inside the task, as Proxmox does", async () => {
    const node = proxmoxApiFor(sim).nodes.$("pve1");
    const upid = await node.qemu.$(9000).status.start.$post();
    expect(await waitTask(sim, "pve1", upid)).toMatchObject({
      exitstatus: "you can't start a vm if it's a template",
    });
  });

  it("refuses a taken VMID synchronously", async () => {
    const node = proxmoxApiFor(sim).nodes.$("pve1");
    await expect(node.qemu.$post({ vmid: 9000 })).rejects.toThrow(
      /unable to create VM 9000 - VM 9000 already exists on node 'pve1'/,
    );
  });

  it("records every request with a mutating flag", () => {
    const log = sim.admin.requestLog();
    expect(log.some((r) => r.method === "GET" && !r.mutating)).toBe(true);
    expect(log.filter((r) => r.mutating).every((r) => r.method !== "GET")).toBe(true);
    expect(log.every((r) => r.tokenId === "root@pam!pve-kube" || r.status === 401)).toBe(true);
  });
});
