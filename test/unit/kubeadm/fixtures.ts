import {
  MANAGED_LABELS_ANNOTATION,
  MANAGED_TAINTS_ANNOTATION,
} from "../../../actions/lib/kubeadm/node-metadata.js";
import { LAB_NSPAWN_PROFILE, PRODUCTION_PROFILE } from "../../../actions/lib/kubeadm/profile.js";
import { parseTaint } from "../../../actions/lib/kubeadm/render.js";
import type { ClusterSettings } from "../../../actions/lib/kubeadm/render.js";
import type { BootstrapNode, Facts, HostFacts } from "../../../actions/lib/kubeadm/types.js";

export const cp = (n: number): BootstrapNode => ({
  name: `demo-cp-${n}`,
  ip: `10.0.20.${10 + n}`,
  role: "control-plane",
  pool: "control-plane",
  labels: {},
  taints: [],
});
export const worker = (n: number, extra: Partial<BootstrapNode> = {}): BootstrapNode => ({
  name: `demo-general-${n}`,
  ip: `10.0.20.${20 + n}`,
  role: "worker",
  pool: "general",
  labels: { "node.pve-kube.dev/pool": "general" },
  taints: [],
  ...extra,
});

export const ha = (): BootstrapNode[] => [cp(1), cp(2), cp(3), worker(1), worker(2), worker(3)];

export function settings(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return {
    cluster: "demo",
    version: "1.36.3",
    vip: "10.0.20.10",
    provider: "kube-vip",
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    clusterDomain: "cluster.local",
    extraSans: ["api.demo.example"],
    skipKubeProxy: true,
    profile: PRODUCTION_PROFILE,
    ...overrides,
  };
}
export { LAB_NSPAWN_PROFILE };

/** Seeded join material: tests scan every output for these. */
export const SEEDED = {
  token: "abcdef.0123456789abcdef",
  certificateKey: "f".repeat(8) + "0123456789abcdef".repeat(3) + "e".repeat(8),
};

/** The annotations pve-kube leaves on a worker: which labels and taints it manages. */
function managedAnnotations(n: BootstrapNode): Record<string, string> {
  if (n.role !== "worker") return {};
  return {
    [MANAGED_LABELS_ANNOTATION]: Object.keys(n.labels).sort().join(","),
    [MANAGED_TAINTS_ANNOTATION]: n.taints
      .map((t) => parseTaint(t))
      .map((t) => `${t.key}:${t.effect}`)
      .sort()
      .join(","),
  };
}

/** Facts of a cluster where `members` joined, running `version`. */
export function factsOf(
  nodes: BootstrapNode[],
  members: string[],
  version = "v1.36.3",
  kubelet: Record<string, string> = {},
): Facts {
  const hosts: HostFacts[] = nodes.map((n) => ({
    name: n.name,
    reachable: true,
    kubeletConfigured: members.includes(n.name),
    adminConf: n.role === "control-plane" && members.includes(n.name),
    kubeadmVersion: version,
  }));
  return {
    hosts,
    ...(members.length > 0
      ? {
          cluster: {
            version,
            nodes: nodes
              .filter((n) => members.includes(n.name))
              .map((n) => ({
                name: n.name,
                kubeletVersion: kubelet[n.name] ?? version,
                ready: false,
                controlPlane: n.role === "control-plane",
                // as pve-kube leaves a worker: its pool's labels and taints, and what it manages
                labels: n.labels,
                taints: n.taints.map(parseTaint),
                annotations: managedAnnotations(n),
              })),
          },
        }
      : {}),
  };
}
