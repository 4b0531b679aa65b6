import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { vi } from "vitest";
import {
  run,
  type TofuProvisionResult,
} from "../../../actions/tofu-provision/src/tofu-provision-action.js";
import { memoryLogger, type MemoryLogger } from "../../../actions/lib/logger.js";
import { defaultArtifactStore } from "../../../actions/lib/state/index.js";
import { actionsPluginCache } from "../../../actions/lib/tofu/plugin-cache.js";
import type { ResultsService } from "../../../local/results/index.js";
import type { PveSim } from "../../../sim/index.js";
import type { TofuTools } from "../../../testkit/tofu-tools.js";

export interface ActionRun {
  result?: TofuProvisionResult;
  error?: Error;
  outputs: Record<string, string>;
  masked: string[];
  logger: MemoryLogger;
  summary: string;
}

export interface JobSetup {
  sim: PveSim;
  results: ResultsService;
  tools: TofuTools;
  root: string;
  workspace: string;
  stateKey: string;
}

/**
 * Runs the tofu-provision action in-process as one job of a workflow run would: INPUT_* variables,
 * a job summary file, the runner's temp dir, and the results service's runtime environment so the
 * unmodified @actions/artifact and @actions/cache talk to it. process.env carries that
 * environment while the job runs (those packages read it), and is restored afterwards.
 */
export async function runTofuProvision(
  setup: JobSetup,
  job: { runId: string; jobId: string },
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<ActionRun> {
  const summaryFile = path.join(setup.root, `summary-${job.runId}-${job.jobId}.md`);
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    PATH: `${path.dirname(setup.tools.tofu)}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: path.join(setup.root, "home"),
    TF_CLI_CONFIG_FILE: setup.tools.cliConfig,
    RUNNER_TEMP: path.join(setup.root, "runner-temp", job.jobId),
    GITHUB_WORKSPACE: setup.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: job.runId,
    PROXMOX_TOKEN_ID: setup.sim.rootToken.id,
    PROXMOX_TOKEN_SECRET: setup.sim.rootToken.secret,
    ...setup.results.runtimeEnv(job.runId, job.jobId),
    ...extraEnv,
  };
  const allInputs: Record<string, string> = {
    cluster: "cluster.yaml",
    "proxmox-url": setup.sim.url,
    "proxmox-fingerprint": setup.sim.fingerprint,
    "state-key": setup.stateKey,
    // the provider is built from source here, so its hash is not the official release's
    "lock-file": "regenerate",
    // OpenTofu ignores TF_CLI_CONFIG_FILE: the action writes its own CLI config naming this mirror
    "provider-mirror": setup.tools.mirror,
    ...inputs,
  };
  for (const [name, value] of Object.entries(allInputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  // @actions/cache prints progress with core.info; keep the test output readable
  const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const outputs: Record<string, string> = {};
  const masked: string[] = [];
  const logger = memoryLogger();
  const out: ActionRun = { outputs, masked, logger, summary: "" };
  try {
    out.result = await run({
      env: { ...process.env },
      logger,
      setOutput: (name, value) => (outputs[name] = value),
      maskSecret: (secret) => masked.push(secret),
      artifactStore: defaultArtifactStore(),
      pluginCache: actionsPluginCache(logger),
    });
  } catch (error) {
    out.error = error as Error;
  } finally {
    quiet.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  out.summary = await readFile(summaryFile, "utf8");
  return out;
}

/**
 * Runs `fn` with the real @actions/artifact client as a job of run `runId` sees it (what a person
 * with write access to the run's artifacts could do between the plan and the apply job).
 */
export async function asJobOfRun<T>(
  results: ResultsService,
  runId: string,
  fn: (client: DefaultArtifactClient) => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, results.runtimeEnv(runId, "outsider"));
  const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return await fn(new DefaultArtifactClient());
  } finally {
    quiet.mockRestore();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** The files of one artifact of a run, by file name. */
export async function readArtifact(
  results: ResultsService,
  runId: string,
  name: string,
  dir: string,
): Promise<Map<string, string>> {
  return asJobOfRun(results, runId, async (client) => {
    const { artifact } = await client.getArtifact(name);
    await client.downloadArtifact(artifact.id, { path: dir });
    const files = new Map<string, string>();
    for (const f of await readdir(dir)) files.set(f, await readFile(path.join(dir, f), "utf8"));
    return files;
  });
}

/** Replaces an artifact of a run with one file of the given content (same name, new bytes). */
export async function replaceArtifact(
  results: ResultsService,
  runId: string,
  name: string,
  file: string,
  content: string,
  dir: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, file), content);
  await asJobOfRun(results, runId, async (client) => {
    await client.deleteArtifact(name);
    await client.uploadArtifact(name, [path.join(dir, file)], dir);
  });
}
