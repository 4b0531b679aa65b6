/**
 * How often does apply converge when Proxmox misbehaves? The tofu-provision action (real OpenTofu
 * + real bpg provider) applies 3 control planes + 2 workers on pve-sim with seeded faults, and is
 * simply run again after a failure — as an operator re-runs a failed workflow job — until a run
 * succeeds or --max-attempts is reached. Afterwards, with faults off, a plan must show no changes,
 * and exactly the 5 VMs must exist, running, none locked.
 *
 *   npx vite-node bench/bench-cli.ts tofu-faults [--seeds 5] [--max-attempts 10] [--profiles all,writes]
 *
 * Profiles (pve-sim's, sim/fault-profiles.ts): `all` = 5% HTTP 500 + 5% HTTP 596 on every
 * request + 10% file-lock timeouts in clone/create/config tasks (the issue's "10% 5xx/596 plus
 * lock timeouts"); `writes` = the same rates, HTTP faults on writes only (reads always answer).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getErrorMessage } from "../actions/lib/errors.js";
import { memoryLogger } from "../actions/lib/logger.js";
import { noPluginCache } from "../actions/lib/tofu/plugin-cache.js";
import { run } from "../actions/tofu-provision/src/tofu-provision-action.js";
import { FAULT_PROFILES, describeFaults, startPveSim, type FaultOptions } from "../sim/index.js";
import { locateTofu } from "../testkit/tofu-tools.js";
import { clusterYaml, createCloudInitTemplate } from "../testkit/tofu-fixtures.js";
import { machineLine } from "./machine.js";

/** pve-sim's named fault profiles (sim/fault-profiles.ts), the ones the demo's fault test uses too */
const PROFILES: Record<string, FaultOptions> = FAULT_PROFILES;

interface Trial {
  profile: string;
  seed: number;
  attempts: number;
  converged: boolean;
  clean: boolean;
  failures: string[];
  /** API answers 500/596 and tasks that failed on a lock timeout while faults were on */
  http5xx: number;
  http596: number;
  lockTimeouts: number;
  requests: number;
  /** reads the provider relay sent again (each would have failed the run without it) */
  relayRetries: number;
  /** plans and applies retried within a run (modes.ts, actions/lib/retry) and the time they cost */
  applyRetries: number;
  applyRetryMs: number;
  /** runs stopped because a re-plan held a change the reviewed plan did not contain */
  reviewStops: number;
}

async function trial(
  profile: string,
  faults: FaultOptions,
  seed: number,
  maxAttempts: number,
  root: string,
): Promise<Trial> {
  const tools = locateTofu();
  if (!tools) throw new Error("OpenTofu is not installed: bash test/tools/install-opentofu.sh");
  const sim = await startPveSim({ timeScale: 0.01, seed });
  const dir = path.join(root, `${profile}-${seed}`);
  await mkdir(path.join(dir, "ws"), { recursive: true });
  await mkdir(path.join(dir, "home"), { recursive: true });
  await writeFile(
    path.join(dir, "ws", "cluster.yaml"),
    clusterYaml({ controlPlanes: 3, workers: 2 }),
  );
  const env = (mode: string): NodeJS.ProcessEnv => ({
    PATH: `${path.dirname(tools.tofu)}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: path.join(dir, "home"),
    TF_CLI_CONFIG_FILE: tools.cliConfig,
    RUNNER_TEMP: path.join(dir, "tmp"),
    GITHUB_WORKSPACE: path.join(dir, "ws"),
    PROXMOX_TOKEN_ID: sim.rootToken.id,
    PROXMOX_TOKEN_SECRET: sim.rootToken.secret,
    INPUT_CLUSTER: "cluster.yaml",
    INPUT_MODE: mode,
    "INPUT_PROXMOX-URL": sim.url,
    "INPUT_PROXMOX-FINGERPRINT": sim.fingerprint,
    "INPUT_LOCK-FILE": "regenerate",
    // the action ignores TF_CLI_CONFIG_FILE: its own CLI config names only this mirror
    "INPUT_PROVIDER-MIRROR": tools.mirror,
    INPUT_CACHE: "false",
  });
  const logger = memoryLogger();
  const action = (mode: string) =>
    run({
      env: env(mode),
      logger,
      setOutput: () => undefined,
      maskSecret: () => undefined,
      pluginCache: noPluginCache,
    });
  const failures: string[] = [];
  let applyRetries = 0;
  let applyRetryMs = 0;
  let reviewStops = 0;
  let attempts = 0;
  let converged = false;
  try {
    await createCloudInitTemplate(sim);
    sim.admin.clearRequestLog();
    const tasksBefore = sim.admin.timeline().length;
    sim.admin.setFaults(faults);
    while (attempts < maxAttempts && !converged) {
      attempts++;
      try {
        const result = await action("apply");
        for (const r of result.retries ?? []) {
          applyRetries++;
          applyRetryMs += r.costMs;
        }
        converged = true;
      } catch (error) {
        if ((error as Error).name === "NeedsReviewError") reviewStops++;
        for (const r of (error as { retries?: { costMs: number }[] }).retries ?? []) {
          applyRetries++;
          applyRetryMs += r.costMs;
        }
        failures.push(firstLine(error));
      }
    }
    sim.admin.setFaults({});
    // the provider relay's per-process lines: "Proxmox API: N reads retried after transient errors (…)"
    const relayRetries = logger.lines.reduce(
      (n, l) => n + Number(/^Proxmox API: (\d+) reads? retried/.exec(l)?.[1] ?? 0),
      0,
    );
    const log = sim.admin.requestLog();
    const lockTimeouts = sim.admin
      .timeline()
      .slice(tasksBefore)
      .filter((t) => /got timeout|got lock request timeout/.test(t.exitstatus ?? "")).length;
    let clean = false;
    if (converged) {
      const check = await action("plan");
      const vms = sim.admin.snapshot().vms.filter((vm) => vm.vmid !== 9000);
      // no orphan, no duplicate (5 VMs with 5 names), no stale lock, all running
      clean =
        !check.summary.hasChanges &&
        vms.length === 5 &&
        new Set(vms.map((vm) => vm.config.name)).size === 5 &&
        vms.every((vm) => !vm.config.lock && vm.status === "running");
    }
    return {
      profile,
      seed,
      attempts,
      converged,
      clean,
      failures,
      http5xx: log.filter((r) => r.status === 500).length,
      http596: log.filter((r) => r.status === 596).length,
      lockTimeouts,
      requests: log.length,
      relayRetries,
      applyRetries,
      applyRetryMs,
      reviewStops,
    };
  } finally {
    await sim.close();
  }
}

/**
 * What went wrong, in one line: OpenTofu's `Error:` line (not the command), joined with the next
 * line when it ends with a colon (the provider's "All attempts fail:" names the cause there).
 */
function firstLine(error: unknown): string {
  const lines = getErrorMessage(error)
    .split("\n")
    .map((l) => l.trim());
  const i = Math.max(
    0,
    lines.findIndex((l) => /Error:|error|failed/i.test(l) && !l.startsWith("$")),
  );
  let line = lines[i] ?? "";
  if (line.endsWith(":")) line = `${line} ${lines.slice(i + 1).find((l) => l && l !== "│") ?? ""}`;
  return line
    .replace(/^│\s*/, "")
    .replace(/│\s*/g, "")
    .replace(/UPID:[^ ]+/g, "UPID:…")
    .replace(/\b1\d{3}\b/g, "<vmid>")
    .slice(0, 200);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: "string", default: "5" },
      "max-attempts": { type: "string", default: "10" },
      profiles: { type: "string", default: "all,writes" },
    },
  });
  const seeds = Number(values.seeds);
  const maxAttempts = Number(values["max-attempts"]);
  const chosen = values.profiles.split(",");
  const unknown = chosen.filter((p) => !(p in PROFILES));
  if (unknown.length)
    throw new Error(
      `unknown fault profile ${unknown.join(", ")} (known: ${Object.keys(PROFILES).join(", ")})`,
    );

  console.log(machineLine());
  console.log(
    `apply of 3 control planes + 2 workers under injected faults, re-run after each failure (at most ${maxAttempts} runs), seeds 1..${seeds}`,
  );
  const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-bench-faults-"));
  const results: Trial[] = [];
  try {
    for (const profile of chosen) {
      const faults = PROFILES[profile] ?? {};
      for (let seed = 1; seed <= seeds; seed++) {
        const t = await trial(profile, faults, seed, maxAttempts, root);
        results.push(t);
        console.log(
          `  ${profile} seed ${seed}: ${t.converged ? `converged in run ${t.attempts}` : `not converged after ${t.attempts} runs`}${t.converged ? (t.clean ? ", clean afterwards" : ", NOT clean afterwards") : ""}` +
            ` — ${t.requests} API requests, ${t.http5xx}× HTTP 500, ${t.http596}× HTTP 596, ${t.lockTimeouts}× lock timeout; the relay retried ${t.relayRetries} reads; ${t.applyRetries} plans/applies retried within the run (${(t.applyRetryMs / 1000).toFixed(1)} s)${t.reviewStops ? `; ${t.reviewStops}× stopped for review` : ""}${t.failures.map((f, i) => `\n      run ${i + 1} failed: ${f}`).join("")}`,
        );
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  for (const profile of chosen) {
    const rows = results.filter((r) => r.profile === profile);
    const runs = rows.reduce((n, r) => n + r.attempts, 0);
    const ok = rows.filter((r) => r.converged);
    const mean = ok.length ? ok.reduce((n, r) => n + r.attempts, 0) / ok.length : NaN;
    console.log(
      `${profile} (${describeFaults(PROFILES[profile] ?? {})}): converged ${ok.length}/${rows.length} seeds; runs needed ${rows.map((r) => (r.converged ? r.attempts : `>${maxAttempts}`)).join(", ")} (mean ${mean.toFixed(1)}, max ${Math.max(...rows.map((r) => r.attempts))}); ` +
        `single-run success ${ok.length}/${runs} (${((100 * ok.length) / runs).toFixed(0)}%); clean afterwards ${rows.filter((r) => r.clean).length}/${ok.length}`,
    );
    const firstRun = rows.filter((r) => r.converged && r.attempts === 1).length;
    const retried = rows.reduce((n, r) => n + r.applyRetries, 0);
    const retryMs = rows.reduce((n, r) => n + r.applyRetryMs, 0);
    console.log(
      `  trials that succeeded in their first run: ${firstRun}/${rows.length} (${((100 * firstRun) / rows.length).toFixed(0)}%); plans/applies retried within a run: ${retried} (${(retryMs / 1000).toFixed(1)} s in all); runs stopped for review: ${rows.reduce((n, r) => n + r.reviewStops, 0)}; re-plans applied with a change outside the reviewed plan: 0 by construction (applied only when plan-subset.ts finds none; the clean check sees exactly the 5 planned VMs)`,
    );
    // applies per successful run (1 = no retry) and the trial that cost the most
    const applies = new Map<number, number>();
    for (const r of rows)
      applies.set(r.applyRetries + 1, (applies.get(r.applyRetries + 1) ?? 0) + 1);
    const worst = rows.reduce((a, b) => (b.applyRetryMs > a.applyRetryMs ? b : a), rows[0]!);
    console.log(
      `  trials by applies they needed: ${[...applies]
        .sort((a, b) => a[0] - b[0])
        .map(([n, c]) => `${n} → ${c}`)
        .join(", ")}; retries per trial ${(retried / rows.length).toFixed(2)}; ` +
        `worst: seed ${worst.seed}, ${worst.applyRetries} retries costing ${(worst.applyRetryMs / 1000).toFixed(1)} s`,
    );
    const reasons = new Map<string, number>();
    for (const f of rows.flatMap((r) => r.failures)) reasons.set(f, (reasons.get(f) ?? 0) + 1);
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${count}× ${reason}`);
  }
}
