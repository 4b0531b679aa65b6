import { parseTaint } from "./render.js";
import type { BootstrapNode, ClusterNode, NodeTaint } from "./types.js";

/**
 * Which labels and taints pve-kube set on a node, so that a pool that drops one removes it from
 * its nodes — and never touches labels or taints someone else set.
 */
export const MANAGED_LABELS_ANNOTATION = "pve-kube.dev/managed-labels";
export const MANAGED_TAINTS_ANNOTATION = "pve-kube.dev/managed-taints";

/** What must change on one worker so that it carries exactly its pool's labels and taints. */
export interface NodeMetadataChange {
  node: string;
  setLabels: Record<string, string>;
  removeLabels: string[];
  addTaints: NodeTaint[];
  removeTaints: NodeTaint[];
  /** the managed-keys annotations after the change (written whenever they differ) */
  annotations?: Record<string, string>;
}

export function formatTaint(t: NodeTaint): string {
  return `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`;
}

const taintId = (t: NodeTaint) => `${t.key}:${t.effect}`;
const list = (text: string | undefined) => (text ? text.split(",").filter(Boolean) : []);

/**
 * The change for one worker: `actual` is its Node object (undefined for a node joining in this
 * run — it registers with its pool's taints, so only labels and the annotations are left).
 */
export function nodeMetadataChange(
  node: BootstrapNode,
  actual: ClusterNode | undefined,
): NodeMetadataChange | undefined {
  if (node.role !== "worker") return undefined;
  const labels = actual?.labels ?? {};
  const taints = actual ? (actual.taints ?? []) : node.taints.map(parseTaint);
  const annotations = actual?.annotations ?? {};
  const wantedTaints = node.taints.map(parseTaint);
  const wantedTaintIds = new Set(wantedTaints.map(taintId));

  const setLabels = Object.fromEntries(
    Object.entries(node.labels)
      .filter(([k, v]) => labels[k] !== v)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const removeLabels = list(annotations[MANAGED_LABELS_ANNOTATION])
    .filter((k) => !(k in node.labels) && k in labels)
    .sort();
  const addTaints = wantedTaints.filter(
    (w) => !taints.some((t) => taintId(t) === taintId(w) && t.value === w.value),
  );
  const removeTaints = list(annotations[MANAGED_TAINTS_ANNOTATION])
    .filter((id) => !wantedTaintIds.has(id))
    .flatMap((id) => taints.filter((t) => taintId(t) === id));

  const managed = {
    [MANAGED_LABELS_ANNOTATION]: Object.keys(node.labels).sort().join(","),
    [MANAGED_TAINTS_ANNOTATION]: [...wantedTaintIds].sort().join(","),
  };
  const annotationsDiffer = Object.entries(managed).some(([k, v]) => (annotations[k] ?? "") !== v);
  const change: NodeMetadataChange = {
    node: node.name,
    setLabels,
    removeLabels,
    addTaints,
    removeTaints,
    ...(annotationsDiffer ? { annotations: managed } : {}),
  };
  const empty =
    Object.keys(setLabels).length === 0 &&
    removeLabels.length === 0 &&
    addTaints.length === 0 &&
    removeTaints.length === 0 &&
    !annotationsDiffer;
  return empty ? undefined : change;
}

/** kubectl's argv for one change, run on the operator with admin.conf (label, taint, annotate). */
export function nodeMetadataCommands(change: NodeMetadataChange): string[][] {
  const kubectl = ["kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"];
  const commands: string[][] = [];
  const labelArgs = [
    ...Object.entries(change.setLabels).map(([k, v]) => `${k}=${v}`),
    ...change.removeLabels.map((k) => `${k}-`),
  ];
  if (labelArgs.length > 0)
    commands.push([...kubectl, "label", "node", change.node, "--overwrite", ...labelArgs]);
  const taintArgs = [
    ...change.addTaints.map(formatTaint),
    ...change.removeTaints.map((t) => `${t.key}:${t.effect}-`),
  ];
  if (taintArgs.length > 0)
    commands.push([...kubectl, "taint", "node", change.node, "--overwrite", ...taintArgs]);
  if (change.annotations)
    commands.push([
      ...kubectl,
      "annotate",
      "node",
      change.node,
      "--overwrite",
      ...Object.entries(change.annotations).map(([k, v]) => `${k}=${v}`),
    ]);
  return commands;
}
