import { MANAGED_LABELS, type K8sObject } from "./objects.js";

/**
 * The namespaces of the add-ons, created by deploy-services before their releases (so Secrets can
 * go in first), with the Pod Security level their pods need: node agents that mount host paths or
 * use the host network (CSI node plugin, MetalLB speaker, node-exporter, Fluent Bit, Velero's
 * node agent) need `privileged`; the others keep the cluster's default.
 */
export const PRIVILEGED_NAMESPACES = new Set([
  "csi-proxmox",
  "metallb-system",
  "monitoring",
  "logging",
  "velero",
]);

export function namespaceObject(name: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...MANAGED_LABELS,
        ...(PRIVILEGED_NAMESPACES.has(name)
          ? {
              "pod-security.kubernetes.io/enforce": "privileged",
              "pod-security.kubernetes.io/audit": "privileged",
              "pod-security.kubernetes.io/warn": "privileged",
            }
          : {}),
      },
    },
  };
}
