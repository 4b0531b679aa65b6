import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimState } from "../../../sim/model/types.js";
import {
  NO_CHANGES,
  clusterProblems,
  demoPlan,
  demoSimState,
  reportFileOf,
  startDemo,
  type DemoOutput,
} from "../../../testkit/demo.js";
import { requireTofu, type TofuTools } from "../../../testkit/tofu-tools.js";

/**
 * What `npm start` does, end to end and for real: deploy.yml run job by job by the local runner
 * (the built CLI, as scripts/start.sh calls it) against the embedded pve-sim, with the real
 * OpenTofu and bpg provider. A second run must change nothing on Proxmox; a run killed hard in
 * the middle of provisioning (the runner, its steps and tofu die together; pve-sim, a process of
 * its own like a real Proxmox, finishes the tasks it accepted) must converge on the next.
 */
const plan = demoPlan();

/** A process and all its descendants, from `ps`, except pve-sim's own process (the "Proxmox"). */
function runnerProcessTree(root: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? "" }));
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const row of rows)
      if (row.ppid === tree[i] && !row.args.includes(" sim --daemon ")) tree.push(row.pid);
  return tree;
}

/** Until the pve-sim of a killed run has finished its tasks and exited (its pid file is gone). */
async function simProcessGone(stateDir: string): Promise<void> {
  const pidFile = path.join(stateDir, "state.json.pid");
  for (let i = 0; existsSync(pidFile); i++) {
    if (i > 6000) throw new Error("pve-sim did not exit after the run was killed");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const STATE_KEY = randomBytes(32).toString("base64");

/** Every file under a folder whose bytes contain `needle` (text files and raw binaries alike). */
async function filesContaining(folder: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

describe("npm start: deploy.yml on the embedded pve-sim", () => {
  let tools: TofuTools | undefined;
  let stateDir: string;

  beforeAll(async () => {
    tools = requireTofu(); // a missing tool fails the test: npm test installs it
    stateDir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-demo-"));
  });
  afterAll(() => rm(stateDir, { recursive: true, force: true }));

  const start = () => startDemo({ tools: tools as TofuTools, stateDir, secrets: { STATE_KEY } });
  const run = () => start().done;
  const simState = () => demoSimState(stateDir);
  const expectExactlyTheCluster = (state: SimState) =>
    expect(clusterProblems(state, plan)).toEqual([]);

  it("deploys the example cluster, then a second run makes no mutating Proxmox call", async () => {
    const first = await run();
    expect(first.code, first.out.slice(-3000)).toBe(0);
    expect(first.out).toMatch(/✓ run success/);
    expect(first.out).toMatch(/pve-sim: \d+ mutating Proxmox API calls in this run/);
    expectExactlyTheCluster(await simState());

    // the report: every phase, the VM table, the simulated steps, the phases to come
    const report = await readFile(reportFileOf(first.out) ?? "", "utf8");
    expect(report).toContain("## ✅ pve-kube deploy — cluster `demo`: 3 of 7 phases done");
    expect(report).toContain("⚠️ **simulated**");
    expect(report).toContain("| tofu-provision | ✅ succeeded |");
    for (const vm of plan.vms) expect(report).toContain(`| ${vm.name} | ${vm.vmid} | ${vm.node} |`);
    // kubeadm-bootstrap and install-cilium exist but are not asked for here (no guests); the later phases are to come
    expect(report).toContain("| kubeadm-bootstrap | ➖ not requested |");
    expect(report).toContain("| install-cilium | ➖ not requested |");

    // no secret in plain text in the output, the log, the report or any file of the run folder
    const token =
      (await simState()).users.find((u) => u.userid === "pve-kube@pve")?.tokens.deploy?.secret ??
      "";
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const runFolder = path.dirname(reportFileOf(first.out) ?? "");
    for (const secret of [token, STATE_KEY]) {
      expect(first.out).not.toContain(secret);
      expect(await filesContaining(runFolder, secret)).toEqual([]);
    }

    const second = await run();
    expect(second.code, second.out.slice(-3000)).toBe(0);
    expect(second.out).toContain(NO_CHANGES);
    expect(second.out).toMatch(/↷ tofu-provision-apply skipped/);
  });

  it("converges after the run is killed in the middle of provisioning: no orphan, no duplicate", async () => {
    await rm(stateDir, { recursive: true, force: true });
    const { child, done } = start();
    let exited: DemoOutput | undefined;
    void done.then((r) => (exited = r));
    // wait until OpenTofu has cloned a few VMs (pve-sim persists its state on every change)
    const stateFile = path.join(stateDir, "state.json");
    const deadline = Date.now() + 600_000;
    for (;;) {
      if (exited)
        throw new Error(
          `the run ended before the apply had cloned two VMs:\n${exited.out.slice(-3000)}`,
        );
      if (Date.now() > deadline) throw new Error("the apply never started");
      const state = existsSync(stateFile)
        ? (JSON.parse(readFileSync(stateFile, "utf8")) as { state: SimState }).state
        : undefined;
      if (state && state.vms.filter((vm) => vm.vmid < plan.template.vmid).length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // the runner machine dies: the runner, every step (each in its own process group) and tofu at
    // once; Proxmox (pve-sim's process) lives on, finishes the clones it accepted, saves and exits
    const simPid = Number(readFileSync(path.join(stateDir, "state.json.pid"), "utf8"));
    for (const pid of runnerProcessTree(child.pid ?? 0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await done;
    expect(simPid).toBeGreaterThan(0);
    await simProcessGone(stateDir);
    const interrupted = await simState();
    // nothing was left half-made: every VM pve-sim holds finished its clone
    expect(interrupted.vms.filter((vm) => vm.config.lock)).toEqual([]);
    const made = interrupted.vms.filter((vm) => vm.config.template !== "1");
    expect(made.length).toBeGreaterThanOrEqual(2);
    expect(made.length).toBeLessThanOrEqual(plan.vms.length);

    const rerun = await run();
    expect(rerun.code, rerun.out.slice(-4000)).toBe(0);
    // the VMs OpenTofu never recorded were dealt with before planning, not duplicated
    const reconciled = rerun.out
      .split("\n")
      .filter((line) => /│\s+(adopt|remove) demo-/.test(line));
    console.info(
      `killed after ${made.length} VMs existed; the rerun reconciled:\n${reconciled.join("\n")}`,
    );
    expect(reconciled.length).toBeGreaterThan(0);
    expectExactlyTheCluster(await simState());
    const again = await run();
    expect(again.out).toContain(NO_CHANGES);
  });
});
