import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { formatDuration } from "../../actions/lib/report/markdown.js";
import type { Masker } from "./masker.js";
import type { Annotation, Conclusion, JobRecord } from "./types.js";

/**
 * The live log: run lines, job and step headers with status icons and durations, process output
 * indented under its step (deeper inside ::group::), every line prefixed with its job because
 * jobs run in parallel. Everything passes through the masker, and is also appended to a log file.
 */
export const ICONS: Record<Conclusion, string> = {
  success: "✓",
  failure: "✗",
  cancelled: "⊘",
  skipped: "↷",
};

export interface RunLogOptions {
  out: NodeJS.WritableStream;
  masker: Masker;
  /** also append every line here (masked) */
  file?: string;
  debug?: boolean;
}

export class RunLog {
  readonly debugEnabled: boolean;

  constructor(private readonly options: RunLogOptions) {
    this.debugEnabled = options.debug ?? false;
    if (options.file) mkdirSync(path.dirname(options.file), { recursive: true });
  }

  private write(text: string): void {
    const masked = this.options.masker.mask(text);
    const lines = masked
      .split("\n")
      .map((l) => `${l}\n`)
      .join("");
    this.options.out.write(lines);
    if (this.options.file) appendFileSync(this.options.file, lines);
  }

  private jobLine(job: string, text: string): void {
    this.write(
      text
        .split("\n")
        .map((line) => `${job} │ ${line}`)
        .join("\n"),
    );
  }

  info(text: string): void {
    this.write(text);
  }

  jobStart(job: string, details: readonly string[] = []): void {
    this.write(`▶ ${job}`);
    for (const detail of details) this.jobLine(job, `  ${detail}`);
  }

  jobEnd(job: string, result: Conclusion, durationMs: number, reason?: string): void {
    this.write(
      `${ICONS[result]} ${job} ${result}${durationMs > 0 ? ` · ${formatDuration(durationMs)}` : ""}${reason ? ` — ${reason}` : ""}`,
    );
  }

  jobNote(job: string, text: string): void {
    this.jobLine(job, `  ${text}`);
  }

  stepStart(job: string, step: string): void {
    this.jobLine(job, `▶ ${step}`);
  }

  stepEnd(
    job: string,
    step: string,
    outcome: Conclusion,
    conclusion: Conclusion,
    durationMs: number,
    note?: string,
  ): void {
    const tolerated =
      outcome === "failure" && conclusion === "success" ? " (continue-on-error)" : "";
    this.jobLine(
      job,
      `${ICONS[outcome]} ${step} ${outcome}${tolerated}${outcome === "skipped" ? "" : ` · ${formatDuration(durationMs)}`}${note ? ` — ${note}` : ""}`,
    );
  }

  output(job: string, text: string, depth: number): void {
    this.jobLine(job, `${"  ".repeat(depth + 1)}${text}`);
  }

  group(job: string, title: string, depth: number): void {
    this.jobLine(job, `${"  ".repeat(depth + 1)}▸ ${title}`);
  }

  debug(job: string, text: string, depth: number): void {
    if (this.debugEnabled) this.jobLine(job, `${"  ".repeat(depth + 1)}debug: ${text}`);
  }

  annotation(job: string, annotation: Annotation, depth: number): void {
    const where = annotation.file
      ? ` ${annotation.file}${annotation.line ? `:${annotation.line}` : ""}${annotation.col ? `:${annotation.col}` : ""}`
      : "";
    const title = annotation.title ? ` ${annotation.title}:` : "";
    this.jobLine(
      job,
      `${"  ".repeat(depth + 1)}${annotation.level}${where}:${title} ${annotation.message}`,
    );
  }

  /** The closing table: every job with its result and duration. */
  summaryTable(jobs: readonly JobRecord[], conclusion: Conclusion, durationMs: number): void {
    const width = Math.max(3, ...jobs.map((j) => j.key.length));
    const lines = [
      "",
      `${"Job".padEnd(width)}  Result     Duration`,
      `${"-".repeat(width)}  ---------  --------`,
    ];
    for (const job of jobs) {
      lines.push(
        `${job.key.padEnd(width)}  ${`${ICONS[job.result]} ${job.result}`.padEnd(9)}  ${job.result === "skipped" ? "" : formatDuration(job.durationMs)}`,
      );
    }
    lines.push("", `${ICONS[conclusion]} run ${conclusion} in ${formatDuration(durationMs)}`);
    this.write(lines.join("\n"));
  }
}
