import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { mountsUnder } from "../../../sim/guests/disks.js";
import { removeNetns } from "../../../sim/guests/netns.js";
import { reapLeftovers } from "../../../sim/guests/reap.js";
import { removeHostGuard } from "./host-guard.js";
import { LAB_NETNS, stopLabSim } from "./lab-sim.js";
import type { LabPaths } from "./paths.js";

/**
 * `npm run lab -- --down`: removes everything the lab made — also after a killed run. pve-sim
 * first (SIGTERM: it powers the guests off and removes its instance), then whatever a killed
 * pve-sim left (the guests' ledger names every machine, mount and cgroup), the namespace, the
 * host routes, and last the state dir — never while something is still mounted in it.
 */
export async function labDown(paths: LabPaths, say: (line: string) => void): Promise<number> {
  const problems: string[] = [];
  const pid = await stopLabSim(paths);
  if (pid) say(`lab: stopped pve-sim (pid ${pid}); it powered its guests off`);
  await reapLeftovers(paths.guestsDir, say);
  const netnsLeft = await removeNetns(LAB_NETNS);
  if (netnsLeft) problems.push(netnsLeft);
  const routes = await removeHostGuard();
  if (routes.length) say(`lab: removed the host's guard routes ${routes.join(", ")}`);
  const mounts = mountsUnder(paths.root);
  if (mounts.length) problems.push(`still mounted, state kept: ${mounts.join(", ")}`);
  else if (existsSync(paths.root)) {
    await rm(paths.root, { recursive: true, force: true });
    say(`lab: removed ${paths.root}`);
  }
  if (problems.length) {
    say(`lab: could not remove everything:\n  ${problems.join("\n  ")}`);
    return 1;
  }
  say("lab: down — no guests, mounts, veths, bridges, namespace or state left");
  return 0;
}
