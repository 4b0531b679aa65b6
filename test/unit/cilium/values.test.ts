import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { LAB_NSPAWN_VALUES, ciliumProfile } from "../../../actions/lib/cilium/profile.js";
import {
  ciliumSettings,
  finalValues,
  renderedValues,
  type CiliumSettings,
} from "../../../actions/lib/cilium/values.js";
import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import {
  canonicalJson,
  mergeValues,
  valuesHash,
  type HelmValues,
} from "../../../actions/lib/helm/values.js";
import { repoPath } from "../../helpers/repo.js";

const settings: CiliumSettings = {
  apiHost: "10.0.20.10",
  apiPort: 6443,
  kubeProxyReplacement: true,
  podCidr: "10.244.0.0/16",
  hubble: { enabled: true, relay: false, ui: false },
  lbIpam: true,
  nodeCount: 3,
  userValues: {},
};

describe("renderedValues: what cluster.yaml decides", () => {
  test.each<[string, Partial<CiliumSettings>, Record<string, unknown>]>([
    [
      "kube-proxy replacement through the control-plane endpoint",
      {},
      {
        k8sServiceHost: "10.0.20.10",
        k8sServicePort: 6443,
        kubeProxyReplacement: true,
        bpf: { masquerade: true },
      },
    ],
    ["keepalived's HAProxy port", { apiPort: 8443 }, { k8sServicePort: 8443 }],
    [
      "with kube-proxy: no eBPF masquerade",
      { kubeProxyReplacement: false },
      { kubeProxyReplacement: false, bpf: { masquerade: false } },
    ],
    [
      "the pod CIDR",
      { podCidr: "10.42.0.0/16" },
      { ipam: { operator: { clusterPoolIPv4PodCIDRList: ["10.42.0.0/16"] } } },
    ],
    [
      "Hubble off",
      { hubble: { enabled: false, relay: false, ui: false } },
      { hubble: { enabled: false, relay: { enabled: false }, ui: { enabled: false } } },
    ],
    [
      "Hubble with UI and relay",
      { hubble: { enabled: true, relay: true, ui: true } },
      { hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: true } } },
    ],
    [
      "LB-IPAM: L2 announcements on",
      { lbIpam: true },
      { enableLBIPAM: true, l2announcements: { enabled: true } },
    ],
    [
      "MetalLB or none: no LB-IPAM, no L2 announcements",
      { lbIpam: false },
      { enableLBIPAM: false, l2announcements: { enabled: false } },
    ],
    ["one node: one operator", { nodeCount: 1 }, { operator: { replicas: 1 } }],
    ["five nodes: two operators", { nodeCount: 5 }, { operator: { replicas: 2 } }],
  ])("%s", (_name, change, expected) => {
    expect(renderedValues({ ...settings, ...change })).toMatchObject(expected);
  });
});

describe("ciliumSettings from a real cluster.yaml", () => {
  test.each([
    [
      "ha",
      {
        apiHost: "10.0.20.10",
        apiPort: 6443,
        lbIpam: true,
        hubble: { enabled: true, relay: true, ui: true },
      },
    ],
    ["multi-node", { apiHost: "10.30.0.10", lbIpam: false }],
    ["single-node", { apiHost: "192.168.1.59", nodeCount: 1, lbIpam: true }],
  ])("workflows-examples/clusters/%s", async (name, expected) => {
    const { config, plan } = await loadClusterConfig(
      repoPath("workflows-examples", "clusters", name, "cluster.yaml"),
    );
    expect(ciliumSettings(config, plan)).toMatchObject(expected);
  });
});

describe("mergeValues: Helm's merge of values files", () => {
  test.each<[string, HelmValues[], HelmValues]>([
    [
      "maps merge key by key",
      [{ a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }],
      { a: { b: 1, c: 3, d: 4 } },
    ],
    ["lists are replaced, not appended", [{ l: [1, 2] }, { l: [3] }], { l: [3] }],
    ["a scalar replaces a map", [{ a: { b: 1 } }, { a: false }], { a: false }],
    ["a map replaces a scalar", [{ a: 1 }, { a: { b: 1 } }], { a: { b: 1 } }],
    ["null removes a key", [{ a: { b: 1, c: 2 } }, { a: { b: null } }], { a: { c: 2 } }],
    ["later layers win", [{ x: 1 }, { x: 2 }, { x: 3 }], { x: 3 }],
  ])("%s", (_name, layers, expected) => {
    expect(mergeValues(...layers)).toEqual(expected);
  });

  test("leaves its inputs alone", () => {
    const base = { a: { b: 1 } };
    mergeValues(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});

describe("finalValues: base < rendered < profile < user", () => {
  test("the user's cilium.values win over everything", () => {
    const v = finalValues({
      base: { ipam: { mode: "kubernetes" }, routingMode: "tunnel" },
      rendered: renderedValues(settings),
      profile: LAB_NSPAWN_VALUES,
      user: { routingMode: "native", hubble: { enabled: false }, operator: { replicas: 3 } },
    });
    expect(v).toMatchObject({
      ipam: { mode: "kubernetes", operator: { clusterPoolIPv4PodCIDRList: ["10.244.0.0/16"] } },
      routingMode: "native",
      hubble: { enabled: false },
      operator: { replicas: 3, image: { pullPolicy: "Never", useDigest: false } },
      image: { pullPolicy: "Never" },
    });
  });

  test("production adds nothing; the lab profile names what it changes", () => {
    expect(ciliumProfile("production").values).toEqual({});
    const lab = ciliumProfile("lab-nspawn");
    const agent = (lab.values.securityContext as { capabilities: { ciliumAgent: string[] } })
      .capabilities.ciliumAgent;
    expect(agent).not.toContain("SYS_RESOURCE");
    expect(agent).toContain("NET_ADMIN");
    expect(lab.notes.join(" ")).toMatch(/SYS_RESOURCE/);
  });

  test("manifests/cilium/values.yaml is a mapping the merge starts from", async () => {
    const base = parse(
      await readFile(repoPath("manifests", "cilium", "values.yaml"), "utf8"),
    ) as HelmValues;
    expect(base).toMatchObject({ ipam: { mode: "kubernetes" }, routingMode: "tunnel" });
  });
});

describe("valuesHash", () => {
  test("does not depend on key order", () => {
    expect(valuesHash({ a: 1, b: { c: 2, d: 3 } })).toBe(valuesHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  test.each<[HelmValues, HelmValues]>([
    [{ a: 1 }, { a: 2 }],
    [{ a: [1, 2] }, { a: [2, 1] }],
    [{ a: true }, { a: "true" }],
  ])("changes with the values: %j vs %j", (x, y) => {
    expect(valuesHash(x)).not.toBe(valuesHash(y));
    expect(valuesHash(x)).toMatch(/^[0-9a-f]{16}$/);
  });
});
