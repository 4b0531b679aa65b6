import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const repo = path.resolve(import.meta.dirname, "../../..");
const cache = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
  "pve-kube",
);

/**
 * The ext4 lab image the guest tests boot: PVE_KUBE_LAB_IMAGE; else the image
 * test/tools/lab/build-image.sh made for the current pins and recipe (`npm test` builds it
 * through test/tools/install.sh); else a development image at ~/.cache/pve-kube/lab-dev/rootfs.ext4.
 * None of them is a failure naming the command that makes one, never a skip.
 */
export function labImage(): string {
  const candidates = [process.env.PVE_KUBE_LAB_IMAGE ?? ""];
  if (!process.env.PVE_KUBE_LAB_IMAGE) {
    const key = execFileSync("bash", [path.join(repo, "test/tools/lab/recipe-key.sh")], {
      encoding: "utf8",
    }).trim();
    candidates.push(
      path.join(cache, "lab", `image-${key}`, "pve-kube-lab.ext4"),
      path.join(cache, "lab-dev", "rootfs.ext4"),
    );
  }
  const image = candidates.find((c) => c !== "" && existsSync(c));
  if (!image)
    throw new Error(
      `no lab image (looked at ${candidates.filter(Boolean).join(", ")}): build it with bash test/tools/lab/build-image.sh, or set PVE_KUBE_LAB_IMAGE`,
    );
  console.log(`lab image: ${image}`);
  return image;
}
