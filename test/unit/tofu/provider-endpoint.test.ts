import { randomUUID, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import type { RetryPolicy } from "../../../actions/lib/proxmox/retry.js";
import { relaySummary } from "../../../actions/lib/tofu/api-relay.js";
import {
  providerEndpoint,
  type ProviderEndpoint,
} from "../../../actions/lib/tofu/provider-endpoint.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";

const noWait: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1,
  maxDelayMs: 1,
  sleep: () => Promise.resolve(),
  random: () => 0.5,
};

/**
 * The provider's way to Proxmox (provider-endpoint.ts + api-relay.ts) against pve-sim's real TLS
 * listener and its seeded faults: what the bpg provider would see through the relay.
 */
describe("provider endpoint and read-retrying relay", () => {
  let sim: PveSim;
  let other: PveSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startPveSim({ seed: 7 });
    other = await startPveSim();
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-relay-"));
  });
  afterAll(async () => {
    await sim.close();
    await other.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.admin.setFaults({});
    sim.admin.clearRequestLog();
  });

  /** A client that trusts only what SSL_CERT_FILE holds, as the Go provider does. */
  async function asProvider(
    endpoint: ProviderEndpoint,
    calls: (
      get: (
        method: string,
        apiPath: string,
        body?: string,
      ) => Promise<{ status: number; statusText: string; json: unknown }>,
    ) => Promise<void>,
  ) {
    const bundle = await readFile(endpoint.env.SSL_CERT_FILE ?? "", "utf8");
    const agent = new Agent({ connect: { ca: bundle } });
    try {
      await endpoint.session(async (env) => {
        const base = env.PROXMOX_VE_ENDPOINT ?? "";
        await calls(async (method, apiPath, body) => {
          const response = await fetch(`${base}api2/json${apiPath}`, {
            method,
            dispatcher: agent,
            headers: {
              // what the provider is given: a stand-in the relay swaps for the real token
              Authorization: `PVEAPIToken=${env.PROXMOX_VE_API_TOKEN ?? ""}`,
              ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
            },
            ...(body ? { body } : {}),
          });
          const text = await response.text();
          return {
            status: response.status,
            statusText: response.statusText,
            json: text ? (JSON.parse(text) as unknown) : null,
          };
        });
      });
    } finally {
      await agent.close();
    }
  }

  it("retries reads through 5xx and 596 answers until Proxmox answers", async () => {
    const logger = memoryLogger();
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger,
      retry: noWait,
    });
    sim.admin.setFaults({ error5xx: 0.2, error596: 0.2, scope: "all" });
    const statuses: number[] = [];
    await asProvider(endpoint, async (call) => {
      for (let i = 0; i < 20; i++) statuses.push((await call("GET", "/nodes")).status);
    });
    expect(statuses).toEqual(Array(20).fill(200));
    const log = sim.admin.requestLog().filter((r) => r.path === "/api2/json/nodes");
    expect(log.filter((r) => r.status === 200)).toHaveLength(20);
    expect(log.filter((r) => r.status === 500).length).toBeGreaterThan(0);
    expect(log.filter((r) => r.status === 596).length).toBeGreaterThan(0);
    expect(logger.lines.find((l) => l.startsWith("Proxmox API:"))).toMatch(
      /^Proxmox API: \d+ reads retried after transient errors \(\d+× HTTP (500|596), \d+× HTTP (500|596)\)$/,
    );
  });

  it("sends a write exactly once when its outcome is unknown (596) and passes the failure through, reason phrase included", async () => {
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger: memoryLogger(),
      retry: noWait,
    });
    sim.admin.setFaults({ error596: 1, scope: "writes" });
    let answer: { status: number; statusText: string } | undefined;
    await asProvider(endpoint, async (call) => {
      answer = await call("POST", "/pools", "poolid=relay-test");
    });
    expect(answer).toMatchObject({
      status: 596,
      statusText:
        "Errors during TLS negotiation, request sending and header processing: Connection timed out",
    });
    expect(sim.admin.requestLog().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("sends a write again when Proxmox refused it on a lock before running it, and says so", async () => {
    const logger = memoryLogger();
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger,
      retry: noWait,
    });
    sim.admin.failOnce("POST", /^\/pools$/, 500);
    let status: number | undefined;
    await asProvider(endpoint, async (call) => {
      status = (await call("POST", "/pools", "poolid=relay-resent")).status;
    });
    expect(status).toBe(200);
    expect(
      sim.admin
        .requestLog()
        .filter((r) => r.method === "POST")
        .map((r) => r.status),
    ).toEqual([500, 200]);
    expect(sim.admin.snapshot().pools.filter((p) => p.poolid === "relay-resent")).toHaveLength(1);
    expect(logger.lines).toContain(
      "Proxmox API: 0 reads retried after transient errors; 1 write sent again after Proxmox refused it on a lock before running",
    );
    // refused every time: the bound holds for writes too, and the last answer reaches OpenTofu
    sim.admin.setFaults({ error5xx: 1, scope: "writes" });
    await asProvider(endpoint, async (call) => {
      status = (await call("POST", "/pools", "poolid=relay-never")).status;
    });
    expect(status).toBe(500);
    expect(
      sim.admin.requestLog().filter((r) => r.method === "POST" && r.status === 500),
    ).toHaveLength(1 + noWait.maxAttempts);
  });

  it("does not retry a definite answer: a 500 saying the VM does not exist", async () => {
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger: memoryLogger(),
      retry: noWait,
    });
    let answer: { status: number; statusText: string } | undefined;
    await asProvider(endpoint, async (call) => {
      answer = await call("GET", "/nodes/pve1/qemu/4242/status/current");
    });
    expect(answer?.status).toBe(500);
    expect(answer?.statusText).toMatch(/does not exist/);
    expect(
      sim.admin.requestLog().filter((r) => r.path.endsWith("/4242/status/current")),
    ).toHaveLength(1);
  });

  it("passes a guest agent's 500 straight on: the provider polls the agent itself", async () => {
    const logger = memoryLogger();
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger,
      retry: noWait,
    });
    let answer: { status: number; statusText: string } | undefined;
    await asProvider(endpoint, async (call) => {
      expect((await call("POST", "/nodes/pve1/qemu", "vmid=4300&name=agentless")).status).toBe(200);
      answer = await call("GET", "/nodes/pve1/qemu/4300/agent/network-get-interfaces");
    });
    expect(answer).toMatchObject({
      status: 500,
      statusText: expect.stringMatching(/QEMU guest agent/) as unknown,
    });
    expect(
      sim.admin.requestLog().filter((r) => r.path.endsWith("/4300/agent/network-get-interfaces")),
    ).toHaveLength(1);
    expect(logger.lines.filter((l) => l.startsWith("warning:"))).toEqual([]);
  });

  it("gives up after the bound and passes the last failure on", async () => {
    const logger = memoryLogger();
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger,
      retry: { ...noWait, maxAttempts: 3 },
    });
    sim.admin.setFaults({ error596: 1, scope: "all" });
    let status: number | undefined;
    await asProvider(endpoint, async (call) => {
      status = (await call("GET", "/version")).status;
    });
    expect(status).toBe(596);
    expect(
      sim.admin.requestLog().filter((r) => r.path === "/api2/json/version" && r.status === 596),
    ).toHaveLength(3);
    expect(logger.lines).toContain(
      "warning: Proxmox GET /api2/json/version still failing (596) after 3 attempts; passing the failure to OpenTofu",
    );
    expect(relaySummary({ requests: 1, retried: { "596": 2 }, resentWrites: 0, gaveUp: 1 })).toBe(
      "Proxmox API: 2 reads retried after transient errors (2× HTTP 596); 1 still failed after every attempt",
    );
  });

  it("SSL_CERT_FILE holds the relay's own certificate for 127.0.0.1 and the public roots, never Proxmox's", async () => {
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger: memoryLogger(),
    });
    const bundle = await readFile(endpoint.env.SSL_CERT_FILE ?? "", "utf8");
    const first = new X509Certificate(bundle);
    expect(first.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(first.subjectAltName).toBe("IP Address:127.0.0.1");
    expect(bundle.match(/BEGIN CERTIFICATE/g)?.length).toBeGreaterThan(100);
    expect(bundle).not.toContain(sim.certPem.trim().split("\n")[1]);
  });

  it("refuses a Proxmox whose certificate is not the pinned one before anything runs, naming both fingerprints", async () => {
    const attempt = providerEndpoint({
      token: other.rootToken,
      url: other.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger: memoryLogger(),
    });
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow(
      `has fingerprint ${other.fingerprint}, not the pinned ${sim.fingerprint}`,
    );
  });

  it("a CA file is the trust root; a certificate it did not sign is refused", async () => {
    const ca = path.join(dir, "ca.pem");
    await writeFile(ca, sim.certPem);
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { caFile: ca },
      workDir: dir,
      logger: memoryLogger(),
    });
    await asProvider(endpoint, async (call) => {
      expect((await call("GET", "/version")).status).toBe(200);
    });
    await expect(
      providerEndpoint({
        token: other.rootToken,
        url: other.url,
        tls: { caFile: ca },
        workDir: dir,
        logger: memoryLogger(),
      }),
    ).rejects.toThrow(/certificate at .* is not trusted/);
  });

  it("insecure only when asked, with one warning", async () => {
    const logger = memoryLogger();
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { insecure: true },
      workDir: dir,
      logger,
    });
    await asProvider(endpoint, async (call) => {
      expect((await call("GET", "/version")).status).toBe(200);
    });
    expect(
      logger.lines.filter(
        (l) =>
          l.startsWith("warning:") &&
          l.includes("TLS verification of the Proxmox certificate is OFF"),
      ),
    ).toHaveLength(1);
    // with the system roots only, pve-sim's self-signed certificate is refused
    await expect(
      providerEndpoint({
        token: sim.rootToken,
        url: sim.url,
        tls: {},
        workDir: dir,
        logger: memoryLogger(),
      }),
    ).rejects.toThrow(/is not trusted/);
  });

  it("serves only the OpenTofu run it was started for: other local clients get a 401, even with the real token", async () => {
    const endpoint = await providerEndpoint({
      token: sim.rootToken,
      url: sim.url,
      tls: { fingerprint: sim.fingerprint },
      workDir: dir,
      logger: memoryLogger(),
      retry: noWait,
    });
    const bundle = await readFile(endpoint.env.SSL_CERT_FILE ?? "", "utf8");
    const agent = new Agent({ connect: { ca: bundle } });
    try {
      await endpoint.session(async (env) => {
        // the provider's token is a stand-in: the real secret is not in its environment
        expect(env.PROXMOX_VE_API_TOKEN).toMatch(
          new RegExp(`^${sim.rootToken.id.replace(/[!.]/g, "\\$&")}=`),
        );
        expect(JSON.stringify(env)).not.toContain(sim.rootToken.secret);
        const base = `${env.PROXMOX_VE_ENDPOINT ?? ""}api2/json/nodes`;
        const as = async (authorization?: string) =>
          (
            await fetch(base, {
              dispatcher: agent,
              ...(authorization ? { headers: { Authorization: authorization } } : {}),
            })
          ).status;
        sim.admin.clearRequestLog();
        // another job or local user who finds the port: nothing, not even with a valid token
        expect(await as()).toBe(401);
        expect(await as(`PVEAPIToken=${sim.rootToken.id}=${sim.rootToken.secret}`)).toBe(401);
        expect(await as(`PVEAPIToken=${sim.rootToken.id}=${randomUUID()}`)).toBe(401);
        expect(sim.admin.requestLog()).toHaveLength(0);
        // the run's own provider gets through, and Proxmox sees the real token
        expect(await as(`PVEAPIToken=${env.PROXMOX_VE_API_TOKEN ?? ""}`)).toBe(200);
        expect(sim.admin.requestLog()).toHaveLength(1);
      });
    } finally {
      await agent.close();
    }
  });
});
