import { ConfigurationError } from "../errors.js";
import { nodeMetadataChange, type NodeMetadataChange } from "./node-metadata.js";
import { planForget, type ForgetPlan } from "./strays.js";
import type { BootstrapNode, Facts } from "./types.js";
import { formatKubeVersion, parseKubeVersion, upgradeStep } from "./version.js";

export interface Removal {
  name: string;
  role: "control-plane" | "worker";
  /** a control plane: its etcd member is removed (kubeadm reset on the node) before its VM goes */
  etcdMember: boolean;
}

export interface UpgradeStep {
  name: string;
  role: "control-plane" | "worker";
  /** `kubeadm upgrade apply` (the first control plane) or `kubeadm upgrade node` (every other) */
  command: "apply" | "node";
}

export interface BootstrapPlan {
  /** the control plane that runs `kubeadm init` (only when no node of the cluster exists yet) */
  init?: string;
  /** the control plane that runs kubectl, makes join material and drives upgrades */
  operator: string;
  /** joined one at a time, in this order */
  controlPlaneJoins: string[];
  /** joined in parallel */
  workerJoins: string[];
  /** workers first, then control planes, one at a time */
  removals: Removal[];
  upgrade?: { from: string; to: string; steps: UpgradeStep[] };
  /** nodes the cluster knows that cluster.yaml no longer lists (their VMs are already gone) */
  strays: string[];
  /** nodes already members of the cluster and kept as they are */
  members: string[];
  /** Node objects and dead etcd members of machines that are gone or rebuilt, removed before joins */
  forget?: ForgetPlan;
  /** workers whose labels or taints differ from their pool's */
  nodeMetadata?: NodeMetadataChange[];
}

export function planIsNoop(plan: BootstrapPlan): boolean {
  return (
    !plan.init &&
    plan.controlPlaneJoins.length === 0 &&
    plan.workerJoins.length === 0 &&
    plan.removals.length === 0 &&
    !plan.upgrade &&
    (plan.forget?.nodes.length ?? 0) === 0 &&
    (plan.forget?.etcdMembers.length ?? 0) === 0 &&
    (plan.nodeMetadata?.length ?? 0) === 0
  );
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, "en", { numeric: true });

/** etcd keeps quorum while a majority of its members stays. */
export function quorum(members: number): number {
  return Math.floor(members / 2) + 1;
}

/**
 * Which nodes leave: members of the cluster (`present`, the inventory before tofu applies) that
 * cluster.yaml no longer lists. Refused before any change when it would leave no control plane,
 * or fewer of today's control planes than etcd's quorum of today's membership.
 */
export function planRemovals(present: BootstrapNode[], desired: BootstrapNode[]): Removal[] {
  const wanted = new Set(desired.map((n) => n.name));
  const leaving = present.filter((n) => !wanted.has(n.name)).sort(byName);
  const controlPlanes = present.filter((n) => n.role === "control-plane");
  const leavingCps = leaving.filter((n) => n.role === "control-plane");
  const keptCps = controlPlanes.length - leavingCps.length;
  if (leavingCps.length > 0 && keptCps === 0) {
    throw new ConfigurationError(
      `this change removes every control plane (${leavingCps.map((n) => n.name).join(", ")}): the cluster would be gone`,
      "keep at least one of today's control planes in controlPlane.count; use the destroy workflow to remove a cluster",
    );
  }
  if (leavingCps.length > 0 && keptCps < quorum(controlPlanes.length)) {
    throw new ConfigurationError(
      `this change removes ${leavingCps.length} of ${controlPlanes.length} control planes (${leavingCps.map((n) => n.name).join(", ")}): the ${keptCps} left are below etcd's quorum of ${quorum(controlPlanes.length)}`,
      `remove at most ${controlPlanes.length - quorum(controlPlanes.length)} control plane(s) per deploy`,
    );
  }
  // workers first (their pods move while every control plane still serves), then control planes
  return [
    ...leaving.filter((n) => n.role === "worker"),
    ...leavingCps.reverse(), // the newest control plane first: cp-1 stays the operator longest
  ].map((n) => ({ name: n.name, role: n.role, etcdMember: n.role === "control-plane" }));
}

/** The first control plane that is a member of the cluster and stays, else the first desired one. */
function chooseOperator(desired: BootstrapNode[], facts: Facts): string | undefined {
  const initialised = new Set(
    facts.hosts.filter((h) => h.reachable && h.adminConf).map((h) => h.name),
  );
  const cps = desired.filter((n) => n.role === "control-plane").sort(byName);
  return cps.find((n) => initialised.has(n.name))?.name ?? cps[0]?.name;
}

/**
 * The whole plan of a bootstrap run, from cluster.yaml's nodes and what the facts run found.
 * Never re-initialises: `init` only when no host of the cluster has been initialised or joined.
 */
export function planBootstrap(input: {
  desired: BootstrapNode[];
  facts: Facts;
  version: string;
  /** the cluster's name (nodes named `<cluster>-…` are pve-kube's) */
  cluster?: string;
  /** the VMs that exist now; default the desired ones (apply mode, after tofu's apply) */
  present?: BootstrapNode[];
}): BootstrapPlan {
  const { desired, facts } = input;
  const hostFacts = new Map(facts.hosts.map((h) => [h.name, h]));
  const unreachable = desired.filter((n) => !hostFacts.get(n.name)?.reachable).map((n) => n.name);
  if (unreachable.length > 0) {
    throw new ConfigurationError(
      `cannot reach ${unreachable.join(", ")} over SSH`,
      "check that the VMs run, that ssh.user and the SSH_PRIVATE_KEY secret match ssh.publicKeys, and that the runner can route to the node network",
    );
  }
  const operator = chooseOperator(desired, facts);
  if (!operator) {
    throw new ConfigurationError(
      "cluster.yaml has no control plane",
      "set controlPlane.count to 1, 3 or 5",
    );
  }
  // a node is a member when it holds its kubelet.conf; a registered Node object without one is a
  // rebuilt VM: it joins again, after its stale Node object (and etcd member) are removed
  const member = (name: string) => hostFacts.get(name)?.kubeletConfigured === true;
  const anyMember = desired.some((n) => member(n.name)) || facts.cluster !== undefined;
  if (anyMember && !hostFacts.get(operator)?.adminConf) {
    throw new ConfigurationError(
      `nodes of this cluster have joined, but no control plane listed in cluster.yaml has /etc/kubernetes/admin.conf`,
      "the control planes were rebuilt under running workers: restore a control plane from backup, or remove the workers' VMs and deploy again",
    );
  }
  const init = anyMember ? undefined : operator;
  const joining = desired.filter((n) => n.name !== init && !member(n.name)).sort(byName);
  const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
  const wanted = new Set(desired.map((n) => n.name));
  const plan: BootstrapPlan = {
    ...(init ? { init } : {}),
    operator,
    controlPlaneJoins: joining.filter((n) => n.role === "control-plane").map((n) => n.name),
    workerJoins: joining.filter((n) => n.role === "worker").map((n) => n.name),
    removals: [],
    strays: [...registered].filter((n) => !wanted.has(n)).sort(),
    members: desired.filter((n) => member(n.name)).map((n) => n.name),
  };
  if (facts.cluster) {
    const members = desired.filter((n) => member(n.name));
    const upgrade = planUpgrade(members, facts, operator, input.version);
    if (upgrade) plan.upgrade = upgrade;
    const forget = planForget({
      cluster: input.cluster ?? "",
      desired,
      present: input.present ?? desired,
      facts,
    });
    if (forget.nodes.length + forget.etcdMembers.length + forget.leftAlone.length > 0)
      plan.forget = forget;
    plan.strays = plan.strays.filter((n) => !forget.nodes.includes(n));
  }
  // labels and taints: members from their Node objects, joining workers from registration
  const nodeObjects = new Map((facts.cluster?.nodes ?? []).map((n) => [n.name, n]));
  const metadata = desired
    .map((n) => nodeMetadataChange(n, member(n.name) ? nodeObjects.get(n.name) : undefined))
    .filter((c) => c !== undefined);
  if (metadata.length > 0) plan.nodeMetadata = metadata;
  return plan;
}

/**
 * Node-by-node upgrade order: `kubeadm upgrade apply` on the operator (unless the control plane
 * already runs the target, as after an interrupted upgrade), `upgrade node` on every other control
 * plane, then the workers; nodes whose kubelet already runs the target are skipped.
 */
export function planUpgrade(
  desired: BootstrapNode[],
  facts: Facts,
  operator: string,
  wanted: string,
): BootstrapPlan["upgrade"] | undefined {
  const cluster = facts.cluster;
  if (!cluster) return undefined;
  const target = formatKubeVersion(parseKubeVersion(wanted));
  // refused before anything changes: both the control plane's and every kubelet's version count
  const controlPlaneStep = upgradeStep(cluster.version, target);
  for (const node of cluster.nodes) upgradeStep(node.kubeletVersion, target);
  const kubelet = new Map(cluster.nodes.map((n) => [n.name, n.kubeletVersion]));
  const needs = (name: string) => {
    const v = kubelet.get(name);
    return v !== undefined && formatKubeVersion(parseKubeVersion(v)) !== target;
  };
  const cps = desired.filter((n) => n.role === "control-plane" && kubelet.has(n.name)).sort(byName);
  const workers = desired.filter((n) => n.role === "worker" && kubelet.has(n.name)).sort(byName);
  const steps: UpgradeStep[] = [];
  if (controlPlaneStep === "upgrade" || needs(operator))
    steps.push({
      name: operator,
      role: "control-plane",
      command: controlPlaneStep === "upgrade" ? "apply" : "node",
    });
  for (const cp of cps)
    if (cp.name !== operator && needs(cp.name))
      steps.push({ name: cp.name, role: "control-plane", command: "node" });
  for (const w of workers)
    if (needs(w.name)) steps.push({ name: w.name, role: "worker", command: "node" });
  if (steps.length === 0) return undefined;
  return { from: formatKubeVersion(parseKubeVersion(cluster.version)), to: target, steps };
}
