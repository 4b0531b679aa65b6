import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { PveSim } from "../../../sim/index.js";

const run = promisify(execFile);

/** What a guest costs in disk of its own: its overlay's upper layer and /var/lib/containerd (the image is shared). */
export async function guestOwnDiskMiB(sim: PveSim, vmid: number): Promise<number> {
  const dir = path.join(sim.guests?.instanceDir ?? "", "vms", String(vmid));
  const { stdout } = await run("du", ["-sm", path.join(dir, "disk"), path.join(dir, "containerd")]);
  return stdout.split("\n").reduce((n, line) => n + (Number(line.split("\t")[0]) || 0), 0);
}
