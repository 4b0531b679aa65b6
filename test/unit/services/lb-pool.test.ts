import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { lbPoolObjects, lbPoolSettings } from "../../../actions/lib/services/lb-pool.js";
import { BASE_CONFIG, edit } from "../config/base-config.js";

const FILE = "clusters/demo/cluster.yaml";
const settingsOf = (text: string) => {
  const { config, plan } = parseClusterConfig(text, FILE);
  return lbPoolSettings(config, plan);
};

describe("LB pool objects from network.loadBalancerRange", () => {
  it.each([
    [
      "cilium-lb-ipam",
      BASE_CONFIG,
      [
        {
          apiVersion: "cilium.io/v2",
          kind: "CiliumLoadBalancerIPPool",
          metadata: { name: "pve-kube", labels: { "app.kubernetes.io/managed-by": "pve-kube" } },
          spec: { blocks: [{ start: "10.0.20.200", stop: "10.0.20.220" }] },
        },
        {
          apiVersion: "cilium.io/v2alpha1",
          kind: "CiliumL2AnnouncementPolicy",
          metadata: { name: "pve-kube", labels: { "app.kubernetes.io/managed-by": "pve-kube" } },
          spec: { loadBalancerIPs: true, externalIPs: false, interfaces: ["^eth[0-9]+"] },
        },
      ],
    ],
    [
      "metallb",
      edit("provider: cilium-lb-ipam", "provider: metallb")(BASE_CONFIG),
      [
        {
          apiVersion: "metallb.io/v1beta1",
          kind: "IPAddressPool",
          metadata: {
            name: "pve-kube",
            namespace: "metallb-system",
            labels: { "app.kubernetes.io/managed-by": "pve-kube" },
          },
          spec: { addresses: ["10.0.20.200-10.0.20.220"], autoAssign: true },
        },
        {
          apiVersion: "metallb.io/v1beta1",
          kind: "L2Advertisement",
          metadata: {
            name: "pve-kube",
            namespace: "metallb-system",
            labels: { "app.kubernetes.io/managed-by": "pve-kube" },
          },
          spec: { ipAddressPools: ["pve-kube"] },
        },
      ],
    ],
  ])("%s", (_provider, text, objects) => {
    const settings = settingsOf(text);
    expect(settings).toBeDefined();
    expect(lbPoolObjects(settings!)).toEqual(objects);
  });

  it("takes the interfaces that answer ARP from cluster.yaml (the lab's guests have host0)", () => {
    const text = edit(
      "provider: cilium-lb-ipam",
      "provider: cilium-lb-ipam\n    interfaces: ['^host0$']",
    )(BASE_CONFIG);
    expect(lbPoolObjects(settingsOf(text)!)[1]).toMatchObject({
      spec: { interfaces: ["^host0$"] },
    });
  });

  it("no pool without a provider", () => {
    expect(
      settingsOf(edit("provider: cilium-lb-ipam", "provider: none")(BASE_CONFIG)),
    ).toBeUndefined();
  });
});
