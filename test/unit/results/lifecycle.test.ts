import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";

// close() must leave nothing behind: the local runner starts one service per workflow run and a
// test file starts several, so a forgotten socket or timer keeps the process alive. Requests go
// through node:http with an agent this test owns (fetch pools its connections globally).

const ARTIFACT = "github.actions.results.api.v1.ArtifactService";
const CACHE = "github.actions.results.api.v1.CacheService";

/** Active handles of the kinds the service creates (listening socket, connections, timers). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo())
    if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * Lets closed sockets be released and the test runner's own 100 ms task-update timer fire, so
 * that the handle counts compare like with like.
 */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
  await new Promise((r) => setImmediate(r));
}

function request(
  agent: http.Agent,
  url: string,
  method: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: { "Content-Length": Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function twirp(
  service: ResultsService,
  agent: http.Agent,
  method: string,
  body: object,
  jobId = "job-l",
) {
  const token = service.runtimeEnv("run-l", jobId).ACTIONS_RUNTIME_TOKEN ?? "";
  return request(
    agent,
    new URL(`/twirp/${method}`, service.url).href,
    "POST",
    JSON.stringify(body),
    {
      "Content-Type": "application/json",
      Authorization: `Bearer ${token}`,
    },
  );
}

async function createArtifact(
  service: ResultsService,
  agent: http.Agent,
  name: string,
  jobId = "job-l",
) {
  const ids = { workflow_run_backend_id: "run-l", workflow_job_run_backend_id: jobId };
  const res = await twirp(
    service,
    agent,
    `${ARTIFACT}/CreateArtifact`,
    { ...ids, name, version: 7 },
    jobId,
  );
  return {
    status: res.status,
    url:
      res.status === 200
        ? (JSON.parse(res.body) as { signed_upload_url: string }).signed_upload_url
        : "",
  };
}

function withBlock(uploadUrl: string, id: string): string {
  const url = new URL(uploadUrl);
  url.searchParams.set("comp", "block");
  url.searchParams.set("blockid", Buffer.from(id).toString("base64"));
  return url.href;
}

describe("results service lifecycle", () => {
  it("drops keep-alive connections and a block upload held in flight, frees the port and leaves no handle behind", async () => {
    await settle();
    const baseline = handles();
    // every block is held for a minute: close must not wait for it, nor leave its timer running
    const service = await startResultsService({ blockDelayMs: () => 60_000 });
    const agent = new http.Agent({ keepAlive: true });

    const { url: uploadUrl } = await createArtifact(service, agent, "held");
    const held = request(agent, withBlock(uploadUrl, "block-000001"), "PUT", "bytes").then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    // wait until the server has the block request in hand
    while (service.blobStats().maxBlocksInFlight === 0) await new Promise((r) => setTimeout(r, 10));
    expect(handles().TCPServerWrap).toBe((baseline.TCPServerWrap ?? 0) + 1);

    await service.close();
    expect(await held).toBe("ECONNRESET");
    await service.close(); // a second close is harmless

    // nothing listens any more
    const refused = await request(new http.Agent(), service.url, "GET", "").then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe("ECONNREFUSED");

    agent.destroy();
    await settle();
    expect(handles()).toEqual(baseline);
  });

  it("forgets, on a restart over the same data directory, uploads that a killed run never finished", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "results-restart-"));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const first = await startResultsService({ dataDir });
      const { url } = await createArtifact(first, agent, "half-done", "job-a");
      expect(
        (await request(agent, withBlock(url, "block-000000"), "PUT", "staged but never committed"))
          .status,
      ).toBe(201);
      expect(
        (await twirp(first, agent, `${CACHE}/CreateCacheEntry`, { key: "tools-1", version: "v" }))
          .status,
      ).toBe(200);
      // while it runs, both reservations hold
      expect((await createArtifact(first, agent, "half-done", "job-b")).status).toBe(409);
      expect(
        (await twirp(first, agent, `${CACHE}/CreateCacheEntry`, { key: "tools-1", version: "v" }))
          .status,
      ).toBe(409);
      await first.close();
      expect(await readdir(path.join(dataDir, "blocks"))).toHaveLength(1);

      const second = await startResultsService({ dataDir });
      try {
        const index = JSON.parse(await readFile(path.join(dataDir, "index.json"), "utf8")) as {
          artifacts: unknown[];
          caches: unknown[];
        };
        expect(index).toMatchObject({ artifacts: [], caches: [] });
        expect(await readdir(path.join(dataDir, "blocks"))).toEqual([]);
        // the name and the key are free again; the old URL is dead anyway (the key changed)
        expect((await createArtifact(second, agent, "half-done", "job-b")).status).toBe(200);
        expect(
          (
            await twirp(second, agent, `${CACHE}/CreateCacheEntry`, {
              key: "tools-1",
              version: "v",
            })
          ).status,
        ).toBe(200);
        const oldUrlOnNewPort = new URL(withBlock(url, "block-000001"));
        oldUrlOnNewPort.port = new URL(second.url).port;
        expect((await request(agent, oldUrlOnNewPort.href, "PUT", "x")).status).toBe(403);
      } finally {
        await second.close();
      }
    } finally {
      agent.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
