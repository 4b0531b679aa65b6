import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import {
  pveKubeRolePrivileges,
  TOKEN_ROLES,
  type TokenAccess,
} from "../../../actions/lib/proxmox/index.js";
import { DEMO_TOKENS } from "../../../cli/src/commands/run-sim.js";
import { startPveSim } from "../../../sim/index.js";
import type { SimState } from "../../../sim/model/types.js";
import { repoPath } from "../../helpers/repo.js";
import {
  clusterProblems,
  DEMO_CLUSTER,
  demoPlan,
  demoSimState,
  NO_CHANGES,
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

/**
 * The ACL paths of the documented scoped setup (docs/proxmox-client.md) for the example: the
 * write token's and the read-only token's — never `/` or a whole subtree.
 */
const SCOPED_PATHS = {
  write: [
    "/nodes/pve1",
    "/nodes/pve2",
    "/nodes/pve3",
    "/pool/k8s-demo",
    "/sdn/zones/localnetwork/vmbr0",
    "/storage/local",
    "/storage/local-lvm",
  ],
  "read-only": [
    "/access",
    "/nodes/pve1",
    "/nodes/pve2",
    "/nodes/pve3",
    "/pool/k8s-demo",
    "/storage/local",
    "/storage/local-lvm",
  ],
};

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

  /** The demo as npm start runs it, on `cluster` with pve-sim's state in `simState`. */
  const start = (cluster = DEMO_CLUSTER, simState = stateDir) =>
    startDemo({ tools: tools as TofuTools, stateDir: simState, cluster, secrets: { STATE_KEY } });

  const run = (cluster?: string, simStateDir?: string) => start(cluster, simStateDir).done;
  const simState = (folder = stateDir): Promise<SimState> => demoSimState(folder);

  /** The ACL paths a user or token holds, with the role on each. */
  const grantsOf = (state: SimState, ugid: string) =>
    state.acls
      .filter((a) => a.ugid === ugid)
      .map((a) => `${a.path} ${a.roleid}`)
      .sort();

  /**
   * The run used the demo's tokens, and they hold the documented scoped grants only: no ACL on
   * `/` for them or their users; every task on pve-sim was started by the scoped write token.
   */
  function expectScopedTokens(state: SimState, paths: Record<TokenAccess, string[]>) {
    for (const access of ["write", "read-only"] as const) {
      const { user, token } = DEMO_TOKENS[access];
      const expected = paths[access].map((p) => `${p} ${TOKEN_ROLES[access].role}`).sort();
      for (const ugid of [user, `${user}!${token}`]) {
        expect(grantsOf(state, ugid), ugid).toEqual(expected);
        expect(
          grantsOf(state, ugid).filter((g) => g.startsWith("/ ")),
          ugid,
        ).toEqual([]);
      }
    }
    const write = `${DEMO_TOKENS.write.user}!${DEMO_TOKENS.write.token}`;
    expect(state.tasks.length).toBeGreaterThan(0);
    expect(new Set(state.tasks.map((t) => `${t.user}!${t.tokenid ?? ""}`))).toEqual(
      new Set([write]),
    );
  }

  /** preflight's rows in the output: both tokens pass, nothing is too broad, nothing falls back. */
  function expectPreflightWithoutScopeWarnings(out: string): void {
    expect(out).toMatch(/PASS {4}read-only token privileges: all \d+ required privileges/);
    expect(out).toMatch(/PASS {4}read-only token is read-only/);
    expect(out).toMatch(/PASS {4}write token privileges: all \d+ required privileges/);
    expect(out).not.toMatch(/WARN {4}(write )?token scope/);
    expect(out).not.toMatch(/WARN {4}read-only token:/);
    expect(out).not.toMatch(/preflight │ .*(WARN|FAIL) /);
  }

  it("deploys the example cluster with the scoped tokens, then a second run makes no mutating Proxmox call", async () => {
    // pve-sim's state as an older demo left it: the demo token held its role on /
    const older = await startPveSim({ statePath: path.join(stateDir, "state.json") });
    const { user, token: name } = DEMO_TOKENS.write;
    const olderToken = older.admin.createToken(user, name, pveKubeRolePrivileges(9), "/");
    await older.close();

    const first = await run();
    expect(first.code, first.out.slice(-3000)).toBe(0);
    expect(first.out).toMatch(/✓ run success/);
    expect(first.out).toMatch(/pve-sim: \d+ mutating Proxmox API calls in this run/);
    const deployed = await simState();
    expect(clusterProblems(deployed, plan)).toEqual([]);
    // the whole deploy ran with the documented scoped grants; the older token was narrowed
    expectScopedTokens(deployed, SCOPED_PATHS);
    expect(deployed.users.find((u) => u.userid === user)?.tokens[name]?.secret).toBe(
      olderToken.secret,
    );
    expectPreflightWithoutScopeWarnings(first.out);

    // the report: every phase, the VM table, the simulated steps, the phases to come
    const report = await readFile(/report: (\S+)/.exec(first.out)?.[1] ?? "", "utf8");
    expect(report).toContain("## ✅ pve-kube deploy — cluster `demo`: 3 of 7 phases done");
    expect(report).toContain("⚠️ **simulated**");
    expect(report).toContain("| tofu-provision | ✅ succeeded |");
    for (const vm of plan.vms) expect(report).toContain(`| ${vm.name} | ${vm.vmid} | ${vm.node} |`);
    // kubeadm-bootstrap and install-cilium exist but are not asked for here (no guests); the later phases are to come
    expect(report).toContain("| kubeadm-bootstrap | ➖ not requested |");
    expect(report).toContain("| install-cilium | ➖ not requested |");

    // no secret in plain text in the output, the log, the report or any file of the run folder
    const tokens = Object.values(DEMO_TOKENS).map(
      (t) => deployed.users.find((u) => u.userid === t.user)?.tokens[t.token]?.secret ?? "",
    );
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const runFolder = path.dirname(/report: (\S+)/.exec(first.out)?.[1] ?? "");
    for (const secret of [...tokens, STATE_KEY]) {
      expect(first.out).not.toContain(secret);
      expect(await filesContaining(runFolder, secret)).toEqual([]);
    }

    const second = await run();
    expect(second.code, second.out.slice(-3000)).toBe(0);
    expect(second.out).toContain(NO_CHANGES);
    expect(second.out).toMatch(/↷ tofu-provision-apply skipped/);
    expectScopedTokens(await simState(), SCOPED_PATHS);
  });

  it("a cluster file without a pool: the VM privileges are granted on each /vms/<id>, and the deploy succeeds", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "pve-kube-demo-nopool-"));
    // the cluster input is a path in the workspace (the checkout), as on a runner
    const clusterRel = `.local-run/demo-nopool-${path.basename(folder)}/cluster.yaml`;
    const yaml = readFileSync(repoPath(DEMO_CLUSTER), "utf8")
      .replace(/\n {2}pool: k8s-demo\n/, "\n")
      .replace(/name: demo\n/, "name: nopool\n")
      .replace(/controlPlane:\n {2}count: 3/, "controlPlane:\n  count: 1")
      .replace(/(- name: general\n {4}count:) 3/, "$1 1");
    const noPool = parseClusterConfig(yaml, "cluster.yaml").plan;
    expect(noPool.proxmox.pool).toBeUndefined();
    expect(noPool.vms).toHaveLength(2);
    try {
      await mkdir(path.dirname(repoPath(clusterRel)), { recursive: true });
      await writeFile(repoPath(clusterRel), yaml);
      const result = await run(clusterRel, folder);
      expect(result.code, result.out.slice(-3000)).toBe(0);
      const state = await simState(folder);
      expect(clusterProblems(state, noPool)).toEqual([]);
      const vms = [...noPool.vms.map((vm) => vm.vmid), noPool.template.vmid].map(
        (id) => `/vms/${id}`,
      );
      // both VMs and the template are on pve1: the nodes granted are the ones the file uses
      expect(new Set([noPool.template.node, ...noPool.vms.map((vm) => vm.node)])).toEqual(
        new Set(["pve1"]),
      );
      const instead = (paths: string[]) => [
        ...paths.filter((p) => !/^\/(pool|nodes)\//.test(p)),
        "/nodes/pve1",
        ...vms,
      ];
      expectScopedTokens(state, {
        write: instead(SCOPED_PATHS.write),
        "read-only": instead(SCOPED_PATHS["read-only"]),
      });
      expect(state.pools).toEqual([]);
      expectPreflightWithoutScopeWarnings(result.out);
    } finally {
      await rm(path.dirname(repoPath(clusterRel)), { recursive: true, force: true });
      await rm(folder, { recursive: true, force: true });
    }
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
    expect(clusterProblems(await simState(), plan)).toEqual([]);
    const again = await run();
    expect(again.out).toContain(NO_CHANGES);
  });
});
