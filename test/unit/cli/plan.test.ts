import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import { renderPlanMarkdown, renderPlanText } from "../../../actions/lib/report/cluster-plan.js";
import { parsePlanArgs } from "../../../cli/src/commands/plan.js";
import { cli } from "../../helpers/cli.js";
import { BASE_CONFIG } from "../config/base-config.js";

const HA = "workflows-examples/clusters/ha/cluster.yaml";
const STACK_LINE = /\n\s+at /;

function tempConfig(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plan-"));
  writeFileSync(path.join(dir, "cluster.yaml"), text);
  return dir;
}

describe("pve-kube plan", () => {
  it("prints the text plan of the HA example (what `npm start` shows)", async () => {
    const result = await cli(["plan", HA]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const { plan } = await loadClusterConfig(HA);
    expect(result.stdout).toBe(renderPlanText(plan));
    expect(result.stdout).toMatch(
      /^ {2}demo-cp-1 +control-plane +control-plane +pve1 +1000 +10\.0\.20\.11 +2 +4 GiB +32 GiB$/m,
    );
    expect(result.stdout).toMatch(
      /^ {2}demo-general-3 +worker +general +pve3 +1005 +10\.0\.20\.16 +4 +8 GiB +64 GiB$/m,
    );
  });

  it("prints Markdown with a mermaid topology with --markdown", async () => {
    const result = await cli(["plan", "--markdown", HA]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(renderPlanMarkdown((await loadClusterConfig(HA)).plan));
    expect(result.stdout).toMatch(/^# Cluster plan: `demo`\n/);
    expect(result.stdout).toContain("```mermaid\nflowchart TB\n");
  });

  it("prints the plan object with --json", async () => {
    const result = await cli(["plan", HA, "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual((await loadClusterConfig(HA)).plan);
  });

  it("resolves the file against the working directory", async () => {
    const dir = tempConfig(BASE_CONFIG);
    const result = await cli(["plan", "cluster.yaml"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Cluster plan — demo: 3 control planes + 2 workers");
  });

  it("reports every problem of an invalid file with its position, exit 1, no stack, no plan", async () => {
    const dir = tempConfig(
      BASE_CONFIG.replace("count: 3", "count: 2").replace(
        "cidr: 10.0.20.0/24",
        "cidr: 10.0.20.0/33",
      ),
    );
    const result = await cli(["plan", "cluster.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("cluster.yaml:20:9: network.cidr: ");
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    [["plan"], "no file given"],
    [["plan", "a.yaml", "b.yaml"], "one file at a time, got 2"],
    [["plan", HA, "--md"], "unknown option '--md'"],
    [["plan", HA, "--markdown", "--json"], "choose one output format, got --markdown and --json"],
    [["plan", "missing/cluster.yaml"], "cannot read missing/cluster.yaml: no such file"],
  ])("%j is a user mistake: exit 1 and %s", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it("has usage text and is listed in the help", async () => {
    const usage = await cli(["plan", "--help"]);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toContain("usage: pve-kube plan <cluster.yaml> [--markdown | --json]");
    expect((await cli(["--help"])).stdout).toMatch(
      /^ {2}plan +show what a cluster\.yaml describes/m,
    );
  });
});

describe("parsePlanArgs", () => {
  it.each([
    [["c.yaml"], { file: "c.yaml", format: "text" }],
    [["--markdown", "c.yaml"], { file: "c.yaml", format: "markdown" }],
    [["c.yaml", "--json"], { file: "c.yaml", format: "json" }],
    [["c.yaml", "--text"], { file: "c.yaml", format: "text" }],
    [["c.yaml", "--markdown", "--markdown"], { file: "c.yaml", format: "markdown" }],
  ])("%j → %j", (args, parsed) => {
    expect(parsePlanArgs(args)).toEqual(parsed);
  });
});
