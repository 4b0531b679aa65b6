import type { PveSim } from "../sim/index.js";
import { proxmoxApiFor, waitTask } from "./sim-client.js";

export const IMAGE_URL = "https://cloud-images.example/noble.img";
export const IMAGE_SHA256 = "b".repeat(64);
export const SSH_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINakiA0VmLPlefjWD4HrJPFKHJSqpOZsTNvNNqAdq8vw operator@example";

/**
 * The template a cluster clones, made through the Proxmox API the way build-template makes it:
 * the cloud image downloaded by Proxmox, imported with import-from, a cloud-init drive, serial
 * console and the guest agent, then converted. On shared storage so clones may land on any node.
 */
export async function createCloudInitTemplate(
  sim: PveSim,
  vmid = 9000,
  name = "t-template",
): Promise<void> {
  const api = proxmoxApiFor(sim);
  sim.admin.registerRemoteFile(IMAGE_URL, { size: 3584 * 1024 * 1024, sha256: IMAGE_SHA256 });
  const content = (await api.nodes
    .$("pve1")
    .storage.$("shared")
    .content.$get({ content: "import" })) as { volid: string }[];
  if (!content.some((c) => c.volid === "shared:import/noble.qcow2")) {
    await waitTask(
      sim,
      "pve1",
      await api.nodes
        .$("pve1")
        .storage.$("shared")
        ["download-url"].$post({
          url: IMAGE_URL,
          content: "import",
          filename: "noble.qcow2",
        } as never),
    );
  }
  await waitTask(
    sim,
    "pve1",
    await api.nodes.$("pve1").qemu.$post({
      vmid,
      name,
      memory: "2048",
      scsihw: "virtio-scsi-pci",
      net0: "virtio,bridge=vmbr0",
      scsi0: "shared:0,import-from=shared:import/noble.qcow2",
      ide2: "shared:cloudinit",
      boot: "order=scsi0",
      serial0: "socket",
      vga: "serial0",
      agent: "1",
    } as never),
  );
  await waitTask(sim, "pve1", await api.nodes.$("pve1").qemu.$(vmid).template.$post());
}

/** A real cluster.yaml with the given control-plane and worker counts on pve-sim's three nodes. */
export function clusterYaml(options: {
  name?: string;
  controlPlanes: number;
  workers: number;
  templateVmid?: number;
  controlPlaneNodes?: string[];
}): string {
  const name = options.name ?? "t";
  const cpNodes = options.controlPlaneNodes
    ? `nodes: [${options.controlPlaneNodes.join(", ")}], `
    : "";
  return `apiVersion: pve-kube/v1
metadata: { name: ${name} }
proxmox:
  endpoint: https://pve.example:8006
  nodes: [pve1, pve2, pve3]
  storage: { disks: shared, images: shared }
template: { vmid: ${options.templateVmid ?? 9000}, node: pve1, image: { url: "${IMAGE_URL}", sha256: "${IMAGE_SHA256}" } }
network:
  cidr: 10.0.20.0/24
  gateway: 10.0.20.1
  searchDomain: lab.example
  addresses: { start: 10.0.20.11 }
  controlPlaneVip: 10.0.20.10
  loadBalancerRange: 10.0.20.200-10.0.20.220
controlPlane: { count: ${options.controlPlanes}, ${cpNodes}cores: 2, memoryMiB: 2048, diskGiB: 8 }
workerPools: [{ name: w, count: ${options.workers}, cores: 2, memoryMiB: 2048, diskGiB: 8 }]
ssh: { publicKeys: ["${SSH_KEY}"] }
`;
}
