import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { labSsh } from "./guest-ssh.js";
import { labImage } from "./lab-image.js";
import { guestAnswersFromHost, hostRouteDevice } from "./host-probe.js";
import { makeLabTemplate } from "./lab-template.js";
import { leftovers } from "./leftovers.js";

const run = promisify(execFile);
const image = labImage();
// this test's own guest network: not the lab's 10.0.20.0/24, whose host guard route a running lab
// relies on (pve-sim removes the guard routes it made when it closes)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface AgentInterface {
  name: string;
  "hardware-address": string;
  "ip-addresses"?: { "ip-address": string; prefix: number }[];
}

/**
 * pve-sim with guests, through its HTTP API (the real proxmox-api client): a template made from
 * the lab image by import-from, linked clones with cloud-init, started for real.
 */
describe("pve-sim guests through the API", () => {
  let sim: PveSim;
  let stateRoot: string;
  let keyDir: string;
  let netns: string;
  const api = () => proxmoxApiFor(sim);
  const task = async (upid: unknown) => {
    const status = await waitTask(sim, "pve1", upid as string);
    expect(status.exitstatus).toBe("OK");
  };
  const ssh = (ip: string, command: string) =>
    labSsh(netns, path.join(keyDir, "id"), "lab").ssh(ip, command);
  const waitForSsh = (ip: string) => labSsh(netns, path.join(keyDir, "id"), "lab").waitFor(ip);
  const bootMs: number[] = [];
  const sshMs: number[] = [];

  /** Polls the agent until the guest reports `ip` on eth0: the time bpg's wait would take. */
  async function waitForAddress(vmid: number, ip: string): Promise<AgentInterface[]> {
    for (let i = 0; i < 600; i++) {
      try {
        const answer = (await api()
          .nodes.$("pve1")
          .qemu.$(vmid)
          .agent["network-get-interfaces"].$get()) as { result: AgentInterface[] };
        if (answer.result.some((n) => n["ip-addresses"]?.some((a) => a["ip-address"] === ip)))
          return answer.result;
      } catch (error) {
        // until qemu-ga listens, Proxmox's own answer
        expect(String(error)).toMatch(/QEMU guest agent is not running|got timeout/);
      }
      await sleep(200);
    }
    throw new Error(`VM ${vmid} never reported ${ip}`);
  }

  beforeAll(async () => {
    stateRoot = mkdtempSync(path.join(os.tmpdir(), "pve-sim-guests-"));
    keyDir = mkdtempSync(path.join(os.tmpdir(), "pve-sim-key-"));
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keyDir, "id")]);
    sim = await startPveSim({ timeScale: 0, guests: { stateRoot } });
    netns = sim.guests?.network.name ?? "";
    await makeLabTemplate(sim, image);
  });

  afterAll(async () => {
    await sim?.close();
    rmSync(keyDir, { recursive: true, force: true });
    rmSync(stateRoot, { recursive: true, force: true });
  });

  it("boots linked clones that answer SSH at their cloud-init address, with their real agent", async () => {
    const key = readFileSync(path.join(keyDir, "id.pub"), "utf8").trim();
    for (const [vmid, ip] of [
      [101, "10.0.21.11"],
      [102, "10.0.21.12"],
    ] as const) {
      await task(
        await api()
          .nodes.$("pve1")
          .qemu.$(9000)
          .clone.$post({ newid: vmid, name: `lab-${vmid}` }),
      );
      await api()
        .nodes.$("pve1")
        .qemu.$(vmid)
        .config.$put({
          ciuser: "lab",
          sshkeys: encodeURIComponent(key),
          ipconfig0: `ip=${ip}/24,gw=10.0.21.1`,
          nameserver: "10.0.21.1",
          ciupgrade: 0,
        } as never);
      const started = Date.now();
      await task(await api().nodes.$("pve1").qemu.$(vmid).status.start.$post());
      const interfaces = await waitForAddress(vmid, ip);
      bootMs.push(Date.now() - started);
      await waitForSsh(ip);
      sshMs.push(Date.now() - started);
      const mac = /=([0-9A-F:]{17})/
        .exec(sim.admin.snapshot().vms.find((v) => v.vmid === vmid)?.config.net0 ?? "")?.[1]
        ?.toLowerCase();
      // nspawn's NIC is host0 inside; it carries the config's MAC, as QEMU's NIC would
      expect(interfaces.find((n) => n.name === "host0")?.["hardware-address"]).toBe(mac);
      const { stdout } = await ssh(ip, "hostname; cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
      expect(stdout.split("\n").slice(0, 2)).toEqual([`lab-${vmid}`, String(512 * 1024 * 1024)]);
    }
    const osinfo = (await api().nodes.$("pve1").qemu.$(101).agent["get-osinfo"].$get()) as {
      result: { id: string };
    };
    expect(osinfo.result.id).toBe("debian");
    console.log(`guest start to agent-reported address: ${bootMs.join(" ms, ")} ms`);
    console.log(`guest start to SSH answering: ${sshMs.join(" ms, ")} ms`);
  });

  it("reports the real nspawn process and its memory, and keeps lab addresses off the host", async () => {
    const status = (await api().nodes.$("pve1").qemu.$(101).status.current.$get()) as unknown as {
      pid: number;
      mem: number;
      status: string;
    };
    expect(status.status).toBe("running");
    expect(readFileSync(`/proc/${status.pid}/cmdline`, "utf8")).toContain("systemd-nspawn");
    console.log(`guest memory (cgroup usage): ${Math.round(status.mem / 2 ** 20)} MiB`);
    const { stdout: addresses } = await run("ip", ["-o", "addr"]);
    expect(addresses).not.toContain("10.0.21.");
    // pve-sim's guard route: the host has no lab interface, and a lab address must never take the
    // default route out of the machine. Checked first, so a missing guard fails before any probe.
    expect(await hostRouteDevice("10.0.21.11")).toBe("throw");
    expect(await guestAnswersFromHost("10.0.21.11", path.join(keyDir, "id"), "lab")).toBe(false);
    await expect(ssh("10.0.21.11", "true")).resolves.toBeDefined();
  });

  it("stops and destroys a guest for real; a guest that powers itself off shows as stopped", async () => {
    const { pid } = (await api().nodes.$("pve1").qemu.$(101).status.current.$get()) as {
      pid: number;
    };
    await task(await api().nodes.$("pve1").qemu.$(101).status.stop.$post());
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    await task(await api().nodes.$("pve1").qemu.$(101).$delete());
    expect(existsSync(path.join(sim.guests?.instanceDir ?? "", "vms", "101"))).toBe(false);

    // `systemctl poweroff` run by the guest's own systemd (entered through its init process: the
    // cloud-init user has no sudo in every image)
    const nspawn = sim.guests?.running(102)?.pid ?? 0;
    const init = (await run("pgrep", ["-P", String(nspawn)])).stdout.trim().split("\n")[0] ?? "";
    await run("nsenter", ["-t", init, "-a", "systemctl", "poweroff"]);
    for (let i = 0; i < 150; i++) {
      const { status } = (await api().nodes.$("pve1").qemu.$(102).status.current.$get()) as {
        status: string;
      };
      if (status === "stopped") return;
      await sleep(200);
    }
    throw new Error("VM 102 still running after powering off inside");
  });

  it("reboot boots the guest again; shutdown powers it off cleanly; a written file survives both", async () => {
    await task(await api().nodes.$("pve1").qemu.$(102).status.start.$post());
    await waitForAddress(102, "10.0.21.12");
    await waitForSsh("10.0.21.12");
    // the guest's own disk layer keeps what it wrote across power cycles, as a disk does
    await ssh("10.0.21.12", "echo kept > ~/mark && sync");
    const before = sim.guests?.running(102)?.pid;
    await task(await api().nodes.$("pve1").qemu.$(102).status.reboot.$post());
    const after = sim.guests?.running(102)?.pid;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    await waitForSsh("10.0.21.12");
    expect((await ssh("10.0.21.12", "cat ~/mark")).stdout.trim()).toBe("kept");

    const started = Date.now();
    await task(await api().nodes.$("pve1").qemu.$(102).status.shutdown.$post({ timeout: 60 }));
    console.log(`guest clean shutdown through the API: ${Date.now() - started} ms`);
    expect(existsSync(`/proc/${after ?? 0}`)).toBe(false);
    const { status } = (await api().nodes.$("pve1").qemu.$(102).status.current.$get()) as {
      status: string;
    };
    expect(status).toBe("stopped");
    // clean means systemd stopped its units, not a kill: the journal says it powered off
    const consoleLog = path.join(sim.guests?.instanceDir ?? "", "vms", "102", "console.log");
    expect(readFileSync(consoleLog, "utf8")).toMatch(/System Power Off|Reached target.*Power-Off/);
  });

  it("leaves nothing behind after close", async () => {
    const instanceDir = sim.guests?.instanceDir ?? "";
    const instanceId = sim.guests?.instanceId ?? "";
    await sim.close();
    expect(await leftovers(instanceDir, instanceId, netns)).toEqual([]);
  });
});
