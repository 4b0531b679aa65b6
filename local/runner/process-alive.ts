import { readFileSync } from "node:fs";

/**
 * Whether a process with this pid runs (one of another user's counts: kill(0) says EPERM). A
 * zombie — exited, not yet collected by its parent — answers kill(0) too but runs no more: a
 * SIGKILLed pve-sim is one until init collects it, and waiting for it to stop must end there.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state === "Z" || state === "X";
  } catch {
    // no /proc entry (gone meanwhile, or no procfs): kill(0) has answered
    return false;
  }
}
