/** A Kubernetes object as pve-kube renders it (plain JSON, applied with kubectl server-side apply). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** The field manager and label of every object pve-kube applies itself (not through a chart). */
export const FIELD_MANAGER = "pve-kube";
export const MANAGED_LABELS = { "app.kubernetes.io/managed-by": "pve-kube" } as const;

/** Objects as one kubectl input: a v1 List (kubectl apply -f - reads it whole). */
export function objectList(objects: readonly K8sObject[]): string {
  return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects })}\n`;
}

/** "IPAddressPool metallb-system/pve-kube": how reports name an object. */
export function objectLabel(o: K8sObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}
