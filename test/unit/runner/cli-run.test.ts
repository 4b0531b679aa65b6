import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, test } from "vitest";
import { parseRunArgs } from "../../../cli/src/commands/run-command.js";
import { checkoutOf } from "../../../local/runner/parse.js";
import { cli } from "../../helpers/cli.js";
import { FIXTURE_CHECKOUT } from "./run-fixture.js";

const STACK_LINE = /\n\s+at /;
const sigintListeners = process.listenerCount("SIGINT");

describe("pve-kube run arguments", () => {
  it("collects repeatable inputs, secrets (also from the environment) and vars", () => {
    expect(
      parseRunArgs(
        [
          "wf.yml",
          "--input",
          "cluster=c.yaml",
          "--input",
          "note=a=b",
          "--secret",
          "TOKEN=x",
          "--secret",
          "FROM_ENV",
          "--var",
          "V=1",
          "--event",
          "workflow_call",
          "--job",
          "preflight",
          "--report",
          "r.md",
          "--workdir",
          "w",
          "--max-parallel",
          "3",
          "--debug",
        ],
        { FROM_ENV: "env-value" },
      ),
    ).toEqual({
      workflow: "wf.yml",
      inputs: { cluster: "c.yaml", note: "a=b" },
      secrets: { TOKEN: "x", FROM_ENV: "env-value" },
      vars: { V: "1" },
      event: "workflow_call",
      job: "preflight",
      report: "r.md",
      workdir: "w",
      maxParallel: 3,
      debug: true,
    });
  });

  test.each([
    [[], /no workflow file given/],
    [["a.yml", "b.yml"], /one workflow at a time, got 2/],
    [["a.yml", "--input", "novalue"], /--input 'novalue' must be name=value/],
    [
      ["a.yml", "--secret", "UNSET_VARIABLE_X"],
      /--secret UNSET_VARIABLE_X: the environment variable UNSET_VARIABLE_X is not set/,
    ],
    [
      ["a.yml", "--event", "release"],
      /--event 'release' is not supported — use one of workflow_dispatch, workflow_call, push, pull_request, schedule/,
    ],
    [["a.yml", "--max-parallel", "0"], /--max-parallel must be a whole number ≥ 1/],
    [["a.yml", "--bogus"], /Unknown option '--bogus'/],
    [
      ["a.yml", "--sim", "--sim-faults", "profile=chaos"],
      /--sim-faults: unknown fault profile 'chaos' \(known: all, writes\)/,
    ],
    [["a.yml", "--sim-faults", "profile=writes"], /--sim-faults only applies with --sim/],
    [["a.yml", "--sim", "--sim-seed", "1.5"], /--sim-seed must be a whole number ≥ 0, got '1.5'/],
    [["a.yml", "--sim", "--sim-seed=-3"], /--sim-seed must be a whole number ≥ 0, got '-3'/],
    [["a.yml", "--sim-seed", "7"], /--sim-seed only applies with --sim/],
  ])("refuses %j", (args, message) => {
    expect(() => parseRunArgs(args, {})).toThrow(message);
  });

  it("passes a fault spec for pve-sim on with --sim", () => {
    expect(
      parseRunArgs(["wf.yml", "--sim", "--sim-port", "0", "--sim-faults", "profile=writes"], {})
        .sim,
    ).toEqual({ port: 0, timeScale: 0.25, faults: "profile=writes" });
  });

  it("passes the fault seed for pve-sim, and the folder a run keeps its things in", () => {
    const parsed = parseRunArgs(
      ["wf.yml", "--sim", "--sim-faults", "profile=all", "--sim-seed", "17", "--local-run", "t/1"],
      {},
    );
    expect(parsed.sim).toEqual({ port: 8006, timeScale: 0.25, faults: "profile=all", seed: 17 });
    expect(parsed.localRun).toBe("t/1");
  });

  test.each([
    ["/repo/.github/workflows/deploy.yml", "/elsewhere", "/repo"],
    ["test/fixtures/runner/.github/workflows/graph.yml", "/work", "/work/test/fixtures/runner"],
    ["workflows-examples/deploy.yml", "/work", "/work"],
  ])("the checkout of %s (from %s) is %s", (file, cwd, checkout) => {
    expect(checkoutOf(file, cwd)).toBe(checkout);
  });
});

describe("pve-kube run", () => {
  /** A copy of the fixture checkout, so the run's .local-run folder lands in a temp dir. */
  function fixtureCopy(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-run-"));
    cpSync(FIXTURE_CHECKOUT, dir, { recursive: true });
    return dir;
  }

  it("runs a workflow, prints the live log and the final table, writes the report, exits 0", async () => {
    const checkout = fixtureCopy();
    const result = await cli(["run", ".github/workflows/graph.yml"], { cwd: checkout });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^▶ graph \(\.github\/workflows\/graph\.yml\) · event workflow_dispatch · run \d+$/m,
    );
    expect(result.stdout).toMatch(/^ {2}results service: http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(result.stdout).toMatch(/^Job +Result +Duration$/m);
    const [runId] = readdirSync(path.join(checkout, ".local-run")).filter((d) => /^\d+$/.test(d));
    const report = readFileSync(
      path.join(checkout, ".local-run", runId ?? "", "report.md"),
      "utf8",
    );
    expect(report).toMatch(/^# Local run: graph$/m);
    expect(report).toContain("No artifacts were uploaded (results service http://127.0.0.1:");
    expect(existsSync(path.join(checkout, "order.txt"))).toBe(true);
  });

  it("keeps what it keeps in the --local-run folder: the run folder, results, tool cache", async () => {
    const checkout = fixtureCopy();
    const result = await cli(["run", ".github/workflows/graph.yml", "--local-run", "trial-1"], {
      cwd: checkout,
    });
    expect(result.code, result.stderr).toBe(0);
    // two runs with different folders share nothing, so they can run side by side
    expect(existsSync(path.join(checkout, ".local-run"))).toBe(false);
    const kept = readdirSync(path.join(checkout, "trial-1"));
    expect(kept).toEqual(expect.arrayContaining(["results", "tool-cache"]));
    const [runId] = kept.filter((d) => /^\d+$/.test(d));
    expect(readFileSync(path.join(checkout, "trial-1", runId ?? "", "report.md"), "utf8")).toMatch(
      /^# Local run: graph$/m,
    );
  });

  it("exits 1 when a job fails and writes the report where --report says", async () => {
    const checkout = fixtureCopy();
    const result = await cli(
      ["run", ".github/workflows/matrix.yml", "--report", "out/report.md", "--workdir", "ws"],
      { cwd: checkout },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ run failure in /m);
    expect(readFileSync(path.join(checkout, "out/report.md"), "utf8")).toMatch(
      /^\| Result \| ✗ failure \|$/m,
    );
    expect(existsSync(path.join(checkout, "ws", "fragile.txt"))).toBe(true);
  });

  it("prints user mistakes without a stack and exits 1", async () => {
    const checkout = fixtureCopy();
    const missing = await cli(["run", ".github/workflows/reusable-caller.yml"], { cwd: checkout });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      ".github/workflows/reusable-caller.yml: input 'who' is required: pass it with --input who=<value>\n",
    );
    const unsupported = await cli(["run", ".github/workflows/unsupported.yml"], { cwd: checkout });
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toMatch(
      /^\.github\/workflows\/unsupported\.yml:14:15: .*actions\/setup-node is a third-party action/,
    );
    expect(unsupported.stderr).not.toMatch(STACK_LINE);
    const absent = await cli(["run", "nope.yml"], { cwd: checkout });
    expect(absent).toMatchObject({
      code: 1,
      stderr:
        "workflow file nope.yml not found — give the path of a workflow .yml, e.g. .github/workflows/deploy.yml\n",
    });
    expect(existsSync(path.join(checkout, "ran.txt"))).toBe(false);
  });

  it("cancels on Ctrl-C: the running step stops, always() and post steps run, exit 130", async () => {
    const checkout = fixtureCopy();
    // the fixture's post action imports nothing, so the copy needs no node_modules
    let settled = false;
    const running = cli(["run", ".github/workflows/cancel.yml", "--workdir", "ws"], {
      cwd: checkout,
    }).finally(() => (settled = true));
    while (!settled && !existsSync(path.join(checkout, "ws", "long-started"))) await sleep(50);
    process.emit("SIGINT");
    const result = await running;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("cancelling the run");
    expect(readFileSync(path.join(checkout, "ws", "cancel.txt"), "utf8")).toBe(
      "main L\ncleanup job.status=cancelled\npost L (input L)\n",
    );
    expect(process.listenerCount("SIGINT")).toBe(sigintListeners);
  });

  it("is listed in pve-kube --help", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toMatch(/^ {2}run +run a workflow locally/m);
    const usage = await cli(["run", "--help"]);
    expect(usage.stdout).toContain(
      "--secret NAME     the same, value taken from the environment variable NAME",
    );
  });
});
