import { createHash } from "node:crypto";
import path from "node:path";
import { versions as pinnedVersions, type Versions } from "../versions.js";
import { allocateAddresses } from "./addresses.js";
import { parseCidr, parseIpRange, formatIp } from "./ipv4.js";
import type { ClusterConfig } from "./schema.js";
import { vmSlots } from "./vm-layout.js";

export interface PlannedVm {
  name: string;
  role: "control-plane" | "worker";
  pool: string;
  node: string;
  vmid: number;
  ip: string;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  tags: string[];
  labels: Record<string, string>;
  taints: string[];
}

export interface ClusterPlan {
  cluster: string;
  uid: string;
  proxmox: {
    endpoint: string;
    nodes: string[];
    pool?: string;
    diskStorage: string;
    imageStorage: string;
    tls: { fingerprint?: string; caFile?: string; insecure?: boolean };
  };
  template: {
    vmid: number;
    node: string;
    storage: string;
    name: string;
    image: { url: string; sha256: string; fileName: string };
    source: "upload" | "download-url";
    machine: string;
    bios: "seabios" | "ovmf";
  };
  network: {
    bridge: string;
    vlan?: number;
    cidr: string;
    prefix: number;
    gateway: string;
    dns: string[];
    searchDomain?: string;
    vip: string;
    lbRange?: { start: string; end: string };
  };
  /** who holds the control-plane VIP (kubeadm-bootstrap) */
  endpoint: { provider: "kube-vip" | "keepalived" };
  vms: PlannedVm[];
  kubernetes: {
    version: string;
    podCidr: string;
    serviceCidr: string;
    clusterDomain: string;
    extraSans: string[];
  };
  cilium: { version: string; kubeProxyReplacement: boolean; hubble: boolean };
  addons: { name: string; enabled: boolean; version?: string; detail?: string }[];
  ssh: { user: string; publicKeys: string[] };
}

export function clusterUid(config: ClusterConfig): string {
  return (
    config.metadata.uid ??
    createHash("sha256")
      .update(`${config.metadata.name}\n${config.proxmox.endpoint}`)
      .digest("hex")
      .slice(0, 12)
  );
}

export function ownershipTags(cluster: string, role: PlannedVm["role"]): string[] {
  return ["pve-kube", `cluster-${cluster}`, `role-${role}`];
}

/** Proxmox's import content type wants .qcow2/.raw/.vmdk/.ova names; Ubuntu's .img files are qcow2. */
export function importFileName(url: string): string {
  const base = decodeURIComponent(new URL(url).pathname.split("/").pop() || "cloud-image");
  const safe = base.replace(/[^a-zA-Z0-9_.-]/g, "_");
  return /\.(qcow2|raw|vmdk|ova)$/.test(safe) ? safe : `${safe.replace(/\.img$/, "")}.qcow2`;
}

/**
 * Everything the config describes, resolved: VM names, roles, nodes, VMIDs, addresses, the
 * template, add-ons. Pure and deterministic: the same config always gives the same plan.
 * `baseDir` resolves relative files (the TLS CA file) against the cluster.yaml folder.
 */
export function planCluster(
  config: ClusterConfig,
  options: { baseDir?: string; versions?: Versions } = {},
): ClusterPlan {
  const versions = options.versions ?? pinnedVersions;
  const cluster = config.metadata.name;
  const slots = vmSlots(config);
  const { byName } = allocateAddresses(config, slots);
  const vms: PlannedVm[] = slots.map((slot, i) => ({
    name: slot.name,
    role: slot.role,
    pool: slot.pool,
    node: slot.nodes[slot.index % slot.nodes.length] ?? config.proxmox.nodes[0] ?? "",
    vmid: config.vmids.start + i,
    ip: byName.get(slot.name) ?? "",
    cores: slot.cores,
    memoryMiB: slot.memoryMiB,
    diskGiB: slot.diskGiB,
    tags: ownershipTags(cluster, slot.role),
    labels: slot.labels,
    taints: slot.taints,
  }));
  const image = config.template.image ?? {
    url: versions.cloudImage.url ?? "",
    sha256: versions.cloudImage.sha256 ?? "",
  };
  const tls = config.proxmox.tls;
  const lb = config.network.loadBalancerRange
    ? parseIpRange(config.network.loadBalancerRange)
    : undefined;
  const services = config.services;
  const chart = (name: string) => versions.charts[name]?.version;
  return {
    cluster,
    uid: clusterUid(config),
    proxmox: {
      endpoint: config.proxmox.endpoint,
      nodes: config.proxmox.nodes,
      ...(config.proxmox.pool ? { pool: config.proxmox.pool } : {}),
      diskStorage: config.proxmox.storage.disks,
      imageStorage: config.proxmox.storage.images,
      tls: {
        ...(tls.fingerprint ? { fingerprint: tls.fingerprint.toUpperCase() } : {}),
        ...(tls.caFile ? { caFile: path.resolve(options.baseDir ?? ".", tls.caFile) } : {}),
        ...(tls.insecure ? { insecure: true } : {}),
      },
    },
    template: {
      vmid: config.template.vmid,
      node: config.template.node ?? config.proxmox.nodes[0] ?? "",
      storage: config.template.storage ?? config.proxmox.storage.disks,
      name: config.template.name ?? `${cluster}-template`,
      image: {
        ...image,
        fileName: image.url
          ? config.template.image
            ? importFileName(image.url)
            : (versions.cloudImage.fileName ?? importFileName(image.url))
          : "",
      },
      source: config.template.source,
      machine: config.template.machine,
      bios: config.template.bios,
    },
    network: {
      bridge: config.network.bridge,
      ...(config.network.vlan !== undefined ? { vlan: config.network.vlan } : {}),
      cidr: config.network.cidr,
      prefix: parseCidr(config.network.cidr)?.prefix ?? 24,
      gateway: config.network.gateway,
      dns: config.network.dns ?? [config.network.gateway],
      ...(config.network.searchDomain ? { searchDomain: config.network.searchDomain } : {}),
      vip: config.network.controlPlaneVip,
      ...(lb ? { lbRange: { start: formatIp(lb.start), end: formatIp(lb.end) } } : {}),
    },
    endpoint: { provider: config.controlPlane.endpoint.provider },
    vms,
    kubernetes: { ...config.kubernetes },
    cilium: {
      version: config.cilium.version,
      kubeProxyReplacement: config.cilium.kubeProxyReplacement,
      hubble: config.cilium.hubble.enabled,
    },
    addons: [
      {
        name: "cilium",
        enabled: true,
        version: config.cilium.version,
        detail: config.cilium.kubeProxyReplacement ? "CNI, kube-proxy replacement" : "CNI",
      },
      config.controlPlane.endpoint.provider === "keepalived"
        ? {
            name: "keepalived",
            enabled: true,
            detail: `control-plane VIP ${config.network.controlPlaneVip}:8443 (keepalived + HAProxy)`,
          }
        : {
            name: "kube-vip",
            enabled: true,
            version: versions.kubeVip.version,
            detail: `control-plane VIP ${config.network.controlPlaneVip}`,
          },
      {
        name: "proxmox-csi",
        enabled: services.proxmoxCsi.enabled,
        version: chart("proxmox-csi-plugin"),
        detail: services.proxmoxCsi.storage ?? config.proxmox.storage.disks,
      },
      {
        name:
          services.loadBalancer.provider === "none"
            ? "load-balancer"
            : services.loadBalancer.provider,
        enabled: services.loadBalancer.provider !== "none",
        version:
          services.loadBalancer.provider === "metallb"
            ? chart("metallb")
            : services.loadBalancer.provider === "cilium-lb-ipam"
              ? config.cilium.version
              : undefined,
        detail: config.network.loadBalancerRange,
      },
      {
        name: `ingress-${services.ingress.controller}`,
        enabled: services.ingress.enabled,
        version:
          services.ingress.controller === "traefik" ? chart("traefik") : config.cilium.version,
      },
      {
        name: "kube-prometheus-stack",
        enabled: services.monitoring.enabled,
        version: chart("kube-prometheus-stack"),
      },
      { name: "loki", enabled: services.logging.enabled, version: chart("loki") },
      { name: "fluent-bit", enabled: services.logging.enabled, version: chart("fluent-bit") },
      {
        name: "velero",
        enabled: services.backup.enabled,
        version: chart("velero"),
        detail: services.backup.s3 ? `s3 ${services.backup.s3.bucket}` : undefined,
      },
    ].map(
      (addon) =>
        Object.fromEntries(
          Object.entries(addon).filter(([, v]) => v !== undefined),
        ) as ClusterPlan["addons"][number],
    ),
    ssh: { user: config.ssh.user, publicKeys: config.ssh.publicKeys },
  };
}
