import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../actions/lib/config/index.js";
import { labPaths } from "../../cli/src/lab/paths.js";
import { LAB_NETNS, readLabDaemon } from "../../cli/src/lab/lab-sim.js";
import { LAB_ROUTE_PROTO } from "../../cli/src/lab/host-guard.js";
import { ownHierarchies } from "../../sim/guests/cgroups.js";

/**
 * The lab end to end, as an operator runs it: `npm run lab` (scripts/lab.sh: tools, lab image,
 * pve-sim with guests, the real deploy workflow through the local runner), the machines it
 * leaves up, a second run that changes nothing, the network-safety rule, and a killed run that
 * leaves nothing behind. Needs root, systemd-nspawn and the lab image: a missing one fails here.
 */

const repo = path.resolve(import.meta.dirname, "../..");
const paths = labPaths(repo);

interface Run {
  code: number | null;
  output: string;
}

function lab(args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["scripts/lab.sh", ...args], { cwd: repo, env: process.env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

const expectOk = (run: Run) => {
  if (run.code !== 0)
    throw new Error(`lab exited ${String(run.code)}:\n${run.output.slice(-6000)}`);
};

function labExec(command: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("node", ["cli/dist/pve-kube.mjs", "lab", "exec", "--", ...command], {
    cwd: repo,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function profile() {
  return parseClusterConfig(readFileSync(paths.clusterFile, "utf8"), paths.clusterFile, repo).plan;
}

/** TCP connect from the host's own network namespace: how the host would try to reach it. */
function connectError(ip: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port: 22, timeout: 3000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** Everything the lab could leave on the host; empty lists when it left nothing. */
function leftovers() {
  const ip = (args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
  const netns = ip(["netns", "list"])
    .split("\n")
    .filter((l) => l.startsWith(`${LAB_NETNS} `) || l === LAB_NETNS);
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m.startsWith(paths.root));
  const routes = ip(["-4", "route", "show", "proto", String(LAB_ROUTE_PROTO)])
    .split("\n")
    .filter(Boolean);
  const hostLinks = ip(["-o", "link", "show"])
    .split("\n")
    // nspawn names the host side of a guest's veth vb-<machine>; the bridges are vmbrN
    .filter((l) => / (vb-[^@:\s]+|vmbr\d+)[@:]/.test(l));
  const nspawn = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes("systemd-nspawn") && l.includes(paths.root));
  const cgroups = ownHierarchies().flatMap((h) => {
    const parent = path.dirname(h.ownDir);
    const dirs = [h.ownDir, parent].flatMap((d) =>
      existsSync(d) ? readdirSync(d).filter((n) => n === "pve-sim-lab") : [],
    );
    return dirs.map((n) => `${h.controllers || "unified"}:${n}`);
  });
  return { netns, mounts, routes, hostLinks, nspawn, cgroups, state: existsSync(paths.root) };
}

const nothingLeft = {
  netns: [],
  mounts: [],
  routes: [],
  hostLinks: [],
  nspawn: [],
  cgroups: [],
  state: false,
};

describe("the lab", () => {
  beforeAll(async () => {
    expect(process.getuid?.(), "the lab tests need root").toBe(0);
    expectOk(await lab(["--down"]));
  });
  afterAll(async () => {
    await lab(["--down"]);
  });

  let first: Run;

  it("deploys the lab cluster through the real workflow: 6 guests boot and answer SSH at their addresses", async () => {
    first = await lab();
    expectOk(first);
    expect(first.output).toContain("✓ build-template success");
    expect(first.output).toContain("✓ tofu-provision-apply success");
    const vms = profile().vms;
    expect(vms).toHaveLength(6);
    for (const vm of vms) {
      const r = labExec(["ssh", `debian@${vm.ip}`, "hostname && ip -4 -o addr show"]);
      expect(r.status, `${vm.name}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(vm.name);
      expect(r.stdout).toContain(`${vm.ip}/`);
    }
    expect(first.output).toContain("lab exec -- ssh debian@");
  });

  it("a second npm run lab is a no-op: 0 mutating Proxmox calls", async () => {
    const second = await lab();
    expectOk(second);
    expect(second.output).toContain("lab: no changes — 0 mutating Proxmox API calls in this run");
    expect(second.output).toContain("tofu-provision-apply skipped");
  });

  it("no lab address is routable from the host's namespace; inside the lab's they are", async () => {
    const plan = profile();
    const addresses = [
      ...plan.vms.map((v) => v.ip),
      plan.network.vip,
      plan.network.gateway,
      plan.network.lbRange?.start ?? "",
      plan.network.lbRange?.end ?? "",
    ].filter(Boolean);
    for (const address of addresses) {
      const outside = spawnSync("ip", ["route", "get", address], { encoding: "utf8" });
      expect(outside.status, `host route to ${address}: ${outside.stdout}`).not.toBe(0);
      expect(outside.stderr).toContain("Network is unreachable");
      // the kernel refuses before any packet exists: nothing can leave on the uplink
      expect(await connectError(address)).toBe("ENETUNREACH");
      const inside = spawnSync("ip", ["-n", LAB_NETNS, "route", "get", address], {
        encoding: "utf8",
      });
      expect(inside.status, inside.stderr).toBe(0);
      // the gateway is the lab namespace's own address (on vmbr0): the kernel answers it locally
      expect(inside.stdout).toMatch(
        address === plan.network.gateway ? /^local \S+ dev lo\b/ : /dev vmbr0/,
      );
    }
    // and the lab namespace has no way out: no default route, no interface but loopback, bridges, veths
    const routes = execFileSync("ip", ["-n", LAB_NETNS, "-4", "route"], { encoding: "utf8" });
    expect(routes).not.toMatch(/^default/m);
  });

  it("a run killed with guests up (runner and pve-sim SIGKILLed) leaves nothing after --down, and the next run converges", async () => {
    expectOk(await lab(["--down"]));
    expect(leftovers()).toEqual(nothingLeft);
    const run: ChildProcess = spawn("bash", ["scripts/lab.sh"], {
      cwd: repo,
      stdio: "ignore",
      detached: true,
    });
    // wait until guests run: the ledger of the lab's guest instance names machines
    const ledger = path.join(paths.guestsDir, "lab", "ledger.json");
    const deadline = Date.now() + 15 * 60_000;
    const machines = () => {
      try {
        return (JSON.parse(readFileSync(ledger, "utf8")) as { machines: unknown[] }).machines
          .length;
      } catch {
        return 0;
      }
    };
    while (machines() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(machines()).toBeGreaterThanOrEqual(2);
    const sim = readLabDaemon(paths);
    process.kill(-run.pid!, "SIGKILL");
    if (sim) process.kill(sim.pid, "SIGKILL");

    // the next run reaps what the killed one left and converges
    const next = await lab();
    expectOk(next);
    for (const vm of profile().vms) {
      const r = labExec(["ssh", `debian@${vm.ip}`, "hostname"]);
      expect(r.status, `${vm.name}: ${r.stderr}`).toBe(0);
    }

    // killed again, and --down alone removes everything
    const again = readLabDaemon(paths);
    if (again) process.kill(again.pid, "SIGKILL");
    expectOk(await lab(["--down"]));
    expect(leftovers()).toEqual(nothingLeft);
  });
});
