import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { run, VerifyFailedError } from "../../../actions/verify/src/verify-action.js";
import { repoPath } from "../../helpers/repo.js";
import { startControlPlane, type ControlPlane } from "../cilium/control-plane.js";
import { kubectl } from "./validate.js";

// verify against a real API server with one node object and no kubelet: every check runs, and
// the ones that cannot pass say which node and which pods, and why; the test namespace is gone after.

const CLUSTER = await readFile(
  repoPath("workflows-examples/clusters/single-node/cluster.yaml"),
  "utf8",
);
const VM = parseClusterConfig(CLUSTER, "cluster.yaml").plan.vms[0]!;
let cpl: ControlPlane;
beforeAll(async () => {
  cpl = await startControlPlane();
}, 240_000);
afterAll(async () => {
  await cpl?.stop();
});

describe("verify against a real API server", () => {
  it("fails naming the node that is not Ready and the probe pod that never ran; cleans up its namespace", async () => {
    const created = await kubectl(
      cpl,
      ["create", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: VM.name } }),
    );
    expect(created.stderr).toBe("");
    const workspace = path.join(path.dirname(cpl.kubeconfig), "workspace");
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, "cluster.yaml"), CLUSTER);
    const summary = path.join(workspace, "summary.md");
    await writeFile(summary, "");
    const outputs: Record<string, string> = {};
    const logger = memoryLogger();
    const error = await run({
      env: {
        ...process.env,
        PATH: `${cpl.binDir}:${process.env.PATH ?? ""}`,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: workspace,
        GITHUB_STEP_SUMMARY: summary,
        INPUT_CLUSTER: "cluster.yaml",
        "INPUT_STATE-KEY": "k".repeat(44),
        INPUT_KUBECONFIG: cpl.kubeconfigText,
        "INPUT_PROBE-FROM-RUNNER": "false",
        "INPUT_TIMEOUT-SECONDS": "8",
      },
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => undefined,
      pollMs: 1000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, logger.lines.slice(-20).join("\n")).toBeInstanceOf(VerifyFailedError);
    const checks = (error as VerifyFailedError).checks;
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ["nodes Ready", false],
      ["system pods healthy", true],
      ["CoreDNS answers", false],
      ["LoadBalancer address from the pool", false],
    ]);
    expect(checks[0]!.detail).toBe(`0/1 Ready; ${VM.name}: no Ready condition yet`);
    expect(checks[2]!.detail).toMatch(
      /^no test pod to ask from: verify probe not ready after 8 s: Deployment pve-kube-verify\/echo \(0\/1 ready/,
    );
    // this control plane runs no service-account controller, so the namespace has no default
    // ServiceAccount and the ReplicaSet cannot create the pod: the report says no pod exists
    expect(checks[2]!.detail).toMatch(/no pods are failing: the workloads have not created them/);
    expect(checks[3]!.detail).toBe(
      "pve-kube-verify/echo got no address in 8 s (pool 192.168.1.240-192.168.1.250)",
    );
    expect(outputs.passed).toBe("false");
    const table = await readFile(summary, "utf8");
    expect(table).toContain("| nodes Ready | ❌ failed | 0/1 Ready;");
    expect(table).not.toContain(cpl.token);
    const ns = await kubectl(cpl, [
      "get",
      "namespace",
      "pve-kube-verify",
      "-o",
      "jsonpath={.status.phase}",
    ]);
    expect(ns.code !== 0 || ns.stdout === "Terminating").toBe(true);
  });
});
