import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync, existsSync, renameSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { TicketAuthority } from "./access/auth.js";
import { SimAdmin } from "./admin.js";
import { Router } from "./api/route.js";
import { SimCore } from "./core.js";
import type { FaultOptions } from "./faults.js";
import { makeCertificate, fingerprintOf, publicKeyPinOf } from "./http/cert.js";
import { GuestHost, type GuestOptions } from "./guests/index.js";
import { handleRequest } from "./http/handle.js";
import { seedState } from "./model/seed.js";
import type { SimState } from "./model/types.js";
import { allRoutes } from "./routes/index.js";
import { bootImage } from "./routes/guest-power.js";

export type { FaultOptions } from "./faults.js";
export type { SimRequest, TaskTimelineEntry } from "./core.js";
export { parseFaultSpec } from "./faults.js";
export {
  FAULT_PROFILES,
  describeFaults,
  faultProfile,
  isFaultProfileName,
  type FaultProfileName,
} from "./fault-profiles.js";
export type { GuestOptions, GuestInfo } from "./guests/index.js";

export interface PveSimOptions {
  port?: number;
  host?: string;
  /** node count (pve1..pveN) or names; default 3 */
  nodes?: number | string[];
  /** multiplies every task duration; 0 = instant (unit tests), 1 = realistic */
  timeScale?: number;
  faults?: FaultOptions;
  seed?: number;
  /** persist state (and the certificate and tokens) to this JSON file on every change and close */
  statePath?: string;
  /** plain HTTP instead of HTTPS */
  http?: boolean;
  tls?: { cert: string; key: string };
  /** fixed root token secret (lowercase UUID); default random */
  rootTokenSecret?: string;
  /**
   * real guests: a started VM whose boot disk came from an ext4 image is a systemd-nspawn machine
   * in the lab's own network namespace (docs/pve-sim.md, "Guests"). Off by default; needs root.
   */
  guests?: GuestOptions | boolean;
  /**
   * keep uploaded files' bytes under this directory (uploads stream to disk, as on Proxmox).
   * Default with guests: `<statePath>.files`, else the guests' instance directory; without
   * guests uploads are only hashed (fast, and nothing to clean up).
   */
  filesDir?: string;
}

export interface PveSim {
  url: string;
  host: string;
  port: number;
  fingerprint: string;
  /** base64 SHA-256 of the public key (SPKI), for `curl --pinnedpubkey sha256//<pin>` */
  publicKeyPin: string;
  certPem: string;
  rootToken: { id: string; secret: string };
  rootPassword: string;
  admin: SimAdmin;
  /** the real guests, when started with `guests` */
  guests: GuestHost | undefined;
  /** stops the server; with guests also stops every guest and removes what the lab made */
  close(): Promise<void>;
}

interface PersistedFile {
  state: SimState;
  cert: string;
  key: string;
  rootTokenSecret: string;
  rootPassword: string;
}

/** Starts pve-sim: a Proxmox VE API on loopback that real clients cannot tell from Proxmox. */
export async function startPveSim(options: PveSimOptions = {}): Promise<PveSim> {
  const persisted =
    options.statePath && existsSync(options.statePath)
      ? (JSON.parse(readFileSync(options.statePath, "utf8")) as PersistedFile)
      : undefined;
  const nodeNames = Array.isArray(options.nodes)
    ? options.nodes
    : Array.from({ length: options.nodes ?? 3 }, (_, i) => `pve${i + 1}`);
  const rootTokenSecret = persisted?.rootTokenSecret ?? options.rootTokenSecret ?? randomUUID();
  const rootPassword = persisted?.rootPassword ?? randomUUID().slice(0, 16);
  const fresh = () => seedState({ nodes: nodeNames, rootTokenSecret, rootPassword });
  if (persisted) {
    // state files written before groups were modelled
    persisted.state.groups ??= [];
    // a restart kills running workers, as a crash of pvedaemon would: their tasks end in error and
    // any lock they held stays, exactly what a real host shows after an interrupted clone
    for (const task of persisted.state.tasks.filter((t) => t.status === "running")) {
      task.status = "stopped";
      task.exitstatus = "unexpected status";
      task.endedMs = Date.now();
      task.endtime = Math.floor(task.endedMs / 1000);
    }
  }
  const core = new SimCore(
    persisted?.state ?? fresh(),
    options.timeScale ?? 0,
    options.faults ?? {},
    options.seed ?? 1,
  );
  if (options.guests) {
    const guests = await GuestHost.create(options.guests === true ? {} : options.guests);
    // a guest that powers itself off (or dies) is a stopped VM, as QEMU exiting is
    guests.onGuestExit = (vmid) => {
      const vm = core.findVm(vmid);
      if (vm?.status !== "running") return;
      vm.status = "stopped";
      delete vm.startedAt;
      delete vm.agentReadyAt;
    };
    core.guests = guests;
    core.filesDir = options.statePath
      ? `${options.statePath}.files`
      : join(guests.instanceDir, "files");
    // machines of an earlier run died with it: a VM restored as running has no guest any more
    for (const vm of core.state.vms)
      if (vm.status === "running" && bootImage(core, vm)) vm.status = "stopped";
  }
  if (options.filesDir) core.filesDir = options.filesDir;
  // no upload is in flight at start: what a killed pve-sim was receiving goes (pveproxy's tmp files)
  if (core.filesDir) rmSync(join(core.filesDir, "tmp"), { recursive: true, force: true });
  const certificate =
    options.tls ??
    (persisted ? { cert: persisted.cert, key: persisted.key } : await makeCertificate());
  core.certFingerprint = fingerprintOf(certificate.cert);
  const admin = new SimAdmin(core, fresh);
  const router = new Router(allRoutes);
  const tickets = new TicketAuthority();

  const persist = () => {
    if (!options.statePath) return;
    const file: PersistedFile = {
      state: core.state,
      cert: certificate.cert,
      key: certificate.key,
      rootTokenSecret,
      rootPassword,
    };
    // holds the TLS key, the token secret and the root password: owner-only
    writeFileSync(`${options.statePath}.tmp`, JSON.stringify(file), { mode: 0o600 });
    renameSync(`${options.statePath}.tmp`, options.statePath);
  };
  const listener: http.RequestListener = (req, res) => {
    handleRequest(
      { core, router, tickets, admin: (q, s, p, b) => admin.handleHttp(q, s, p, b) },
      req,
      res,
    )
      .then(() => {
        if (req.method !== "GET") persist();
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
  };
  const server = options.http
    ? http.createServer(listener)
    : https.createServer(
        { cert: certificate.cert, key: certificate.key, minVersion: "TLSv1.3" },
        listener,
      );
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // tasks still running when the state is saved would never finish after a restart
  const persistTimer = options.statePath ? setInterval(persist, 1000) : undefined;
  persistTimer?.unref();
  return {
    url: `${options.http ? "http" : "https"}://${host}:${port}`,
    host,
    port,
    fingerprint: core.certFingerprint,
    publicKeyPin: publicKeyPinOf(certificate.cert),
    certPem: certificate.cert,
    rootToken: { id: "root@pam!pve-kube", secret: rootTokenSecret },
    rootPassword,
    admin,
    guests: core.guests,
    async close() {
      if (persistTimer) clearInterval(persistTimer);
      persist();
      core.close();
      const left = await core.guests?.teardown();
      if (left?.length) process.stderr.write(`pve-sim guests: teardown left ${left.join("; ")}\n`);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
