/**
 * How often does apply converge when Proxmox misbehaves? The tofu-provision action (real OpenTofu
 * + real bpg provider) applies 3 control planes + 2 workers on pve-sim with seeded faults, and is
 * simply run again after a failure — as an operator re-runs a failed workflow job — until a run
 * succeeds or MAX_ATTEMPTS is reached. Afterwards, with faults off, a plan must show no changes
 * and no VM may be left locked or outside the state.
 *
 *   npx vite-node bench/tofu-faults.ts [-- --trials 3 --max-attempts 10 --profiles all,writes]
 *
 * Profiles: `all` = 5% HTTP 500 + 5% HTTP 596 on every request + 10% file-lock timeouts in
 * clone/config tasks (the issue's "10% 5xx/596 plus lock timeouts"); `writes` = the same rates,
 * HTTP faults on writes only.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getErrorMessage } from "../actions/lib/errors.js";
import { memoryLogger } from "../actions/lib/logger.js";
import { noPluginCache } from "../actions/lib/tofu/plugin-cache.js";
import { run } from "../actions/tofu-provision/src/run.js";
import { startPveSim, type FaultOptions } from "../sim/index.js";
import { locateTofu } from "../test/helpers/tofu.js";
import { clusterYaml, createCloudInitTemplate } from "../test/integration/tofu/fixtures.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const trials = Number(arg("trials", "3"));
const maxAttempts = Number(arg("max-attempts", "10"));
const profiles: Record<string, FaultOptions> = {
  all: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "all" },
  writes: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "writes" },
};
const chosen = arg("profiles", "all,writes").split(",");

interface Trial {
  profile: string;
  seed: number;
  attempts: number;
  converged: boolean;
  clean: boolean;
  failures: string[];
}

async function trial(profile: string, seed: number, root: string): Promise<Trial> {
  const tools = locateTofu();
  if (!tools) throw new Error("OpenTofu is not installed: bash test/tools/install-opentofu.sh");
  const sim = await startPveSim({ timeScale: 0.01, seed });
  const dir = path.join(root, `${profile}-${seed}`);
  await mkdir(path.join(dir, "ws"), { recursive: true });
  await mkdir(path.join(dir, "home"), { recursive: true });
  await writeFile(path.join(dir, "ws", "cluster.yaml"), clusterYaml({ controlPlanes: 3, workers: 2 }));
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
    INPUT_CACHE: "false",
  });
  const action = (mode: string) => run({ env: env(mode), logger: memoryLogger(), setOutput: () => undefined, maskSecret: () => undefined, pluginCache: noPluginCache });
  const failures: string[] = [];
  let attempts = 0;
  let converged = false;
  try {
    await createCloudInitTemplate(sim);
    sim.admin.setFaults(profiles[profile] ?? {});
    while (attempts < maxAttempts && !converged) {
      attempts++;
      try {
        await action("apply");
        converged = true;
      } catch (error) {
        failures.push(firstLine(error));
      }
    }
    sim.admin.setFaults({});
    let clean = false;
    if (converged) {
      const check = await action("plan");
      const vms = sim.admin.snapshot().vms.filter((vm) => vm.vmid !== 9000);
      clean = !check.summary.hasChanges && vms.length === 5 && vms.every((vm) => !vm.config.lock && vm.status === "running");
    }
    return { profile, seed, attempts, converged, clean, failures };
  } finally {
    await sim.close();
  }
}

function firstLine(error: unknown): string {
  const text = getErrorMessage(error);
  const line = text.split("\n").find((l) => /Error:|error|failed/i.test(l) && !l.startsWith("$")) ?? text.split("\n")[0] ?? "";
  return line.trim().slice(0, 160);
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-bench-faults-"));
  const results: Trial[] = [];
  try {
    for (const profile of chosen) for (let seed = 1; seed <= trials; seed++) results.push(await trial(profile, seed, root));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`apply of 3 control planes + 2 workers under injected faults, re-run after failure (max ${maxAttempts} runs)`);
  for (const profile of chosen) {
    const rows = results.filter((r) => r.profile === profile);
    const runs = rows.reduce((n, r) => n + r.attempts, 0);
    const ok = rows.filter((r) => r.converged).length;
    console.log(
      `${profile}: converged ${ok}/${rows.length} trials; runs needed ${rows.map((r) => (r.converged ? r.attempts : `>${maxAttempts}`)).join(", ")}; ` +
        `single-run success ${ok}/${runs} (${((100 * ok) / runs).toFixed(0)}%); clean afterwards ${rows.filter((r) => r.clean).length}/${ok}`,
    );
    const reasons = new Map<string, number>();
    for (const f of rows.flatMap((r) => r.failures)) reasons.set(f, (reasons.get(f) ?? 0) + 1);
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${count}× ${reason}`);
  }
}

await main();
