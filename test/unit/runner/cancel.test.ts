import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

describe("local runner: cancellation and job timeouts", () => {
  it("stops the running step on cancel, runs always() and post steps, cancels what has not started, writes the report", async () => {
    const controller = new AbortController();
    const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), "cancel-")), "workspace");
    let settled = false;
    const running = runFixture("cancel.yml", { workspace, signal: controller.signal }).finally(
      () => (settled = true),
    );
    while (!settled && !existsSync(path.join(workspace, "long-started"))) await sleep(50);
    controller.abort();
    const run = await running;
    expect(run.result.conclusion).toBe("cancelled");
    expect(run.read("cancel.txt")).toBe("main L\ncleanup job.status=cancelled\npost L (input L)\n");
    expect(run.job("long").result).toBe("cancelled");
    expect(run.job("long").steps.map((s) => [s.name, s.outcome])).toEqual([
      ["Run ./actions/state-post", "success"],
      ["Long work", "cancelled"],
      ["Skipped once cancelled", "skipped"],
      ["Cleanup", "success"],
      ["Post Run ./actions/state-post", "success"],
    ]);
    expect(run.job("later")).toMatchObject({
      result: "cancelled",
      reason: "the run was cancelled",
    });
    expect(run.report).toMatch(/^\| Result \| ⊘ cancelled \|$/m);
    // RUNNER_TEMP of each job is gone after the job, as on a hosted runner
    expect(readdirSync(path.join(run.result.runDir, "jobs"))).toEqual([]);
  });

  it("fails a job that exceeds timeout-minutes and still runs its always() steps", async () => {
    const run = await runFixture("job-timeout.yml");
    expect(run.result.conclusion).toBe("failure");
    expect(run.job("slow")).toMatchObject({
      result: "failure",
      reason: "the job exceeded its timeout-minutes (0.02 minutes)",
    });
    expect(run.read("timeout.txt")).toBe("after-timeout\n");
  });
});
