/**
 * Benchmark: the tofu-provision action (real OpenTofu + real bpg provider) provisioning 7 and 25
 * VMs on pve-sim with realistic task durations scaled by TIME_SCALE. Prints, per size:
 * - makespan: wall time of the apply step (and of the whole action: init, plan, show, apply);
 * - Proxmox API calls per VM, from pve-sim's request log (all, mutating, task-status polls);
 * - the critical-path lower bound from pve-sim's task timeline: the longest chain one VM needs
 *   (its clone, its own tasks such as resize and start, then the guest agent becoming ready),
 *   which no amount of parallelism can beat — and the ratio makespan / bound.
 *
 *   npx vite-node bench/tofu-provision.ts [-- --sizes 7,25 --time-scale 0.05 --parallelism 10]
 *
 * Numbers only; nothing here is asserted (wall time is never a test).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { memoryLogger } from "../actions/lib/logger.js";
import { noPluginCache } from "../actions/lib/tofu/plugin-cache.js";
import { run } from "../actions/tofu-provision/src/run.js";
import { startPveSim, type PveSim, type TaskTimelineEntry } from "../sim/index.js";
import { clusterYaml, createCloudInitTemplate } from "../test/integration/tofu/fixtures.js";
import { locateTofu } from "../test/helpers/tofu.js";
import { TASK_DURATIONS_MS } from "../sim/core.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const sizes = arg("sizes", "7,25").split(",").map(Number);
const timeScale = Number(arg("time-scale", "0.05"));
const parallelism = Number(arg("parallelism", "10"));

interface BenchRow {
  vms: number;
  applyMs: number;
  actionMs: number;
  calls: number;
  mutating: number;
  taskPolls: number;
  boundMs: number;
  simSpanMs: number;
}

/** The longest per-VM chain in the timeline: clone + the VM's own tasks + agent start-up. */
export function criticalPathBound(timeline: TaskTimelineEntry[], vmids: number[], scale: number): { boundMs: number; spanMs: number } {
  const dur = (t: TaskTimelineEntry) => (t.endMs ?? t.startMs) - t.startMs;
  // a clone task carries the template's VMID (as on Proxmox), so clones count once per VM at the longest one seen
  const clone = Math.max(0, ...timeline.filter((t) => t.type === "qmclone").map(dur));
  const agent = (TASK_DURATIONS_MS.agentReady ?? 20000) * scale;
  let boundMs = 0;
  let lastReady = 0;
  for (const vmid of vmids) {
    const own = timeline.filter((t) => t.id === String(vmid));
    boundMs = Math.max(boundMs, clone + own.reduce((n, t) => n + dur(t), 0) + agent);
    const start = own.filter((t) => t.type === "qmstart").at(-1);
    if (start?.endMs) lastReady = Math.max(lastReady, start.endMs + agent);
  }
  const first = Math.min(...timeline.filter((t) => t.type === "qmclone").map((t) => t.startMs));
  return { boundMs, spanMs: lastReady - first };
}

async function provision(sim: PveSim, root: string, vms: number): Promise<BenchRow> {
  const workspace = path.join(root, `ws-${vms}`);
  await mkdir(workspace, { recursive: true });
  await writeFile(path.join(workspace, "cluster.yaml"), clusterYaml({ controlPlanes: 3, workers: vms - 3 }));
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
    INPUT_PARALLELISM: String(parallelism),
    INPUT_CACHE: "false",
  };
  sim.admin.clearRequestLog();
  const started = performance.now();
  const result = await run({ env, logger: memoryLogger(), setOutput: () => undefined, maskSecret: () => undefined, pluginCache: noPluginCache });
  const actionMs = performance.now() - started;
  const log = sim.admin.requestLog();
  const vmids = result.inventory.map((vm) => vm.vmid);
  if (vmids.length !== vms) throw new Error(`expected ${vms} VMs, the inventory lists ${vmids.length}`);
  const { boundMs, spanMs } = criticalPathBound(sim.admin.timeline(), vmids, timeScale);
  return {
    vms,
    applyMs: result.timings.find((t) => t.step === "apply")?.ms ?? NaN,
    actionMs,
    calls: log.length,
    mutating: log.filter((r) => r.mutating).length,
    taskPolls: log.filter((r) => /\/tasks\/[^/]+\/status$/.test(r.path)).length,
    boundMs,
    simSpanMs: spanMs,
  };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-bench-tofu-"));
  await mkdir(path.join(root, "home"), { recursive: true });
  const rows: BenchRow[] = [];
  try {
    for (const vms of sizes) {
      const sim = await startPveSim({ timeScale });
      try {
        await createCloudInitTemplate(sim);
        rows.push(await provision(sim, root, vms));
      } finally {
        await sim.close();
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`tofu-provision on pve-sim: time scale ${timeScale}, -parallelism=${parallelism}, linked clones, 3 control planes + workers`);
  console.log("VMs | apply makespan | whole action | sim span | critical-path bound | makespan/bound | bound at -parallelism | makespan/that | API calls/VM | mutating/VM | task polls/VM");
  for (const r of rows) {
    // OpenTofu runs at most `parallelism` VMs at once: ceil(N/p) chains back to back
    const waves = Math.ceil(r.vms / parallelism) * r.boundMs;
    console.log(
      [
        r.vms,
        fmt(r.applyMs),
        fmt(r.actionMs),
        fmt(r.simSpanMs),
        fmt(r.boundMs),
        (r.applyMs / r.boundMs).toFixed(2),
        fmt(waves),
        (r.applyMs / waves).toFixed(2),
        (r.calls / r.vms).toFixed(1),
        (r.mutating / r.vms).toFixed(1),
        (r.taskPolls / r.vms).toFixed(1),
      ].join(" | "),
    );
  }
}

await main();
