import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

describe("local runner: steps, conditions, outputs and env", () => {
  it("applies if:, continue-on-error, failure()/always(), outcome vs conclusion and timeouts", async () => {
    const run = await runFixture("conditions.yml");
    expect(run.result.conclusion).toBe("failure");
    expect(run.read("conditions.txt").split("\n").filter(Boolean).sort()).toEqual([
      "after-failure failure",
      "failure-seen",
      "slow-step-cleanup",
      "tolerated-seen",
    ]);
    const steps = JSON.parse(run.read("steps.json")) as Record<
      string,
      { outcome: string; conclusion: string; outputs: Record<string, string> }
    >;
    expect(steps.ok).toEqual({ outputs: { x: "1" }, outcome: "success", conclusion: "success" });
    expect(steps.tolerated).toMatchObject({ outcome: "failure", conclusion: "success" });
    expect(steps.boom).toMatchObject({ outcome: "failure", conclusion: "failure" });
    const job = run.job("steps");
    expect(job.result).toBe("failure");
    expect(job.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['Run echo "x=1" >> "$GITHUB_OUTPUT"', "success"],
      ["Run exit 3", "failure"],
      ["Runs because the tolerated step failed", "success"],
      ["Run exit 1", "failure"],
      ["Skipped after a failure", "skipped"],
      ["Runs on failure", "success"],
      ["Always runs and records the steps context", "success"],
    ]);
    expect(job.steps[3]?.error).toBe("Process completed with exit code 1.");
    expect(run.job("after-success")).toMatchObject({ result: "skipped" });
    expect(run.job("after-failure").result).toBe("success");
    const slow = run.job("slow-step");
    expect(slow.result).toBe("success");
    expect(slow.reason).toMatch(/continue-on-error/);
    expect(slow.steps[0]).toMatchObject({
      outcome: "failure",
      error: "the step exceeded its timeout of 0.02 minutes",
    });
    expect(run.log).toMatch(/^steps │ ✗ Run exit 3 failure \(continue-on-error\)/m);
    expect(run.report).toContain(
      "| Run exit 3 | ✗ failure (continue-on-error → success) — Process completed with exit code 3. |",
    );
  });

  it("passes step and job outputs, env with GitHub's precedence, GITHUB_PATH, defaults.run and the standard variables", async () => {
    const run = await runFixture("outputs-env.yml");
    expect(run.result.conclusion).toBe("success");
    expect(run.read("env-seen.txt")).toBe("hello from sub|file|w|j|f|from-added-path\n");
    expect(run.read("step-level.txt")).toBe("step\n");
    expect(run.read("consumer.txt")).toBe(
      "hello from sub\nroses are red\nviolets are blue\nfile\nsuccess\n",
    );
    expect(run.job("producer").outputs).toEqual({
      greeting: "hello from sub",
      poem: "roses are red\nviolets are blue",
      "level-seen": "file",
    });
    expect(run.job("producer").steps.find((s) => s.id === "pipefail")).toMatchObject({
      outcome: "failure",
      conclusion: "success",
    });
    const standard = Object.fromEntries(
      run
        .read("standard.txt")
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(standard).toMatchObject({
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_JOB: "producer",
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_RUN_ID: run.result.runId,
      RUNNER_OS: "Linux",
      RUNTIME_TOKEN: "unset",
    });
    expect(standard.EVENT_INPUTS).toContain('"inputs":{}');
    expect(standard.RUNNER_TEMP).toContain(run.result.runDir);
    expect(standard.RUNNER_TOOL_CACHE).toBe(`${run.root}/tool-cache`);
    expect(standard.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
    expect(run.report).toContain("| `poem` | roses are red<br>violets are blue |");
  });
});

describe("local runner: the workspace is a boundary", () => {
  it("refuses a checkout path and a working-directory outside the workspace, as actions/checkout does", async () => {
    const run = await runFixture("escape-workspace.yml");
    expect(run.job("checkout-outside").result).toBe("failure");
    expect(run.job("checkout-outside").steps[0]?.error).toMatch(
      /path '\.\.\/outside-checkout' is not under the workspace/,
    );
    expect(run.job("run-outside").result).toBe("failure");
    expect(run.job("run-outside").steps[0]?.error).toMatch(
      /working-directory '\.\.\/\.\.' is not under the workspace/,
    );
    expect(existsSync(path.join(run.workspace, "..", "outside-checkout"))).toBe(false);
    expect(existsSync(path.join(run.workspace, "..", "..", "escaped-by-working-directory"))).toBe(
      false,
    );
    expect(run.job("inside").result).toBe("success");
    expect(existsSync(path.join(run.workspace, "sub", "inside-ok"))).toBe(true);
  });
});
