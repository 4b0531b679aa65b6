import path from "node:path";
import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig, type LoadedConfig } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  type ProxmoxClient,
  type ProxmoxClientOptions,
} from "../../lib/proxmox/index.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { finishPhase, parsePhaseSelection } from "../../lib/state/index.js";
import { checkEnvironment, checkRunner, clusterIdentity } from "./check-gates.js";
import type { AddressProbe } from "./check-network.js";
import { inputSchema } from "./inputs.js";
import { describeError, fail, hasFailures, warn, type CheckOutcome } from "./outcome.js";
import { runPreflight, type PreflightReport } from "./preflight.js";
import { preflightSummary } from "./summary.js";

/** Everything the action touches outside its logic, replaceable in tests. */
export interface PreflightDeps extends ActionDeps {
  probe?: AddressProbe;
  ownAddresses?: () => string[];
  virtCustomizeCommand?: string;
  /** retry backoff and clock of the Proxmox client (tests make them instant) */
  proxmoxTiming?: Partial<Pick<ProxmoxClientOptions, "retry" | "clock">>;
}

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): PreflightDeps {
  return actionDeps(env);
}

/**
 * The preflight action: parse inputs, validate cluster.yaml, run every check read-only, write
 * the summary table, outputs and phase state, and fail the step on any failed check.
 */
export async function run(deps: PreflightDeps = defaultDeps()): Promise<PreflightReport> {
  const { env, logger } = deps;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  // the secret input is masked before it is used for anything (resolveConnection masks it again)
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  // the deploy workflow's phases input: a typo must stop the run here, not skip a phase silently
  const phases = parsePhaseSelection(inputs.phases);
  logger.info(`phases to run: ${phases.join(", ")}`);
  deps.setOutput("phases", JSON.stringify(phases));

  let loaded: LoadedConfig;
  try {
    loaded = await loadClusterConfig(inputs.cluster, {
      cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      const report: PreflightReport = {
        cluster: inputs.cluster,
        outcomes: [
          fail(
            "cluster.yaml valid",
            error.message,
            "fix every listed problem; `pve-kube validate <file>` checks it locally",
          ),
        ],
        passed: false,
      };
      await appendJobSummary(preflightSummary(report), logger, env);
    }
    throw error;
  }

  // who may run the privileged phases where: decided before Proxmox is even asked
  deps.setOutput("cluster-identity", clusterIdentity(loaded.plan));
  const gates: CheckOutcome[] = [
    ...(inputs["require-environment"] ? [checkEnvironment(inputs.environment)] : []),
    ...checkRunner(inputs["runner-labels"], env),
    // a deploy's preflight and plan job run before any approval: they should hold the read-only
    // token, so the write token can stay a secret of the protected environment
    ...(inputs["require-environment"] && inputs["token-access"] === "write" && !inputs["gates-only"]
      ? [
          warn(
            "read-only token",
            "preflight runs with the write token, outside the protected environment (no PROXMOX_READONLY_TOKEN_ID given)",
            "create a read-only token (PVEKubeReadOnly role; preflight prints the commands with token-access read-only), pass it as PROXMOX_READONLY_TOKEN_ID/PROXMOX_READONLY_TOKEN_SECRET, and keep PROXMOX_TOKEN_SECRET a secret of the environment only",
          ),
        ]
      : []),
  ];
  if (hasFailures(gates) || inputs["gates-only"]) {
    const report: PreflightReport = {
      cluster: loaded.plan.cluster,
      outcomes: gates,
      passed: !hasFailures(gates),
    };
    await appendJobSummary(preflightSummary(report), logger, env);
    deps.setOutput("passed", String(report.passed));
    deps.setOutput("report", JSON.stringify(report.outcomes));
    if (!report.passed) throw failedChecks(report);
    return report;
  }

  let client: ProxmoxClient;
  try {
    client = await createProxmoxClient({
      ...connectionForCluster(loaded, connectionInputsOf(inputs), env),
      logger,
      env,
      maskSecret: deps.maskSecret,
      ...deps.proxmoxTiming,
    });
  } catch (error) {
    const { detail, fix } = describeError(error);
    const report: PreflightReport = {
      cluster: loaded.plan.cluster,
      outcomes: [fail("Proxmox connection settings", detail, fix)],
      passed: false,
    };
    await appendJobSummary(preflightSummary(report), logger, env);
    throw error;
  }
  let report: PreflightReport;
  try {
    report = await runPreflight(client, loaded, logger, {
      networkChecks: inputs["network-checks"],
      phases,
      gates,
      privileges: {
        access: inputs["token-access"],
        ...(inputs["write-token-id"] ? { writeTokenId: inputs["write-token-id"] } : {}),
      },
      simulateCustomize: inputs["simulate-customize"],
      ...(inputs["template-image-file"]
        ? {
            prebuiltImage: path.resolve(
              env.GITHUB_WORKSPACE ?? process.cwd(),
              inputs["template-image-file"],
            ),
          }
        : {}),
      ...(deps.probe ? { probe: deps.probe } : {}),
      ...(deps.ownAddresses ? { ownAddresses: deps.ownAddresses } : {}),
      ...(deps.virtCustomizeCommand ? { virtCustomizeCommand: deps.virtCustomizeCommand } : {}),
    });
  } finally {
    await client.close();
  }

  for (const o of report.outcomes) {
    const line = `${o.result.toUpperCase().padEnd(7)} ${o.check}: ${o.detail}${o.fix ? ` — fix: ${o.fix}` : ""}`;
    if (o.result === "fail") logger.error(line);
    else if (o.result === "warn") logger.warning(line);
    else logger.info(line);
  }
  deps.setOutput("passed", String(report.passed));
  deps.setOutput("proxmox-version", report.proxmoxVersion ?? "");
  deps.setOutput("report", JSON.stringify(report.outcomes));
  await finishPhase({
    plan: loaded.plan,
    env,
    logger,
    artifactStore: deps.artifactStore,
    summary: preflightSummary(report, client.endpoint.url),
    state: {
      phase: "preflight",
      status: report.passed ? "succeeded" : "failed",
      startedAt,
      timings: [],
      outputs: {
        proxmoxVersion: report.proxmoxVersion ?? "unknown",
        checks: report.outcomes.map(({ check, result, detail }) => ({ check, result, detail })),
      },
    },
    // the checks are the point of preflight; a state upload problem must not hide their result
    uploadFailureIsWarning: !report.passed,
  });

  if (!report.passed) throw failedChecks(report);
  return report;
}

function failedChecks(report: PreflightReport): ConfigurationError {
  const failed = report.outcomes.filter((o) => o.result === "fail");
  const names = failed.map((o) => o.check);
  return new ConfigurationError(
    `${failed.length} preflight check${failed.length > 1 ? "s" : ""} failed: ${names.slice(0, 8).join(", ")}${names.length > 8 ? `, and ${names.length - 8} more` : ""}`,
    "see the table in the job summary for each fix",
  );
}
