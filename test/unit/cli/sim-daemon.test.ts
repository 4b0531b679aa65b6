import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Agent, fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import net from "node:net";
import {
  connectSimDaemon,
  simPidFile,
  startSimDaemon,
  type SimDaemon,
} from "../../../cli/src/commands/sim-daemon.js";
import { fingerprintOf, makeCertificate } from "../../../sim/http/cert.js";
import { startPveSim } from "../../../sim/index.js";
import { repoPath } from "../../helpers/repo.js";

/**
 * The embedded demo's pve-sim as a process of its own (`pve-kube sim --daemon`, started from the
 * built CLI): it must finish the tasks it accepted when the run lets go of it, like a real
 * Proxmox outliving a runner, and a second run must wait for it rather than share its state file.
 */
describe("pve-sim daemon of a demo run", () => {
  let dir: string;
  const daemons: SimDaemon[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-sim-daemon-"));
  });
  afterEach(async () => {
    for (const d of daemons.splice(0)) await d.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (said: string[] = []) => {
    const daemon = await startSimDaemon({
      statePath: path.join(dir, "state.json"),
      port: 0,
      timeScale: 1,
      nodes: 1,
      logFile: path.join(dir, "pve-sim.log"),
      cliEntry: repoPath("cli", "dist", "pve-kube.mjs"),
      say: (line) => said.push(line),
    });
    daemons.push(daemon);
    return daemon;
  };

  it("finishes a running task after the run lets go, saves it, and exits", async () => {
    const said: string[] = [];
    const daemon = await start(said);
    expect(existsSync(simPidFile(path.join(dir, "state.json")))).toBe(true);
    await daemon.ensurePool("demo", "pve-kube cluster demo");
    const root =
      (await daemon.snapshot()).users.find((u) => u.userid === "root@pam")?.tokens["pve-kube"]
        ?.secret ?? "";
    const agent = new Agent({ connect: { ca: daemon.certPem } });
    const created = await fetch(`${daemon.url}/api2/json/nodes/pve1/qemu`, {
      method: "POST",
      headers: {
        Authorization: `PVEAPIToken=root@pam!pve-kube=${root}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "vmid=100&name=busy&pool=demo",
      dispatcher: agent,
    });
    await agent.close();
    expect(created.status).toBe(200);
    // the create task takes a second at time scale 1: it is still running when the run lets go
    expect((await daemon.snapshot()).tasks.filter((t) => t.status === "running")).toHaveLength(1);
    await daemon.close();
    expect(existsSync(simPidFile(path.join(dir, "state.json")))).toBe(false);
    expect(said).toEqual(["pve-sim: letting 1 running task finish before it saves and exits"]);

    const after = await startPveSim({ statePath: path.join(dir, "state.json") });
    try {
      const state = after.admin.snapshot();
      expect(state.tasks.map((t) => [t.type, t.status, t.exitstatus])).toEqual([
        ["qmcreate", "stopped", "OK"],
      ]);
      expect(state.vms.map((vm) => [vm.vmid, vm.config.name, vm.config.lock])).toEqual([
        [100, "busy", undefined],
      ]);
      expect(state.pools.find((p) => p.poolid === "demo")?.vmids).toEqual([100]);
      // the daemon itself is gone
      await expect(daemon.requestLog()).rejects.toThrow();
    } finally {
      await after.close();
    }
  });

  it("a second run waits for the pve-sim of the first to exit, then reopens the same state", async () => {
    const first = await start();
    await first.ensureRole("PVEKube", ["VM.Audit"]);
    await first.ensureToken("pve-kube@pve", "deploy", "PVEKube", ["/pool/demo"]);
    const said: string[] = [];
    const second = start(said);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(said).toEqual([
      `pve-sim: waiting for the pve-sim of an earlier run (pid ${first.pid}) to finish the tasks it accepted`,
    ]);
    await first.close();
    const reopened = await second;
    expect(reopened.fingerprint).toBe(first.fingerprint);
    expect(
      (await reopened.snapshot()).users.find((u) => u.userid === "pve-kube@pve")?.tokens.deploy,
    ).toBeDefined();
  });

  it("a pid file left by a killed pve-sim whose pid now belongs to another process is not waited for", async () => {
    await writeFile(simPidFile(path.join(dir, "state.json")), String(process.pid));
    const said: string[] = [];
    const daemon = await start(said);
    expect(said).toEqual([]);
    expect(daemon.pid).not.toBe(process.pid);
  });

  it("an admin call to a pve-sim that does not listen yet is tried again, not failed at once", async () => {
    // a port nothing listens on: the first attempts are refused
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const tls = await makeCertificate();
    const client = connectSimDaemon(
      { url: `https://127.0.0.1:${port}`, certPem: tls.cert, fingerprint: fingerprintOf(tls.cert) },
      0,
    );
    const late = new Promise((resolve) => setTimeout(resolve, 700)).then(() =>
      startPveSim({ port, tls }),
    );
    try {
      const state = await client.snapshot();
      expect(state.nodes.length).toBeGreaterThan(0);
    } finally {
      await client.close();
      await (await late).close();
    }
  });
});
