import { ConfigurationError } from "../errors.js";
import type { BootstrapNode, Facts } from "./types.js";

/** What the cluster still remembers of machines that are gone or were rebuilt. */
export interface ForgetPlan {
  /** Node objects to delete (their VM is gone, or it was rebuilt and joins again) */
  nodes: string[];
  /** etcd members to remove from the remaining control planes (dead, and no wanted member) */
  etcdMembers: { id: string; name: string }[];
  /** registered nodes outside cluster.yaml that are left alone (named in the plan, not touched) */
  leftAlone: string[];
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
};

/**
 * Finds what the cluster remembers of machines it no longer has: a Node object or an etcd member
 * whose VM was destroyed out of band (not through prepare-removals), or whose VM was rebuilt (it
 * answers, but without /etc/kubernetes/kubelet.conf, so it joins again). A dead etcd member still
 * counts against quorum and blocks a rebuilt control plane's join: it is removed first. A member
 * that answers but is no control plane cluster.yaml or the inventory knows is refused.
 *
 * `present`: the VMs that exist now (apply mode: the inventory after tofu's apply).
 */
export function planForget(input: {
  cluster: string;
  desired: BootstrapNode[];
  present: BootstrapNode[];
  facts: Facts;
}): ForgetPlan {
  const { facts } = input;
  const plan: ForgetPlan = { nodes: [], etcdMembers: [], leftAlone: [] };
  if (!facts.cluster) return plan;
  const hostFacts = new Map(facts.hosts.map((h) => [h.name, h]));
  const vms = new Map([...input.present, ...input.desired].map((n) => [n.name, n]));
  const joined = (name: string) =>
    hostFacts.get(name)?.reachable === true && hostFacts.get(name)?.kubeletConfigured === true;
  const rebuilt = (name: string) =>
    vms.has(name) &&
    hostFacts.get(name)?.reachable === true &&
    hostFacts.get(name)?.kubeletConfigured === false;

  for (const node of facts.cluster.nodes) {
    if (rebuilt(node.name)) plan.nodes.push(node.name);
    else if (!vms.has(node.name)) {
      // ours by name and not Ready: its VM is gone. Anything else is someone else's to decide.
      if (node.name.startsWith(`${input.cluster}-`) && !node.ready) plan.nodes.push(node.name);
      else plan.leftAlone.push(node.name);
    }
  }

  const liveControlPlanes = [...vms.values()].filter(
    (n) => n.role === "control-plane" && joined(n.name),
  );
  const liveNames = new Set(liveControlPlanes.map((n) => n.name));
  const liveIps = new Set(liveControlPlanes.map((n) => n.ip));
  const alive: string[] = [];
  for (const m of facts.cluster.etcdMembers ?? []) {
    const peerIps = m.peerURLs.map(hostOf);
    const wanted =
      liveNames.has(m.name) || (m.name === "" && peerIps.some((ip) => liveIps.has(ip)));
    if (wanted) continue;
    if (m.healthy) {
      // answering, but no VM of this cluster: never removed automatically
      const known = vms.get(m.name);
      if (!known) alive.push(`${m.name || "(unnamed)"} ${m.id} at ${m.clientURLs.join(" ")}`);
      continue;
    }
    plan.etcdMembers.push({ id: m.id, name: m.name });
  }
  if (alive.length > 0)
    throw new ConfigurationError(
      `etcd has members that answer but are no VM of this cluster: ${alive.join("; ")}`,
      "add the machine to cluster.yaml if it belongs to the cluster, or remove it with `etcdctl member remove <id>` on a control plane (after `kubeadm reset` on that machine), then run again",
    );
  return plan;
}
