import type { ClusterPlan } from "../config/plan.js";

/** The JSON var file of terraform/ (variables.tf), rendered from the plan — never re-derived there. */
export interface TofuVars {
  cluster: string;
  cluster_uid: string;
  /** null: the provider reads PROXMOX_VE_ENDPOINT (the action's relay, see provider-endpoint.ts) */
  proxmox_endpoint: string | null;
  proxmox_insecure: boolean;
  template_vmid: number;
  template_node: string;
  linked_clones: boolean;
  disk_storage: string;
  pool: string | null;
  network: {
    bridge: string;
    vlan?: number;
    gateway: string;
    prefix: number;
    dns: string[];
    search_domain?: string;
  };
  ssh: { user: string; public_keys: string[] };
  vms: {
    name: string;
    role: string;
    pool: string;
    node: string;
    vmid: number;
    ip: string;
    cores: number;
    memory_mib: number;
    disk_gib: number;
    tags: string[];
  }[];
}

export interface RenderOptions {
  /** the template VMID actually built (a recipe change builds a new one above the configured VMID) */
  templateVmid?: number;
  linkedClones?: boolean;
  /** endpoint override (e.g. a pve-sim), or null to leave it to PROXMOX_VE_ENDPOINT */
  endpoint?: string | null;
  /** TLS verification off for the provider (the resolved connection's choice, which may override cluster.yaml) */
  insecure?: boolean;
}

export function renderTofuVars(plan: ClusterPlan, options: RenderOptions = {}): TofuVars {
  const endpoint = options.endpoint === undefined ? plan.proxmox.endpoint : options.endpoint;
  return {
    cluster: plan.cluster,
    cluster_uid: plan.uid,
    proxmox_endpoint: endpoint === null ? null : endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
    proxmox_insecure: options.insecure ?? plan.proxmox.tls.insecure === true,
    template_vmid: options.templateVmid ?? plan.template.vmid,
    template_node: plan.template.node,
    linked_clones: options.linkedClones ?? true,
    disk_storage: plan.proxmox.diskStorage,
    pool: plan.proxmox.pool ?? null,
    network: {
      bridge: plan.network.bridge,
      ...(plan.network.vlan !== undefined ? { vlan: plan.network.vlan } : {}),
      gateway: plan.network.gateway,
      prefix: plan.network.prefix,
      dns: plan.network.dns,
      ...(plan.network.searchDomain ? { search_domain: plan.network.searchDomain } : {}),
    },
    ssh: { user: plan.ssh.user, public_keys: plan.ssh.publicKeys },
    vms: plan.vms.map((vm) => ({
      name: vm.name,
      role: vm.role,
      pool: vm.pool,
      node: vm.node,
      vmid: vm.vmid,
      ip: vm.ip,
      cores: vm.cores,
      memory_mib: vm.memoryMiB,
      disk_gib: vm.diskGiB,
      tags: vm.tags,
    })),
  };
}
