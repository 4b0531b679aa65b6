import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import { MANAGED_LABELS, type K8sObject } from "./objects.js";

/** The name of the pool (and of its announcement) deploy-services creates from the LB range. */
export const LB_POOL_NAME = "pve-kube";
export const METALLB_NAMESPACE = "metallb-system";

export interface LbPoolSettings {
  provider: "cilium-lb-ipam" | "metallb";
  /** network.loadBalancerRange, resolved */
  range: { start: string; end: string };
  /** cilium-lb-ipam: node interfaces (regular expressions) that answer ARP */
  interfaces: string[];
}

/** What the pool objects draw from cluster.yaml; undefined when no pool is wanted. */
export function lbPoolSettings(
  config: ClusterConfig,
  plan: ClusterPlan,
): LbPoolSettings | undefined {
  const provider = config.services.loadBalancer.provider;
  if (provider === "none" || !plan.network.lbRange) return undefined;
  return {
    provider,
    range: plan.network.lbRange,
    interfaces: config.services.loadBalancer.interfaces,
  };
}

/**
 * The address pool and its layer-2 announcement for the provider that answers for LoadBalancer
 * IPs: Cilium LB-IPAM (CiliumLoadBalancerIPPool + CiliumL2AnnouncementPolicy, cluster-scoped) or
 * MetalLB (IPAddressPool + L2Advertisement in MetalLB's namespace). Validated against the CRDs
 * of the pinned Cilium module and MetalLB chart (test/integration/services/lb-pool.test.ts).
 */
export function lbPoolObjects(s: LbPoolSettings): K8sObject[] {
  const metadata = (namespace?: string) => ({
    name: LB_POOL_NAME,
    ...(namespace ? { namespace } : {}),
    labels: { ...MANAGED_LABELS },
  });
  if (s.provider === "cilium-lb-ipam")
    return [
      {
        apiVersion: "cilium.io/v2",
        kind: "CiliumLoadBalancerIPPool",
        metadata: metadata(),
        spec: { blocks: [{ start: s.range.start, stop: s.range.end }] },
      },
      {
        apiVersion: "cilium.io/v2alpha1",
        kind: "CiliumL2AnnouncementPolicy",
        metadata: metadata(),
        // every node may answer (a single-node cluster has only its control plane); only
        // LoadBalancer IPs, never externalIPs a user sets by hand
        spec: { loadBalancerIPs: true, externalIPs: false, interfaces: s.interfaces },
      },
    ];
  return [
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: metadata(METALLB_NAMESPACE),
      spec: { addresses: [`${s.range.start}-${s.range.end}`], autoAssign: true },
    },
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "L2Advertisement",
      metadata: metadata(METALLB_NAMESPACE),
      spec: { ipAddressPools: [LB_POOL_NAME] },
    },
  ];
}
