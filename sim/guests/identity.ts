import { readFileSync } from "node:fs";

/**
 * The fields of /proc/<pid>/stat from the third (the state letter) on, or undefined when there
 * is no such process. The command name (field 2) may hold spaces and parentheses: split after
 * its closing one.
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). A pid and its
 * start time together name one process for good: a reused pid has another start time.
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** State `Z` (a zombie, waiting for its parent to collect it) or `X` (dead): it has exited. */
const exited = (fields: string[]) => fields[0] === "Z" || fields[0] === "X";

/**
 * Whether a process has exited though its pid is still listed. A pid without a /proc entry is
 * not such a process.
 */
export function isZombie(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && exited(fields);
}

/**
 * Whether the process that had `pid` and started at `startTime` still runs. A SIGKILLed pve-sim
 * stays a zombie until its parent (often init) collects it: that one no longer owns anything, and
 * a reap started in that moment must not take it for alive.
 */
export function sameProcessAlive(pid: number, startTime: string): boolean {
  const fields = statFields(pid);
  return fields?.[19] === startTime && !exited(fields);
}

/** The command line of a live process, NUL-separated arguments joined with spaces. */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return undefined;
  }
}
