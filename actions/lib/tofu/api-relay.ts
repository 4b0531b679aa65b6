import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch, type Dispatcher } from "undici";
import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { ProxmoxApiError } from "../proxmox/errors.js";
import { backoffDelay, isTransient, type RetryPolicy } from "../proxmox/retry.js";
import { FINGERPRINT_MISMATCH } from "../proxmox/tls.js";
import { CloneGate, type CloneGateStats } from "./clone-gate.js";

/**
 * A loopback HTTPS relay between the bpg provider and Proxmox that retries reads.
 *
 * The provider retries a GET only when the connection fails, never on an HTTP 5xx or on the
 * 595/596 pveproxy answers while its node daemon is busy; one such answer among the hundreds of
 * reads of a refresh or of task polling fails the whole apply, and a re-run meets the next one.
 * Through this relay every GET/HEAD gets the treatment pve-kube's own client gives reads (jittered
 * backoff on connection errors, 5xx except 501 and "does not exist", 595/596). Writes pass through
 * once: whether a failed write took effect is for the next plan's refresh to see, never for a blind
 * resend — with one exception that is not blind: a write Proxmox refused because it could not take
 * a lock (REFUSED_BEFORE_RUNNING) was never carried out, and is sent again like a read.
 *
 * The relay also carries the TLS decision: it reaches Proxmox through the same undici dispatcher as
 * pve-kube's client (pinned fingerprint checked on every connection, CA file, or explicit
 * insecure), and the provider only ever talks to the relay, whose certificate is its trust root.
 */
export interface RelayOptions {
  /** Proxmox origin, e.g. https://192.0.2.10:8006 */
  upstream: string;
  dispatcher: Dispatcher;
  /** the relay's own certificate and key (PEM) for 127.0.0.1 */
  certificate: { cert: string; key: string };
  retry: RetryPolicy;
  logger: Logger;
  /**
   * The Authorization header the relay accepts (`PVEAPIToken=<id>=<per-run secret>`) and the one
   * it sends to Proxmox instead (the real token). Any other local process that finds the port
   * gets a 401 and reaches nothing; the real token secret never leaves this process.
   */
  auth: { accepted: string; upstream: string };
  /** clones of one source admitted to Proxmox at once (clone-gate.ts); default CLONES_PER_SOURCE */
  clonesPerSource?: number;
}

export interface RelayStats {
  requests: number;
  /** reads sent again, by the status (or `network`) that caused it */
  retried: Record<string, number>;
  /** writes sent again after Proxmox refused them before running them (a lock it could not take) */
  resentWrites: number;
  /** reads that still failed after the last attempt */
  gaveUp: number;
}

export interface Relay {
  /** https://127.0.0.1:<port> */
  url: string;
  stats: RelayStats;
  /** what the clone gate held back */
  cloneGate: CloneGateStats;
  close(): Promise<void>;
}

/** Request headers that describe one hop, not the request (RFC 9110 §7.6.1), or that fetch sets itself. */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "accept-encoding",
]);
/** Response headers that no longer describe the body fetch hands over (decoded, whole). */
const STALE_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-encoding",
  "content-length",
]);

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer;
}

/**
 * A 500 that Proxmox gives before the handler runs: pmxcfs could not take a cluster-wide lock
 * (`cfs_lock_file` dies with "got lock request timeout") or the VM's config lock timed out
 * (`lock_config`: "can't lock file … - got timeout"). Nothing was changed, so sending the same
 * write again is safe. (A task's own lock timeout is in the task's exit status, not here.)
 */
export const REFUSED_BEFORE_RUNNING =
  /error during cfs-locked '[^']+' operation: got lock request timeout|can't lock file '[^']+' - got timeout/;

/** A connection failure that retrying cannot fix: the certificate is not the one we trust. */
function isTrustFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  return code === FINGERPRINT_MISMATCH || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const AGENT_PATH = /\/qemu\/\d+\/agent\//;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Node refuses control characters in a reason phrase; Proxmox puts whole messages there. */
function reasonPhrase(text: string): string {
  return text.replace(/[^\t\x20-\x7e]/g, " ").slice(0, 1000);
}

export async function startApiRelay(options: RelayOptions): Promise<Relay> {
  const { logger, retry } = options;
  const upstream = options.upstream.replace(/\/+$/, "");
  const stats: RelayStats = { requests: 0, retried: {}, resentWrites: 0, gaveUp: 0 };
  const gate = new CloneGate(options.clonesPerSource);

  const forward = async (
    method: string,
    url: string,
    headers: [string, string][],
    body: Buffer | undefined,
  ): Promise<Answer> => {
    const response = await fetch(`${upstream}${url}`, {
      method,
      headers: [...headers, ["accept-encoding", "identity"]],
      ...(body ? { body } : {}),
      dispatcher: options.dispatcher,
      redirect: "manual",
    });
    const out: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (!STALE_RESPONSE_HEADERS.has(name)) out.push([name, value]);
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: out,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const method = (req.method ?? "GET").toUpperCase();
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? url;
    if (!sameSecret(req.headers.authorization ?? "", options.auth.accepted)) {
      res.writeHead(401, "pve-kube relay: this relay serves one OpenTofu run only");
      res.end();
      return;
    }
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? "";
      const lower = name.toLowerCase();
      if (lower === "authorization") headers.push([name, options.auth.upstream]);
      else if (!HOP_HEADERS.has(lower)) headers.push([name, req.rawHeaders[i + 1] ?? ""]);
    }
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    const read = method === "GET" || method === "HEAD";
    // a guest agent's 500 ("not running", "got timeout") is the guest still booting, not Proxmox
    // failing: the provider polls the agent itself, so retrying here only delays it and warns falsely
    const asksGuestAgent = AGENT_PATH.test(path);
    // a clone waits here for a slot of its source, not in Proxmox's storage-lock queue
    const cloneSource = CloneGate.sourceOf(method, path);
    if (cloneSource) await gate.admit(cloneSource);
    let answer: Answer | undefined;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        answer = await forward(method, url, headers, body);
        const message = `${answer.statusText} ${answer.body.toString("utf8", 0, 2000)}`;
        const transient =
          answer.status >= 500 &&
          isTransient(new ProxmoxApiError(method, path, answer.status, message));
        const refusedUnrun = answer.status === 500 && REFUSED_BEFORE_RUNNING.test(message);
        if (read ? !transient || asksGuestAgent : !refusedUnrun) break;
        reason = read ? String(answer.status) : "write";
      } catch (error) {
        answer = undefined;
        if (!read || isTrustFailure(error)) {
          const cause = (error as { cause?: unknown }).cause;
          const text = `pve-kube relay: ${method} ${path} could not reach Proxmox: ${getErrorMessage(cause ?? error)}`;
          answer = {
            status: 502,
            statusText: reasonPhrase(text),
            headers: [["content-type", "application/json;charset=UTF-8"]],
            body: Buffer.from(JSON.stringify({ data: null, message: text })),
          };
          break;
        }
        reason = "network";
      }
      if (attempt + 1 >= retry.maxAttempts) {
        stats.gaveUp++;
        logger.warning(
          `Proxmox ${method} ${path} still failing (${reason}) after ${retry.maxAttempts} attempts; passing the failure to OpenTofu`,
        );
        if (!answer)
          answer = {
            status: 502,
            statusText: "pve-kube relay: Proxmox unreachable",
            headers: [],
            body: Buffer.from(JSON.stringify({ data: null, message: "Proxmox unreachable" })),
          };
        break;
      }
      if (reason === "write") stats.resentWrites++;
      else stats.retried[reason] = (stats.retried[reason] ?? 0) + 1;
      const delay = backoffDelay(attempt, retry);
      logger.debug(
        `Proxmox ${method} ${path} answered ${reason}; retry ${attempt + 1} of ${retry.maxAttempts - 1} in ${delay} ms`,
      );
      await retry.sleep(delay);
    }
    if (cloneSource) gate.dispatched(cloneSource, answer.status, answer.body);
    else gate.observe(method, path, answer.status, answer.body);
    res.writeHead(answer.status, reasonPhrase(answer.statusText), answer.headers);
    res.end(method === "HEAD" ? undefined : answer.body);
  };

  const server: Server = createServer(
    { cert: options.certificate.cert, key: options.certificate.key, minVersion: "TLSv1.2" },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.warning(`pve-kube relay: ${getErrorMessage(error)}`);
        if (!res.headersSent) res.writeHead(502, "pve-kube relay error");
        res.end();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    stats,
    cloneGate: gate.stats,
    close: () =>
      new Promise<void>((resolve) => {
        gate.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One line for the log: what the relay had to retry. */
export function relaySummary(stats: RelayStats): string | undefined {
  const retried = Object.entries(stats.retried);
  if (retried.length === 0 && stats.gaveUp === 0 && stats.resentWrites === 0) return undefined;
  const total = retried.reduce((n, [, c]) => n + c, 0);
  const detail = retried
    .map(([why, c]) => `${c}× ${why === "network" ? "connection error" : `HTTP ${why}`}`)
    .join(", ");
  const writes = stats.resentWrites
    ? `; ${stats.resentWrites} write${stats.resentWrites === 1 ? "" : "s"} sent again after Proxmox refused ${stats.resentWrites === 1 ? "it" : "them"} on a lock before running`
    : "";
  return `Proxmox API: ${total} read${total === 1 ? "" : "s"} retried after transient errors${detail ? ` (${detail})` : ""}${writes}${stats.gaveUp ? `; ${stats.gaveUp} still failed after every attempt` : ""}`;
}
