import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

describe("local runner: jobs, needs and matrix", () => {
  it("runs independent jobs in parallel and dependants after them; skips chains of if: false", async () => {
    const run = await runFixture("graph.yml");
    expect(run.result.conclusion).toBe("success");
    // left and right each wait for the other to have started: both succeed only when they overlap
    expect(run.read("order.txt").split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^(left|right)$/),
      expect.stringMatching(/^(left|right)$/),
      "join",
      "always-last skipped skipped",
    ]);
    expect(run.job("never").result).toBe("skipped");
    expect(run.job("after-never")).toMatchObject({
      result: "skipped",
      reason: "if: success() was false",
    });
    const join = run.job("join");
    for (const need of ["left", "right"]) {
      const before = run.job(need);
      expect((before.startedAt ?? 0) + before.durationMs).toBeLessThanOrEqual(join.startedAt ?? 0);
    }
    expect(run.log).toMatch(/^✓ join success · \d+/m);
    expect(run.log).toMatch(/^always-last\s+✓ success/m);
  });

  it.each([1, 2])("never runs more than --max-parallel %i jobs at once", async (maxParallel) => {
    const run = await runFixture("parallel-limit.yml", { maxParallel });
    expect(run.result.conclusion).toBe("success");
    const peaks = run.read("peaks.txt").split("\n").filter(Boolean).map(Number);
    expect(peaks).toHaveLength(3);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(maxParallel);
  });

  it("expands the matrix with exclude/include, from an earlier output, and cancels the rest on fail-fast", async () => {
    const run = await runFixture("matrix.yml");
    const legs = run.result.jobs.filter((j) => j.id === "build").map((j) => [j.key, j.matrix]);
    expect(legs).toEqual([
      ["build (linux, 1, plus)", { os: "linux", n: 1, extra: "plus" }],
      ["build (linux, 2, plus)", { os: "linux", n: 2, extra: "plus" }],
      ["build (bsd, 1)", { os: "bsd", n: 1 }],
      ["build (mac, 9)", { os: "mac", n: 9 }],
    ]);
    const recorded = readdirSync(run.workspace)
      .filter((f) => f.startsWith("legs-"))
      .map((f) => run.read(f).trim())
      .sort();
    expect(recorded).toEqual(["bsd-1--2/4", "linux-1-plus-0/4", "linux-2-plus-1/4", "mac-9--3/4"]);
    expect(run.read("fan-red.txt")).toBe("red\n");
    expect(run.read("fan-green.txt")).toBe("green\n");
    expect(run.read("fragile.txt")).toBe("ok\nbad\n");
    expect(run.job("fragile (never-started)").result).toBe("cancelled");
    expect(run.job("fragile (never-started)").reason).toMatch(/fail-fast/);
    expect(run.job("fragile (bad)").result).toBe("failure");
    expect(run.result.conclusion).toBe("failure");
  });

  it("runs only the asked job and what it needs with --job", async () => {
    const run = await runFixture("graph.yml", { job: "join" });
    expect(run.result.jobs.map((j) => j.key).sort()).toEqual(["join", "left", "right"]);
    await expect(runFixture("graph.yml", { job: "nope" })).rejects.toThrow(
      "job 'nope' is not in .github/workflows/graph.yml — jobs: left, right, join, never, after-never, always-last",
    );
  });

  it("serialises jobs of one concurrency group and logs environments as auto-approved", async () => {
    const run = await runFixture("concurrency.yml");
    expect(run.result.conclusion).toBe("success");
    expect(run.read("serial.txt").split("\n").filter(Boolean).sort()).toEqual(["first", "second"]);
    expect(run.log).toContain("concurrency group 'fixture-concurrency' acquired");
    expect(run.log).toMatch(/waits for concurrency group 'shared-resource'/);
    expect(run.log).toContain(
      "environment: staging — approval granted automatically for this local run",
    );
    expect(run.log).toContain(
      "environment: production (https://example.invalid) — approval granted automatically",
    );
    expect(run.job("second").environment).toBe("production");
    expect(run.report).toContain("production (approved automatically, local run)");
  });
});
