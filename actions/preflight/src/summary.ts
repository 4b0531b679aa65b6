import { table } from "../../lib/report/markdown.js";
import type { CheckOutcome, CheckResult } from "./outcome.js";
import type { PreflightReport } from "./preflight.js";

const ICON: Record<CheckResult, string> = {
  pass: "✅ pass",
  warn: "⚠️ warn",
  fail: "❌ fail",
  skipped: "⏭️ skipped",
};

/** The job-summary section: a headline and one table row per check. */
export function preflightSummary(
  report: Pick<PreflightReport, "cluster" | "outcomes" | "passed" | "proxmoxVersion">,
  endpoint?: string,
): string {
  const failed = report.outcomes.filter((o) => o.result === "fail").length;
  const warned = report.outcomes.filter((o) => o.result === "warn").length;
  const headline = report.passed
    ? `✅ all checks passed${warned ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}`
    : `❌ ${failed} check${failed > 1 ? "s" : ""} failed`;
  const where = endpoint
    ? `Proxmox ${report.proxmoxVersion ? `VE ${report.proxmoxVersion} ` : ""}at ${endpoint}`
    : "";
  return [
    `## pve-kube preflight — cluster \`${report.cluster}\`: ${headline}`,
    where,
    table(
      ["Check", "Result", "Detail", "How to fix"],
      report.outcomes.map((o: CheckOutcome) => [o.check, ICON[o.result], o.detail, o.fix ?? ""]),
    ),
  ]
    .filter(Boolean)
    .join("\n\n");
}
