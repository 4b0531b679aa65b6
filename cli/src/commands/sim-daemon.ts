import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, readFileSync, closeSync } from "node:fs";
import { Agent, fetch } from "undici";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import type { SimRequest } from "../../../sim/index.js";
import type { SimState } from "../../../sim/model/types.js";
import { processAlive } from "../../../local/runner/process-alive.js";

/** What `pve-kube sim --daemon` sends on its IPC channel once it listens. */
export interface SimDaemonReady {
  url: string;
  fingerprint: string;
  certPem: string;
}

/** The pve-sim process of a demo run, driven through its loopback admin surface (/_sim/). */
export interface SimDaemon {
  url: string;
  fingerprint: string;
  /** pve-sim's certificate, to trust exactly it */
  certPem: string;
  pid: number;
  snapshot(): Promise<SimState>;
  /** defines a role as exactly these privileges (`pveum role add`) */
  ensureRole(roleid: string, privileges: readonly string[]): Promise<void>;
  /**
   * the user and its privilege-separated token (created if missing, an existing one keeps its
   * secret) hold `role` on exactly `paths` and nothing else (sim/admin.ts ensureToken)
   */
  ensureToken(
    user: string,
    token: string,
    role: string,
    paths: readonly string[],
  ): Promise<{ id: string; secret: string }>;
  ensurePool(poolid: string, comment: string): Promise<void>;
  requestLog(): Promise<SimRequest[]>;
  /** lets pve-sim finish the tasks it is running, then waits until it has saved and exited */
  close(): Promise<void>;
  /**
   * Lets go of a pve-sim started with `--stay` (the lab's): it keeps serving after this process
   * ends; only SIGTERM stops it.
   */
  detach(): void;
}

export interface SimDaemonOptions {
  statePath: string;
  port: number;
  timeScale: number;
  nodes: number;
  /** where the daemon's own output goes */
  logFile: string;
  /** the CLI entry to start (`node <entry> sim --daemon …`) */
  cliEntry: string;
  /** progress lines for the operator */
  say: (line: string) => void;
  /** more `pve-kube sim` arguments (the lab's: --guests …, --stay) */
  extraArgs?: string[];
}

/** The file a running daemon keeps its pid in, beside its state. */
export function simPidFile(statePath: string): string {
  return `${statePath}.pid`;
}

const PREVIOUS_DAEMON_WAIT_MS = 10 * 60_000;

/** The pid file of a pve-sim that was killed may name a pid that now belongs to something else. */
function isSimDaemon(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("--daemon");
  } catch {
    // no /proc (not Linux): trust the pid
    return true;
  }
}

/**
 * A run killed while pve-sim was running tasks leaves that pve-sim finishing them (Proxmox does
 * not stop because the runner died). The next run waits for it, so that one state file has one writer.
 */
async function waitForPreviousDaemon(
  statePath: string,
  say: (line: string) => void,
): Promise<void> {
  const pidFile = simPidFile(statePath);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !isSimDaemon(pid)) return;
  say(
    `pve-sim: waiting for the pve-sim of an earlier run (pid ${pid}) to finish the tasks it accepted`,
  );
  const deadline = Date.now() + PREVIOUS_DAEMON_WAIT_MS;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      throw new ConfigurationError(
        `the pve-sim of an earlier run (pid ${pid}) is still running after ${PREVIOUS_DAEMON_WAIT_MS / 60_000} minutes`,
        `stop it (kill ${pid}) and run again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function waitForReady(child: ChildProcess, options: SimDaemonOptions): Promise<SimDaemonReady> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      const tail = existsSync(options.logFile)
        ? readFileSync(options.logFile, "utf8").trim().split("\n").slice(-5).join("\n")
        : "";
      if (/EADDRINUSE/.test(tail)) {
        reject(
          new ConfigurationError(
            `port ${options.port} on 127.0.0.1 is in use (another pve-sim or npm start still running?)`,
            "stop it, or pass --sim-port 0 to pick a free port (the cluster file's endpoint is overridden by the proxmox-url input)",
          ),
        );
      } else {
        reject(
          new Error(`pve-sim did not start (exit code ${String(code)})${tail ? `:\n${tail}` : ""}`),
        );
      }
    };
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message as SimDaemonReady);
    });
  });
}

/**
 * Starts pve-sim as its own process (own process group, so Ctrl-C of the run does not reach it)
 * and connects to it. Its state, certificate and tokens live in `statePath`.
 */
export async function startSimDaemon(options: SimDaemonOptions): Promise<SimDaemon> {
  await waitForPreviousDaemon(options.statePath, options.say);
  const log = openSync(options.logFile, "a", 0o600);
  const args = [
    "sim",
    "--daemon",
    "--state",
    options.statePath,
    "--port",
    String(options.port),
    "--time-scale",
    String(options.timeScale),
    "--nodes",
    String(options.nodes),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, [...process.execArgv, options.cliEntry, ...args], {
    detached: true,
    stdio: ["ignore", log, log, "ipc"],
  });
  closeSync(log);
  const ready = await waitForReady(child, options);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return connectSimDaemon(ready, child.pid ?? 0, { child, exited, say: options.say });
}

const ADMIN_CONNECT_TIMEOUT_MS = 60_000;
const ADMIN_ATTEMPTS = 5;

/** `fetch failed` says nothing: its cause (ECONNREFUSED, a connect timeout …) does. */
function connectionFailure(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const text = (e: unknown) =>
    e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? e.name}: ${e.message}` : String(e);
  return cause ? `${text(error)} (${text(cause)})` : text(error);
}

/**
 * The admin client of a pve-sim daemon: one this process started (`own`), or one that runs
 * already (the lab's, found through its record) — then close() and detach() only let go of it.
 */
export function connectSimDaemon(
  ready: SimDaemonReady,
  pid: number,
  own?: { child: ChildProcess; exited: Promise<void>; say: (line: string) => void },
): SimDaemon {
  // a daemon on a starved core (a loaded CI box, a niced bench) can take longer than undici's
  // 10 s to finish a TLS handshake
  const agent = new Agent({ connect: { ca: ready.certPem, timeout: ADMIN_CONNECT_TIMEOUT_MS } });
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${ready.url}/_sim/${path}`, {
      method,
      dispatcher: agent,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    // every admin call is idempotent (reads, PUTs, ensure-pool): a connection that failed is
    // simply tried again; bench demo-faults saw `fetch failed` at load 24 right after start
    let response: Awaited<ReturnType<typeof fetch>> | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await send(method, path, body);
      } catch (error) {
        if (attempt >= ADMIN_ATTEMPTS)
          throw new Error(
            `pve-sim admin ${method} /_sim/${path} at ${ready.url}: ${connectionFailure(error)} (after ${ADMIN_ATTEMPTS} attempts)`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
    const text = await response.text();
    if (!response.ok)
      throw new Error(`pve-sim admin ${method} /_sim/${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return {
    url: ready.url,
    fingerprint: ready.fingerprint,
    certPem: ready.certPem,
    pid,
    snapshot: () => admin<SimState>("GET", "state"),
    ensureRole: (roleid, privileges) => admin("PUT", "roles", { roleid, privileges }),
    ensureToken: (user, token, role, paths) => admin("PUT", "tokens", { user, token, role, paths }),
    ensurePool: (poolid, comment) => admin("POST", "pools", { poolid, comment }),
    requestLog: () => admin<SimRequest[]>("GET", "requests"),
    async close() {
      if (!own) {
        await agent.close();
        return;
      }
      const running = await admin<number>("GET", "running-tasks").catch(() => 0);
      await agent.close();
      if (running > 0)
        own.say(
          `pve-sim: letting ${running} running task${running === 1 ? "" : "s"} finish before it saves and exits`,
        );
      if (own.child.connected) own.child.disconnect();
      await own.exited;
    },
    detach() {
      void agent.close();
      if (own?.child.connected) own.child.disconnect();
      own?.child.unref();
    },
  };
}
