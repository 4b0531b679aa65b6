import { statSync } from "node:fs";
import type { PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";

/** The template's VM id the guest tests clone from. */
export const LAB_TEMPLATE_VMID = 9000;

async function task(sim: PveSim, upid: unknown): Promise<void> {
  const status = await waitTask(sim, "pve1", upid as string);
  if (status.exitstatus !== "OK") throw new Error(`task ${String(upid)}: ${status.exitstatus}`);
}

/**
 * Template 9000 on pve1 made from the lab image through the API, the way build-template imports
 * a cloud image: download-url into local's import content (pve-sim serves the URL from the file),
 * a VM whose scsi0 imports it, with a cloud-init drive and the agent on, converted to a template.
 */
export async function makeLabTemplate(sim: PveSim, image: string): Promise<void> {
  const node = proxmoxApiFor(sim).nodes.$("pve1");
  sim.admin.registerRemoteFile("https://images.example/lab.raw", {
    size: statSync(image).size,
    sha256: "0".repeat(64),
    path: image,
  });
  await task(
    sim,
    await node.storage.$("local")["download-url"].$post({
      url: "https://images.example/lab.raw",
      content: "import",
      filename: "lab.raw",
    } as never),
  );
  await task(
    sim,
    await node.qemu.$post({
      vmid: LAB_TEMPLATE_VMID,
      name: "lab-template",
      memory: "512",
      cores: 1,
      net0: "virtio,bridge=vmbr0",
      scsi0: "local-lvm:0,import-from=local:import/lab.raw",
      ide2: "local-lvm:cloudinit",
      boot: "order=scsi0",
      agent: "1",
    }),
  );
  await task(sim, await node.qemu.$(LAB_TEMPLATE_VMID).template.$post());
}
