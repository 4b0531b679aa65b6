import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";

/** qemu-server stores a NIC as `<model>=<MAC>,…` whichever way the client wrote it. */
describe("pve-sim NIC properties", () => {
  let sim: PveSim;
  beforeAll(async () => {
    sim = await startPveSim();
  });
  afterAll(() => sim.close());
  const net0 = (vmid: number) => sim.admin.snapshot().vms.find((v) => v.vmid === vmid)?.config.net0;

  it("normalises model= and macaddr= keys (the bpg provider's form) and fills in a missing MAC", async () => {
    const api = proxmoxApiFor(sim);
    await waitTask(
      sim,
      "pve1",
      await api.nodes.$("pve1").qemu.$post({
        vmid: 120,
        net0: "model=virtio,bridge=vmbr0,firewall=0",
        net1: "model=e1000,bridge=vmbr0,macaddr=BC:24:11:AA:BB:CC",
      }),
    );
    expect(net0(120)).toMatch(
      /^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,firewall=0$/,
    );
    expect(sim.admin.snapshot().vms.find((v) => v.vmid === 120)?.config.net1).toBe(
      "e1000=BC:24:11:AA:BB:CC,bridge=vmbr0",
    );
    await api.nodes.$("pve1").qemu.$(120).config.$put({
      net0: "bridge=vmbr0,model=virtio,macaddr=BC:24:11:00:00:01,mtu=1400",
    });
    expect(net0(120)).toBe("virtio=BC:24:11:00:00:01,bridge=vmbr0,mtu=1400");
  });
});
