import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import { readValuesFile } from "../../../actions/lib/helm/cluster-access.js";
import { canonicalJson, mergeValues } from "../../../actions/lib/helm/values.js";
import { serviceSteps, type ReleaseStep } from "../../../actions/lib/services/catalog.js";
import { namespaceObject } from "../../../actions/lib/services/namespaces.js";
import type { K8sObject } from "../../../actions/lib/services/objects.js";
import { requireChart } from "../../../testkit/helm-tools.js";
import { repoPath } from "../../helpers/repo.js";
import { startControlPlane, type ControlPlane } from "../cilium/control-plane.js";
import { dryRunServer, ensureNamespace, helmTemplate, installCrds } from "./validate.js";

// The charts that ship in served Go modules (MetalLB 0.16.1, Proxmox CSI 0.5.0), rendered by the
// real Helm with the values deploy-services would hand it for the example clusters, and every
// object validated by a real API server: CRDs and namespaces created, the rest applied with
// --dry-run=server --validate=strict — then the LB pool objects against MetalLB's CRDs as
// installed by its own chart.

let cp: ControlPlane;
let home: string;
beforeAll(async () => {
  cp = await startControlPlane();
  home = await mkdtemp(path.join(os.tmpdir(), "pve-kube-charts-"));
}, 240_000);
afterAll(async () => {
  await cp?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function rendered(
  example: string,
  id: string,
): Promise<{ step: ReleaseStep; objects: K8sObject[]; version: string }> {
  const { config, plan } = await loadClusterConfig(
    repoPath("workflows-examples", "clusters", example, "cluster.yaml"),
  );
  const step = serviceSteps(config, plan).find(
    (s): s is ReleaseStep => s.kind === "release" && s.id === id,
  );
  if (!step) throw new Error(`${example} does not enable ${id}`);
  const base = await readValuesFile(repoPath("manifests", "services", id, "values.yaml"), true);
  const valuesFile = path.join(home, `${example}-${id}.json`);
  await writeFile(valuesFile, canonicalJson(mergeValues(base, step.rendered, step.user)));
  const objects = await helmTemplate({
    release: step.release,
    namespace: step.namespace,
    chart: requireChart(step.chartKey),
    valuesFile,
    kubeVersion: plan.kubernetes.version,
    home,
  });
  return { step, objects, version: plan.kubernetes.version };
}

describe("charts from served Go modules, rendered with deploy-services' values, validated by the API server", () => {
  it.each([
    [
      "multi-node",
      "proxmox-csi",
      [
        "StorageClass proxmox-ceph-vm",
        "Deployment proxmox-csi-plugin-controller",
        "DaemonSet proxmox-csi-plugin-node",
      ],
    ],
    ["ha", "proxmox-csi", ["StorageClass proxmox-local-lvm", "CSIDriver csi.proxmox.sinextra.dev"]],
    [
      "multi-node",
      "metallb",
      [
        "Deployment metallb-controller",
        "DaemonSet metallb-speaker",
        "CustomResourceDefinition ipaddresspools.metallb.io",
      ],
    ],
  ])("%s %s", async (example, id, expected) => {
    const { step, objects } = await rendered(example, id);
    const names = objects.map((o) => `${o.kind} ${o.metadata.name}`);
    for (const e of expected) expect(names).toContain(e);
    // no Secret with credentials in what the chart renders: the CSI's comes from us
    expect(
      objects.filter((o) => o.kind === "Secret" && o.metadata.name.includes("proxmox")),
    ).toEqual([]);
    // MetalLB in layer 2 only: no FRR container, no frr-k8s
    if (id === "metallb") expect(JSON.stringify(objects)).not.toMatch(/frr-k8s|"name":"frr"/);
    await installCrds(
      cp,
      objects.filter((o) => o.kind === "CustomResourceDefinition"),
    );
    await ensureNamespace(cp, step.namespace);
    const rest = objects.filter((o) => o.kind !== "CustomResourceDefinition");
    const result = await dryRunServer(cp, [namespaceObject(step.namespace), ...rest], {
      namespace: step.namespace,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(rest.length + 1);
  });

  it("the MetalLB pool of multi-node is accepted by the CRDs MetalLB's chart installs", async () => {
    const { config, plan } = await loadClusterConfig(
      repoPath("workflows-examples", "clusters", "multi-node", "cluster.yaml"),
    );
    const pool = serviceSteps(config, plan).find((s) => s.id === "lb-pool");
    if (pool?.kind !== "objects") throw new Error("no pool");
    const result = await dryRunServer(cp, pool.objects);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /ipaddresspool.metallb.io\/pve-kube serverside-applied \(server dry run\)/,
    );
  });
});

// the example values must stay in the shape their chart documents: keys the chart's own
// values.yaml does not know would be ignored silently by Helm
describe("values keys the charts know", () => {
  it.each([
    ["proxmox-csi", "proxmox-csi-plugin"],
    ["metallb", "metallb"],
  ])("%s", async (id, chartKey) => {
    const chartValues = (await import("yaml")).parse(
      await readFile(path.join(requireChart(chartKey), "values.yaml"), "utf8"),
    ) as Record<string, unknown>;
    const { step } = await rendered(id === "metallb" ? "multi-node" : "ha", id);
    for (const key of Object.keys(step.rendered))
      expect(Object.keys(chartValues), key).toContain(key);
  });
});
