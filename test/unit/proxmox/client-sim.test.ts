import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  cloneVm,
  createProxmoxClient,
  destroyVm,
  isVmidFree,
  KeyedLimiter,
  listVms,
  ProxmoxApiError,
  ProxmoxPermissionError,
  ProxmoxUnreachableError,
  settle,
  waitForTask,
  type ProxmoxClient,
  type TlsSettings,
} from "../../../actions/lib/proxmox/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant } from "./sim-fixtures.js";

/** The client against pve-sim: TLS trust, retries under injected faults, clones under lock timeouts. */
describe("Proxmox client against pve-sim", () => {
  let sim: PveSim;
  let other: PveSim; // a second pve-sim: same software, a different certificate
  let dir: string;

  beforeAll(async () => {
    [sim, other] = await Promise.all([startPveSim({ seed: 11 }), startPveSim({ seed: 12 })]);
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-client-sim-"));
  });
  afterAll(async () => {
    await Promise.all([sim.close(), other.close()]);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.admin.reset();
    sim.admin.setFaults({});
  });

  async function connect(
    target: PveSim,
    tls: TlsSettings,
    token = target.rootToken,
    retry = {},
  ): Promise<ProxmoxClient> {
    return createProxmoxClient({
      url: target.url,
      tokenId: token.id,
      tokenSecret: token.secret,
      tls,
      logger: memoryLogger(),
      env: {},
      maskSecret: () => {},
      ...instant,
      retry: { ...instant.retry, ...retry },
    });
  }

  async function version(target: PveSim, tls: TlsSettings): Promise<unknown> {
    const client = await connect(target, tls);
    try {
      return await client.api.version.$get();
    } catch (error) {
      return error;
    } finally {
      await client.close();
    }
  }

  it("fingerprint pinning accepts pve-sim", async () => {
    expect(await version(sim, { fingerprint: sim.fingerprint })).toMatchObject({
      version: expect.stringMatching(/^9\./) as unknown,
    });
  });

  it("fingerprint pinning rejects another pve-sim's certificate", async () => {
    const error = await version(other, { fingerprint: sim.fingerprint });
    expect(error).toBeInstanceOf(ProxmoxUnreachableError);
    expect((error as Error).message).toContain(
      `expected ${sim.fingerprint}, the server presented ${other.fingerprint}`,
    );
  });

  it("a CA file with pve-sim's certificate trusts it, and only it", async () => {
    const ca = path.join(dir, "pve-root-ca.pem");
    await writeFile(ca, sim.certPem);
    expect(await version(sim, { caFile: ca })).toMatchObject({
      release: expect.any(String) as unknown,
    });
    const error = await version(other, { caFile: ca });
    expect(error).toBeInstanceOf(ProxmoxUnreachableError);
    expect((error as Error).message).toContain(other.fingerprint);
  });

  it("reads survive injected 500/596/dropped connections; the request log shows the retries", async () => {
    sim.admin.setFaults({ error5xx: 0.25, error596: 0.25, drop: 0.1 });
    const client = await connect(sim, { fingerprint: sim.fingerprint }, sim.rootToken, {
      maxAttempts: 12,
    });
    try {
      for (let i = 0; i < 20; i++) expect((await client.api.nodes.$get()).length).toBe(3);
    } finally {
      await client.close();
    }
    const log = sim.admin.requestLog();
    expect(log.filter((r) => r.status >= 500).length).toBeGreaterThan(0);
    // every failed attempt was retried: more requests than answers the caller saw
    expect(log.length).toBeGreaterThan(20);
    expect(log.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20);
  });

  it("a write that failed with 596 is not resent by the client; settle looks first", async () => {
    const client = await connect(sim, { fingerprint: sim.fingerprint });
    try {
      await waitForTask(
        client,
        await client.api.nodes.$("pve1").qemu.$post({ vmid: 200, name: "probe" }),
      );
      sim.admin.setFaults({ error596: 1 });
      const error = await client.api.nodes
        .$("pve1")
        .qemu.$(200)
        .config.$put({ description: "x" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProxmoxApiError);
      expect((error as ProxmoxApiError).status).toBe(596);
      expect(sim.admin.requestLog().filter((r) => r.method === "PUT")).toHaveLength(1);

      sim.admin.setFaults({});
      let sends = 0;
      const config = async () =>
        (await client.api.nodes.$("pve1").qemu.$(200).config.$get()) as { description?: string };
      const outcome = await settle(client, {
        what: "set the description",
        isDone: async () => (await config()).description === "managed",
        send: () => (
          sends++,
          client.api.nodes.$("pve1").qemu.$(200).config.$put({ description: "managed" })
        ),
      });
      expect(outcome).toBe("done");
      expect(sends).toBe(1);
      expect(
        await settle(client, {
          what: "again",
          isDone: async () => (await config()).description === "managed",
          send: () => Promise.reject(new Error("must not send")),
        }),
      ).toBe("already");
    } finally {
      await client.close();
    }
  });

  it("clones through the limiter, retrying lock timeouts, and repeats safely", async () => {
    const client = await connect(sim, { fingerprint: sim.fingerprint });
    try {
      await waitForTask(
        client,
        await client.api.nodes
          .$("pve1")
          .qemu.$post({ vmid: 9000, name: "tpl", scsi0: "local-lvm:1" }),
      );
      await waitForTask(client, await client.api.nodes.$("pve1").qemu.$(9000).template.$post());
      sim.admin.setFaults({ lockTimeout: 0.5 });
      const limiter = new KeyedLimiter(2);
      const results = await Promise.all(
        [101, 102, 103, 104, 105].map((newid) =>
          cloneVm(
            client,
            { node: "pve1", sourceVmid: 9000, newid, name: `c-${newid}`, storage: "local-lvm" },
            { limiter, lockAttempts: 10 },
          ),
        ),
      );
      expect(results.map((r) => r.vmid)).toEqual([101, 102, 103, 104, 105]);
      expect(results.some((r) => r.attempts > 1)).toBe(true);
      // at most two clone tasks of pve1/local-lvm ever overlapped
      const clones = sim.admin.timeline().filter((t) => t.type === "qmclone");
      const overlap = Math.max(
        ...clones.map(
          (a) =>
            clones.filter((b) => b.startMs <= a.startMs && (b.endMs ?? Infinity) > a.startMs)
              .length,
        ),
      );
      expect(overlap).toBeLessThanOrEqual(2);
      expect((await listVms(client)).map((v) => v.vmid).sort()).toEqual([
        101, 102, 103, 104, 105, 9000,
      ]);

      sim.admin.setFaults({});
      sim.admin.clearRequestLog();
      const again = await cloneVm(
        client,
        { node: "pve1", sourceVmid: 9000, newid: 101, name: "c-101", storage: "local-lvm" },
        { limiter },
      );
      expect(again).toMatchObject({ vmid: 101, cloned: false });
      expect(sim.admin.mutatingRequests()).toEqual([]);
      await expect(
        cloneVm(
          client,
          { node: "pve1", sourceVmid: 9000, newid: 101, name: "other-name" },
          { limiter },
        ),
      ).rejects.toThrow(/already used by 'c-101'/);

      expect(await destroyVm(client, "pve1", 105)).toBe(true);
      expect(await destroyVm(client, "pve1", 105)).toBe(false);
      expect(await isVmidFree(client, 105)).toBe(true);
      expect(await isVmidFree(client, 101)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("explains a 403 from pve-sim with the privilege, path and pveum command", async () => {
    const token = sim.admin.createToken("ci@pve", "audit-only", ["VM.Audit", "Sys.Audit"], "/");
    const client = await connect(sim, { fingerprint: sim.fingerprint }, token);
    try {
      const error = await client.api.nodes
        .$("pve1")
        .qemu.$post({ vmid: 300 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProxmoxPermissionError);
      expect((error as ProxmoxPermissionError).privileges).toContain("VM.Allocate");
      expect((error as Error).message).toContain("lacks VM.Allocate on /vms/300");
      expect((error as Error).message).toContain(
        "pveum acl modify /vms/300 --tokens 'ci@pve!audit-only' --roles PVEKube",
      );
    } finally {
      await client.close();
    }
  });
});
