import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import type { HelmValues } from "../helm/values.js";

/** MetalLB in layer 2 only: no FRR, no frr-k8s (BGP is not configured by pve-kube). */
export function metallbValues(): HelmValues {
  return {
    crds: { enabled: true },
    frrk8s: { enabled: false },
    speaker: { frr: { enabled: false } },
  };
}

/** Traefik as the default IngressClass behind a LoadBalancer Service from the pool. */
export function traefikValues(_config: ClusterConfig, plan: ClusterPlan): HelmValues {
  const workers = plan.vms.filter((v) => v.role === "worker").length;
  return {
    deployment: { replicas: Math.max(1, Math.min(2, workers || plan.vms.length)) },
    ingressClass: { enabled: true, isDefaultClass: true },
    service: { type: "LoadBalancer" },
    providers: { kubernetesIngress: { publishedService: { enabled: true } } },
  };
}
