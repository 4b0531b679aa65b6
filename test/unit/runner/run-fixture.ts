import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { RunOptions } from "../../../local/runner/run-workflow.js";
import { runWorkflow } from "../../../local/runner/run-workflow.js";
import { repoPath } from "../../helpers/repo.js";

/** The fixture checkout: workflows in .github/workflows, small JavaScript actions in actions/. */
export const FIXTURE_CHECKOUT = repoPath("test/fixtures/runner");

/** Runs a fixture workflow in a fresh temp workspace and run folder; returns the live log and the report. */
export async function runFixture(workflow: string, options: Partial<RunOptions> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), "runner-"));
  const workspace = options.workspace ?? path.join(root, "workspace");
  const out = new PassThrough();
  let log = "";
  out.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const result = await runWorkflow({
    workflowFile: `.github/workflows/${workflow}`,
    checkout: FIXTURE_CHECKOUT,
    workspace,
    runDir: path.join(root, "run"),
    toolCache: path.join(root, "tool-cache"),
    locksDir: path.join(root, "locks"),
    out,
    env: { ...process.env },
    ...options,
  });
  return {
    result,
    log,
    report: readFileSync(result.reportFile, "utf8"),
    logFile: readFileSync(result.logFile, "utf8"),
    workspace,
    root,
    read: (file: string) => readFileSync(path.join(workspace, file), "utf8"),
    job: (key: string) => {
      const job = result.jobs.find((j) => j.key === key);
      if (!job) throw new Error(`no job ${key} in ${result.jobs.map((j) => j.key).join(", ")}`);
      return job;
    },
  };
}
