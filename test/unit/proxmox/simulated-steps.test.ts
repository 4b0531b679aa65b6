import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { createProxmoxClient } from "../../../actions/lib/proxmox/index.js";
import { assertSimulatorForSimulatedSteps } from "../../../actions/lib/proxmox/simulated-steps.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import {
  selfSignedCert,
  sendProxmox,
  startHttpsServer,
  TEST_TOKEN,
  type TestServer,
} from "./tls-fixtures.js";

const noWait = { sleep: () => Promise.resolve(), random: () => 0 };

describe("simulated steps run against pve-sim only", () => {
  let sim: PveSim;
  let realLike: TestServer;
  let realFingerprint: string;
  beforeAll(async () => {
    sim = await startPveSim();
    const cert = await selfSignedCert();
    realFingerprint = cert.fingerprint;
    // what a real Proxmox VE answers: repoid is the pve-manager build's git commit (hex)
    realLike = await startHttpsServer(cert, (_req, res) =>
      sendProxmox(res, 200, { version: "9.1.2", release: "9.1", repoid: "1d2b3c4a5e6f7081" }),
    );
  });
  afterAll(async () => {
    await sim.close();
    await realLike.close();
  });

  const client = (url: string, fingerprint: string, token: { id: string; secret: string }) =>
    createProxmoxClient({
      url,
      tokenId: token.id,
      tokenSecret: token.secret,
      tls: { fingerprint },
      logger: memoryLogger(),
      env: {},
      maskSecret: () => {},
      retry: noWait,
    });

  it("pve-sim declares itself, so the embedded demo may simulate", async () => {
    const c = await client(sim.url, sim.fingerprint, sim.rootToken);
    try {
      await expect(assertSimulatorForSimulatedSteps(c, "simulate-customize")).resolves.toBe(
        undefined,
      );
    } finally {
      await c.close();
    }
  });

  it("a real Proxmox — even on loopback with a pinned certificate — is refused", async () => {
    const c = await client(realLike.url, realFingerprint, TEST_TOKEN);
    try {
      const attempt = assertSimulatorForSimulatedSteps(c, "simulate-customize");
      await expect(attempt).rejects.toThrow(ConfigurationError);
      await expect(assertSimulatorForSimulatedSteps(c, "simulate-customize")).rejects.toThrow(
        /simulate-customize is set, but https:\/\/127\.0\.0\.1:\d+ is a real Proxmox VE \(version 9\.1\.2, repoid 1d2b3c4a5e6f7081\)/,
      );
    } finally {
      await c.close();
    }
  });
});
