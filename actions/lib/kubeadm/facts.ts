import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { ClusterFacts, EtcdMember, Facts, HostFacts } from "./types.js";

/** One entry of the file ansible/facts.yml writes (Ansible may render booleans as strings). */
const flag = z
  .union([z.boolean(), z.enum(["True", "False", "true", "false"])])
  .transform((v) => v === true || v === "True" || v === "true");
const jsonText = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .default("")
  .transform((v) => (typeof v === "string" ? v : JSON.stringify(v)));
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
  // Ansible turns a string that reads as a Python literal into data: take either back as JSON text
  etcd_members: jsonText,
  etcd_health: jsonText,
});

const nodeListSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            metadata: z
              .object({
                name: z.string(),
                labels: z.record(z.string(), z.string()).default({}),
                annotations: z.record(z.string(), z.string()).default({}),
              })
              .loose(),
            spec: z
              .object({
                taints: z
                  .array(
                    z
                      .object({ key: z.string(), value: z.string().optional(), effect: z.string() })
                      .loose(),
                  )
                  .default([]),
              })
              .loose()
              .default({ taints: [] }),
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
    if (!cluster && h.admin_conf)
      cluster = clusterFacts(h.nodes, h.cluster_configuration, h.etcd_members, h.etcd_health);
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

/**
 * Reads what facts.yml wrote. When no node answers at all, Ansible ends the play before its
 * run-once write on the runner, so there is no file: that means "every node unreachable" (which
 * planning reports by name), not a failure of the action. The caller removes the file before each
 * facts run, so an old file is never read as this run's answer.
 */
export async function readFactsFile(
  file: string,
  hosts: { name: string; ip: string }[],
): Promise<ParsedFacts> {
  let json = "[]";
  try {
    json = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return parseFacts(json, hosts);
}

const etcdMembersSchema = z
  .object({
    members: z
      .array(
        z
          .object({
            ID: z.union([z.string(), z.number()]).transform(String),
            name: z.string().default(""),
            peerURLs: z.array(z.string()).default([]),
            clientURLs: z.array(z.string()).default([]),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();
const etcdHealthSchema = z.array(z.object({ endpoint: z.string(), health: z.boolean() }).loose());

/** etcdctl's member list and `endpoint health --cluster` (both JSON); undefined when not asked. */
export function parseEtcdMembers(members: string, health: string): EtcdMember[] | undefined {
  if (!members.trim()) return undefined;
  const list = etcdMembersSchema.parse(JSON.parse(members)).members;
  let healthy = new Set<string>();
  try {
    healthy = new Set(
      etcdHealthSchema
        .parse(JSON.parse(health || "[]"))
        .filter((h) => h.health)
        .map((h) => h.endpoint),
    );
  } catch {
    // no health answer at all: every member counts as unhealthy, so none is called alive
  }
  return list.map((m) => ({
    id: m.ID,
    name: m.name,
    peerURLs: m.peerURLs,
    clientURLs: m.clientURLs,
    healthy: m.clientURLs.some((u) => healthy.has(u)),
  }));
}

function clusterFacts(
  nodes: string | Record<string, unknown>,
  clusterConfiguration: string,
  etcdMembers: string,
  etcdHealth: string,
): ClusterFacts | undefined {
  const config = clusterConfiguration
    ? (parseYaml(clusterConfiguration) as { kubernetesVersion?: unknown })
    : {};
  const version =
    typeof config?.kubernetesVersion === "string" ? config.kubernetesVersion : undefined;
  if (!version) return undefined;
  const list = nodeListSchema.parse(typeof nodes === "string" ? JSON.parse(nodes || "{}") : nodes);
  const members = parseEtcdMembers(etcdMembers, etcdHealth);
  return {
    version,
    nodes: list.items.map((n) => ({
      name: n.metadata.name,
      kubeletVersion: n.status.nodeInfo.kubeletVersion,
      ready: n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
      controlPlane: "node-role.kubernetes.io/control-plane" in n.metadata.labels,
      labels: n.metadata.labels,
      annotations: n.metadata.annotations,
      taints: n.spec.taints.map((t) => ({
        key: t.key,
        ...(t.value !== undefined ? { value: t.value } : {}),
        effect: t.effect,
      })),
    })),
    ...(members ? { etcdMembers: members } : {}),
  };
}
