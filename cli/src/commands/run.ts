import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigurationError, ConfigurationErrors } from "../../../actions/lib/errors.js";
import type { EventName } from "../../../local/runner/context.js";
import type { CliCommand, CliIo } from "../command.js";

const EVENTS: readonly EventName[] = ["workflow_dispatch", "workflow_call", "push", "pull_request", "schedule"];

const USAGE_LINE =
  "usage: pve-kube run <workflow.yml> [--input k=v]... [--secret k=v | --secret NAME]... [--var k=v]... [--event E] [--job ID] [--report FILE] [--workdir DIR] [--max-parallel N] [--debug]";

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
  "  --report FILE     where to write the Markdown report (default .local-run/<run-id>/report.md)",
  "  --workdir DIR     GITHUB_WORKSPACE (default: the checkout itself; actions/checkout then copies nothing)",
  "  --max-parallel N  jobs running at once (default 2)",
  "  --debug           show ::debug:: lines and set RUNNER_DEBUG=1",
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
  debug: boolean;
}

function pairs(values: readonly string[] | undefined, flag: string, env: NodeJS.ProcessEnv, problems: ConfigurationError[], fromEnv = false): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    if (eq > 0) {
      result[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (fromEnv && eq < 0 && value !== "") {
      const fromEnvironment = env[value];
      if (fromEnvironment === undefined) problems.push(new ConfigurationError(`${flag} ${value}: the environment variable ${value} is not set`, `export ${value}=... or pass ${flag} ${value}=<value>`));
      else result[value] = fromEnvironment;
    } else {
      problems.push(new ConfigurationError(`${flag} '${value}' must be name=value${fromEnv ? " (or NAME to read the environment variable)" : ""}`, USAGE_LINE));
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
        debug: { type: "boolean" },
      },
    });
  } catch (error) {
    throw new ConfigurationError((error as Error).message, USAGE_LINE);
  }
  const { values, positionals } = parsed;
  const problems: ConfigurationError[] = [];
  if (positionals.length !== 1) problems.push(new ConfigurationError(positionals.length === 0 ? "no workflow file given" : `one workflow at a time, got ${positionals.length}`, USAGE_LINE));
  const event = values.event;
  if (event !== undefined && !(EVENTS as readonly string[]).includes(event)) problems.push(new ConfigurationError(`--event '${event}' is not supported`, `use one of ${EVENTS.join(", ")}`));
  let maxParallel: number | undefined;
  if (values["max-parallel"] !== undefined) {
    maxParallel = Number(values["max-parallel"]);
    if (!Number.isInteger(maxParallel) || maxParallel < 1) problems.push(new ConfigurationError(`--max-parallel must be a whole number ≥ 1, got '${values["max-parallel"]}'`));
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
    debug: values.debug ?? false,
  };
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return result;
}

export async function runWorkflowCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseRunArgs(args, io.env);
  const workflowFile = path.resolve(io.cwd, parsed.workflow);
  if (!existsSync(workflowFile)) throw new ConfigurationError(`workflow file ${parsed.workflow} not found`, "give the path of a workflow .yml, e.g. .github/workflows/deploy.yml");
  // loaded lazily: the parser, runner and results service are only needed by this command
  const { runWorkflow, checkoutOf, killAllStepProcesses } = await import("../../../local/runner/index.js");
  const { startResultsService } = await import("../../../local/results/index.js");
  const checkout = checkoutOf(workflowFile, io.cwd);
  // one results service for the run; its data folder is kept, so caches survive into the next run
  const results = await startResultsService({ dataDir: path.join(checkout, ".local-run", "results") });
  const controller = new AbortController();
  const onForce = () => {
    io.stderr.write("\nstopping at once: killing the running steps\n");
    killAllStepProcesses();
    process.exit(130);
  };
  // steps run in their own process groups, so the runner forwards the stop itself
  const onSignal = () => {
    io.stderr.write("\ncancelling the run (always() and post steps and the report still run; press Ctrl-C again to stop at once)\n");
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
      event: parsed.event,
      inputs: parsed.inputs,
      secrets: parsed.secrets,
      vars: parsed.vars,
      job: parsed.job,
      reportFile: parsed.report ? path.resolve(io.cwd, parsed.report) : undefined,
      maxParallel: parsed.maxParallel,
      debug: parsed.debug,
      out: io.stdout,
      env: io.env,
      signal: controller.signal,
      results,
    });
    return result.conclusion === "success" ? 0 : result.conclusion === "cancelled" ? 130 : 1;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.removeListener(signal, onSignal);
      process.removeListener(signal, onForce);
    }
    await results.close();
  }
}

export const runCommand: CliCommand = {
  name: "run",
  summary: "run a workflow locally, job by job, with the GitHub Actions runner contract",
  usage: USAGE,
  run: runWorkflowCommand,
};
