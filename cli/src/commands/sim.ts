import { rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { parseFaultSpec, startPveSim, type PveSim } from "../../../sim/index.js";
import type { CliCommand, CliIo } from "../command.js";
import { simPidFile, type SimDaemonReady } from "./sim-daemon.js";

const USAGE = [
  "usage: pve-kube sim [--port N] [--nodes N] [--time-scale F] [--faults SPEC] [--seed N] [--state FILE] [--http] [--guests [--guests-state DIR] [--guests-instance ID]] [--daemon [--stay]]",
  "",
  "Runs pve-sim, the embedded Proxmox VE API simulator, on 127.0.0.1 until interrupted.",
  "  --port N         listen port (default 8006; 0 picks a free one)",
  "  --nodes N        number of nodes pve1..pveN (default 3)",
  "  --time-scale F   task duration factor: 1 = realistic, 0 = instant (default 1)",
  "  --faults SPEC    e.g. 5xx=0.1,596=0.05,drop=0.01,latency=50,lock=0.1,storage=0.02,offline=pve3,",
  "                   or a named profile with overrides: profile=all | profile=writes[,drop=0.01]",
  "  --seed N         seed of the fault sequence (default 1)",
  "  --state FILE     keep state, certificate and tokens in FILE across restarts",
  "  --http           plain HTTP instead of HTTPS (proxmox-api only; the bpg provider needs HTTPS)",
  "  --guests         real guests (root): a started VM whose disk came from an ext4 lab image boots as a",
  "                   systemd-nspawn machine in the lab's own network namespace (docs/pve-sim.md, Guests)",
  "  --guests-state DIR  where guests keep their instance dirs (default ~/.cache/pve-kube/pve-sim-guests)",
  "  --guests-instance ID  names the instance: its dir, network namespace pvesim-ID and cgroups (1-8 of a-z0-9)",
  "  --daemon         started by `pve-kube run --sim` over an IPC channel: reports its address on it, and",
  "                   when the run ends or dies, finishes the tasks it is running, saves and exits",
  "  --stay           with --daemon (the lab's pve-sim): keeps serving when the run ends; SIGTERM stops it",
].join("\n");

export function describeSim(sim: PveSim): string {
  const token = `${sim.rootToken.id}=${sim.rootToken.secret}`;
  return [
    `pve-sim listening on ${sim.url}/api2/json`,
    `  TLS fingerprint (SHA-256): ${sim.fingerprint}`,
    `  Public key pin (curl --pinnedpubkey): sha256//${sim.publicKeyPin}`,
    `  API token id:     ${sim.rootToken.id}`,
    `  API token secret: ${sim.rootToken.secret}`,
    `  root@pam password: ${sim.rootPassword}`,
    "",
    "Try it:",
    sim.url.startsWith("https:")
      ? `  curl -sk --pinnedpubkey 'sha256//${sim.publicKeyPin}' -H 'Authorization: PVEAPIToken=${token}' ${sim.url}/api2/json/nodes`
      : `  curl -s -H 'Authorization: PVEAPIToken=${token}' ${sim.url}/api2/json/nodes`,
    "",
  ].join("\n");
}

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new ConfigurationError(
      `--${name} must be a non-negative number, got '${value}'`,
      USAGE.split("\n")[0],
    );
  return n;
}

/** `--guests-state` and `--guests-instance` as pve-sim's guest options. */
function guestOptions(values: { "guests-state"?: string; "guests-instance"?: string }) {
  return {
    ...(values["guests-state"] ? { stateRoot: values["guests-state"] } : {}),
    ...(values["guests-instance"] ? { instanceId: values["guests-instance"] } : {}),
  };
}

export async function runSim(args: string[], io: CliIo, waitForExit = true): Promise<PveSim> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      nodes: { type: "string" },
      "time-scale": { type: "string" },
      faults: { type: "string" },
      seed: { type: "string" },
      state: { type: "string" },
      http: { type: "boolean" },
      daemon: { type: "boolean" },
      guests: { type: "boolean" },
      "guests-state": { type: "string" },
      "guests-instance": { type: "string" },
      stay: { type: "boolean" },
    },
  });
  let faults;
  try {
    faults = values.faults ? parseFaultSpec(values.faults) : {};
  } catch (error) {
    throw new ConfigurationError(
      `--faults: ${(error as Error).message}`,
      "see `pve-kube sim --help`",
    );
  }
  if (!values.guests && (values["guests-state"] || values["guests-instance"]))
    throw new ConfigurationError(
      "--guests-state and --guests-instance need --guests",
      "add --guests (real guests, root only) or drop them",
    );
  // checked before anything listens: the daemon only makes sense under `pve-kube run --sim`
  if (values.daemon && (!process.send || !values.state))
    throw new ConfigurationError(
      "--daemon needs --state and an IPC channel",
      "it is started by `pve-kube run --sim`",
    );
  const sim = await startPveSim({
    port: number(values.port, "port", 8006),
    nodes: number(values.nodes, "nodes", 3),
    timeScale: number(values["time-scale"], "time-scale", 1),
    seed: number(values.seed, "seed", 1),
    faults,
    ...(values.state ? { statePath: values.state } : {}),
    ...(values.http ? { http: true } : {}),
    ...(values.guests ? { guests: guestOptions(values) } : {}),
  });
  if (values.daemon && values.state) {
    await serveRun(sim, values.state, values.stay ?? false);
    return sim;
  }
  io.stdout.write(describeSim(sim));
  if (sim.guests)
    io.stdout.write(
      `Guests: lab network namespace ${sim.guests.network.name}, state ${sim.guests.instanceDir}\n` +
        `  run a command where lab addresses route: ip netns exec ${sim.guests.network.name} <command>\n`,
    );
  if (waitForExit) {
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await sim.close();
  }
  return sim;
}

/**
 * `--daemon`: the embedded demo's Proxmox, in its own process so that it outlives the run that
 * started it, as a real Proxmox outlives a killed runner. It tells the run its address over the
 * IPC channel; when the channel closes (the run ended, or was killed) it lets the tasks it
 * accepted finish, saves its state and exits. SIGTERM stops it at once (running tasks then end
 * in error on the next start, like a crashed host).
 */
async function serveRun(sim: PveSim, statePath: string, stay: boolean): Promise<void> {
  const pidFile = simPidFile(statePath);
  writeFileSync(pidFile, String(process.pid));
  const stop = async () => {
    await sim.close();
    rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("disconnect", () => {
    // the lab's pve-sim serves the cluster it left running until `--down` stops it
    if (stay) return;
    const drain = () => {
      if (sim.admin.runningTaskCount() > 0) setTimeout(drain, 100);
      else void stop();
    };
    drain();
  });
  const ready: SimDaemonReady = {
    url: sim.url,
    fingerprint: sim.fingerprint,
    certPem: sim.certPem,
  };
  process.send?.(ready);
  await new Promise<never>(() => undefined);
}

export const simCommand: CliCommand = {
  name: "sim",
  summary: "run pve-sim, the embedded Proxmox VE API simulator",
  usage: USAGE,
  async run(args, io) {
    await runSim(args, io);
    return 0;
  },
};
