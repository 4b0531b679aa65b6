import { parseAllDocuments } from "yaml";
import type { WorkloadKind, WorkloadRef } from "./workloads.js";

const WAITED: readonly WorkloadKind[] = ["Deployment", "DaemonSet", "StatefulSet"];

interface ManifestObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
}

/**
 * The workloads of a release, from `helm get manifest`: every Deployment, DaemonSet and
 * StatefulSet with the label selector of its pods (for the not-ready report). A Deployment scaled
 * to 0 on purpose is nothing to wait for. Objects without a namespace are in the release's.
 */
export function manifestWorkloads(manifest: string, releaseNamespace: string): WorkloadRef[] {
  const refs: WorkloadRef[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const o = doc.toJS() as ManifestObject | null;
    const kind = o?.kind as WorkloadKind | undefined;
    if (!o || !kind || !WAITED.includes(kind) || !o.metadata?.name) continue;
    if (kind !== "DaemonSet" && o.spec?.replicas === 0) continue;
    const labels = o.spec?.selector?.matchLabels ?? {};
    refs.push({
      kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? releaseNamespace,
      podSelector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    });
  }
  return refs;
}
