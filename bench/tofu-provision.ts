/**
 * Benchmark: the tofu-provision action (real OpenTofu + real bpg provider) provisioning 7 and 25
 * VMs (3 control planes + workers) on pve-sim with its task durations (sim/core.ts
 * TASK_DURATIONS_MS) scaled by --time-scale (1 = as calibrated against Proxmox). Prints, per size:
 * - makespan: wall time of the apply step, and of the whole action (locate, init, plan, show, apply);
 * - Proxmox API calls per VM from pve-sim's request log (all, mutating, task-status polls);
 * - the critical-path lower bound from pve-sim's task timeline: the longest chain one VM needs
 *   (its clone, its own tasks such as config, resize and start, then the guest agent starting),
 *   which no parallelism can beat; and the same bound at OpenTofu's -parallelism (ceil(N/p)
 *   chains one after another); and the makespan's ratio to each.
 *
 *   npx vite-node bench/bench-cli.ts tofu-provision [--sizes 7,25] [--time-scale 1] [--parallelism 10]
 *
 * Numbers only; nothing here is asserted (wall time is never a test).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { memoryLogger } from "../actions/lib/logger.js";
import { noPluginCache } from "../actions/lib/tofu/plugin-cache.js";
import { run } from "../actions/tofu-provision/src/tofu-provision-action.js";
import { TASK_DURATIONS_MS } from "../sim/core.js";
import { startPveSim, type PveSim, type TaskTimelineEntry } from "../sim/index.js";
import { locateTofu } from "../testkit/tofu-tools.js";
import { clusterYaml, createCloudInitTemplate } from "../testkit/tofu-fixtures.js";
import { STORAGE_LOCK_HOLD_MS } from "../sim/model/storage-lock.js";
import { machineLine } from "./machine.js";

interface BenchRow {
  vms: number;
  applyMs: number;
  actionMs: number;
  calls: number;
  mutating: number;
  taskPolls: number;
  chainMs: number;
  simSpanMs: number;
  tasks: number;
  /** the best schedule pve-sim's storage locks allow (lockBound) */
  lockBoundMs: number;
  /** storage-lock waits that timed out (clones and config allocations) */
  lockTimeouts: number;
  /** the longest wait for a storage lock, ms */
  longestLockWaitMs: number;
}

/**
 * The best schedule the modelled storage locks allow (sim/model/storage-lock.ts): on the busiest
 * lock every hold happens one after another; before the first one a clone does its unlocked part,
 * and after the last one that VM still resizes its disk, starts, and waits for its guest agent.
 * No parallelism and no ordering beats that — nor the critical path.
 */
export function lockBound(
  history: { key: string; grant: { ok: boolean; startMs?: number; endMs?: number } }[],
  timeScale: number,
): number {
  const held = new Map<string, number>();
  for (const h of history)
    if (h.grant.ok)
      held.set(h.key, (held.get(h.key) ?? 0) + (h.grant.endMs ?? 0) - (h.grant.startMs ?? 0));
  const busiest = Math.max(0, ...held.values());
  const prefix =
    (TASK_DURATIONS_MS.qmclone! - STORAGE_LOCK_HOLD_MS.linkedClone - STORAGE_LOCK_HOLD_MS.alloc) *
    timeScale;
  const tail =
    (TASK_DURATIONS_MS.resize! + TASK_DURATIONS_MS.qmstart! + TASK_DURATIONS_MS.agentReady!) *
    timeScale;
  return prefix + busiest + tail;
}

/**
 * The critical-path lower bound from the task timeline: per VM, the clone (a clone task carries
 * the template's VMID, as on Proxmox, so the longest clone seen counts once per VM), every task of
 * that VM (they hold its lock, so they run one after another), and the agent's start-up after the
 * start task ends. Also the span from the first clone to the last guest agent answering.
 */
export function criticalPath(
  timeline: TaskTimelineEntry[],
  vmids: number[],
  timeScale: number,
): { chainMs: number; spanMs: number } {
  const dur = (t: TaskTimelineEntry) => (t.endMs ?? t.startMs) - t.startMs;
  const clones = timeline.filter((t) => t.type === "qmclone");
  const clone = Math.max(0, ...clones.map(dur));
  const agent = (TASK_DURATIONS_MS.agentReady ?? 20000) * timeScale;
  let chainMs = 0;
  let lastReady = 0;
  for (const vmid of vmids) {
    const own = timeline.filter((t) => t.id === String(vmid));
    chainMs = Math.max(chainMs, clone + own.reduce((n, t) => n + dur(t), 0) + agent);
    const start = own.filter((t) => t.type === "qmstart").at(-1);
    if (start?.endMs) lastReady = Math.max(lastReady, start.endMs + agent);
  }
  const first = Math.min(...clones.map((t) => t.startMs));
  return { chainMs, spanMs: lastReady - first };
}

async function provision(
  sim: PveSim,
  root: string,
  vms: number,
  timeScale: number,
  parallelism: number,
): Promise<BenchRow> {
  const workspace = path.join(root, `ws-${vms}`);
  await mkdir(workspace, { recursive: true });
  await writeFile(
    path.join(workspace, "cluster.yaml"),
    clusterYaml({ controlPlanes: 3, workers: vms - 3 }),
  );
  const tools = locateTofu();
  if (!tools) throw new Error("OpenTofu is not installed: bash test/tools/install-opentofu.sh");
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(tools.tofu)}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: path.join(root, "home"),
    TF_CLI_CONFIG_FILE: tools.cliConfig,
    RUNNER_TEMP: path.join(root, `tmp-${vms}`),
    GITHUB_WORKSPACE: workspace,
    PROXMOX_TOKEN_ID: sim.rootToken.id,
    PROXMOX_TOKEN_SECRET: sim.rootToken.secret,
    INPUT_CLUSTER: "cluster.yaml",
    INPUT_MODE: "apply",
    "INPUT_PROXMOX-URL": sim.url,
    "INPUT_PROXMOX-FINGERPRINT": sim.fingerprint,
    "INPUT_LOCK-FILE": "regenerate",
    // the action ignores TF_CLI_CONFIG_FILE: its own CLI config names only this mirror
    "INPUT_PROVIDER-MIRROR": tools.mirror,
    INPUT_PARALLELISM: String(parallelism),
    INPUT_CACHE: "false",
  };
  sim.admin.clearRequestLog();
  const tasksBefore = sim.admin.timeline().length;
  const locksBefore = sim.admin.storageLockHistory().length;
  const started = performance.now();
  const result = await run({
    env,
    logger: memoryLogger(),
    setOutput: () => undefined,
    maskSecret: () => undefined,
    pluginCache: noPluginCache,
  });
  const actionMs = performance.now() - started;
  const log = sim.admin.requestLog();
  const vmids = result.inventory.map((vm) => vm.vmid);
  if (vmids.length !== vms)
    throw new Error(`expected ${vms} VMs, the inventory lists ${vmids.length}`);
  const timeline = sim.admin.timeline().slice(tasksBefore);
  const failed = timeline.filter((t) => t.exitstatus && t.exitstatus !== "OK");
  if (failed.length)
    throw new Error(
      `tasks failed without injected faults: ${failed.map((t) => `${t.type} ${t.id}: ${t.exitstatus ?? ""}`).join("; ")}`,
    );
  const { chainMs, spanMs } = criticalPath(timeline, vmids, timeScale);
  const locks = sim.admin.storageLockHistory().slice(locksBefore);
  const waits = locks.flatMap((h) => (h.grant.ok ? [h.grant.waitedMs] : []));
  return {
    lockBoundMs: Math.max(chainMs, lockBound(locks, timeScale)),
    lockTimeouts: locks.filter((h) => !h.grant.ok).length,
    longestLockWaitMs: Math.max(0, ...waits),
    vms,
    applyMs: result.timings.find((t) => t.step === "apply")?.ms ?? NaN,
    actionMs,
    calls: log.length,
    mutating: log.filter((r) => r.mutating).length,
    taskPolls: log.filter((r) => /\/tasks\/[^/]+\/status$/.test(r.path)).length,
    chainMs,
    simSpanMs: spanMs,
    tasks: timeline.length,
  };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "7,25" },
      "time-scale": { type: "string", default: "1" },
      parallelism: { type: "string", default: "10" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const timeScale = Number(values["time-scale"]);
  const parallelism = Number(values.parallelism);
  if (sizes.some((n) => !Number.isInteger(n) || n < 4) || !(timeScale > 0) || !(parallelism > 0))
    throw new Error(
      "--sizes are integers ≥ 4 (3 control planes + workers), --time-scale > 0, --parallelism > 0",
    );

  const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-bench-tofu-"));
  await mkdir(path.join(root, "home"), { recursive: true });
  const rows: BenchRow[] = [];
  try {
    for (const vms of sizes) {
      const sim = await startPveSim({ timeScale });
      try {
        await createCloudInitTemplate(sim);
        rows.push(await provision(sim, root, vms, timeScale, parallelism));
      } finally {
        await sim.close();
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(machineLine());
  console.log(
    `tofu-provision apply on pve-sim: time scale ${timeScale} (linked clone ${fmt(TASK_DURATIONS_MS.qmclone! * timeScale)}, start ${fmt(TASK_DURATIONS_MS.qmstart! * timeScale)}, agent up ${fmt(TASK_DURATIONS_MS.agentReady! * timeScale)}), -parallelism=${parallelism}, 3 control planes + workers`,
  );
  console.log(
    "VMs | apply makespan | whole action | sim span | critical path | makespan/critical path | bound at -parallelism | makespan/that | best schedule under storage locks | makespan/that | lock timeouts | longest lock wait | API calls/VM | mutating/VM | task polls/VM | tasks/VM",
  );
  for (const r of rows) {
    // OpenTofu works on at most `parallelism` VMs at once: ceil(N/p) chains one after another
    const waves = Math.ceil(r.vms / parallelism) * r.chainMs;
    console.log(
      [
        r.vms,
        fmt(r.applyMs),
        fmt(r.actionMs),
        fmt(r.simSpanMs),
        fmt(r.chainMs),
        (r.applyMs / r.chainMs).toFixed(2),
        fmt(waves),
        (r.applyMs / waves).toFixed(2),
        fmt(r.lockBoundMs),
        (r.applyMs / r.lockBoundMs).toFixed(2),
        r.lockTimeouts,
        fmt(r.longestLockWaitMs),
        (r.calls / r.vms).toFixed(1),
        (r.mutating / r.vms).toFixed(1),
        (r.taskPolls / r.vms).toFixed(1),
        (r.tasks / r.vms).toFixed(1),
      ].join(" | "),
    );
  }
}
