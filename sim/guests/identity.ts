import { readFileSync } from "node:fs";

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). A pid and its
 * start time together name one process for good: a reused pid has another start time.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: split after its closing one
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether a process has exited though its pid is still listed: state `Z` (a zombie, waiting for
 * its parent to collect it) or `X` (dead). A pid without a /proc entry is not such a process.
 */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state === "Z" || state === "X";
  } catch {
    return false;
  }
}

/**
 * Whether the process that had `pid` and started at `startTime` still runs. A SIGKILLed pve-sim
 * stays a zombie until its parent (often init) collects it: that one no longer owns anything, and
 * a reap started in that moment must not take it for alive.
 */
export function sameProcessAlive(pid: number, startTime: string): boolean {
  return processStartTime(pid) === startTime && !isZombie(pid);
}

/** The command line of a live process, NUL-separated arguments joined with spaces. */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return undefined;
  }
}
