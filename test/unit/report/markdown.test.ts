import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { cell, formatDuration, table } from "../../../actions/lib/report/markdown.js";
import { appendJobSummary } from "../../../actions/lib/report/summary.js";

describe("markdown", () => {
  it.each([
    ["a|b", "a\\|b"],
    ["line1\nline2", "line1<br>line2"],
    [undefined, ""],
    [42, "42"],
  ])("cell(%j) = %j", (input, expected) => {
    expect(cell(input)).toBe(expected);
  });

  it("renders a table", () => {
    expect(
      table(
        ["check", "result"],
        [
          ["tls", "pass"],
          ["token | x", "fail"],
        ],
      ),
    ).toBe("| check | result |\n| --- | --- |\n| tls | pass |\n| token \\| x | fail |");
  });

  it.each([
    [250, "250 ms"],
    [1500, "1.5 s"],
    [125_000, "2 min 5 s"],
  ])("formatDuration(%d) = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("appendJobSummary", () => {
  it("appends sections to the summary file", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "summary-")), "summary.md");
    writeFileSync(file, "");
    await appendJobSummary("## one", memoryLogger(), { GITHUB_STEP_SUMMARY: file });
    await appendJobSummary("## two\n", memoryLogger(), { GITHUB_STEP_SUMMARY: file });
    expect(readFileSync(file, "utf8")).toBe("## one\n\n## two\n\n");
  });

  it("warns instead of failing when the file cannot be written", async () => {
    const logger = memoryLogger();
    await appendJobSummary("x", logger, { GITHUB_STEP_SUMMARY: "/nonexistent-dir/summary.md" });
    expect(logger.lines.join("\n")).toMatch(/warning: could not write the job summary/);
  });
});
