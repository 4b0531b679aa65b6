import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** One cgroup hierarchy the launcher is in: where it is mounted and the launcher's own cgroup in it. */
export interface Hierarchy {
  /** `memory`, `cpu,cpuacct`, `name=systemd`, or `` for the unified (v2) tree */
  controllers: string;
  /** the launcher's own cgroup directory in this hierarchy */
  ownDir: string;
}

/**
 * The hierarchies of this process (from /proc/self/cgroup), each resolved to a directory through
 * /proc/self/mountinfo. Only hierarchies mounted here are returned; nothing is mounted or changed.
 */
export function ownHierarchies(): Hierarchy[] {
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => {
      const [left = "", right = ""] = line.split(" - ");
      const fields = left.split(" ");
      const [fstype = "", , superOptions = ""] = right.split(" ");
      return { root: fields[3] ?? "", mountPoint: fields[4] ?? "", fstype, superOptions };
    })
    .filter((m) => m.fstype === "cgroup" || m.fstype === "cgroup2");
  const result: Hierarchy[] = [];
  for (const line of readFileSync("/proc/self/cgroup", "utf8").trim().split("\n")) {
    const [, controllers = "", path = "/"] = /^(?:\d+):([^:]*):(.*)$/.exec(line) ?? [];
    const mount =
      controllers === ""
        ? mounts.find((m) => m.fstype === "cgroup2")
        : mounts.find(
            (m) =>
              m.fstype === "cgroup" &&
              controllers.split(",").every((c) => m.superOptions.split(",").includes(c)),
          );
    if (!mount) continue;
    const relative =
      mount.root !== "/" && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
    result.push({ controllers, ownDir: join(mount.mountPoint, relative) });
  }
  return result;
}

function has(h: Hierarchy, controller: string): boolean {
  return h.controllers.split(",").includes(controller);
}

/** mkdir a child cgroup; cpuset children need their parent's cpus and mems before they take tasks. */
function makeChild(h: Hierarchy, parent: string, name: string): string {
  const dir = join(parent, name);
  if (!existsSync(dir)) mkdirSync(dir);
  if (has(h, "cpuset")) {
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      const current = readFileSync(join(dir, file), "utf8").trim();
      if (current === "") writeFileSync(join(dir, file), readFileSync(join(parent, file), "utf8"));
    }
  }
  return dir;
}

/** The instance's cgroup in every hierarchy: `<own cgroup>/pve-sim-<instance id>`. */
export function makeInstanceCgroups(hierarchies: Hierarchy[], instanceId: string): string[] {
  return hierarchies.map((h) => makeChild(h, h.ownDir, `pve-sim-${instanceId}`));
}

export interface GuestCgroups {
  /** one directory per hierarchy; the launcher writes the nspawn pid into each `cgroup.procs` */
  dirs: string[];
  /** what was applied and enforced by the host (`memory.limit_in_bytes`, `cpu.cfs_quota_us`) */
  enforced: string[];
  /** what could not be applied, with the reason */
  notEnforced: string[];
}

/** A guest's cgroups under the instance's, with memory and CPU limits from the VM config. */
export function makeGuestCgroups(
  hierarchies: Hierarchy[],
  instanceDirs: string[],
  name: string,
  limits: { memoryBytes: number; cores: number },
): GuestCgroups {
  const result: GuestCgroups = { dirs: [], enforced: [], notEnforced: [] };
  hierarchies.forEach((h, i) => {
    const dir = makeChild(h, instanceDirs[i] ?? h.ownDir, name);
    result.dirs.push(dir);
    const apply = (file: string, value: string) => {
      try {
        writeFileSync(join(dir, file), value);
        result.enforced.push(`${file}=${value}`);
      } catch (error) {
        result.notEnforced.push(`${file}: ${(error as Error).message}`);
      }
    };
    if (has(h, "memory")) apply("memory.limit_in_bytes", String(limits.memoryBytes));
    if (has(h, "cpu")) {
      const period = Number(readFileSync(join(dir, "cpu.cfs_period_us"), "utf8").trim()) || 100000;
      apply("cpu.cfs_quota_us", String(Math.round(limits.cores * period)));
    }
  });
  return result;
}

/** Removes a cgroup directory and every child the guest made in it, deepest first. */
export function removeCgroupTree(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) {
        const failure = removeCgroupTree(join(dir, entry.name));
        if (failure) return failure;
      }
    rmdirSync(dir);
    return undefined;
  } catch (error) {
    return `${dir}: ${(error as Error).message}`;
  }
}

/** The processes still in a cgroup tree (for a stop that must not leave any behind). */
export function pidsInTree(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  try {
    const procs = readFileSync(join(dir, "cgroup.procs"), "utf8").trim();
    if (procs) pids.push(...procs.split("\n").map(Number));
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) pids.push(...pidsInTree(join(dir, entry.name)));
  } catch {
    // the tree is being removed
  }
  return pids;
}
