import { describe, expect, test } from "vitest";
import { planRelease, releasePlanLine, type ReleasePlan } from "../../../actions/lib/helm/plan.js";
import {
  parseHelmList,
  parseHelmValues,
  splitChartLabel,
} from "../../../actions/lib/helm/release.js";
import { kubeconfigSecretValues } from "../../../actions/lib/helm/kubeconfig.js";
import { valuesHash } from "../../../actions/lib/helm/values.js";

const values = { kubeProxyReplacement: true, hubble: { enabled: true } };
const deployed = {
  name: "cilium",
  namespace: "kube-system",
  revision: 3,
  status: "deployed",
  chartName: "cilium",
  chartVersion: "1.20.2",
};
const desired = { release: "cilium", chart: "cilium", version: "1.20.2", values, reachable: true };

describe("planRelease", () => {
  test.each<[string, Partial<Parameters<typeof planRelease>[0]>, Partial<ReleasePlan>, RegExp]>([
    [
      "not installed",
      { deployed: undefined, deployedValues: undefined },
      { action: "install", reasons: ["not installed"] },
      /^cilium: install cilium 1\.20\.2 \(values [0-9a-f]{16}\)$/,
    ],
    [
      "same version and values",
      { deployed, deployedValues: { hubble: { enabled: true }, kubeProxyReplacement: true } },
      { action: "none", reasons: [], deployedRevision: 3 },
      /no change \(cilium 1\.20\.2, revision 3/,
    ],
    [
      "a new version",
      { deployed: { ...deployed, chartVersion: "1.19.4" }, deployedValues: values },
      { action: "upgrade", reasons: ["version 1.19.4 → 1.20.2"], deployedVersion: "1.19.4" },
      /upgrade revision 3 \(version 1\.19\.4 → 1\.20\.2\)/,
    ],
    [
      "changed values",
      { deployed, deployedValues: { ...values, hubble: { enabled: false } } },
      {
        action: "upgrade",
        deployedValuesHash: valuesHash({ ...values, hubble: { enabled: false } }),
      },
      /upgrade revision 3 \(values [0-9a-f]{16} → [0-9a-f]{16}\)/,
    ],
    [
      "a failed last revision, even with the same values",
      { deployed: { ...deployed, status: "failed" }, deployedValues: values },
      { action: "upgrade", reasons: ["last revision 3 is failed"] },
      /last revision 3 is failed/,
    ],
    [
      "the cluster cannot be asked (plan before it exists)",
      { reachable: false, deployed: undefined, deployedValues: undefined },
      { action: "unknown" },
      /decided at deploy time/,
    ],
  ])("%s", (_name, change, expected, line) => {
    const plan = planRelease({
      ...desired,
      deployed: undefined,
      deployedValues: undefined,
      ...change,
    });
    expect(plan).toMatchObject({ ...expected, valuesHash: valuesHash(values), version: "1.20.2" });
    expect(releasePlanLine(plan)).toMatch(line);
  });
});

describe("helm's JSON", () => {
  test.each([
    ["cilium-1.20.2", { name: "cilium", version: "1.20.2" }],
    ["proxmox-csi-plugin-0.5.9", { name: "proxmox-csi-plugin", version: "0.5.9" }],
    [
      "kube-prometheus-stack-88.5.3-rc.1",
      { name: "kube-prometheus-stack", version: "88.5.3-rc.1" },
    ],
  ])("chart label %s", (label, expected) => {
    expect(splitChartLabel(label)).toEqual(expected);
  });

  test("helm list: the named release, revision as a number; none when absent", () => {
    const out = JSON.stringify([
      {
        name: "cilium-extra",
        namespace: "kube-system",
        revision: "1",
        status: "deployed",
        chart: "x-1.0.0",
        app_version: "1",
      },
      {
        name: "cilium",
        namespace: "kube-system",
        revision: "4",
        updated: "2026-12-07",
        status: "pending-upgrade",
        chart: "cilium-1.20.2",
        app_version: "1.20.2",
      },
    ]);
    expect(parseHelmList(out, "cilium")).toEqual({
      ...deployed,
      revision: 4,
      status: "pending-upgrade",
    });
    expect(parseHelmList("[]\n", "cilium")).toBeUndefined();
  });

  test("helm get values: null (no user values) is an empty map", () => {
    expect(parseHelmValues("null\n")).toEqual({});
    expect(parseHelmValues('{"a":{"b":1}}')).toEqual({ a: { b: 1 } });
  });
});

describe("kubeconfigSecretValues", () => {
  test("every credential of a kubeconfig, each on its own, nothing else", () => {
    const text = [
      "apiVersion: v1",
      "clusters:",
      "- cluster:",
      "    certificate-authority-data: Q0EK",
      "    server: https://10.0.20.10:6443",
      "users:",
      "- name: kubernetes-admin",
      "  user:",
      "    client-certificate-data: Q0VSVAo=",
      "    client-key-data: S0VZCg==",
      "- name: bot",
      "  user:",
      '    token: "abc.def"',
    ].join("\n");
    expect(kubeconfigSecretValues(text)).toEqual(["Q0VSVAo=", "S0VZCg==", "abc.def"]);
  });
});
