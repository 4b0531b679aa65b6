import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ownHierarchies } from "../../../sim/guests/cgroups.js";

const run = promisify(execFile);

/**
 * What a pve-sim guests instance left behind after its close: mounts under its directory, the
 * directory itself, its network namespace (and with it its bridges and nspawn's veths), host
 * links named after it, processes that name its directory, its cgroups in any hierarchy, and the
 * host guard routes of `guestNetworks` (networks only this instance used: a running lab's guard of
 * its own network must stay).
 */
export async function leftovers(
  instanceDir: string,
  instanceId: string,
  netns: string,
  guestNetworks: string[] = [],
): Promise<string[]> {
  const found: string[] = [];
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((p) => p.startsWith(instanceDir));
  found.push(...mounts.map((m) => `mount ${m}`));
  if (existsSync(instanceDir)) found.push(`directory ${instanceDir}`);
  if (readdirSync("/run/netns").includes(netns)) found.push(`network namespace ${netns}`);
  const { stdout: links } = await run("ip", ["-o", "link"]);
  found.push(
    ...links
      .split("\n")
      // nspawn's host-side veths (vb-<machine>) live in the lab namespace; none may be out here
      .filter((l) => /\bvb-/.test(l) || l.includes(netns))
      .map((l) => `host link ${l.split(":")[1]?.trim() ?? l}`),
  );
  const { stdout: processes } = await run("ps", ["-eo", "pid,args"]);
  found.push(
    ...processes
      .split("\n")
      .filter((p) => p.includes(instanceDir) || p.includes(`--net=/run/netns/${netns}`))
      .map((p) => `process ${p.trim()}`),
  );
  for (const h of ownHierarchies()) {
    const dir = path.join(h.ownDir, `pve-sim-${instanceId}`);
    if (existsSync(dir)) found.push(`cgroup ${dir}`);
  }
  for (const network of guestNetworks) {
    const { stdout: route } = await run("ip", ["-4", "-o", "route", "show", "exact", network]);
    if (route.trim()) found.push(`host route ${route.trim()}`);
  }
  return found;
}
