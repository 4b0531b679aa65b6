import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What marks a ledger as pve-sim's: reaping never touches a directory without it. */
export const LEDGER_KIND = "pve-sim-lab";
export const LEDGER_FILE = "ledger.json";

/** One nspawn machine a lab instance started. */
export interface MachineRecord {
  vmid: number;
  pid: number;
  startTime: string;
  /** the merged root it boots from (also in its command line: how a reaper recognises it) */
  root: string;
}

/**
 * Everything a pve-sim lab instance made on the host, written before (or right after) it is made,
 * so that the next start can remove it when this process is gone. Every path lies under the
 * instance directory or carries the instance id in its name.
 */
export interface Ledger {
  kind: typeof LEDGER_KIND;
  instanceId: string;
  owner: { pid: number; startTime: string };
  netns?: string;
  /** guest networks guarded by a `throw` route in the host's namespace (see guardHostRoute) */
  guardRoutes?: string[];
  /** cgroup directories (one per hierarchy) that hold this instance's guests */
  cgroups: string[];
  /** mount points, in the order they were mounted */
  mounts: string[];
  machines: MachineRecord[];
}

export function readLedger(instanceDir: string): Ledger | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(instanceDir, LEDGER_FILE), "utf8")) as Ledger;
    return parsed.kind === LEDGER_KIND ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function writeLedger(instanceDir: string, ledger: Ledger): void {
  const path = join(instanceDir, LEDGER_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(ledger, null, 2));
  renameSync(`${path}.tmp`, path);
}
