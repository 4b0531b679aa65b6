import { existsSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { pidsInTree, removeCgroupTree } from "./cgroups.js";
import { mountsUnder, unmount } from "./disks.js";
import { readLedger, type Ledger } from "./ledger.js";
import { netnsName, removeHostGuardRoute, removeNetns } from "./netns.js";
import { sameProcessAlive } from "./identity.js";

/** Kills every process in the instance's cgroup trees until none is left (or gives up after ~5 s). */
async function killAll(cgroups: string[]): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const pids = new Set(cgroups.flatMap(pidsInTree));
    if (pids.size === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Removes everything an instance's ledger records: its processes (found through its own cgroups,
 * which carry its id in their name), every mount under its directory, its network namespace, its
 * cgroups and finally the directory. Returns what could not be removed.
 */
export async function removeInstance(instanceDir: string, ledger: Ledger): Promise<string[]> {
  const problems: string[] = [];
  const ownCgroups = ledger.cgroups.filter((d) => basename(d) === `pve-sim-${ledger.instanceId}`);
  await killAll(ownCgroups);
  for (const mountPoint of mountsUnder(instanceDir)) {
    const failure = await unmount(mountPoint);
    if (failure) problems.push(failure);
  }
  for (const network of ledger.guardRoutes ?? []) await removeHostGuardRoute(network);
  if (ledger.netns === netnsName(ledger.instanceId)) {
    const failure = await removeNetns(ledger.netns);
    if (failure) problems.push(failure);
  }
  for (const dir of ownCgroups) {
    const failure = removeCgroupTree(dir);
    if (failure) problems.push(failure);
  }
  // never recurse into a directory that still has something mounted in it
  if (mountsUnder(instanceDir).length === 0) rmSync(instanceDir, { recursive: true, force: true });
  else problems.push(`${instanceDir}: mounts remain, directory kept`);
  return problems;
}

/**
 * Reaps the leftovers of pve-sim lab instances whose owner process is gone (a killed run): only
 * directories under `stateRoot` with a pve-sim ledger, only what that ledger names.
 */
export async function reapLeftovers(stateRoot: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(stateRoot)) return;
  for (const entry of readdirSync(stateRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(stateRoot, entry.name);
    const ledger = readLedger(dir);
    if (!ledger || ledger.instanceId !== entry.name) continue;
    if (sameProcessAlive(ledger.owner.pid, ledger.owner.startTime)) continue;
    const problems = await removeInstance(dir, ledger);
    log(
      `pve-sim guests: reaped lab instance ${ledger.instanceId} (owner pid ${ledger.owner.pid} is gone)` +
        (problems.length ? `; left: ${problems.join("; ")}` : ""),
    );
  }
}
