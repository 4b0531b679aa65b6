import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { parsePhaseSelection } from "../../lib/state/index.js";
import { collectPhaseStates, parseJobResults } from "./collect.js";
import { inputSchema } from "./inputs.js";
import { overallConclusion, phaseRows, type PhaseRow } from "./phase-rows.js";
import { renderDeployReport } from "./render.js";

export type DeployReportDeps = Omit<ActionDeps, "maskSecret">;

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): DeployReportDeps {
  return actionDeps(env);
}

export interface DeployReportOutcome {
  conclusion: "success" | "failure" | "cancelled";
  rows: PhaseRow[];
  markdown: string;
}

/** The deploy-report action: reads this run's phase states and job results, writes the report. */
export async function run(deps: DeployReportDeps = defaultDeps()): Promise<DeployReportOutcome> {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  const requested = parsePhaseSelection(inputs.phases);
  const jobs = parseJobResults(inputs["job-results"]);
  const { plan } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const states = await collectPhaseStates(plan.cluster, deps.artifactStore, logger);
  const rows = phaseRows(requested, jobs, states);
  const markdown = renderDeployReport({ plan, rows, states });
  await appendJobSummary(markdown, logger, env);
  for (const row of rows)
    logger.info(`${row.phase.padEnd(18)} ${row.status}${row.note ? ` — ${row.note}` : ""}`);
  const conclusion = overallConclusion(rows);
  deps.setOutput("conclusion", conclusion);
  deps.setOutput("simulated", String(rows.some((r) => r.simulatedSteps.length > 0)));
  return { conclusion, rows, markdown };
}
