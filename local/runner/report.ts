import { details, formatDuration, table } from "../../actions/lib/report/markdown.js";
import { ICONS } from "./log.js";
import type { Masker } from "./masker.js";
import type { Annotation, ArtifactInfo, Conclusion, JobRecord } from "./types.js";

/**
 * The Markdown report of a local run: the overview, per-job and per-step timings, every step
 * summary in order, annotations, outputs, and where the artifacts are. The masker runs over the
 * whole document last, so a value masked at any point of the run never appears.
 */
export interface ReportData {
  workflowName: string;
  workflowFile: string;
  event: string;
  runId: string;
  conclusion: Conclusion;
  startedAt: number;
  durationMs: number;
  workspace: string;
  runDir: string;
  logFile: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, string>;
  jobs: readonly JobRecord[];
  annotations: readonly Annotation[];
  artifacts?: { service: string; dataDir?: string; items: readonly ArtifactInfo[] };
}

const status = (c: Conclusion) => `${ICONS[c]} ${c}`;

function keyValue(title: string, values: Record<string, unknown>): string[] {
  const entries = Object.entries(values);
  if (entries.length === 0) return [];
  return [
    `## ${title}`,
    "",
    table(
      ["Name", "Value"],
      entries.map(([k, v]) => [`\`${k}\``, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    "",
  ];
}

function annotationLocation(a: Annotation): string {
  if (!a.file) return "";
  return `${a.file}${a.line ? `:${a.line}` : ""}${a.col ? `:${a.col}` : ""}`;
}

function jobSection(job: JobRecord, runStart: number): string[] {
  const lines = [`### ${ICONS[job.result]} ${job.key}`, ""];
  const facts: string[][] = [["Result", job.result]];
  if (job.name !== job.key) facts.push(["Name", job.name]);
  facts.push(["Workflow", `\`${job.workflow}\``]);
  if (job.startedAt) facts.push(["Started", `+${formatDuration(job.startedAt - runStart)}`]);
  if (job.result !== "skipped") facts.push(["Duration", formatDuration(job.durationMs)]);
  if (job.matrix) facts.push(["Matrix", JSON.stringify(job.matrix)]);
  if (job.environment)
    facts.push(["Environment", `${job.environment} (approved automatically, local run)`]);
  if (job.reason) facts.push(["Note", job.reason]);
  lines.push(table(["", ""], facts), "");
  if (job.steps.length > 0) {
    lines.push(
      table(
        ["#", "Step", "Outcome", "Duration"],
        job.steps.map((s, i) => [
          i + 1,
          s.name,
          `${status(s.outcome)}${s.outcome !== s.conclusion ? ` (continue-on-error → ${s.conclusion})` : ""}${s.error ? ` — ${s.error}` : ""}`,
          s.outcome === "skipped" ? "" : formatDuration(s.durationMs),
        ]),
      ),
      "",
    );
  }
  const outputs = Object.entries(job.outputs);
  if (outputs.length > 0)
    lines.push(
      "Job outputs:",
      "",
      table(
        ["Output", "Value"],
        outputs.map(([k, v]) => [`\`${k}\``, v]),
      ),
      "",
    );
  const stepOutputs = job.steps.flatMap((s) =>
    Object.entries(s.outputs).map(([k, v]) => [s.name, `\`${k}\``, v]),
  );
  if (stepOutputs.length > 0)
    lines.push(details("Step outputs", table(["Step", "Output", "Value"], stepOutputs)), "");
  for (const step of job.steps) {
    if (step.summary.trim() === "") continue;
    lines.push(`#### Summary of ${step.name}`, "", step.summary.trimEnd(), "");
  }
  return lines;
}

export function renderReport(data: ReportData, masker: Masker): string {
  const lines = [
    `# Local run: ${data.workflowName}`,
    "",
    table(
      ["", ""],
      [
        ["Result", status(data.conclusion)],
        ["Workflow", `\`${data.workflowFile}\``],
        ["Event", data.event],
        ["Run id", data.runId],
        ["Started", new Date(data.startedAt).toISOString()],
        ["Duration", formatDuration(data.durationMs)],
        ["Workspace", `\`${data.workspace}\``],
        ["Run folder", `\`${data.runDir}\``],
        ["Log", `\`${data.logFile}\``],
      ],
    ),
    "",
    ...keyValue("Inputs", data.inputs),
    "## Jobs",
    "",
    table(
      ["Job", "Result", "Started", "Duration"],
      data.jobs.map((j) => [
        j.key,
        status(j.result),
        j.startedAt ? `+${formatDuration(j.startedAt - data.startedAt)}` : "",
        j.result === "skipped" ? "" : formatDuration(j.durationMs),
      ]),
    ),
    "",
  ];
  if (data.annotations.length > 0) {
    lines.push(
      "## Annotations",
      "",
      table(
        ["Level", "Job", "Step", "Location", "Message"],
        data.annotations.map((a) => [
          a.level,
          a.job ?? "",
          a.step ?? "",
          annotationLocation(a),
          a.title ? `${a.title}: ${a.message}` : a.message,
        ]),
      ),
      "",
    );
  }
  lines.push(...keyValue("Workflow outputs", data.outputs));
  lines.push("## Artifacts", "");
  if (!data.artifacts) {
    lines.push("No results service was running, so no artifacts or caches could be stored.", "");
  } else if (data.artifacts.items.length === 0) {
    lines.push(`No artifacts were uploaded (results service ${data.artifacts.service}).`, "");
  } else {
    lines.push(
      `Stored by the local results service at ${data.artifacts.service}${data.artifacts.dataDir ? `, data in \`${data.artifacts.dataDir}\`` : ""}:`,
      "",
      table(
        ["Artifact", "Job", "Size", "Digest", "File"],
        data.artifacts.items.map((a) => [
          a.name,
          a.jobId ?? "",
          `${a.size} B`,
          `\`${a.digest}\``,
          a.file ? `\`${a.file}\`` : "",
        ]),
      ),
      "",
    );
  }
  lines.push("## Job details", "");
  for (const job of data.jobs) lines.push(...jobSection(job, data.startedAt));
  return masker.mask(`${lines.join("\n").trimEnd()}\n`);
}
