import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { processAlive } from "../../../local/runner/process-alive.js";
import { netnsName } from "../../../sim/guests/netns.js";
import {
  connectSimDaemon,
  startSimDaemon,
  type SimDaemon,
  type SimDaemonReady,
} from "../commands/sim-daemon.js";
import type { LabPaths } from "./paths.js";

/** The lab's pve-sim instance id: its guests' state dir, network namespace and cgroups carry it. */
export const LAB_INSTANCE = "lab";
/** `pvesim-lab`: the namespace where the lab's bridges, guests and runner live. */
export const LAB_NETNS = netnsName(LAB_INSTANCE);

/** What a running lab pve-sim left for the next `pve-kube lab` and for `lab exec`. */
export interface LabDaemonRecord extends SimDaemonReady {
  pid: number;
  netns: string;
}

export function readLabDaemon(paths: LabPaths): LabDaemonRecord | undefined {
  if (!existsSync(paths.daemonFile)) return undefined;
  try {
    const record = JSON.parse(readFileSync(paths.daemonFile, "utf8")) as LabDaemonRecord;
    return processAlive(record.pid) && isLabSim(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** A pid from the record is the lab's pve-sim only while its command line says so. */
function isLabSim(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.includes("--daemon") && argv.includes("--guests");
  } catch {
    return false;
  }
}

/** pve-sim's command line for the lab: guests on, their state in the lab's dir, stays up. */
export function labSimArgs(paths: LabPaths): string[] {
  return [
    "--guests",
    "--guests-state",
    paths.guestsDir,
    "--guests-instance",
    LAB_INSTANCE,
    "--stay",
  ];
}

/**
 * The lab's pve-sim: the running one when there is one (the cluster stays up between runs, so
 * its Proxmox does too), else a new daemon with guests on. It outlives `pve-kube lab`; only
 * `--down` stops it.
 */
export async function startOrReuseLabSim(
  paths: LabPaths,
  options: { cliEntry: string; timeScale: number; say: (line: string) => void },
): Promise<{ sim: SimDaemon; reused: boolean }> {
  const running = readLabDaemon(paths);
  if (running) return { sim: connectSimDaemon(running, running.pid), reused: true };
  await mkdir(paths.simDir, { recursive: true, mode: 0o700 });
  const sim = await startSimDaemon({
    statePath: paths.simState,
    port: 0,
    timeScale: options.timeScale,
    nodes: 3,
    logFile: paths.simLog,
    cliEntry: options.cliEntry,
    say: options.say,
    extraArgs: labSimArgs(paths),
  });
  const record: LabDaemonRecord = {
    url: sim.url,
    fingerprint: sim.fingerprint,
    certPem: sim.certPem,
    pid: sim.pid,
    netns: LAB_NETNS,
  };
  await writeFile(paths.daemonFile, JSON.stringify(record, null, 2), { mode: 0o600 });
  return { sim, reused: false };
}

/**
 * Stops the lab's pve-sim: SIGTERM makes it power its guests off and remove what it made; after
 * `timeoutMs` it is killed (the reaper then removes what it left).
 */
export async function stopLabSim(
  paths: LabPaths,
  timeoutMs = 120_000,
): Promise<number | undefined> {
  const running = readLabDaemon(paths);
  if (!running) return undefined;
  process.kill(running.pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (processAlive(running.pid) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  if (processAlive(running.pid)) process.kill(running.pid, "SIGKILL");
  await rm(paths.daemonFile, { force: true });
  return running.pid;
}
