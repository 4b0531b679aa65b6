import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../../actions/deploy-services/src/deploy-services-action.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { WorkloadsNotReadyError } from "../../../actions/lib/helm/wait.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { requireChart, requireHelm } from "../../../testkit/helm-tools.js";
import { repoPath } from "../../helpers/repo.js";
import { startControlPlane, type ControlPlane } from "../cilium/control-plane.js";
import { kubectl } from "./validate.js";

// deploy-services' run() against a real API server (etcd, kube-apiserver, controller-manager and
// scheduler on loopback) with the real Helm and the charts that ship in served Go modules
// (MetalLB 0.16.1, Proxmox CSI 0.5.0): node names against VM names, topology labels, the CSI's
// Secret from the environment, the install validated by the API server, a wait that fails within
// its timeout naming the release and its pods, idempotence and plan mode. There is no kubelet:
// the one node is an object the test creates, so pods are scheduled and never start.

const STATE_KEY = randomBytes(32).toString("base64");
const CSI_TOKEN_ID = "kubernetes-csi@pve!csi";
const CSI_TOKEN_SECRET = randomBytes(16).toString("hex");
const BASE = await readFile(
  repoPath("workflows-examples/clusters/single-node/cluster.yaml"),
  "utf8",
);
const CLUSTER = `${BASE}services:
  proxmoxCsi:
    enabled: true
    region: home
  loadBalancer:
    provider: metallb
`;
const plan = parseClusterConfig(CLUSTER, "cluster.yaml").plan;
const VM = plan.vms[0]!;

let cpl: ControlPlane;
let workspace: string;
beforeAll(async () => {
  cpl = await startControlPlane();
  workspace = path.join(path.dirname(cpl.kubeconfig), "workspace");
  await mkdir(path.join(workspace, "charts"), { recursive: true });
  for (const name of ["metallb", "proxmox-csi-plugin"])
    await cp(requireChart(name), path.join(workspace, "charts", name), { recursive: true });
}, 240_000);
afterAll(async () => {
  await cpl?.stop();
});

async function deployServices(inputs: Record<string, string>, cluster = CLUSTER) {
  await writeFile(path.join(workspace, "cluster.yaml"), cluster);
  const summary = path.join(workspace, "summary.md");
  await writeFile(summary, "");
  const runnerTemp = path.join(workspace, "tmp");
  await mkdir(runnerTemp, { recursive: true });
  const outputs: Record<string, string> = {};
  const masked: string[] = [];
  const logger = memoryLogger();
  let error: unknown;
  let result: Awaited<ReturnType<typeof run>> | undefined;
  try {
    result = await run({
      env: {
        ...process.env,
        PATH: `${path.dirname(requireHelm())}:${cpl.binDir}:${process.env.PATH ?? ""}`,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        GITHUB_STEP_SUMMARY: summary,
        INPUT_CLUSTER: "cluster.yaml",
        "INPUT_STATE-KEY": STATE_KEY,
        INPUT_KUBECONFIG: cpl.kubeconfigText,
        "INPUT_CHART-DIR": "charts",
        "INPUT_TIMEOUT-SECONDS": "15",
        PROXMOX_CSI_TOKEN_ID: CSI_TOKEN_ID,
        PROXMOX_CSI_TOKEN_SECRET: CSI_TOKEN_SECRET,
        ...inputs,
      },
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: (s) => masked.push(s),
      pollMs: 1000,
    });
  } catch (e) {
    error = e;
  }
  const leftInTemp = await readdir(runnerTemp);
  return {
    result,
    error,
    outputs,
    masked,
    logger,
    leftInTemp,
    everything: [
      logger.lines.join("\n"),
      error ? String((error as Error).message) : "",
      await readFile(summary, "utf8"),
      JSON.stringify(outputs),
    ].join("\n"),
  };
}

function revision(release: string, namespace: string): number {
  const out = execFileSync(
    requireHelm(),
    ["list", "--namespace", namespace, "--kubeconfig", cpl.kubeconfig, "--output", "json"],
    { encoding: "utf8" },
  );
  return Number(
    (JSON.parse(out) as { name: string; revision: string }[]).find((r) => r.name === release)
      ?.revision ?? 0,
  );
}

describe("deploy-services against a real API server", () => {
  it("refuses Proxmox CSI while the node names are not the VM names, before any change", async () => {
    const first = await deployServices({});
    expect(first.error).toBeInstanceOf(ConfigurationError);
    expect((first.error as Error).message).toContain(
      `VMs that are no node of that name: ${VM.name}`,
    );
    expect(revision("proxmox-csi-plugin", "csi-proxmox")).toBe(0);
  });

  it("installs in order, labels the node, keeps the CSI token out of every output, fails within its timeout naming the release and its pods; a re-run changes nothing", async () => {
    // the VM's node (no kubelet behind it): the scheduler places pods on it, nothing starts them
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: VM.name },
      status: {
        capacity: { cpu: "4", memory: "8Gi", pods: "110" },
        allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
      },
    };
    const created = await kubectl(cpl, ["create", "-f", "-"], JSON.stringify(node));
    expect(created.stderr).toBe("");

    const started = Date.now();
    const first = await deployServices({});
    expect(first.error, first.logger.lines.slice(-30).join("\n")).toBeInstanceOf(
      WorkloadsNotReadyError,
    );
    expect(first.logger.lines.join("\n")).toContain(
      "install order: proxmox-csi → metallb → lb-pool",
    );
    const report = (first.error as Error).message;
    expect(report).toMatch(/^proxmox-csi-plugin not ready after 15 s: /);
    expect(report).toMatch(/Deployment csi-proxmox\/proxmox-csi-plugin-controller \(0\/1 ready/);
    // the API server taints a node that never reported Ready: the scheduler says so, by pod
    expect(report).toMatch(/pod proxmox-csi-plugin-controller-[a-z0-9]+-[a-z0-9]+ \(Pending\):/);
    expect(report).toMatch(
      /not scheduled: Unschedulable 0\/1 nodes are available: 1 node\(s\) had untolerated taint/,
    );
    expect((Date.now() - started) / 1000).toBeLessThan(15 + 120);
    expect(revision("proxmox-csi-plugin", "csi-proxmox")).toBe(1);
    // the chart's StorageClass, the node's topology labels
    const sc = await kubectl(cpl, ["get", "storageclass", "proxmox-local-lvm", "-o", "json"]);
    expect(JSON.parse(sc.stdout)).toMatchObject({
      provisioner: "csi.proxmox.sinextra.dev",
      parameters: { storage: "local-lvm" },
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    const { labels } = (
      JSON.parse((await kubectl(cpl, ["get", "node", VM.name, "-o", "json"])).stdout) as {
        metadata: { labels: Record<string, string> };
      }
    ).metadata;
    expect(labels).toMatchObject({
      "topology.kubernetes.io/region": "home",
      "topology.kubernetes.io/zone": VM.node,
    });
    // the token reached the cluster as the CSI's Secret, and nowhere else
    const secret = JSON.parse(
      (
        await kubectl(cpl, [
          "get",
          "secret",
          "proxmox-csi-config",
          "-n",
          "csi-proxmox",
          "-o",
          "json",
        ])
      ).stdout,
    ) as { data: Record<string, string> };
    const config = Buffer.from(secret.data["config.yaml"]!, "base64").toString();
    expect(config).toContain(`token_secret: "${CSI_TOKEN_SECRET}"`);
    expect(config).toContain('region: "home"');
    const values = execFileSync(
      requireHelm(),
      [
        "get",
        "values",
        "proxmox-csi-plugin",
        "-n",
        "csi-proxmox",
        "--kubeconfig",
        cpl.kubeconfig,
        "-o",
        "json",
      ],
      { encoding: "utf8" },
    );
    expect(values).not.toContain(CSI_TOKEN_SECRET);
    expect(first.masked).toEqual(expect.arrayContaining([CSI_TOKEN_SECRET, cpl.token]));
    expect(first.everything).not.toContain(CSI_TOKEN_SECRET);
    expect(first.everything).not.toContain(cpl.token);
    expect(first.leftInTemp).toEqual([]);

    // the same cluster.yaml again: no upgrade, no relabel, no Secret write
    const again = await deployServices({ "INPUT_TIMEOUT-SECONDS": "3" });
    expect(again.error).toBeInstanceOf(WorkloadsNotReadyError);
    const log = again.logger.lines.join("\n");
    expect(log).toMatch(
      /proxmox-csi-plugin: no change \(proxmox-csi-plugin 0\.5\.0, revision 1, values [0-9a-f]{16}\)/,
    );
    expect(log).not.toMatch(
      /\$ helm upgrade|\$ kubectl label|Secret csi-proxmox\/proxmox-csi-config created or changed/,
    );
    expect(revision("proxmox-csi-plugin", "csi-proxmox")).toBe(1);
    expect(again.everything).not.toContain(CSI_TOKEN_SECRET);
  });

  it("plan mode reports chart, version and values-hash changes without touching anything", async () => {
    const changed = CLUSTER.replace(
      "    region: home\n",
      "    region: home\n    storageClasses:\n      - storage: local-lvm\n        fstype: xfs\n        default: true\n",
    );
    const planned = await deployServices(
      { INPUT_MODE: "plan", PROXMOX_CSI_TOKEN_ID: "", PROXMOX_CSI_TOKEN_SECRET: "" },
      changed,
    );
    expect(planned.error).toBeUndefined();
    const p = planned.result!.plan;
    expect(p.releases.map((r) => [r.release, r.action])).toEqual([
      ["proxmox-csi-plugin", "upgrade"],
      ["metallb", "install"],
    ]);
    expect(p.releases[0]!.reasons.join(" ")).toMatch(/^values [0-9a-f]{16} → [0-9a-f]{16}$/);
    expect(p.objects).toEqual([
      {
        id: "lb-pool",
        names: ["IPAddressPool metallb-system/pve-kube", "L2Advertisement metallb-system/pve-kube"],
        // MetalLB (and with it the kind) is not installed yet: the pool would be created
        action: "change",
      },
    ]);
    expect(p.nodeLabels).toEqual([]);
    expect(planned.outputs.changed).toBe("false");
    expect(JSON.parse(planned.outputs.plan!)).toEqual(p);
    expect(revision("proxmox-csi-plugin", "csi-proxmox")).toBe(1);
  });
});
