import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ARTIFACT_SERVICE, artifactService, type ServiceDeps } from "./artifact-service.js";
import { BlobActivity, type BlobStats } from "./blob-activity.js";
import { BLOB_PREFIX, handleBlob } from "./blob-endpoint.js";
import { CACHE_SERVICE, cacheService } from "./cache-service.js";
import { signBlobUrl } from "./signed-url.js";
import { ResultsStore } from "./store.js";
import { mintRuntimeToken } from "./token.js";
import { handleTwirp, sendTwirpError, TWIRP_PREFIX, TwirpError } from "./twirp.js";

export type { BlobStats } from "./blob-activity.js";

/**
 * A local stand-in for GitHub's "results" service, so that the unmodified @actions/artifact and
 * @actions/cache move real bytes on this machine: Twirp JSON ArtifactService and CacheService
 * plus a blob endpoint for the signed upload/download URLs. One instance serves every job of a
 * local workflow run; each job gets its own environment from `runtimeEnv(runId, jobId)`.
 * See docs/local-results-service.md.
 */
export interface ResultsServiceOptions {
  /** where the index and the bytes live; kept on close. Default: a temp dir removed on close. */
  dataDir?: string;
  /** address to listen on; default 127.0.0.1 (loopback only) */
  host?: string;
  /** port; default 0 (any free port) */
  port?: number;
  /** clock in ms since the epoch, for tests of expiry; default Date.now */
  clock?: () => number;
  /**
   * Delay in ms before the blob endpoint stores the n-th Put Block request of an upload (0-based,
   * in the order received): simulates a slow or reordering network, so that a test can make the
   * Azure SDK's parallel blocks finish out of list order. Default: no delay.
   */
  blockDelayMs?: (receivedIndex: number) => number;
}

export interface StoredArtifact {
  name: string;
  size: number;
  digest: string;
  runId: string;
  jobId: string;
  id: number;
  createdAt: string;
  /** when the artifact expires (the retention the uploader asked for) */
  expiresAt?: string;
  /** the artifact's bytes on disk (a zip unless it was uploaded with skipArchive) */
  file: string;
}

export interface ResultsService {
  /** `http://<host>:<port>/` */
  url: string;
  dataDir: string;
  /** What a job's action steps need in their environment to use this service. */
  runtimeEnv(runId: string, jobId: string): Record<string, string>;
  /** Finalized artifacts of every run, oldest first (for reports). */
  artifacts(): StoredArtifact[];
  /** What the blob endpoint saw since start: blocks, commits, and how much the blocks overlapped. */
  blobStats(): BlobStats;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"];

function noProxyValue(host: string): string {
  // keep what the caller already bypasses; the Azure SDK honours HTTP(S)_PROXY even for loopback
  const existing = (process.env.NO_PROXY ?? process.env.no_proxy ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set([...existing, ...LOOPBACK_NAMES, host])].join(",");
}

export async function startResultsService(
  options: ResultsServiceOptions = {},
): Promise<ResultsService> {
  const host = options.host ?? "127.0.0.1";
  const now = options.clock ?? Date.now;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "pve-kube-results-")));
  const store = await ResultsStore.open(dataDir);
  // a run killed mid-upload left reservations that no URL of this instance can complete
  await store.dropUnfinishedUploads();
  // keys live as long as this instance: tokens and URLs of an earlier instance are refused
  const tokenKey = randomBytes(32);
  const urlKey = randomBytes(32);
  const activity = new BlobActivity();
  const closing = new AbortController();

  let baseUrl = "";
  const deps: ServiceDeps = {
    store,
    now,
    signBlobUrl: (blobPath, permission, ttlMs) =>
      signBlobUrl(baseUrl, urlKey, blobPath, permission, now() + ttlMs),
  };
  const services = {
    [ARTIFACT_SERVICE]: artifactService(deps),
    [CACHE_SERVICE]: cacheService(deps),
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", baseUrl);
    if (url.pathname.startsWith(TWIRP_PREFIX))
      return handleTwirp(req, res, url.pathname, services, tokenKey, now);
    if (url.pathname.startsWith(BLOB_PREFIX))
      return handleBlob(req, res, url, {
        store,
        urlKey,
        activity,
        closing: closing.signal,
        now,
        blockDelayMs: options.blockDelayMs,
      });
    req.resume();
    sendTwirpError(
      res,
      new TwirpError("bad_route", `no such route: ${req.method ?? "?"} ${url.pathname}`),
    );
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendTwirpError(
          res,
          new TwirpError("internal", error instanceof Error ? error.message : String(error)),
        );
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    dataDir,
    runtimeEnv(runId, jobId) {
      const noProxy = noProxyValue(host);
      return {
        ACTIONS_RUNTIME_TOKEN: mintRuntimeToken(tokenKey, { runId, jobId }, now()),
        ACTIONS_RESULTS_URL: baseUrl,
        ACTIONS_CACHE_SERVICE_V2: "true",
        // isGhes() is true for any host but github.com, *.ghe.com and *.localhost, and then both
        // clients refuse to work; a *.localhost name also says plainly that this is not GitHub
        GITHUB_SERVER_URL: "http://github.localhost",
        NO_PROXY: noProxy,
        no_proxy: noProxy,
      };
    },
    artifacts() {
      return store.artifacts
        .filter((a) => a.state === "finalized")
        .sort((a, b) => a.id - b.id)
        .map((a) => ({
          name: a.name,
          size: a.size ?? 0,
          digest: a.digest ?? "",
          runId: a.runId,
          jobId: a.jobId,
          id: a.id,
          createdAt: a.createdAt,
          ...(a.expiresAt ? { expiresAt: a.expiresAt } : {}),
          file: store.blobFile(a.uploadId),
        }));
    },
    blobStats: () => activity.stats(),
    close() {
      closed ??= (async () => {
        closing.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.flush();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
