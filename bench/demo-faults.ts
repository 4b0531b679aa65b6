/**
 * Does the deploy demo succeed in ONE run when Proxmox misbehaves? Each trial runs `npm start`'s
 * demo (testkit/demo.ts: deploy.yml through the local runner and the built CLI, build-template +
 * tofu-provision of the example HA cluster, 6 VMs, real OpenTofu + bpg) under one of pve-sim's
 * fault profiles with a fault seed of its own, in a folder of its own (pve-sim and OpenTofu state,
 * the runner's .local-run). It records whether that first run succeeded, the steps retried
 * within it and the time they cost (the job summaries' "Retried within this run"), the reads the
 * provider relay answered again and a stop for review if any. Then, faults off, a check run must
 * make 0 mutating Proxmox calls and Proxmox must hold exactly the planned VMs, running, unlocked,
 * with no task of the trial on a VM outside the plan. (A failed first run gets one fault-free run
 * to finish before the check, to tell "needs a re-run" from "left a mess".)
 *
 *   npm run bench -- demo-faults [--trials 40] [--profiles all,writes] [--parallel N] [--time-scale 0.25]
 *
 * Trials alternate between the profiles (trial 1 `all` seed 1, trial 2 `writes` seed 1, …), so a
 * partial run covers both; each prints its line when it ends.
 */
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ClusterPlan } from "../actions/lib/config/index.js";
import { getErrorMessage } from "../actions/lib/errors.js";
import { FAULT_PROFILES, describeFaults, isFaultProfileName } from "../sim/fault-profiles.js";
import {
  NO_CHANGES,
  clusterProblems,
  demoPlan,
  demoSimState,
  relayRetries,
  reportFileOf,
  retriesInReport,
  startDemo,
  tasksOutsidePlan,
  type DemoOutput,
  type DemoRunOptions,
  type ReportedRetry,
} from "../testkit/demo.js";
import { locateTofu, type TofuTools } from "../testkit/tofu-tools.js";
import { machineLine } from "./machine.js";

/**
 * Trials at once, per CPU core. A demo run is not CPU-bound: measured with /usr/bin/time -v, its
 * user+sys time is about a fifth of its wall time (the rest is waiting on pve-sim's task
 * durations, the retries' pauses and the provider's polling), so two trials per core keep the
 * trials themselves under half the machine, leaving the rest to whoever shares it. More than that
 * and trials start to slow each other down — and under the storage-lock model (pve-sim holds
 * locks for wall-clock time) a starved process changes what is being measured. docs/opentofu.md
 * has the measurement.
 */
const TRIALS_PER_CORE = 2;

/** A demo run that has not ended after this long is stopped (SIGTERM: the runner cancels it). */
const RUN_TIMEOUT_MS = 20 * 60_000;

interface Trial {
  n: number;
  profile: string;
  seed: number;
  firstOk: boolean;
  firstSeconds: number;
  /** why the first run failed (its last error line) */
  failure?: string;
  /** 1 = the first run succeeded; 2 = the fault-free run after it finished the job; undefined = neither */
  runsNeeded?: number;
  /** steps retried within the first run, from its job summaries */
  retries: ReportedRetry[];
  relayRetries: number;
  /** the first run stopped because a re-plan held a change the reviewed plan did not contain */
  reviewStop: boolean;
  /** Proxmox tasks that ended on a lock timeout (config or storage lock), over the whole trial */
  lockTimeouts: number;
  /** the fault-free check run made no mutating Proxmox call */
  noChanges: boolean;
  /** how the check run ended when it did not show "no changes" (exit code and its error line) */
  checkFailure?: string;
  /** what is wrong on Proxmox afterwards (clusterProblems) */
  problems: string[];
  /** tasks of the trial on a VM that is neither planned nor the template */
  outside: string[];
  /** the 1-minute load average when the trial ended */
  load: number;
  dir: string;
}

/**
 * The demo runs in flight, and whether the bench was asked to stop: on SIGINT (Ctrl-C) it cancels
 * them (the runner then ends its steps, and pve-sim finishes its tasks and exits), starts no
 * trial, and prints the summary of the trials that finished. SIGTERM cannot do that: the Vite
 * server inside vite-node answers it with process.exit(), so then the exit hook below only
 * cancels the runs in flight, leaving no demo running without its bench.
 */
const inFlight = new Set<ChildProcess>();
let stopping = false;

class Interrupted extends Error {}

async function runWithTimeout(options: DemoRunOptions): Promise<DemoOutput & { ms: number }> {
  if (stopping) throw new Interrupted();
  const started = Date.now();
  const { child, done } = startDemo(options);
  inFlight.add(child);
  // SIGTERM: the runner cancels the run as on Ctrl-C (always() steps, post steps, the report)
  const timer = setTimeout(() => child.kill("SIGTERM"), RUN_TIMEOUT_MS);
  try {
    const result = await done;
    if (stopping) throw new Interrupted();
    return { ...result, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    inFlight.delete(child);
  }
}

function cancelInFlight(): void {
  for (const child of inFlight) child.kill("SIGTERM");
}

function stopTrials(): void {
  if (stopping) return;
  stopping = true;
  console.log(`stopping: cancelling ${inFlight.size} demo runs; no new trial starts`);
  cancelInFlight();
}

const succeeded = (r: DemoOutput) => r.code === 0 && /✓ run success/.test(r.out);

/**
 * Why a run failed, in one line: the first error annotation a job raised (the runner prints it
 * as `<job> │   error: …`; the action's own message comes before the runner's "exit code 1"),
 * else the last line that speaks of an error; VMIDs and task ids masked so equal causes count
 * together.
 */
function failureLine(out: string): string {
  const lines = out.split("\n");
  const line =
    lines.find((l) => /^[\w-]+ │\s+error\b/.test(l)) ??
    lines.filter((l) => /│ .*(error|Error|failed)/.test(l)).at(-1) ??
    lines.filter((l) => l.trim()).at(-1) ??
    "";
  return line
    .replace(/UPID:[^ ]+/g, "UPID:…")
    .replace(/\b1\d{3}\b/g, "<vmid>")
    .trim()
    .slice(0, 220);
}

async function trial(
  n: number,
  profile: string,
  seed: number,
  ctx: { tools: TofuTools; plan: ClusterPlan; root: string; timeScale: number },
): Promise<Trial> {
  const dir = path.join(ctx.root, `trial-${n}-${profile}-${seed}`);
  await mkdir(dir, { recursive: true });
  // its own pve-sim state and .local-run (results, locks, tool cache): trials share nothing
  const base = {
    tools: ctx.tools,
    stateDir: path.join(dir, "pve-sim"),
    localRun: path.join(dir, "local-run"),
    timeScale: ctx.timeScale,
  };
  const first = await runWithTimeout({ ...base, faults: `profile=${profile}`, seed });
  const firstOk = succeeded(first);
  const reportFile = reportFileOf(first.out);
  const report = reportFile ? await readFile(reportFile, "utf8").catch(() => "") : "";
  let runsNeeded: number | undefined = firstOk ? 1 : undefined;
  if (!firstOk) {
    const second = await runWithTimeout(base);
    if (succeeded(second)) runsNeeded = 2;
  }
  const check = await runWithTimeout(base);
  // every run's output beside its state: a trial that is not clean is kept for a look
  await writeFile(path.join(dir, "first-run.log"), first.out);
  await writeFile(path.join(dir, "check-run.log"), check.out);
  const noChanges = succeeded(check) && check.out.includes(NO_CHANGES);
  const state = await demoSimState(base.stateDir);
  return {
    n,
    profile,
    seed,
    firstOk,
    firstSeconds: first.ms / 1000,
    ...(firstOk ? {} : { failure: failureLine(first.out) }),
    ...(runsNeeded ? { runsNeeded } : {}),
    retries: retriesInReport(report),
    relayRetries: relayRetries(first.out),
    reviewStop: /and was not retried: .*Review a new plan\./.test(first.out),
    lockTimeouts: state.tasks.filter((t) =>
      /got timeout|got lock request timeout/.test(t.exitstatus ?? ""),
    ).length,
    noChanges,
    ...(noChanges ? {} : { checkFailure: `exit ${String(check.code)}: ${failureLine(check.out)}` }),
    problems: clusterProblems(state, ctx.plan),
    outside: tasksOutsidePlan(state, ctx.plan),
    load: os.loadavg()[0] ?? 0,
    dir,
  };
}

const clean = (t: Trial) => t.noChanges && t.problems.length === 0 && t.outside.length === 0;
const retrySeconds = (t: Trial) => t.retries.reduce((s, r) => s + r.seconds, 0);

/** `2× Proxmox lock timeout, 1× Proxmox proxy timeout` */
function countBy(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([what, c]) => `${c}× ${what}`)
    .join(", ");
}

function trialLine(t: Trial, vms: number): string {
  const first = t.firstOk
    ? `first run ✓ in ${t.firstSeconds.toFixed(0)} s`
    : `first run ✗ after ${t.firstSeconds.toFixed(0)} s (${t.failure ?? "?"})${t.runsNeeded === 2 ? ", the fault-free run after it finished" : ", and the fault-free run after it failed too"}`;
  const retried = t.retries.length
    ? `${t.retries.length} retried within the run (${retrySeconds(t).toFixed(1)} s: ${countBy(t.retries.map((r) => r.why))})`
    : "no retry within the run";
  const after = clean(t)
    ? `check run: 0 mutating calls, exactly the ${vms} planned VMs, running, unlocked`
    : `NOT CLEAN: ${[
        t.noChanges ? "" : `the check run changed Proxmox or failed (${t.checkFailure ?? "?"})`,
        ...t.problems,
        t.outside.length ? `tasks outside the plan: ${t.outside.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")} (kept in ${t.dir})`;
  return (
    `  #${t.n} ${t.profile} seed ${t.seed}: ${first} — ${retried}; the relay retried ${t.relayRetries} reads; ${t.lockTimeouts} tasks ended on a lock timeout` +
    `${t.reviewStop ? "; STOPPED FOR REVIEW" : ""}; ${after} · load ${t.load.toFixed(1)}`
  );
}

function summary(label: string, rows: readonly Trial[]): string[] {
  if (rows.length === 0) return [];
  const pct = (k: number) => `${k}/${rows.length} (${((100 * k) / rows.length).toFixed(0)}%)`;
  const retries = rows.reduce((n, t) => n + t.retries.length, 0);
  const seconds = rows.reduce((n, t) => n + retrySeconds(t), 0);
  const byCount = new Map<number, number>();
  for (const t of rows) byCount.set(t.retries.length, (byCount.get(t.retries.length) ?? 0) + 1);
  const worst = rows.reduce((a, b) => (retrySeconds(b) > retrySeconds(a) ? b : a));
  const firstSeconds = rows.map((t) => t.firstSeconds).sort((a, b) => a - b);
  const failed = rows.filter((t) => !t.firstOk);
  return [
    `${label}: first-run success ${pct(rows.filter((t) => t.firstOk).length)}; clean afterwards (0 mutating calls on a re-run, exactly the planned VMs, running, unlocked) ${pct(rows.filter(clean).length)}; ` +
      `trials with a Proxmox task outside the plan ${rows.filter((t) => t.outside.length).length}; runs stopped for review ${rows.filter((t) => t.reviewStop).length}`,
    `  retried within the run: ${retries} (${(retries / rows.length).toFixed(2)} per trial), costing ${seconds.toFixed(1)} s (${(seconds / rows.length).toFixed(1)} s per trial); ` +
      `trials by retries: ${[...byCount]
        .sort((a, b) => a[0] - b[0])
        .map(([k, c]) => `${k} → ${c}`)
        .join(
          ", ",
        )}; worst: #${worst.n} (${worst.profile} seed ${worst.seed}), ${worst.retries.length} retries costing ${retrySeconds(worst).toFixed(1)} s` +
      (retries ? `; why: ${countBy(rows.flatMap((t) => t.retries.map((r) => r.why)))}` : ""),
    `  the relay retried ${rows.reduce((n, t) => n + t.relayRetries, 0)} reads; ${rows.reduce((n, t) => n + t.lockTimeouts, 0)} tasks ended on a lock timeout; ` +
      `first run took ${firstSeconds[0]?.toFixed(0)}–${firstSeconds.at(-1)?.toFixed(0)} s (median ${firstSeconds[Math.floor(firstSeconds.length / 2)]?.toFixed(0)} s); load at trial ends ${Math.min(...rows.map((t) => t.load)).toFixed(1)}–${Math.max(...rows.map((t) => t.load)).toFixed(1)}`,
    ...(failed.length
      ? [`  failed first runs: ${failed.map((t) => `#${t.n} (${t.failure ?? "?"})`).join("; ")}`]
      : []),
  ];
}

/** Runs `count` jobs, at most `parallel` at once, in order of their number. */
async function pool(
  count: number,
  parallel: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stopping) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      trials: { type: "string", default: "40" },
      profiles: { type: "string", default: "all,writes" },
      parallel: { type: "string", default: String(TRIALS_PER_CORE * os.cpus().length) },
      // npm start's own task time scale: the demo as an operator runs it
      "time-scale": { type: "string", default: "0.25" },
    },
  });
  const trials = Number(values.trials);
  const parallel = Number(values.parallel);
  const timeScale = Number(values["time-scale"]);
  const profiles = values.profiles.split(",");
  const unknown = profiles.filter((p) => !isFaultProfileName(p));
  if (unknown.length)
    throw new Error(
      `unknown fault profile ${unknown.join(", ")} (known: ${Object.keys(FAULT_PROFILES).join(", ")})`,
    );
  if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(parallel) || parallel < 1)
    throw new Error("--trials and --parallel must be whole numbers ≥ 1");
  const tools = locateTofu();
  if (!tools) throw new Error("OpenTofu is not installed: bash test/tools/install-opentofu.sh");
  const plan = demoPlan();

  console.log(machineLine());
  console.log(
    `the deploy demo (deploy.yml, build-template + tofu-provision, ${plan.vms.length} VMs) under ${profiles
      .map((p) => `${p} = ${describeFaults(FAULT_PROFILES[p as keyof typeof FAULT_PROFILES])}`)
      .join("; ")}: ${trials} trials, ${parallel} at once, pve-sim time scale ${timeScale}`,
  );
  const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-bench-demo-faults-"));
  const results: Trial[] = [];
  process.once("SIGINT", stopTrials);
  process.on("exit", cancelInFlight);
  await pool(trials, parallel, async (i) => {
    const profile = profiles[i % profiles.length] ?? "all";
    const seed = Math.floor(i / profiles.length) + 1;
    let t: Trial;
    try {
      t = await trial(i + 1, profile, seed, { tools, plan, root, timeScale });
    } catch (error) {
      if (error instanceof Interrupted) {
        console.log(`  #${i + 1} ${profile} seed ${seed}: interrupted, not counted`);
        return;
      }
      // the bench's own failure (e.g. pve-sim's state unreadable): a trial that proves nothing
      console.log(
        `  #${i + 1} ${profile} seed ${seed}: the trial itself failed: ${getErrorMessage(error)}`,
      );
      return;
    }
    results.push(t);
    console.log(trialLine(t, plan.vms.length));
    if (clean(t) && t.firstOk) await rm(t.dir, { recursive: true, force: true });
  });
  process.removeListener("SIGINT", stopTrials);
  process.removeListener("exit", cancelInFlight);
  console.log(machineLine());
  for (const profile of profiles)
    for (const line of summary(
      `${profile} (${describeFaults(FAULT_PROFILES[profile as keyof typeof FAULT_PROFILES])})`,
      results.filter((t) => t.profile === profile),
    ))
      console.log(line);
  if (profiles.length > 1) for (const line of summary("all trials", results)) console.log(line);
  if (results.length < trials)
    console.log(`${trials - results.length} trials did not finish (see their lines above)`);
  if (results.every((t) => clean(t) && t.firstOk)) await rm(root, { recursive: true, force: true });
  else console.log(`folders of the failed trials are kept under ${root}`);
}
