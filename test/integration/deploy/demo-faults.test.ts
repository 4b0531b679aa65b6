import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NO_CHANGES,
  clusterProblems,
  demoPlan,
  demoSimState,
  relayRetries,
  reportFileOf,
  retriesInReport,
  runDemo,
} from "../../../testkit/demo.js";
import { requireTofu, type TofuTools } from "../../../testkit/tofu-tools.js";

/**
 * The demo under pve-sim's fault profile `all` (sim/fault-profiles.ts: 5% HTTP 500 + 5% HTTP 596
 * on every request, 10% of clone/config tasks failing on a lock timeout — what bench tofu-faults
 * measures): deploy.yml, run by the local runner as `npm start` runs it, must succeed in ONE run.
 * The provider relay retries the reads; a plan or apply that fails on a transient fault is
 * finished within the run (actions/lib/retry); the report says how many retries that took.
 * `bench demo-faults` runs the same demo under both profiles many times, each with its own seed.
 */
const plan = demoPlan();

describe("npm start under the fault profile 'all': one run succeeds", () => {
  let tools: TofuTools;
  let stateDir: string;

  beforeAll(async () => {
    tools = requireTofu(); // a missing tool fails the test: npm test installs it
    stateDir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-demo-faults-"));
  });
  afterAll(() => rm(stateDir, { recursive: true, force: true }));

  const run = (faults: string | undefined) =>
    // shorter tasks than npm start's 0.25; the storage-lock model scales with them
    runDemo({ tools, stateDir, timeScale: 0.1, ...(faults ? { faults } : {}) });

  it("deploys the example cluster in one run, retrying within it, and reports the retries", async () => {
    const faulty = await run("profile=all");
    expect(faulty.code, faulty.out.slice(-4000)).toBe(0);
    expect(faulty.out).toMatch(/✓ run success/);
    expect(faulty.out).toContain(
      "faults 5% HTTP 500 + 5% HTTP 596 on every request, 10% lock timeouts",
    );

    // the faults were there: the relay answered failed reads again (hundreds of reads, 10% failing)
    const relayed = relayRetries(faulty.out);
    expect(relayed).toBeGreaterThan(0);

    // every retry of the apply job is logged with its reason, and the report counts exactly those
    const retryLines = faulty.out
      .split("\n")
      .filter((l) =>
        /^tofu-provision-apply │ .*: attempt \d+ of \d+ failed on a transient error \(/.test(l),
      );
    const report = await readFile(reportFileOf(faulty.out) ?? "", "utf8");
    const row = report.split("\n").find((l) => l.startsWith("| tofu-provision | ✅ succeeded |"));
    expect(row, report.slice(-3000)).toBeDefined();
    const retried = /retried within the run: (\d+) \(([^;]+); ([\d.]+) s\)/.exec(row ?? "");
    console.info(
      `one run under profile=all: ${relayed} reads retried by the relay, ${retryLines.length} plans/applies retried within the run${retried ? ` (${retried[2]}; ${retried[3]} s)` : ""}`,
    );
    if (retryLines.length > 0) {
      expect(Number(retried?.[1])).toBe(retryLines.length);
      for (const reason of retried?.[2]?.split(", ") ?? [])
        expect([
          "Proxmox lock timeout",
          "Proxmox proxy timeout",
          "Proxmox HTTP 5xx",
          "connection error",
        ]).toContain(reason);
      // the job summary lists each one
      expect(report).toContain(`#### Retried within this run (${retryLines.length})`);
      expect(retriesInReport(report).map((r) => r.job)).toEqual(
        retryLines.map(() => "tofu-provision-apply"),
      );
    } else {
      // a run the faults did not hit in a write: nothing to report, and the report says nothing
      expect(row).not.toContain("retried within the run");
    }

    // no orphan, no duplicate, no stale lock: exactly the planned VMs, running, unlocked
    expect(clusterProblems(await demoSimState(stateDir), plan)).toEqual([]);

    // and what it left is exactly the plan: the next run, faults off, changes nothing on Proxmox
    const again = await run(undefined);
    expect(again.code, again.out.slice(-3000)).toBe(0);
    expect(again.out).toContain(NO_CHANGES);
  });
});
