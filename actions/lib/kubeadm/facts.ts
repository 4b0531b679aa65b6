import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { ClusterFacts, Facts, HostFacts } from "./types.js";

/** One entry of the file ansible/facts.yml writes (Ansible may render booleans as strings). */
const flag = z
  .union([z.boolean(), z.enum(["True", "False", "true", "false"])])
  .transform((v) => v === true || v === "True" || v === "true");
const rawHostSchema = z.object({
  name: z.string(),
  kubelet_conf: flag,
  admin_conf: flag,
  kubeadm_version: z.string().default(""),
  addresses: z
    .array(
      z
        .object({
          ifname: z.string(),
          addr_info: z
            .array(z.object({ family: z.string().optional(), local: z.string() }).loose())
            .default([]),
        })
        .loose(),
    )
    .default([]),
  nodes: z.union([z.string(), z.record(z.string(), z.unknown())]).default("{}"),
  cluster_configuration: z.string().default(""),
});

const nodeListSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            metadata: z
              .object({ name: z.string(), labels: z.record(z.string(), z.string()).default({}) })
              .loose(),
            status: z
              .object({
                nodeInfo: z.object({ kubeletVersion: z.string() }).loose(),
                conditions: z
                  .array(z.object({ type: z.string(), status: z.string() }).loose())
                  .default([]),
              })
              .loose(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

export interface ParsedFacts extends Facts {
  /** the interface holding each host's node address (for the VIP) */
  interfaces: Map<string, string>;
}

/**
 * Turns facts.yml's output into Facts. Hosts missing from the file did not answer (unreachable).
 * `ipOf` gives each inventory host's node address, to find the interface that carries it.
 */
export function parseFacts(json: string, hosts: { name: string; ip: string }[]): ParsedFacts {
  const raw = z.array(rawHostSchema).parse(JSON.parse(json));
  const byName = new Map(raw.map((h) => [h.name, h]));
  const interfaces = new Map<string, string>();
  let cluster: ClusterFacts | undefined;
  const hostFacts: HostFacts[] = hosts.map(({ name, ip }) => {
    const h = byName.get(name);
    if (!h) return { name, reachable: false, kubeletConfigured: false, adminConf: false };
    const iface = h.addresses.find((a) => a.addr_info.some((i) => i.local === ip))?.ifname;
    if (iface) interfaces.set(name, iface);
    if (!cluster && h.admin_conf) cluster = clusterFacts(h.nodes, h.cluster_configuration);
    return {
      name,
      reachable: true,
      kubeletConfigured: h.kubelet_conf,
      adminConf: h.admin_conf,
      ...(h.kubeadm_version ? { kubeadmVersion: h.kubeadm_version.trim() } : {}),
    };
  });
  return { hosts: hostFacts, ...(cluster ? { cluster } : {}), interfaces };
}

function clusterFacts(
  nodes: string | Record<string, unknown>,
  clusterConfiguration: string,
): ClusterFacts | undefined {
  const config = clusterConfiguration
    ? (parseYaml(clusterConfiguration) as { kubernetesVersion?: unknown })
    : {};
  const version =
    typeof config?.kubernetesVersion === "string" ? config.kubernetesVersion : undefined;
  if (!version) return undefined;
  const list = nodeListSchema.parse(typeof nodes === "string" ? JSON.parse(nodes || "{}") : nodes);
  return {
    version,
    nodes: list.items.map((n) => ({
      name: n.metadata.name,
      kubeletVersion: n.status.nodeInfo.kubeletVersion,
      ready: n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
      controlPlane: "node-role.kubernetes.io/control-plane" in n.metadata.labels,
    })),
  };
}
