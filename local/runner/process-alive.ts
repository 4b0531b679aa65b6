import { isZombie } from "../../sim/guests/identity.js";

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
