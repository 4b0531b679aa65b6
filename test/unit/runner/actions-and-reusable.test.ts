import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResultsService } from "../../../local/results/index.js";
import { startResultsService } from "../../../local/results/index.js";
import { runFixture } from "./run-fixture.js";

describe("local runner: this checkout's actions", () => {
  it("runs JavaScript actions with INPUT_*, file commands, @actions/core, owner/pve-kube mapping and post steps in reverse order", async () => {
    const run = await runFixture("actions.yml");
    const job = run.job("run-actions");
    expect(job.result).toBe("failure");
    // post steps run after every main step, in reverse order, with their own state, even though the job failed
    expect(run.read("order.txt")).toBe(
      "main A\nmain B\nmain steps done\npost B (input B)\npost A (input A)\n",
    );
    expect(job.steps.map((s) => `${s.kind}:${s.name}:${s.outcome}`)).toEqual([
      "checkout:Run actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8:success",
      "action:First post-step action:success",
      "action:Run ./actions/record:success",
      "action:Same action by owner/pve-kube reference:success",
      "action:Second post-step action:success",
      "action:Run ./actions/core-features:success",
      "run:What later steps see:success",
      "run:Fail so post steps run on a failed job:failure",
      "post:Post Second post-step action:success",
      "post:Post First post-step action:success",
    ]);
    // checkout copied the fixture checkout into the separate workspace
    expect(run.read("actions/record/action.yml")).toContain("name: record");
    expect(run.log).toMatch(/copied \d+ files of .*test\/fixtures\/runner to /);
    // inputs: explicit, hyphen kept, space → underscore, defaults evaluated
    expect(run.log).toContain("message=hi there");
    expect(run.log).toContain(`hyphen=given space=space-default run-id=run-${run.result.runId}`);
    expect(run.log).toContain("hyphen=hyphen-default space=space-default");
    const [multiline1, multiline2, again, core, recorded, fromCore, pathLine] = run
      .read("seen.txt")
      .split("\n");
    expect([multiline1, multiline2, again, core, recorded, fromCore]).toEqual([
      "line one",
      "line two",
      "hi there again",
      "ok",
      "hi there again",
      "exported",
    ]);
    expect(pathLine?.split(":")[0]).toBe("/opt/fixture-bin");
    expect(job.steps[2]?.outputs).toEqual({ echoed: "hi there", multiline: "line one\nline two" });
    // annotations from @actions/core keep file/line/col/title
    expect(run.result.annotations).toContainEqual({
      level: "notice",
      message: "a notice",
      title: "Heads up",
      file: "cluster.yaml",
      line: 3,
      col: 5,
      job: "run-actions",
      step: "Run ./actions/core-features",
    });
    // step summaries, in order, in the report
    const record = run.report.indexOf("#### Summary of Run ./actions/record");
    const byRef = run.report.indexOf("#### Summary of Same action by owner/pve-kube reference");
    const coreSummary = run.report.indexOf("#### Summary of Run ./actions/core-features");
    expect(record).toBeGreaterThan(0);
    expect(byRef).toBeGreaterThan(record);
    expect(coreSummary).toBeGreaterThan(byRef);
    expect(run.report).toContain("message: hi there again");
    // no results service: the runtime variables are absent for actions too
    expect(run.log).toContain("runtime-token=unset");
    // groups are indented, debug hidden without --debug
    expect(run.log).toMatch(
      /^run-actions │ {3}▸ inside a group\nrun-actions │ {5}printing the secret: $/m,
    );
    expect(run.log).not.toContain("a debug line");
  });

  it("calls reusable workflows by path and by owner/pve-kube ref, with typed inputs, secrets, nesting and outputs", async () => {
    const run = await runFixture("reusable-caller.yml", {
      inputs: { who: "operator" },
      secrets: { API_TOKEN: "tok-3f9a1c" },
    });
    expect(run.result.conclusion).toBe("success");
    expect(run.read("reusable.txt")).toBe(
      "HELLO OPERATOR X2\nhello HELLO OPERATOR X2 x1\nleaf-2\nsuccess\n",
    );
    expect(run.result.jobs.map((j) => `${j.key}:${j.result}`)).toEqual([
      "by-path:success",
      "by-path / greet:success",
      "by-path / nested:success",
      "by-path / nested / echo:success",
      "by-ref:success",
      "by-ref / greet:success",
      "by-ref / nested:success",
      "by-ref / nested / echo:success",
      "report:success",
    ]);
    expect(run.job("by-path").outputs).toEqual({ message: "HELLO OPERATOR X2", leaf: "leaf-2" });
    expect(run.job("by-path / greet").parent).toBe("by-path");
    expect(run.log).toContain("token given: true, printed: ***, level: callee-workflow");
    expect(run.log).toContain(
      "calls reusable workflow .github/workflows/reusable-callee.yml (secrets: inherit)",
    );
    for (const text of [run.log, run.report, run.logFile]) expect(text).not.toContain("tok-3f9a1c");
  });

  it("runs a matrix of reusable-workflow calls, one call per leg", async () => {
    const run = await runFixture("reusable-matrix.yml");
    expect(run.result.conclusion).toBe("success");
    expect(run.result.jobs.map((j) => j.key).sort()).toEqual([
      "after",
      "fan (1)",
      "fan (1) / echo",
      "fan (2)",
      "fan (2) / echo",
    ]);
    expect(run.job("fan (1)").outputs).toEqual({ echo: "n-1" });
    expect(run.job("fan (2)").outputs).toEqual({ echo: "n-2" });
    expect(run.read("after.txt")).toMatch(/^n-[12]\n$/);
  });

  it("fails a reusable call whose required secret is missing, naming it", async () => {
    const run = await runFixture("reusable-caller.yml", { inputs: { who: "x" } });
    expect(run.job("by-path")).toMatchObject({
      result: "failure",
      reason:
        "calling .github/workflows/reusable-callee.yml: secret 'api_token' is required: pass it with secrets: api_token: <value> (or secrets: inherit)",
    });
    expect(run.job("report").result).toBe("skipped");
    expect(run.log).toContain("secrets.API_TOKEN is used but not given");
  });
});

describe("local runner: artifacts through the results service", () => {
  let results: ResultsService;
  beforeAll(async () => {
    results = await startResultsService();
  });
  afterAll(async () => {
    await results.close();
  });

  it("moves an artifact between jobs with @actions/artifact and gives the runtime variables to actions only", async () => {
    const run = await runFixture("artifacts.yml", { results });
    expect(run.result.conclusion).toBe("success");
    expect(run.read("consumed.txt")).toBe(`payload ${run.result.runId}\n`);
    expect(run.read("run-step-env.txt")).toBe("run step token: unset results: unset\n");
    expect(run.report).toMatch(
      /\| fixture-data \| produce \| \d+ B \| `sha256:[0-9a-f]{64}` \| `.+` \|/,
    );
    expect(run.report).toContain(`Stored by the local results service at ${results.url}`);
  });
});
