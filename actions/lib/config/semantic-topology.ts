import { allocateAddresses } from "./addresses.js";
import type { ConfigProblem } from "./issues.js";
import type { ClusterConfig } from "./schema.js";
import { vmSlots } from "./vm-layout.js";

/** Rules about nodes, VM counts and sizes, VMIDs and names. */
export function topologyProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = new Set(config.proxmox.nodes);
  const unknownNodes = (path: (string | number)[], nodes: readonly string[] | undefined) =>
    (nodes ?? []).forEach((node, i) => {
      if (!known.has(node))
        problems.push({
          path: [...path, i],
          message: `'${node}' is not one of proxmox.nodes (${config.proxmox.nodes.join(", ")})`,
          fix: `add it to proxmox.nodes or use one of them`,
        });
    });

  duplicates(config.proxmox.nodes).forEach((i) =>
    problems.push({
      path: ["proxmox", "nodes", i],
      message: `node '${config.proxmox.nodes[i] ?? ""}' is listed twice`,
      fix: "list every node once",
    }),
  );
  if (config.template.node && !known.has(config.template.node)) {
    problems.push({
      path: ["template", "node"],
      message: `'${config.template.node}' is not one of proxmox.nodes`,
      fix: "use one of proxmox.nodes",
    });
  }
  const tls = config.proxmox.tls;
  const trustChoices = [tls.fingerprint, tls.caFile, tls.insecure ? true : undefined].filter(
    (v) => v !== undefined,
  );
  if (trustChoices.length > 1) {
    problems.push({
      path: ["proxmox", "tls"],
      target: "key",
      message: "more than one way to trust the certificate is set",
      fix: "keep exactly one of fingerprint, caFile or insecure",
    });
  }

  const cp = config.controlPlane;
  if (cp.count % 2 === 0) {
    problems.push({
      path: ["controlPlane", "count"],
      message: `${cp.count} control planes cannot keep etcd quorum better than ${cp.count - 1}`,
      fix: `use an odd number: ${cp.count - 1} or ${cp.count + 1}`,
    });
  }
  if (cp.cores < 2)
    problems.push({
      path: ["controlPlane", "cores"],
      message: "kubeadm needs at least 2 CPUs on a control plane",
      fix: "set cores: 2 or more",
    });
  if (cp.memoryMiB < 2048)
    problems.push({
      path: ["controlPlane", "memoryMiB"],
      message: `${cp.memoryMiB} MiB is below kubeadm's minimum for a control plane`,
      fix: "set memoryMiB: 2048 or more (4096 recommended)",
    });
  unknownNodes(["controlPlane", "nodes"], cp.nodes);

  const poolNames = config.workerPools.map((p) => p.name);
  duplicates(poolNames).forEach((i) =>
    problems.push({
      path: ["workerPools", i, "name"],
      message: `pool name '${poolNames[i] ?? ""}' is used twice`,
      fix: "give every worker pool its own name",
    }),
  );
  config.workerPools.forEach((pool, i) => {
    if (pool.name === "cp")
      problems.push({
        path: ["workerPools", i, "name"],
        message: "'cp' is reserved for control planes (VM names <cluster>-cp-N)",
        fix: "choose another pool name",
      });
    unknownNodes(["workerPools", i, "nodes"], pool.nodes);
  });

  const slots = vmSlots(config);
  const first = config.vmids.start;
  const lastVmid = first + slots.length - 1;
  if (config.template.vmid >= first && config.template.vmid <= lastVmid) {
    problems.push({
      path: ["vmids", "start"],
      message: `the cluster's VMIDs ${first}–${lastVmid} include the template VMID ${config.template.vmid}`,
      fix: `start the range above ${config.template.vmid} or move the template`,
    });
  }
  if (lastVmid > 999_999_999)
    problems.push({
      path: ["vmids", "start"],
      message: `the VMID range ends at ${lastVmid}, above Proxmox's limit`,
      fix: "start the range lower",
    });

  const names = new Set(slots.map((s) => s.name));
  for (const name of Object.keys(config.network.addresses.overrides)) {
    if (!names.has(name)) {
      problems.push({
        path: ["network", "addresses", "overrides", name],
        target: "key",
        message: `no VM is called '${name}'`,
        fix: `use one of the planned names, e.g. ${slots[0]?.name ?? "<cluster>-cp-1"}`,
      });
    }
  }
  const { unplaced } = allocateAddresses(config, slots);
  if (unplaced.length > 0) {
    problems.push({
      path: ["network", "addresses", "start"],
      message: `the node network has no free address left for ${unplaced.length} VM(s) (${unplaced.slice(0, 3).join(", ")}${unplaced.length > 3 ? ", …" : ""})`,
      fix: "start the allocation lower, shrink the load-balancer range, or use a larger network",
    });
  }
  return problems;
}

function duplicates(values: readonly string[]): number[] {
  return values.flatMap((value, i) => (values.indexOf(value) !== i ? [i] : []));
}
