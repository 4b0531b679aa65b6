import http from "node:http";
import { describe, expect, it } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";

// close() must leave nothing behind: the local runner starts one service per workflow run and a
// test file starts several, so a forgotten socket or timer keeps the process alive. Requests go
// through node:http with an agent this test owns (fetch pools its connections globally).

const ARTIFACT = "github.actions.results.api.v1.ArtifactService";

/** Active handles of the kinds the service creates (listening socket, connections, timers). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
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
    const req = http.request(url, { method, agent, headers: { "Content-Length": Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function createArtifact(service: ResultsService, agent: http.Agent, name: string): Promise<string> {
  const env = service.runtimeEnv("run-l", "job-l");
  const res = await request(
    agent,
    new URL(`/twirp/${ARTIFACT}/CreateArtifact`, service.url).href,
    "POST",
    JSON.stringify({ workflow_run_backend_id: "run-l", workflow_job_run_backend_id: "job-l", name, version: 7 }),
    { "Content-Type": "application/json", Authorization: `Bearer ${env.ACTIONS_RUNTIME_TOKEN ?? ""}` },
  );
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { signed_upload_url: string }).signed_upload_url;
}

describe("closing the results service", () => {
  it("drops keep-alive connections and a block upload held in flight, frees the port and leaves no handle behind", async () => {
    await settle();
    const baseline = handles();
    // every block is held for a minute: close must not wait for it, nor leave its timer running
    const service = await startResultsService({ blockDelayMs: () => 60_000 });
    const agent = new http.Agent({ keepAlive: true });

    const uploadUrl = await createArtifact(service, agent, "held");
    const blockUrl = new URL(uploadUrl);
    blockUrl.searchParams.set("comp", "block");
    blockUrl.searchParams.set("blockid", Buffer.from("block-000001").toString("base64"));
    const held = request(agent, blockUrl.href, "PUT", "bytes").then(
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
});
