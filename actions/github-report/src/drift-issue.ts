import { mkdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { renderDriftMarkdown, type DriftReport } from "../../lib/drift/classify.js";
import { ConfigurationError } from "../../lib/errors.js";
import type { GitHubClient } from "../../lib/github/client.js";
import { fitComment } from "../../lib/github/fit-comment.js";
import { syncTrackingIssue } from "../../lib/github/tracking-issue.js";
import type { GitHubReportDeps } from "./deps.js";
import { readRunEvent } from "./event.js";
import type { GitHubReportInputs } from "./inputs.js";

export const DRIFT_LABEL = {
  name: "pve-kube:drift",
  color: "d93f0b",
  description: "pve-kube found the cluster different from cluster.yaml",
};

async function loadReport(
  inputs: GitHubReportInputs,
  deps: GitHubReportDeps,
): Promise<DriftReport> {
  if (inputs["drift-report"])
    return JSON.parse(await readFile(inputs["drift-report"], "utf8")) as DriftReport;
  if (!inputs.artifact || !deps.artifactStore)
    throw new ConfigurationError(
      "drift-issue needs the drift report: the artifact input (drift-check's artifact output) or drift-report",
      "pass artifact: ${{ needs.<check job>.outputs.artifact }}",
    );
  const { artifact } = await deps.artifactStore.getArtifact(inputs.artifact);
  const dir = path.join(
    deps.env.RUNNER_TEMP ?? os.tmpdir(),
    "pve-kube",
    "download",
    inputs.artifact,
  );
  await mkdir(dir, { recursive: true });
  await deps.artifactStore.downloadArtifact(artifact.id, { path: dir });
  return JSON.parse(await readFile(path.join(dir, "drift.json"), "utf8")) as DriftReport;
}

/**
 * drift-issue: ONE issue per cluster. Drift → opened, or updated with a comment on re-detection;
 * no drift → closed; a check that failed changes nothing (it proves neither drift nor its absence).
 */
export async function driftIssue(
  inputs: GitHubReportInputs,
  deps: GitHubReportDeps,
  client: GitHubClient,
): Promise<void> {
  const { logger } = deps;
  const report = await loadReport(inputs, deps);
  const event = readRunEvent(deps.env);
  if (report.status === "error") {
    logger.warning(
      `the drift check failed (${report.error ?? "unknown"}): the drift issue is left as it is`,
    );
    return;
  }
  const markdown = renderDriftMarkdown(report, event.runUrl);
  const fitted = fitComment(
    markdown,
    (n) =>
      `> [!NOTE]\n> ${n} more lines: see the job summary${event.runUrl ? ` of [the run](${event.runUrl})` : ""}.`,
    60000,
  );
  const result = await syncTrackingIssue({
    client,
    repo: { owner: event.owner, repo: event.repo },
    label: DRIFT_LABEL,
    marker: { v: 1, kind: "drift", cluster: report.cluster, environment: inputs.environment },
    ...(report.status === "detected"
      ? {
          present: {
            title: `Drift in cluster ${report.cluster} (${inputs.environment})`,
            body: fitted.body,
            comment: `Still drifting at ${report.checkedAt}${event.runUrl ? ` ([run](${event.runUrl}))` : ""}: ${report.findings.filter((f) => f.drift).length} finding(s).`,
          },
        }
      : {}),
    resolvedComment: `No drift any more at ${report.checkedAt}${event.runUrl ? ` ([run](${event.runUrl}))` : ""}: closing.`,
    logger,
  });
  logger.info(`drift issue: ${result.action}${result.url ? ` ${result.url}` : ""}`);
  if (result.url) deps.setOutput("issue-url", result.url);
  if (inputs["fail-on-drift"] && report.status === "detected")
    throw new Error(
      `drift detected in cluster ${report.cluster}: ${result.url ?? "see the job summary"}`,
    );
}
