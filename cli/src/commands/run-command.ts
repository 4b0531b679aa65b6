import { existsSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigurationError, ConfigurationErrors } from "../../../actions/lib/errors.js";
import type { EventName } from "../../../local/runner/context.js";
import type { LoadedWorkflow } from "../../../local/runner/parse.js";
import type { CliCommand, CliIo } from "../command.js";
// the two small modules, not sim/index.js: pve-sim itself runs in its own process
import { describeFaults } from "../../../sim/fault-profiles.js";
import { parseFaultSpec } from "../../../sim/faults.js";
import { startSimForRun, type SimRun } from "./run-sim.js";

const EVENTS: readonly EventName[] = [
  "workflow_dispatch",
  "workflow_call",
  "push",
  "pull_request",
  "schedule",
];

const USAGE_LINE =
  "usage: pve-kube run <workflow.yml> [--input k=v]... [--secret k=v | --secret NAME]... [--var k=v]... [--event E] [--job ID] [--report FILE] [--workdir DIR] [--max-parallel N] [--local-run DIR] [--debug] [--sim [--sim-port N] [--sim-time-scale F] [--sim-state DIR] [--sim-faults SPEC] [--sim-seed N]]";

const USAGE = [
  USAGE_LINE,
  "",
  "Runs a workflow here, job by job, with the runner contract of GitHub Actions: this checkout's",
  "JavaScript actions through their built dist/, run: steps with bash, reusable workflows of this",
  "checkout, matrix, needs, if:, outputs, post steps, masks. Nothing is sent to GitHub.",
  "",
  "  --input k=v       a workflow_dispatch / workflow_call input (repeatable)",
  "  --secret k=v      a secret, masked in all output from the start (repeatable)",
  "  --secret NAME     the same, value taken from the environment variable NAME (keeps it out of ps)",
  "  --var k=v         a configuration variable (the vars context)",
  `  --event E         ${EVENTS.join(" | ")} (default: workflow_dispatch if the workflow has it, else workflow_call, ...)`,
  "  --job ID          run only this job and the jobs it needs",
  "  --report FILE     where to write the Markdown report (default <local-run>/<run-id>/report.md)",
  "  --workdir DIR     GITHUB_WORKSPACE (default: the checkout itself; actions/checkout then copies nothing)",
  "  --max-parallel N  jobs running at once (default 2)",
  "  --local-run DIR   where the run keeps its things: a folder per run (log, report), the results",
  "                    service's artifacts and caches, concurrency-group locks, the tool cache and",
  "                    (with --sim) pve-sim's state (default .local-run in the checkout); runs with",
  "                    different folders share none of it, so they can run side by side",
  "  --debug           show ::debug:: lines and set RUNNER_DEBUG=1",
  "  --sim             the embedded demo: run against pve-sim started for this run (state kept in",
  "                    <local-run>/pve-sim/), passing its URL and certificate fingerprint as the",
  "                    proxmox-url / proxmox-fingerprint inputs, two tokens set up as",
  "                    docs/proxmox-client.md does (roles granted on the cluster's pool, storages,",
  "                    nodes and bridge only, never on /) as the PROXMOX_TOKEN_* and",
  "                    PROXMOX_READONLY_TOKEN_* secrets,",
  "                    simulate-customize=true and a fresh STATE_KEY (each only if the workflow declares",
  "                    it and you did not give it); prints the Proxmox changes the run made",
  "  --sim-port N      pve-sim's port (default 8006; 0 picks a free one)",
  "  --sim-time-scale F  pve-sim task durations: 1 = realistic, 0 = instant (default 0.25)",
  "  --sim-state DIR   where pve-sim and the OpenTofu state are kept (default <local-run>/pve-sim)",
  "  --sim-faults SPEC pve-sim injects faults for this run, as `pve-kube sim --faults`: a profile",
  "                    (profile=all | profile=writes) or keys (5xx=0.05,596=0.05,lock=0.1,scope=writes)",
  "  --sim-seed N      seed of pve-sim's fault sequence, as `pve-kube sim --seed` (default 1): the same",
  "                    faults at the same requests, given the same order of requests",
  "",
  "The checkout is the folder holding the workflow's .github/ folder (else the current folder).",
  "Exit code 0 when every job succeeded or was skipped, 1 when a job failed, 130 when cancelled.",
].join("\n");

export interface RunArgs {
  workflow: string;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  event?: EventName;
  job?: string;
  report?: string;
  workdir?: string;
  maxParallel?: number;
  /** --local-run: where the run keeps its folders; default `<checkout>/.local-run` */
  localRun?: string;
  debug: boolean;
  sim?: { port: number; timeScale: number; stateDir?: string; faults?: string; seed?: number };
}

function pairs(
  values: readonly string[] | undefined,
  flag: string,
  env: NodeJS.ProcessEnv,
  problems: ConfigurationError[],
  fromEnv = false,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    if (eq > 0) {
      result[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (fromEnv && eq < 0 && value !== "") {
      const fromEnvironment = env[value];
      if (fromEnvironment === undefined)
        problems.push(
          new ConfigurationError(
            `${flag} ${value}: the environment variable ${value} is not set`,
            `export ${value}=... or pass ${flag} ${value}=<value>`,
          ),
        );
      else result[value] = fromEnvironment;
    } else {
      problems.push(
        new ConfigurationError(
          `${flag} '${value}' must be name=value${fromEnv ? " (or NAME to read the environment variable)" : ""}`,
          USAGE_LINE,
        ),
      );
    }
  }
  return result;
}

/** argv → run arguments; every mistake at once. */
export function parseRunArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        input: { type: "string", multiple: true },
        secret: { type: "string", multiple: true },
        var: { type: "string", multiple: true },
        event: { type: "string" },
        job: { type: "string" },
        report: { type: "string" },
        workdir: { type: "string" },
        "max-parallel": { type: "string" },
        "local-run": { type: "string" },
        debug: { type: "boolean" },
        sim: { type: "boolean" },
        "sim-port": { type: "string" },
        "sim-time-scale": { type: "string" },
        "sim-state": { type: "string" },
        "sim-faults": { type: "string" },
        "sim-seed": { type: "string" },
      },
    });
  } catch (error) {
    throw new ConfigurationError((error as Error).message, USAGE_LINE);
  }
  const { values, positionals } = parsed;
  const problems: ConfigurationError[] = [];
  if (positionals.length !== 1)
    problems.push(
      new ConfigurationError(
        positionals.length === 0
          ? "no workflow file given"
          : `one workflow at a time, got ${positionals.length}`,
        USAGE_LINE,
      ),
    );
  const event = values.event;
  if (event !== undefined && !(EVENTS as readonly string[]).includes(event))
    problems.push(
      new ConfigurationError(
        `--event '${event}' is not supported`,
        `use one of ${EVENTS.join(", ")}`,
      ),
    );
  let maxParallel: number | undefined;
  if (values["max-parallel"] !== undefined) {
    maxParallel = Number(values["max-parallel"]);
    if (!Number.isInteger(maxParallel) || maxParallel < 1)
      problems.push(
        new ConfigurationError(
          `--max-parallel must be a whole number ≥ 1, got '${values["max-parallel"]}'`,
        ),
      );
  }
  const simNumber = (
    flag: "sim-port" | "sim-time-scale" | "sim-seed",
    fallback: number,
    check: (n: number) => boolean,
    what: string,
  ): number => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!check(n))
      problems.push(new ConfigurationError(`--${flag} must be ${what}, got '${text}'`));
    if (!values.sim)
      problems.push(
        new ConfigurationError(
          `--${flag} only applies with --sim`,
          "add --sim, or drop the option",
        ),
      );
    return n;
  };
  const simPort = simNumber(
    "sim-port",
    8006,
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    "a port number (0 picks a free one)",
  );
  const simTimeScale = simNumber(
    "sim-time-scale",
    0.25,
    (n) => Number.isFinite(n) && n >= 0,
    "a number ≥ 0",
  );
  // pve-sim's own default (1) when not given, so a run without --sim-seed is what it always was
  const simSeed =
    values["sim-seed"] === undefined
      ? undefined
      : simNumber("sim-seed", 1, (n) => Number.isSafeInteger(n) && n >= 0, "a whole number ≥ 0");
  const simFaults = values["sim-faults"];
  if (simFaults !== undefined) {
    try {
      parseFaultSpec(simFaults);
    } catch (error) {
      problems.push(
        new ConfigurationError(
          `--sim-faults: ${(error as Error).message}`,
          "e.g. --sim-faults profile=writes (pve-kube sim --help)",
        ),
      );
    }
    if (!values.sim)
      problems.push(
        new ConfigurationError(
          "--sim-faults only applies with --sim",
          "add --sim, or drop the option",
        ),
      );
  }
  const result: RunArgs = {
    workflow: positionals[0] ?? "",
    inputs: pairs(values.input, "--input", env, problems),
    secrets: pairs(values.secret, "--secret", env, problems, true),
    vars: pairs(values.var, "--var", env, problems),
    event: event as EventName | undefined,
    job: values.job,
    report: values.report,
    workdir: values.workdir,
    maxParallel,
    ...(values["local-run"] ? { localRun: values["local-run"] } : {}),
    debug: values.debug ?? false,
    ...(values.sim
      ? {
          sim: {
            port: simPort,
            timeScale: simTimeScale,
            ...(values["sim-state"] ? { stateDir: values["sim-state"] } : {}),
            ...(simFaults ? { faults: simFaults } : {}),
            ...(simSeed !== undefined ? { seed: simSeed } : {}),
          },
        }
      : {}),
  };
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return result;
}

export async function runWorkflowCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseRunArgs(args, io.env);
  const workflowFile = path.resolve(io.cwd, parsed.workflow);
  if (!existsSync(workflowFile))
    throw new ConfigurationError(
      `workflow file ${parsed.workflow} not found`,
      "give the path of a workflow .yml, e.g. .github/workflows/deploy.yml",
    );
  // loaded lazily: the parser, runner and results service are only needed by this command
  const { runWorkflow, checkoutOf, killAllStepProcesses, WorkflowCache } =
    await import("../../../local/runner/index.js");
  const { startResultsService } = await import("../../../local/results/index.js");
  const checkout = checkoutOf(workflowFile, io.cwd);
  // parsed once: --sim reads the declared inputs, the run reads the jobs
  const workflows = new WorkflowCache({ checkout });
  const localRun = parsed.localRun
    ? path.resolve(io.cwd, parsed.localRun)
    : path.join(checkout, ".local-run");
  const simRun = parsed.sim
    ? await startDemoSim(await workflows.load(workflowFile), checkout, localRun, parsed, io)
    : undefined;
  // one results service for the run; its data folder is kept, so caches survive into the next run
  const results = await startResultsService({ dataDir: path.join(localRun, "results") });
  const controller = new AbortController();
  const onForce = () => {
    io.stderr.write("\nstopping at once: killing the running steps\n");
    killAllStepProcesses();
    process.exit(130);
  };
  // steps run in their own process groups, so the runner forwards the stop itself
  const onSignal = () => {
    io.stderr.write(
      "\ncancelling the run (always() and post steps and the report still run; press Ctrl-C again to stop at once)\n",
    );
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    process.once("SIGINT", onForce);
    process.once("SIGTERM", onForce);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await runWorkflow({
      workflowFile,
      checkout,
      workspace: parsed.workdir ? path.resolve(io.cwd, parsed.workdir) : undefined,
      localRunDir: localRun,
      event: parsed.event,
      inputs: simRun?.inputs ?? parsed.inputs,
      secrets: simRun?.secrets ?? parsed.secrets,
      vars: parsed.vars,
      job: parsed.job,
      reportFile: parsed.report ? path.resolve(io.cwd, parsed.report) : undefined,
      maxParallel: parsed.maxParallel,
      debug: parsed.debug,
      workflows,
      out: io.stdout,
      env: simRun?.env ?? io.env,
      signal: controller.signal,
      results,
    });
    if (simRun) {
      const changes = await simRun.changesReport();
      io.stdout.write(`${changes.text}\n`);
      await appendFile(result.reportFile, `\n${changes.markdown}\n`);
    }
    return result.conclusion === "success" ? 0 : result.conclusion === "cancelled" ? 130 : 1;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.removeListener(signal, onSignal);
      process.removeListener(signal, onForce);
    }
    await results.close();
    await simRun?.sim.close();
  }
}

/** Starts pve-sim for `--sim`, filling in only the inputs and secrets the workflow declares. */
async function startDemoSim(
  workflow: LoadedWorkflow,
  checkout: string,
  localRun: string,
  parsed: RunArgs,
  io: CliIo,
): Promise<SimRun> {
  const { readTriggers } = await import("../../../local/runner/triggers.js");
  const triggers = readTriggers(workflow.root);
  const simRun = await startSimForRun({
    checkout,
    port: parsed.sim?.port ?? 8006,
    timeScale: parsed.sim?.timeScale ?? 0.25,
    folder: parsed.sim?.stateDir
      ? path.resolve(io.cwd, parsed.sim.stateDir)
      : path.join(localRun, "pve-sim"),
    ...(parsed.sim?.faults ? { faults: parsed.sim.faults } : {}),
    ...(parsed.sim?.seed !== undefined ? { seed: parsed.sim.seed } : {}),
    declaredInputs: new Set(
      [...triggers.dispatchInputs, ...triggers.callInputs].map((i) => i.name),
    ),
    inputs: parsed.inputs,
    secrets: parsed.secrets,
    env: io.env,
    // the entry this process runs from (the bundled CLI); pve-sim's process is started from it
    cliEntry: process.argv[1] ?? "",
    say: (line) => io.stdout.write(`${line}\n`),
  });
  io.stdout.write(
    `pve-sim: ${simRun.sim.url} · nodes pve1..pve3 · task time scale ${parsed.sim?.timeScale ?? 0.25}${parsed.sim?.faults ? ` · faults ${describeFaults(parseFaultSpec(parsed.sim.faults))}${parsed.sim.seed !== undefined ? `, seed ${parsed.sim.seed}` : ""}` : ""} · state ${path.relative(checkout, simRun.folder)}/ (delete it to start over)\n`,
  );
  return simRun;
}

export const runCommand: CliCommand = {
  name: "run",
  summary: "run a workflow locally, job by job, with the GitHub Actions runner contract",
  usage: USAGE,
  run: runWorkflowCommand,
};
