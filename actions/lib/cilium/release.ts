import type { WorkloadRef } from "../helm/workloads.js";

/** The Helm release: the name and namespace Cilium's own docs and tools (cilium-cli) expect. */
export const CILIUM_RELEASE = "cilium";
export const CILIUM_NAMESPACE = "kube-system";

/** What must be ready before pods get addresses: the agent on every node and the operator. */
export const CILIUM_WORKLOADS: WorkloadRef[] = [
  { kind: "DaemonSet", name: "cilium", namespace: CILIUM_NAMESPACE, podSelector: "k8s-app=cilium" },
  {
    kind: "Deployment",
    name: "cilium-operator",
    namespace: CILIUM_NAMESPACE,
    podSelector: "io.cilium/app=operator",
  },
];
