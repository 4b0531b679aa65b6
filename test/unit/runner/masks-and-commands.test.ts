import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

/** Every file the run wrote (log, report, step summaries, temp files). */
function runFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("local runner: masks", () => {
  it("never shows a --secret, a value masked at run time or the lines of a multi-line secret", async () => {
    const token = "s3cr3t-token-71c2";
    const multi = "first-secret-line-a81\nsecond-secret-line-b92";
    const run = await runFixture("masks.yml", { secrets: { TOKEN: token, MULTI: multi } });
    expect(run.result.conclusion).toBe("success");
    const generated = run.read("generated.txt").trim();
    expect(generated).toMatch(/^gen-\d+-value$/);

    const forbidden = [token, generated, "first-secret-line-a81", "second-secret-line-b92"];
    const texts = {
      log: run.log,
      logFile: run.logFile,
      report: run.report,
      annotations: JSON.stringify(run.result.annotations),
    };
    for (const [where, text] of Object.entries(texts)) {
      for (const value of forbidden) expect(text, `${where} shows ${value}`).not.toContain(value);
    }
    // nothing the run leaves behind holds them: the job temp folders with the raw file-command files are gone
    const files = runFiles(run.result.runDir);
    expect(files.map((f) => path.relative(run.result.runDir, f)).sort()).toEqual([
      "event.json",
      "log.txt",
      "report.md",
    ]);
    for (const file of files) {
      for (const value of forbidden)
        expect(readFileSync(file, "utf8"), `${file} shows ${value}`).not.toContain(value);
    }
    expect(run.log).toContain("leak │   token is ***");
    expect(run.log).toContain("leak │   multi is ***");
    expect(run.log).toContain("leak │   generated is ***");
    expect(run.log).toContain("printing the secret: ***");
    expect(run.report).toContain("summary has ***");
    expect(run.report).toContain("secret in summary: ***");
    // a job output that carries a secret is dropped, as on GitHub
    expect(run.job("leak").outputs).toEqual({ safe: "nothing secret" });
    expect(run.read("job-outputs.txt")).toBe("[][nothing secret]\n");
    expect(run.result.annotations).toContainEqual({
      level: "warning",
      message: "Skip output 'leaked' since it may contain secret.",
      job: "leak",
    });
  });
});

describe("local runner: workflow commands", () => {
  it("shows groups indented, hides debug unless asked, collects annotations with positions, honours stop-commands", async () => {
    const run = await runFixture("commands.yml");
    expect(run.result.conclusion).toBe("success");
    expect(run.log).toContain("talk │   ▸ Setup phase\ntalk │     inside the group\n");
    expect(run.log).not.toContain("only with --debug");
    expect(run.log).toContain("talk │   ::warning::not an annotation while stopped");
    expect(run.log).toContain("talk │   to stderr");
    expect(run.result.annotations.map(({ job: _job, step: _step, ...a }) => a)).toEqual([
      {
        level: "warning",
        message: "pool general is small",
        file: "cluster.yaml",
        line: 12,
        col: 3,
        title: "Sizing",
      },
      { level: "error", message: "bad vip", file: "cluster.yaml", line: 4 },
      { level: "notice", message: "plain notice" },
      { level: "notice", message: "back on" },
    ]);
    expect(run.report).toContain(
      "| warning | talk | Emit commands | cluster.yaml:12:3 | Sizing: pool general is small |",
    );

    const debug = await runFixture("commands.yml", { debug: true });
    expect(debug.log).toContain("talk │   debug: only with --debug");
  });
});
