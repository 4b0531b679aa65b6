import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../../actions/install-cilium/src/install-cilium-action.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { WorkloadsNotReadyError } from "../../../actions/lib/helm/wait.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createPhaseState,
  sealSecret,
  uploadPhaseState,
} from "../../../actions/lib/state/index.js";
import { requireChart, requireHelm } from "../../../testkit/helm-tools.js";
import { repoPath } from "../../helpers/repo.js";
import { useResultsService } from "../../unit/results/job.js";
import { startControlPlane, type ControlPlane } from "./control-plane.js";

// install-cilium's run() against a real API server (etcd, kube-apiserver, controller-manager and
// scheduler on loopback, no nodes) with the real Helm and the chart that ships in the cilium
// module: the install is validated by the API server, the agent and operator never get ready
// (there is no node), and the failure must name the pods and why, within its timeout. The
// kubeconfig reaches the action the production way: sealed in the kubeadm-bootstrap state.

const STATE_KEY = randomBytes(32).toString("base64");
const CLUSTER_FILE = repoPath("workflows-examples/clusters/single-node/cluster.yaml");
const clusterText = await readFile(CLUSTER_FILE, "utf8");
const plan = parseClusterConfig(clusterText, CLUSTER_FILE).plan;
const { job } = useResultsService();

let controlPlane: ControlPlane;
let helm: string;
let chart: string;
beforeAll(async () => {
  helm = requireHelm();
  chart = requireChart("cilium");
  controlPlane = await startControlPlane();
});
afterAll(async () => {
  await controlPlane?.stop();
});

function helmRevision(): number {
  const out = execFileSync(
    helm,
    [
      "list",
      "--namespace",
      "kube-system",
      "--kubeconfig",
      controlPlane.kubeconfig,
      "--output",
      "json",
    ],
    { encoding: "utf8" },
  );
  return Number(
    (JSON.parse(out) as { name: string; revision: string }[]).find((r) => r.name === "cilium")
      ?.revision ?? 0,
  );
}

async function installCilium(runId: string, inputs: Record<string, string>, cluster = clusterText) {
  const j = job(runId, "install-cilium");
  return j.run(async (self) => {
    await mkdir(path.join(self.workspace, "clusters"), { recursive: true });
    await writeFile(path.join(self.workspace, "clusters", "cluster.yaml"), cluster);
    await cp(chart, path.join(self.workspace, "charts", "cilium"), { recursive: true });
    const summary = path.join(self.workspace, "summary.md");
    await writeFile(summary, "");
    const outputs: Record<string, string> = {};
    const masked: string[] = [];
    const logger = memoryLogger();
    const env = {
      ...process.env,
      PATH: `${path.dirname(helm)}:${controlPlane.binDir}:${process.env.PATH ?? ""}`,
      INPUT_CLUSTER: "clusters/cluster.yaml",
      "INPUT_STATE-KEY": STATE_KEY,
      INPUT_CHART: "charts/cilium",
      "INPUT_TIMEOUT-SECONDS": "20",
      ...inputs,
      GITHUB_STEP_SUMMARY: summary,
    };
    let error: unknown;
    let result: Awaited<ReturnType<typeof run>> | undefined;
    try {
      result = await run({
        env,
        logger,
        setOutput: (k, v) => (outputs[k] = v),
        maskSecret: (s) => masked.push(s),
        artifactStore: new DefaultArtifactClient(),
        pollMs: 1000,
      });
    } catch (e) {
      error = e;
    }
    return { result, error, outputs, masked, logger, summary: await readFile(summary, "utf8") };
  });
}

describe("install-cilium against a real API server", () => {
  it("installs with Helm, then fails within its timeout naming the pods that are not ready and why; the kubeconfig never shows", async () => {
    // kubeadm-bootstrap's hand-over: the admin kubeconfig sealed in its phase state
    await job("run-c1", "kubeadm-bootstrap").run(async () =>
      uploadPhaseState(
        createPhaseState({
          cluster: plan.cluster,
          clusterUid: plan.uid,
          status: "succeeded",
          startedAt: "2026-12-07T18:00:00.000Z",
          finishedAt: "2026-12-07T18:01:00.000Z",
          phase: "kubeadm-bootstrap",
          timings: [],
          outputs: {
            mode: "apply",
            kubernetesVersion: plan.kubernetes.version,
            controlPlaneEndpoint: `${plan.network.vip}:6443`,
            endpointProvider: "kube-vip",
            nodeProfile: "production",
            kubeconfig: sealSecret(
              controlPlane.kubeconfigText,
              STATE_KEY,
              `${plan.cluster}/kubeadm-bootstrap/kubeconfig`,
            ),
            knownHosts: "",
            plan: {},
            nodes: [],
            recap: [],
          },
        }),
        new DefaultArtifactClient(),
        memoryLogger(),
      ),
    );
    const started = Date.now();
    const first = await installCilium("run-c1", {});
    const seconds = (Date.now() - started) / 1000;
    expect(first.error, first.logger.lines.slice(-30).join("\n")).toBeInstanceOf(
      WorkloadsNotReadyError,
    );
    const report = (first.error as Error).message;
    expect(report).toMatch(
      /^cilium not ready after 20 s: DaemonSet kube-system\/cilium \(0\/0 ready, 0\/0 updated\), Deployment kube-system\/cilium-operator \(0\/1 ready/,
    );
    // the operator's pod, named, with the scheduler's reason and its event
    expect(report).toMatch(/pod cilium-operator-[a-z0-9]+-[a-z0-9]+ \(Pending\):/);
    expect(report).toMatch(/not scheduled: Unschedulable no nodes available to schedule pods/);
    expect(report).toMatch(
      /events:\n {6}Warning FailedScheduling: no nodes available to schedule pods/,
    );
    expect(first.logger.lines.join("\n")).toMatch(
      /cilium: install cilium 1\.20\.2 \(values [0-9a-f]{16}\)/,
    );
    // within its timeout: 20 s of waiting plus the install and the report, not minutes
    expect(seconds).toBeLessThan(20 + 120);
    expect(helmRevision()).toBe(1);
    // the kubeconfig was registered as a secret and appears nowhere
    expect(first.masked).toContain(controlPlane.token);
    const everything = [
      first.logger.lines.join("\n"),
      report,
      first.summary,
      JSON.stringify(first.outputs),
    ].join("\n");
    expect(everything).not.toContain(controlPlane.token);
    expect(everything).not.toContain(STATE_KEY);

    // a re-run with the same cluster.yaml: no upgrade, so no new revision and no rollout
    const again = await installCilium("run-c1", { "INPUT_TIMEOUT-SECONDS": "3" });
    expect(again.error).toBeInstanceOf(WorkloadsNotReadyError);
    expect(again.logger.lines.join("\n")).toMatch(
      /cilium: no change \(cilium 1\.20\.2, revision 1, values [0-9a-f]{16}\)/,
    );
    expect(again.logger.lines.some((l) => l.includes("helm upgrade"))).toBe(false);
    expect(helmRevision()).toBe(1);
  });

  it("plan mode reports a values change without touching the release", async () => {
    expect(clusterText).not.toMatch(/^cilium:/m);
    const changed = `${clusterText}\ncilium:\n  hubble:\n    enabled: false\n`;
    const planned = await installCilium("run-c1", { INPUT_MODE: "plan" }, changed);
    expect(planned.error).toBeUndefined();
    expect(planned.result?.plan).toMatchObject({ action: "upgrade", deployedRevision: 1 });
    expect(planned.result?.plan.reasons.join(" ")).toMatch(/^values [0-9a-f]{16} → [0-9a-f]{16}$/);
    expect(planned.outputs.changed).toBe("false");
    expect(planned.outputs.revision).toBe("");
    expect(planned.summary).toContain("| action | would upgrade |");
    expect(helmRevision()).toBe(1);
  });
});
