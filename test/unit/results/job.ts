import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";

/**
 * Runs code "as a job" of a local workflow run: the environment a runner gives a JavaScript
 * action (runtime token, results URL, workspace, temp; the workspace as working directory) is
 * set for the duration and restored afterwards, and what @actions/core prints is collected
 * instead of flooding the test output. The real @actions/artifact and @actions/cache read these
 * variables on every call, so setting them around a call is enough.
 */
export class TestJob {
  readonly log: string[] = [];
  workspace = "";
  private temp = "";

  constructor(
    private readonly service: ResultsService,
    readonly runId: string,
    readonly jobId: string,
  ) {}

  async run<T>(
    fn: (job: TestJob) => Promise<T>,
    extraEnv: Record<string, string> = {},
  ): Promise<T> {
    if (!this.workspace) {
      this.workspace = await mkdtemp(path.join(os.tmpdir(), `results-ws-${this.jobId}-`));
      this.temp = await mkdtemp(path.join(os.tmpdir(), `results-tmp-${this.jobId}-`));
    }
    const env: Record<string, string> = {
      ...this.service.runtimeEnv(this.runId, this.jobId),
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_TEMP: this.temp,
      ...extraEnv,
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    // a runner starts steps in the workspace; @actions/cache resolves its paths from there
    const cwd = process.cwd();
    process.chdir(this.workspace);
    const write = vi
      .spyOn(process.stdout, "write")
      .mockImplementation((chunk: string | Uint8Array) => {
        this.log.push(...String(chunk).split("\n").filter(Boolean));
        return true;
      });
    try {
      return await fn(this);
    } finally {
      write.mockRestore();
      process.chdir(cwd);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  /** Lines the toolkit printed as workflow-command warnings or errors. */
  problems(): string[] {
    return this.log.filter((l) => l.startsWith("::warning") || l.startsWith("::error"));
  }

  async cleanup(): Promise<void> {
    if (this.workspace) await rm(this.workspace, { recursive: true, force: true });
    if (this.temp) await rm(this.temp, { recursive: true, force: true });
  }
}

/**
 * One results service for a test file and a factory of jobs in it; registers the vitest hooks
 * that start the service and clean up every job's folders afterwards.
 */
export function useResultsService(): {
  job: (runId: string, jobId: string) => TestJob;
  service: () => ResultsService;
} {
  let service: ResultsService | undefined;
  const jobs: TestJob[] = [];
  beforeAll(async () => {
    service = await startResultsService();
  });
  afterAll(async () => {
    await service?.close();
    for (const j of jobs) await j.cleanup();
  });
  const current = (): ResultsService => {
    if (!service) throw new Error("the results service starts in beforeAll");
    return service;
  };
  return {
    service: current,
    job(runId, jobId) {
      const created = new TestJob(current(), runId, jobId);
      jobs.push(created);
      return created;
    },
  };
}
