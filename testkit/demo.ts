import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseClusterConfig, type ClusterPlan } from "../actions/lib/config/index.js";
import { startPveSim } from "../sim/index.js";
import type { SimState } from "../sim/model/types.js";
import { repoPath, repoRoot } from "./repo.js";
import type { TofuTools } from "./tofu-tools.js";

/**
 * The deploy demo as `npm start` runs it (scripts/start.sh): deploy.yml, run job by job by the
 * local runner from the built CLI (cli/dist) against the embedded pve-sim, with the real OpenTofu
 * and bpg provider. One place for what the demo's tests (test/integration/deploy/) and
 * `bench demo-faults` start and check, so that they run and judge the same demo.
 */
export const DEMO_CLUSTER = "workflows-examples/clusters/ha/cluster.yaml";

/** The line a run that changed nothing on Proxmox prints (cli/src/commands/run-sim.ts). */
export const NO_CHANGES = "pve-sim: no changes — 0 mutating Proxmox API calls in this run";

/** The example cluster's plan: the VMs (VMID, node, name) and the template the demo must leave. */
export function demoPlan(): ClusterPlan {
  const file = repoPath(DEMO_CLUSTER);
  return parseClusterConfig(readFileSync(file, "utf8"), file).plan;
}

export interface DemoRunOptions {
  tools: TofuTools;
  /** the `cluster` input, a path in the checkout; default the example (DEMO_CLUSTER) */
  cluster?: string;
  /** `--sim-state`: pve-sim's and OpenTofu's state; the next run with it sees the same Proxmox */
  stateDir: string;
  /** `--local-run`: run folders, results, locks, tool cache; default the checkout's .local-run */
  localRun?: string;
  /** pve-sim's task time scale; default the demo's own (0.25, as npm start) */
  timeScale?: number;
  /** `--sim-faults`, e.g. `profile=all` */
  faults?: string;
  /** `--sim-seed`: which fault sequence */
  seed?: number;
  /** secrets for the run, handed over through the environment (never on the command line) */
  secrets?: Record<string, string>;
}

export interface DemoOutput {
  code: number | null;
  /** stdout and stderr as they came */
  out: string;
}

/** `pve-kube run` arguments of the demo, as scripts/start.sh passes them. */
export function demoArgs(options: DemoRunOptions): string[] {
  const pass = (flag: string, value: string | number | undefined) =>
    value === undefined ? [] : [flag, String(value)];
  return [
    "cli/dist/pve-kube.mjs",
    "run",
    ".github/workflows/deploy.yml",
    "--sim",
    // a free port: demos run side by side (bench demo-faults --parallel) and beside npm start
    "--sim-port",
    "0",
    "--sim-state",
    options.stateDir,
    ...pass("--local-run", options.localRun),
    ...pass("--sim-time-scale", options.timeScale),
    ...pass("--sim-faults", options.faults),
    ...pass("--sim-seed", options.seed),
    "--input",
    `cluster=${options.cluster ?? DEMO_CLUSTER}`,
    "--input",
    "environment=demo",
    // a provider built from source has other hashes than the official release
    "--input",
    "tofu-lock-file=regenerate",
    "--input",
    `tofu-provider-mirror=${options.tools.mirror}`,
    // pve-sim's VMs here are records, not machines: kubeadm-bootstrap needs the lab's guests
    "--input",
    "phases=build-template,tofu-provision",
    ...Object.keys(options.secrets ?? {}).flatMap((name) => ["--secret", name]),
  ];
}

/** Starts the demo; `done` resolves when the run (and the pve-sim it started) has ended. */
export function startDemo(options: DemoRunOptions): {
  child: ChildProcess;
  done: Promise<DemoOutput>;
} {
  const child = spawn(process.execPath, demoArgs(options), {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...options.secrets,
      PATH: `${path.dirname(options.tools.tofu)}${path.delimiter}${process.env.PATH ?? ""}`,
      TF_CLI_CONFIG_FILE: options.tools.cliConfig,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const done = new Promise<DemoOutput>((resolve) =>
    child.on("close", (code) => resolve({ code, out })),
  );
  return { child, done };
}

export const runDemo = (options: DemoRunOptions): Promise<DemoOutput> => startDemo(options).done;

/** pve-sim's persisted state, read by starting a second pve-sim from the same file. */
export async function demoSimState(stateDir: string): Promise<SimState> {
  const sim = await startPveSim({ statePath: path.join(stateDir, "state.json") });
  try {
    return sim.admin.snapshot();
  } finally {
    await sim.close();
  }
}

/**
 * What is wrong with Proxmox after a deploy, as sentences; none when it holds exactly the planned
 * VMs (VMID, node, name — no orphan, no duplicate), each running, unlocked and tagged as this
 * cluster's, and the one template.
 */
export function clusterProblems(state: SimState, plan: ClusterPlan): string[] {
  const problems: string[] = [];
  const vms = state.vms.filter((vm) => vm.config.template !== "1").sort((a, b) => a.vmid - b.vmid);
  const found = vms.map((vm) => `${vm.vmid} ${vm.node} ${vm.config.name ?? "?"}`);
  const planned = plan.vms.map((vm) => `${vm.vmid} ${vm.node} ${vm.name}`);
  if (found.join(", ") !== planned.join(", "))
    problems.push(`VMs on Proxmox: ${found.join(", ")}; planned: ${planned.join(", ")}`);
  for (const vm of state.vms.filter((v) => v.config.lock))
    problems.push(`VM ${vm.vmid} is still locked (${vm.config.lock})`);
  for (const vm of vms) {
    if (vm.status !== "running") problems.push(`VM ${vm.vmid} is ${vm.status}`);
    const tags = vm.config.tags?.split(";") ?? [];
    if (!tags.includes("pve-kube") || !tags.includes(`cluster-${plan.cluster}`))
      problems.push(`VM ${vm.vmid} lacks the pve-kube / cluster-${plan.cluster} tags`);
  }
  const templates = state.vms.filter((vm) => vm.config.template === "1").length;
  if (templates !== 1) problems.push(`${templates} templates, not 1`);
  return problems;
}

/**
 * Proxmox tasks that acted on a VM outside the plan (neither a planned VM nor the template): a
 * run that only finishes what was reviewed has none. (A clone's task carries its source, the
 * template; the VMs it made are judged by clusterProblems.)
 */
export function tasksOutsidePlan(state: SimState, plan: ClusterPlan): string[] {
  const allowed = new Set([plan.template.vmid, ...plan.vms.map((vm) => vm.vmid)].map(String));
  return state.tasks
    .filter((t) => /^\d+$/.test(t.id) && !allowed.has(t.id))
    .map((t) => `${t.type} ${t.id}`);
}

/** The Markdown report a run wrote (its path is on the run's last lines). */
export function reportFileOf(out: string): string | undefined {
  return /^report: (\S+)/m.exec(out)?.[1];
}

/** Reads the provider relay printed it answered again after transient errors (all jobs). */
export function relayRetries(out: string): number {
  return [...out.matchAll(/Proxmox API: (\d+) reads? retried/g)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

/** One step a job retried within the run, from its job summary's "Retried within this run". */
export interface ReportedRetry {
  job: string;
  step: string;
  why: string;
  error: string;
  seconds: number;
}

/**
 * Every retry within the run the jobs' summaries list (actions/lib/retry's table: step, attempt,
 * why, error, time lost), with the job whose summary it is.
 */
export function retriesInReport(report: string): ReportedRetry[] {
  const retries: ReportedRetry[] = [];
  let job = "";
  // after the heading: "heading" until the table starts, "rows" until the first line outside it
  let table: "none" | "heading" | "rows" = "none";
  for (const line of report.split("\n")) {
    // the runner's job sections: "### ✓ tofu-provision-apply" (✗ failed, ↷ skipped, …)
    const section = /^### \S+ ([\w-]+)$/.exec(line);
    if (section) job = section[1] ?? "";
    if (/^#### Retried within this run \(\d+\)/.test(line)) {
      table = "heading";
      continue;
    }
    if (table === "none" || (table === "heading" && line.trim() === "")) continue;
    if (!line.startsWith("|")) {
      table = "none";
      continue;
    }
    table = "rows";
    const cells = line
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim());
    const seconds = /^([\d.]+) s$/.exec(cells.at(-1) ?? "");
    // the header and separator rows have no time
    if (seconds)
      retries.push({
        job,
        step: cells[0] ?? "",
        why: cells[2] ?? "",
        error: cells.slice(3, -1).join("|"),
        seconds: Number(seconds[1]),
      });
  }
  return retries;
}
