import * as core from "@actions/core";
import { loadClusterConfig } from "../../lib/config/index.js";
import { readInputs } from "../../lib/inputs.js";
import { actionsLogger, type Logger } from "../../lib/logger.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { defaultArtifactStore, parsePhaseSelection, type ArtifactStore } from "../../lib/state/index.js";
import { collectPhaseStates, parseJobResults } from "./collect.js";
import { inputSchema } from "./inputs.js";
import { overallConclusion, phaseRows, type PhaseRow } from "./phase-rows.js";
import { renderDeployReport } from "./render.js";

export interface DeployReportDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  setOutput: (name: string, value: string) => void;
  artifactStore?: ArtifactStore;
}

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): DeployReportDeps {
  return {
    env,
    logger: actionsLogger,
    setOutput: (name, value) => core.setOutput(name, value),
    ...(env.ACTIONS_RUNTIME_TOKEN ? { artifactStore: defaultArtifactStore() } : {}),
  };
}

const inputFrom = (env: NodeJS.ProcessEnv) => (name: string) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();

export interface DeployReportOutcome {
  conclusion: "success" | "failure" | "cancelled";
  rows: PhaseRow[];
  markdown: string;
}

/** The deploy-report action: reads this run's phase states and job results, writes the report. */
export async function run(deps: DeployReportDeps = defaultDeps()): Promise<DeployReportOutcome> {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFrom(env));
  const requested = parsePhaseSelection(inputs.phases);
  const jobs = parseJobResults(inputs["job-results"]);
  const { plan } = await loadClusterConfig(inputs.cluster, { cwd: env.GITHUB_WORKSPACE ?? process.cwd() });
  const states = await collectPhaseStates(plan.cluster, deps.artifactStore, logger);
  const rows = phaseRows(requested, jobs, states);
  const markdown = renderDeployReport({ plan, rows, states });
  await appendJobSummary(markdown, logger, env);
  for (const row of rows) logger.info(`${row.phase.padEnd(18)} ${row.status}${row.note ? ` — ${row.note}` : ""}`);
  const conclusion = overallConclusion(rows);
  deps.setOutput("conclusion", conclusion);
  deps.setOutput("simulated", String(rows.some((r) => r.simulatedSteps.length > 0)));
  return { conclusion, rows, markdown };
}
