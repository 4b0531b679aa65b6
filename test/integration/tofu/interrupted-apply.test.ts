import { spawn } from "node:child_process";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseClusterConfig, type ClusterPlan } from "../../../actions/lib/config/index.js";
import { stateVms } from "../../../actions/lib/tofu/state-json.js";
import { startPveSim, type PveSim, type TaskTimelineEntry } from "../../../sim/index.js";
import { repoPath } from "../../helpers/repo.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { requireTofu, type TofuTools } from "../../../testkit/tofu-tools.js";
import { clusterYaml, createCloudInitTemplate } from "../../../testkit/tofu-fixtures.js";

const execFileAsync = promisify(execFile);
const tools = requireTofu();
/** process groups of action runs still alive (killed in afterAll when a test times out) */
const liveGroups = new Set<number>();

/** Realistic task durations, shortened: a linked clone 0.4 s, a start 0.4 s, the guest agent 4 s. */
const TIME_SCALE = 0.2;

interface KillPoint {
  title: string;
  parallelism: number;
  /** true once the apply has reached the point where it is killed */
  reached: (timeline: TaskTimelineEntry[]) => boolean;
  /** run a plan (a pull request's preview) before the re-run apply */
  planFirst?: boolean;
}

const ok = (t: TaskTimelineEntry) => t.endMs !== undefined && t.exitstatus === "OK";
const KILL_POINTS: KillPoint[] = [
  {
    title: "the first clone task has started",
    parallelism: 10,
    reached: (tl) => tl.some((t) => t.type === "qmclone"),
  },
  {
    title: "the third clone has finished (parallelism 2: some VMs done, one being configured)",
    parallelism: 2,
    reached: (tl) => tl.filter((t) => t.type === "qmclone" && ok(t)).length >= 3,
    planFirst: true,
  },
  {
    title: "every VM is started and OpenTofu waits for the guest agents",
    parallelism: 10,
    reached: (tl) => tl.filter((t) => t.type === "qmstart" && ok(t)).length >= 5,
  },
];

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  outputs: Record<string, string>;
  ms: number;
}

/**
 * An apply killed hard (SIGKILL of the process running the action and its `tofu`) while Proxmox
 * dies too (pve-sim closed and restarted from its state file, so running tasks end in error and
 * keep their locks, like a crashed Proxmox worker), then run again: it must converge with every
 * planned VM exactly once, no lock, no orphan, the state holding exactly the planned VMs, and a
 * further plan without changes. The action runs as a child process through its own code, with
 * the real OpenTofu and bpg provider.
 */
describe("an apply killed in the middle converges when run again", () => {
  const roots: string[] = [];
  const sims: PveSim[] = [];
  afterAll(async () => {
    for (const group of liveGroups) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const sim of sims) await sim.close().catch(() => undefined);
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  /** A fresh pve-sim persisting to a state file, with the template, and a workspace with cluster.yaml. */
  const newCluster = async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-interrupted-"));
    roots.push(root);
    const statePath = path.join(root, "sim-state.json");
    await mkdir(path.join(root, "workspace"), { recursive: true });
    await mkdir(path.join(root, "home"), { recursive: true });
    const yaml = clusterYaml({ controlPlanes: 3, workers: 2 });
    await writeFile(path.join(root, "workspace", "cluster.yaml"), yaml);
    const sim = await startPveSim({ timeScale: TIME_SCALE, statePath });
    sims.push(sim);
    await createCloudInitTemplate(sim);
    return { root, statePath, sim, plan: parseClusterConfig(yaml, "cluster.yaml").plan };
  };

  it.each(KILL_POINTS)(
    "killed when $title",
    async (point) => {
      const cluster = await newCluster();
      const { root, statePath, plan } = cluster;
      let { sim } = cluster;
      const firstTask = sim.admin.timeline().length;

      // 1. the apply, killed with SIGKILL at the kill point; Proxmox dies with it
      const killed = await runAction(
        tools,
        root,
        sim,
        { mode: "apply", parallelism: String(point.parallelism) },
        {
          reached: () => point.reached(sim.admin.timeline().slice(firstTask)),
          // right after the kill: running tasks are saved as running, and their locks held
          afterKill: () => sim.close(),
        },
      );
      expect(killed.signal, killed.log).toBe("SIGKILL");
      sim = await startPveSim({ timeScale: TIME_SCALE, statePath });
      sims.push(sim);
      const leftBehind = clonesOf(sim);
      const lockedBefore = leftBehind.filter((vm) => vm.config.lock).length;
      const inStateBefore = await stateNames(tools, root);

      // 2a. optionally a plan first (a pull request's preview): it writes nothing — not to
      // Proxmox, not to the OpenTofu state; complete VMs are reported for apply to adopt
      let toAdoptByApply: string[] = [];
      if (point.planFirst) {
        const mutatingBefore = sim.admin.mutatingRequests().length;
        const stateBefore = await readFile(localState(root)).catch(() => undefined);
        const preview = await runAction(tools, root, sim, { mode: "plan" });
        expect(preview.code, preview.log).toBe(0);
        expect(sim.admin.mutatingRequests().slice(mutatingBefore)).toEqual([]);
        expect(await readFile(localState(root)).catch(() => undefined)).toEqual(stateBefore);
        expect(preview.log.split("\n").filter((l) => /^adopt \S+ \(VMID/.test(l))).toEqual([]);
        toAdoptByApply = [
          ...preview.log.matchAll(
            /warning: (\S+) \(VMID \d+\) is complete but not in the OpenTofu state/g,
          ),
        ].map((m) => m[1]!);
        const toRemove = preview.log
          .split("\n")
          .filter((l) => /^remove \S+ \(VMID/.test(l))
          .map((l) => l.split(" ")[1]);
        for (const name of toRemove) expect(preview.log).toContain(`warning: ${name} (VMID`);
        const summary = await readFile(path.join(root, "summary.md"), "utf8");
        if (toRemove.length > lockedBefore)
          expect(summary).toContain("apply will remove it before applying");
        if (lockedBefore) expect(summary).toContain("root must remove it first (`on ");
      }

      // 2b. VMs that keep a dead worker's lock: only root can lift it (never an API token), so the
      // apply stops before any change and names the commands; the operator runs them (here: the
      // out-of-band delete that `qm unlock && qm destroy --purge` amounts to)
      let removedByOperator: number[] = [];
      if (lockedBefore > 0) {
        const mutatingBefore = sim.admin.mutatingRequests().length;
        const stopped = await runAction(tools, root, sim, {
          mode: "apply",
          parallelism: String(point.parallelism),
        });
        expect(stopped.code, stopped.log).not.toBe(0);
        expect(stopped.log).toContain(
          "Proxmox lets only root@pam lift a lock, never an API token, so nothing was changed",
        );
        expect(sim.admin.mutatingRequests().slice(mutatingBefore)).toEqual([]);
        removedByOperator = [...stopped.log.matchAll(/qm destroy (\d+) --purge/g)].map((m) =>
          Number(m[1]),
        );
        removedByOperator = [...new Set(removedByOperator)];
        expect(removedByOperator).toHaveLength(lockedBefore);
        for (const vmid of removedByOperator) sim.admin.deleteVmOutOfBand(vmid);
      }

      // 2c. the same apply again: reconcile, plan, apply
      const rerun = await runAction(tools, root, sim, {
        mode: "apply",
        parallelism: String(point.parallelism),
      });
      expect(rerun.code, rerun.log).toBe(0);
      const adopted = rerun.log.split("\n").filter((l) => /^adopt \S+ \(VMID/.test(l));
      const removed = rerun.log.split("\n").filter((l) => /^removed \S+ \(VMID/.test(l));
      // adopted VMs are updated in place, never replaced; only what was missing or removed is created
      expect(rerun.outputs, rerun.log).toMatchObject({
        replaces: "0",
        deletes: "0",
        creates: String(plan.vms.length - adopted.length - inStateBefore.length),
      });
      expectConverged(sim, plan);
      expect(await stateNames(tools, root)).toEqual(plan.vms.map((vm) => vm.name).sort());
      const summary = await readFile(path.join(root, "summary.md"), "utf8");
      if (adopted.length + removed.length > 0)
        expect(summary).toContain("#### An interrupted run was reconciled");
      // what the preview reported for adoption is exactly what the apply adopted
      if (point.planFirst)
        expect(adopted.map((l) => l.split(" ")[1]).sort()).toEqual([...toAdoptByApply].sort());
      for (const line of [...adopted, ...removed])
        expect(summary).toContain(`| ${line.split(" ")[1]} |`);
      // every VM the state missed was either adopted or removed and created again
      const missed = leftBehind.filter((vm) => !inStateBefore.includes(vm.config.name ?? ""));
      expect(adopted.length + removed.length + removedByOperator.length).toBe(missed.length);

      // 3. a further plan shows no changes
      const again = await runAction(tools, root, sim, { mode: "plan" });
      expect(again.code, again.log).toBe(0);
      expect(again.outputs["has-changes"], again.log).toBe("false");

      const planLine =
        rerun.log.split("\n").find((l) => l.startsWith("Plan: +") || l.startsWith("No changes")) ??
        "(no plan line)";
      console.log(
        rerun.log
          .split("\n")
          .filter((l) => /^(adopt|remove) \S+ \(VMID/.test(l))
          .map((l) => `  ${l}\n`)
          .join("") +
          `killed when ${point.title}: after ${(killed.ms / 1000).toFixed(1)} s; left ${leftBehind.length} VMs (${lockedBefore} locked${lockedBefore ? ", removed by the operator as told" : ""}), state held ${inStateBefore.length}; ` +
          `${point.planFirst ? "plan first (writes nothing), then " : ""}re-run apply ${(rerun.ms / 1000).toFixed(1)} s: adopted ${adopted.length}, removed ${removed.length}, then ${planLine}; follow-up plan ${(again.ms / 1000).toFixed(1)} s, no changes`,
      );
    },
    600_000,
  );

  it("a planned VMID taken by a VM that is not this cluster's stops the run before any change", async () => {
    const { root, sim, plan } = await newCluster();
    const taken = plan.vms.find((vm) => vm.name === "t-w-1")!;
    // someone else's VM at the VMID the plan gives t-w-1 (the bpg provider alone would take it over:
    // it treats "already exists" on a retried clone as its own clone having worked)
    const api = proxmoxApiFor(sim);
    await waitTask(
      sim,
      "pve1",
      await api.nodes
        .$("pve1")
        .qemu.$(9000)
        .clone.$post({ newid: taken.vmid, name: "web-1", full: false }),
    );
    const mutatingBefore = sim.admin.mutatingRequests().length;
    const run = await runAction(tools, root, sim, { mode: "apply" });
    expect(run.code).toBe(1);
    expect(run.outputs.error).toContain(
      `VMID ${taken.vmid} planned for t-w-1 is already used by a VM that is not this cluster's: its name is not 't-w-1' (VM 'web-1' on pve1`,
    );
    expect(run.outputs.fix).toContain(
      `VMID ${taken.vmid}: give this cluster other VMIDs (vmids.start in cluster.yaml)`,
    );
    expect(sim.admin.mutatingRequests().length).toBe(mutatingBefore);
    expect(clonesOf(sim).map((vm) => vm.config.name)).toEqual(["web-1"]);
  }, 600_000);

  it("a lost state: every VM is adopted as it is, nothing replaced, created or written to Proxmox", async () => {
    const { root, sim, plan } = await newCluster();
    const first = await runAction(tools, root, sim, { mode: "apply" });
    expect(first.code, first.log).toBe(0);
    await rm(
      path.join(
        root,
        "home",
        ".local",
        "state",
        "pve-kube",
        "tofu",
        `${plan.cluster}-${plan.uid}`,
        "terraform.tfstate",
      ),
    );
    expect(await stateNames(tools, root)).toEqual([]);
    const vmsBefore = JSON.stringify(
      clonesOf(sim).map((vm) => [vm.vmid, vm.config.name, vm.config.tags, vm.config.smbios1]),
    );
    const mutatingBefore = sim.admin.mutatingRequests().length;

    const rerun = await runAction(tools, root, sim, { mode: "apply" });
    expect(rerun.code, rerun.log).toBe(0);
    expect(rerun.log.split("\n").filter((l) => /^adopt \S+ \(VMID/.test(l))).toHaveLength(
      plan.vms.length,
    );
    expect(rerun.outputs, rerun.log).toMatchObject({ creates: "0", replaces: "0", deletes: "0" });
    expectConverged(sim, plan);
    // the same machines (smbios uuid), not new ones
    expect(
      JSON.stringify(
        clonesOf(sim).map((vm) => [vm.vmid, vm.config.name, vm.config.tags, vm.config.smbios1]),
      ),
    ).toBe(vmsBefore);
    expect(await stateNames(tools, root)).toEqual(plan.vms.map((vm) => vm.name).sort());
    // nothing was written to Proxmox: the adopted VMs already were what the module wants
    const writes = sim.admin
      .mutatingRequests()
      .slice(mutatingBefore)
      .map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([]);
    expect(rerun.outputs["has-changes"]).toBe("false");
    const again = await runAction(tools, root, sim, { mode: "plan" });
    expect(again.outputs["has-changes"], again.log).toBe("false");
    console.log(
      `lost state: re-run apply ${(rerun.ms / 1000).toFixed(1)} s adopted ${plan.vms.length}, then no changes; Proxmox writes: none`,
    );
  }, 600_000);
});

function clonesOf(sim: PveSim) {
  return sim.admin.snapshot().vms.filter((vm) => vm.vmid !== 9000);
}

function expectConverged(sim: PveSim, plan: ClusterPlan): void {
  const vms = sim.admin.snapshot().vms;
  // nothing but the template and the planned VMs
  expect(vms.map((vm) => vm.vmid).sort()).toEqual([...plan.vms.map((vm) => vm.vmid), 9000].sort());
  for (const planned of plan.vms) {
    const vm = vms.find((v) => v.vmid === planned.vmid);
    expect(vm?.config.name).toBe(planned.name);
    expect(vm?.node).toBe(planned.node);
    expect(vm?.config.lock).toBeUndefined();
    expect(vm?.status).toBe("running");
    expect(vm?.config.tags?.split(";").sort()).toEqual([...planned.tags].sort());
    expect(vm?.config.description).toContain(`uid=${plan.uid}`);
  }
}

/** The VM names the OpenTofu state holds, read by the real tofu from the action's working copy. */
async function stateNames(tools: TofuTools, root: string): Promise<string[]> {
  const dir = path.join(root, "runner-temp", "pve-kube-tofu", "t");
  const { stdout } = await execFileAsync(tools.tofu, ["show", "-json", "-no-color"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: path.join(root, "home"),
      TF_CLI_CONFIG_FILE: tools.cliConfig,
    },
    maxBuffer: 64 << 20,
  });
  return stateVms(stdout)
    .map((vm) => /\["(.+)"\]$/.exec(vm.address)?.[1] ?? vm.address)
    .sort();
}

/**
 * Runs the action in a child process group (the action, its `tofu` and the provider). With
 * `killAt`, the whole group is killed with SIGKILL as soon as `reached()` holds. Resolves when
 * the process has exited.
 */
async function runAction(
  tools: TofuTools,
  root: string,
  sim: PveSim,
  inputs: Record<string, string>,
  killAt?: { reached: () => boolean; afterKill: () => Promise<void> },
): Promise<ChildRun> {
  const outputsFile = path.join(root, "outputs.json");
  await rm(outputsFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(tools.tofu)}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: path.join(root, "home"),
    TF_CLI_CONFIG_FILE: tools.cliConfig,
    RUNNER_TEMP: path.join(root, "runner-temp"),
    GITHUB_WORKSPACE: path.join(root, "workspace"),
    GITHUB_STEP_SUMMARY: path.join(root, "summary.md"),
    PROXMOX_TOKEN_ID: sim.rootToken.id,
    PROXMOX_TOKEN_SECRET: sim.rootToken.secret,
    PVE_KUBE_TEST_OUTPUTS: outputsFile,
  };
  const allInputs: Record<string, string> = {
    cluster: "cluster.yaml",
    "proxmox-url": sim.url,
    "proxmox-fingerprint": sim.fingerprint,
    "lock-file": "regenerate",
    "provider-mirror": tools.mirror,
    cache: "false",
    ...inputs,
  };
  for (const [name, value] of Object.entries(allInputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  const child = spawn(
    repoPath("node_modules", ".bin", "vite-node"),
    [repoPath("test", "integration", "tofu", "action-child.ts")],
    { cwd: repoPath(), env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (log += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (log += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  liveGroups.add(child.pid!);
  let done = false;
  void exited.then(() => {
    done = true;
    liveGroups.delete(child.pid!);
  });
  if (killAt) {
    while (!done && !killAt.reached()) await new Promise((resolve) => setTimeout(resolve, 5));
    if (done) throw new Error(`the apply ended before the kill point:\n${log}`);
    process.kill(-child.pid!, "SIGKILL");
    await killAt.afterKill();
  }
  const { code, signal } = await exited;
  const ms = performance.now() - started;
  const outputs = JSON.parse(await readFile(outputsFile, "utf8").catch(() => "{}")) as Record<
    string,
    string
  >;
  return { code, signal, log, outputs, ms };
}

/** The local backend's state file of the one cluster under `root` (HOME is root/home). */
function localState(root: string): string {
  const dir = path.join(root, "home", ".local", "state", "pve-kube", "tofu");
  const [cluster] = readdirSync(dir);
  return path.join(dir, cluster ?? "none", "terraform.tfstate");
}
