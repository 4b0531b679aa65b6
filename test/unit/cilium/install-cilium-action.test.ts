import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../../actions/install-cilium/src/install-cilium-action.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { repoPath } from "../../helpers/repo.js";

// The action's run() where it needs no cluster: plan mode before the cluster exists, and the
// input mistakes it refuses before touching anything. (Against a real API server and the real
// Helm: test/integration/cilium/install-cilium.test.ts.)

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function workspace(chartVersion?: string) {
  const ws = await mkdtemp(path.join(os.tmpdir(), "install-cilium-"));
  dirs.push(ws);
  await mkdir(path.join(ws, "clusters"), { recursive: true });
  await cp(
    repoPath("workflows-examples/clusters/ha/cluster.yaml"),
    path.join(ws, "clusters", "cluster.yaml"),
  );
  if (chartVersion) {
    await mkdir(path.join(ws, "chart"), { recursive: true });
    await writeFile(
      path.join(ws, "chart", "Chart.yaml"),
      `apiVersion: v2\nname: cilium\nversion: ${chartVersion}\n`,
    );
  }
  await writeFile(path.join(ws, "summary.md"), "");
  return ws;
}

async function runIn(ws: string, inputs: Record<string, string>) {
  const outputs: Record<string, string> = {};
  const logger = memoryLogger();
  const result = await run({
    env: {
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: ws,
      GITHUB_STEP_SUMMARY: path.join(ws, "summary.md"),
      INPUT_CLUSTER: "clusters/cluster.yaml",
      "INPUT_STATE-KEY": "x".repeat(44),
      ...inputs,
    },
    logger,
    setOutput: (k, v) => (outputs[k] = v),
    maskSecret: () => undefined,
    // a tool call would mean the action asked a cluster it has no kubeconfig for
    tool: () => Promise.reject(new Error("no tool may run without a kubeconfig")),
  });
  return { result, outputs, logger, summary: await readFile(path.join(ws, "summary.md"), "utf8") };
}

describe("install-cilium run() without a cluster", () => {
  it("plans before the cluster exists: chart, version and values hash, install-or-upgrade left to the deploy", async () => {
    const ws = await workspace();
    const { result, outputs, summary, logger } = await runIn(ws, { INPUT_MODE: "plan" });
    expect(result.plan).toMatchObject({ action: "unknown", chart: "cilium", version: "1.20.2" });
    expect(outputs).toMatchObject({
      changed: "false",
      revision: "",
      "values-hash": result.plan.valuesHash,
    });
    expect(JSON.parse(outputs.plan!)).toEqual(result.plan);
    expect(summary).toContain("| chart | https://helm.cilium.io/ cilium |");
    expect(summary).toContain(`| values hash | ${result.plan.valuesHash} |`);
    expect(logger.lines.join("\n")).toMatch(
      /no kubeconfig \(this environment has no artifact service/,
    );
    // the values that would be applied: the ha example's endpoint and Hubble UI
    expect(result.values).toMatchObject({
      k8sServiceHost: "10.0.20.10",
      hubble: { ui: { enabled: true } },
    });
  });

  it("the lab profile changes the values hash and says so", async () => {
    const ws = await workspace();
    const production = await runIn(ws, { INPUT_MODE: "plan" });
    const lab = await runIn(ws, { INPUT_MODE: "plan", "INPUT_NODE-PROFILE": "lab-nspawn" });
    expect(lab.result.plan.valuesHash).not.toBe(production.result.plan.valuesHash);
    expect(lab.summary).toContain("Node profile **lab-nspawn**");
    expect(lab.logger.lines.some((l) => l.startsWith("warning: node profile lab-nspawn"))).toBe(
      true,
    );
  });

  it("apply without any kubeconfig is a configuration error that says what to run first", async () => {
    const ws = await workspace();
    await expect(runIn(ws, {})).rejects.toThrow(ConfigurationError);
    await expect(runIn(ws, {})).rejects.toThrow(/no admin kubeconfig/);
  });

  it.each([
    [
      "a local chart of another Cilium version",
      "1.19.4",
      "chart",
      /is Cilium chart 1\.19\.4, cluster\.yaml wants cilium\.version 1\.20\.2/,
    ],
    ["a chart path that does not exist", undefined, "nope", /input 'chart': nope does not exist/],
  ])("refuses %s", async (_name, version, chart, message) => {
    const ws = await workspace(version);
    await expect(runIn(ws, { INPUT_MODE: "plan", INPUT_CHART: chart })).rejects.toThrow(message);
  });
});
