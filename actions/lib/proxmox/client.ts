import type { Proxmox } from "proxmox-api";
import { proxmoxApi } from "proxmox-api";
import type { Agent, FormData } from "undici";
import type { Logger } from "../logger.js";
import {
  resolveConnection,
  type ConnectionOptions,
  type ResolvedConnection,
} from "./connection.js";
import { defaultRetryPolicy, realSleep, type RetryPolicy } from "./retry.js";
import { createTlsDispatcher, tlsMode, type TlsMode } from "./tls.js";
import { ProxmoxTransport } from "./http-transport.js";

export interface Clock {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface ProxmoxClientOptions extends ConnectionOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** receives the token secret before any use; `core.setSecret` by default */
  maskSecret?: (secret: string) => void;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  /** time source for task polling and lock retries (tests make it instant) */
  clock?: Partial<Clock>;
  presentedFingerprint?: (host: string, port: number) => Promise<string | undefined>;
}

/** The one Proxmox client every phase uses. */
export interface ProxmoxClient {
  /** the typed proxmox-api proxy; GETs retry, writes are sent once */
  readonly api: Proxmox.Api;
  /** connection facts for messages (no secret) */
  readonly endpoint: { url: string; host: string; port: number; tokenId: string; tlsMode: TlsMode };
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  /** multipart upload to an API path below /api2/json (e.g. `/nodes/pve1/storage/local/upload`) */
  upload(path: string, form: FormData): Promise<unknown>;
  /** closes the connection pool so the process can exit */
  close(): Promise<void>;
}

export async function createProxmoxClient(options: ProxmoxClientOptions): Promise<ProxmoxClient> {
  const connection: ResolvedConnection = resolveConnection(
    options,
    options.env ?? process.env,
    options.maskSecret,
  );
  const { logger } = options;
  if (connection.schema === "http") {
    logger.warning(
      `the Proxmox URL ${connection.url} is plain http: the API token travels unencrypted`,
    );
  }
  const dispatcher: Agent = await createTlsDispatcher(connection.tls, logger);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const clock: Clock = {
    sleep: options.clock?.sleep ?? realSleep,
    now: options.clock?.now ?? Date.now,
  };
  const transport = new ProxmoxTransport({
    connection,
    dispatcher,
    logger,
    retry,
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.presentedFingerprint ? { presentedFingerprint: options.presentedFingerprint } : {}),
  });
  return {
    api: proxmoxApi(transport),
    endpoint: {
      url: connection.url,
      host: connection.host,
      port: connection.port,
      tokenId: connection.tokenId,
      tlsMode: tlsMode(connection.tls),
    },
    logger,
    retry,
    clock,
    upload: (path, form) => transport.upload(path, form),
    close: () => dispatcher.close(),
  };
}
