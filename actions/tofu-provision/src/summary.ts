import { formatDuration, table } from "../../lib/report/markdown.js";
import type { Timing } from "../../lib/state/index.js";
import { planMarkdown } from "../../lib/tofu/plan-report.js";
import type { ModeOutcome } from "./modes.js";

export interface SummaryFacts {
  cluster: string;
  mode: "plan" | "apply" | "destroy";
  outcome: ModeOutcome;
  tool: string;
  backend: string;
  localStatePath?: string;
  lockFile: "verify" | "regenerate";
  templateVmid: number;
  timings: Timing[];
  planArtifact?: string;
}

const TITLE = { plan: "plan", apply: "apply", destroy: "destroy" } as const;

/** The job-summary section of one tofu-provision run. */
export function tofuProvisionSummary(f: SummaryFacts): string {
  const parts = [`### tofu-provision (${TITLE[f.mode]}): ${f.cluster}`];
  if (f.outcome.refusal)
    parts.push(`> [!WARNING]\n> apply will refuse this plan: ${f.outcome.refusal}`);
  parts.push(
    planMarkdown(f.outcome.summary, {
      cluster: f.cluster,
      mode: f.mode,
      applied: f.outcome.applied,
      ...(f.outcome.sha256 ? { sha256: f.outcome.sha256 } : {}),
    }),
  );
  if (f.mode !== "plan" && f.outcome.inventory.length > 0) {
    parts.push(
      `#### Inventory\n\n${table(
        ["VM", "role", "VMID", "node", "IP"],
        f.outcome.inventory.map((vm) => [vm.name, vm.role, vm.vmid, vm.node, vm.ip]),
      )}`,
    );
  }
  if (f.outcome.retries?.length) {
    parts.push(
      `#### Retried within this run (${f.outcome.retries.length})\n\n${table(
        ["step", "attempt", "why", "error", "time lost"],
        f.outcome.retries.map((r) => [
          r.step ?? "tofu apply",
          r.attempt,
          r.reason,
          r.error,
          `${(r.costMs / 1000).toFixed(1)} s`,
        ]),
      )}`,
    );
  }
  const facts: string[][] = [
    ["tool", f.tool],
    ["template", String(f.templateVmid)],
    [
      "state backend",
      f.localStatePath ? `local: ${f.localStatePath} (this runner only)` : f.backend,
    ],
    [
      "provider lock",
      f.lockFile === "verify" ? "committed lock file, read-only" : "regenerated on this runner",
    ],
  ];
  if (f.planArtifact) facts.push(["stored plan", `${f.planArtifact} (AES-256-GCM)`]);
  parts.push(table(["", ""], facts));
  if (f.timings.length > 0)
    parts.push(
      table(
        ["step", "time"],
        f.timings.map((t) => [t.step, formatDuration(t.ms)]),
      ),
    );
  return parts.join("\n\n");
}
