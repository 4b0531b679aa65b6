import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The ext4 lab image the guest tests boot: PVE_KUBE_LAB_IMAGE, else the development image
 * (~/.cache/pve-kube/lab-dev/rootfs.ext4). Missing is a failure with the command that makes it,
 * never a skip.
 */
export function labImage(): string {
  const image =
    process.env.PVE_KUBE_LAB_IMAGE ??
    path.join(os.homedir(), ".cache", "pve-kube", "lab-dev", "rootfs.ext4");
  if (!existsSync(image))
    throw new Error(
      `no lab image at ${image}: build it (test/tools/install-lab-image.sh) and/or set PVE_KUBE_LAB_IMAGE`,
    );
  return image;
}
