import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import { mergeValues, type HelmValues } from "../helm/values.js";
import { endpointPort } from "../kubeadm/render.js";

/** What the rendered values draw from cluster.yaml (one object, so tests can table it). */
export interface CiliumSettings {
  /** the control-plane endpoint the agents reach the API server through (no kube-proxy yet) */
  apiHost: string;
  apiPort: number;
  kubeProxyReplacement: boolean;
  podCidr: string;
  hubble: { enabled: boolean; relay: boolean; ui: boolean };
  /** LB-IPAM with L2 announcements answers for LoadBalancer IPs (services.loadBalancer.provider) */
  lbIpam: boolean;
  /** how many nodes the cluster has: the operator runs at most one replica per node */
  nodeCount: number;
  /** cluster.yaml cilium.values: the user's overrides, merged last */
  userValues: HelmValues;
}

export function ciliumSettings(config: ClusterConfig, plan: ClusterPlan): CiliumSettings {
  const hubble = config.cilium.hubble;
  return {
    apiHost: plan.network.vip,
    apiPort: endpointPort(plan.endpoint.provider),
    kubeProxyReplacement: config.cilium.kubeProxyReplacement,
    podCidr: plan.kubernetes.podCidr,
    hubble: {
      enabled: hubble.enabled,
      // the UI reads flows through the relay
      relay: hubble.enabled && (hubble.relay || hubble.ui),
      ui: hubble.enabled && hubble.ui,
    },
    lbIpam: config.services.loadBalancer.provider === "cilium-lb-ipam",
    nodeCount: plan.vms.length,
    userValues: config.cilium.values,
  };
}

/** The values cluster.yaml decides; everything else comes from manifests/cilium/values.yaml. */
export function renderedValues(s: CiliumSettings): HelmValues {
  return {
    // the agents reach the API server through the control-plane endpoint, not the kubernetes
    // Service: with kube-proxy replaced nothing translates the Service address until Cilium runs
    k8sServiceHost: s.apiHost,
    k8sServicePort: s.apiPort,
    kubeProxyReplacement: s.kubeProxyReplacement,
    ipam: { operator: { clusterPoolIPv4PodCIDRList: [s.podCidr] } },
    // eBPF masquerading needs the eBPF service handling that kube-proxy replacement brings
    bpf: { masquerade: s.kubeProxyReplacement },
    hubble: {
      enabled: s.hubble.enabled,
      relay: { enabled: s.hubble.relay },
      ui: { enabled: s.hubble.ui },
    },
    // LB-IPAM hands out addresses from the pools deploy-services creates, L2 announcements answer
    // ARP for them; off when MetalLB answers for LoadBalancer Services (two allocators would fight)
    enableLBIPAM: s.lbIpam,
    l2announcements: { enabled: s.lbIpam },
    operator: { replicas: Math.max(1, Math.min(2, s.nodeCount)) },
  };
}

/** The values install-cilium hands to Helm, in merge order. */
export interface ValueLayers {
  base: HelmValues;
  rendered: HelmValues;
  profile: HelmValues;
  user: HelmValues;
}

export function finalValues(layers: ValueLayers): HelmValues {
  return mergeValues(layers.base, layers.rendered, layers.profile, layers.user);
}
