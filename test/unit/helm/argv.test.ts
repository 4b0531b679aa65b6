import { describe, expect, test } from "vitest";
import {
  helmGetValuesArgs,
  helmListArgs,
  helmTemplateArgs,
  helmUpgradeArgs,
} from "../../../actions/lib/helm/argv.js";
import {
  getPodEventsArgs,
  getPodsArgs,
  getWorkloadArgs,
  podLogsArgs,
} from "../../../actions/lib/helm/kubectl.js";
import { CILIUM_WORKLOADS } from "../../../actions/lib/cilium/release.js";

const ref = { release: "cilium", namespace: "kube-system", kubeconfig: "/tmp/x/kubeconfig" };

describe("helm argv", () => {
  test.each<[string, string[], string[]]>([
    [
      "upgrade --install from the pinned repository",
      helmUpgradeArgs({
        ...ref,
        chart: { repo: "https://helm.cilium.io/", chart: "cilium", version: "1.20.2" },
        valuesFile: "/tmp/x/values.json",
        timeoutSeconds: 600,
      }),
      [
        "upgrade",
        "cilium",
        "cilium",
        "--repo",
        "https://helm.cilium.io/",
        "--version",
        "1.20.2",
        "--install",
        "--namespace",
        "kube-system",
        "--kubeconfig",
        "/tmp/x/kubeconfig",
        "--values",
        "/tmp/x/values.json",
        "--reset-values",
        "--wait=hookOnly",
        "--timeout",
        "600s",
        "--history-max",
        "10",
      ],
    ],
    [
      "upgrade --install from a local chart (no --version: the chart has one)",
      helmUpgradeArgs({
        ...ref,
        chart: { path: "/charts/cilium" },
        valuesFile: "v.json",
        timeoutSeconds: 30,
      }),
      [
        "upgrade",
        "cilium",
        "/charts/cilium",
        "--install",
        "--namespace",
        "kube-system",
        "--kubeconfig",
        "/tmp/x/kubeconfig",
        "--values",
        "v.json",
        "--reset-values",
        "--wait=hookOnly",
        "--timeout",
        "30s",
        "--history-max",
        "10",
      ],
    ],
    [
      "list exactly one release, every status",
      helmListArgs(ref),
      [
        "list",
        "--namespace",
        "kube-system",
        "--kubeconfig",
        "/tmp/x/kubeconfig",
        "--filter",
        "^cilium$",
        "--output",
        "json",
      ],
    ],
    [
      "list escapes regular-expression characters of the name",
      helmListArgs({ ...ref, release: "a.b" }),
      [
        "list",
        "--namespace",
        "kube-system",
        "--kubeconfig",
        "/tmp/x/kubeconfig",
        "--filter",
        "^a\\.b$",
        "--output",
        "json",
      ],
    ],
    [
      "get values",
      helmGetValuesArgs(ref),
      [
        "get",
        "values",
        "cilium",
        "--namespace",
        "kube-system",
        "--kubeconfig",
        "/tmp/x/kubeconfig",
        "--output",
        "json",
      ],
    ],
    [
      "template with a Kubernetes version",
      helmTemplateArgs({
        release: "cilium",
        namespace: "kube-system",
        chart: { path: "c" },
        valuesFile: "v",
        kubeVersion: "1.36.3",
      }),
      [
        "template",
        "cilium",
        "c",
        "--namespace",
        "kube-system",
        "--values",
        "v",
        "--kube-version",
        "1.36.3",
      ],
    ],
  ])("%s", (_name, args, expected) => {
    expect(args).toEqual(expected);
  });

  test("values never go through --set and nothing falls back to ~/.kube/config", () => {
    const args = helmUpgradeArgs({
      ...ref,
      chart: { path: "c" },
      valuesFile: "v",
      timeoutSeconds: 1,
    });
    expect(args.some((a) => a.startsWith("--set"))).toBe(false);
    expect(args).toContain("--kubeconfig");
  });
});

describe("kubectl argv", () => {
  const [agent, operator] = CILIUM_WORKLOADS;
  test.each<[string, string[], string[]]>([
    [
      "the agent DaemonSet",
      getWorkloadArgs("k", agent!),
      [
        "get",
        "daemonset",
        "cilium",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--output",
        "json",
      ],
    ],
    [
      "the operator Deployment",
      getWorkloadArgs("k", operator!),
      [
        "get",
        "deployment",
        "cilium-operator",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--output",
        "json",
      ],
    ],
    [
      "the operator's pods",
      getPodsArgs("k", operator!),
      [
        "get",
        "pods",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--selector",
        "io.cilium/app=operator",
        "--output",
        "json",
      ],
    ],
    [
      "a pod's events",
      getPodEventsArgs("k", "kube-system", "cilium-x"),
      [
        "get",
        "events",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--field-selector",
        "involvedObject.kind=Pod,involvedObject.name=cilium-x",
        "--output",
        "json",
      ],
    ],
    [
      "a pod's last log lines",
      podLogsArgs("k", "kube-system", "cilium-x", 15),
      [
        "logs",
        "cilium-x",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--all-containers",
        "--prefix",
        "--tail=15",
      ],
    ],
    [
      "the run before a restart",
      podLogsArgs("k", "kube-system", "cilium-x", 5, true),
      [
        "logs",
        "cilium-x",
        "--kubeconfig",
        "k",
        "--namespace",
        "kube-system",
        "--all-containers",
        "--prefix",
        "--tail=5",
        "--previous",
      ],
    ],
  ])("%s", (_name, args, expected) => {
    expect(args).toEqual(expected);
  });
});
