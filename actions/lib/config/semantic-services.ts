import type { ConfigProblem } from "./issues.js";
import type { ClusterConfig } from "./schema.js";

/** The StorageClass name of a Proxmox storage when cluster.yaml gives none: proxmox-<storage>. */
export function defaultStorageClassName(storage: string): string {
  return `proxmox-${storage.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`
    .replace(/-+$/, "")
    .slice(0, 63);
}

/** Cross-field rules of services: (deploy-services), each naming the field to change. */
export function servicesProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const s = config.services;
  const csi = s.proxmoxCsi;
  if (csi.storage && csi.storageClasses.length > 0)
    problems.push({
      path: ["services", "proxmoxCsi", "storage"],
      target: "key",
      message: "both storage and storageClasses are set",
      fix: "list every storage under storageClasses and remove storage",
    });
  const names = new Map<string, number>();
  csi.storageClasses.forEach((c, i) => {
    const name = c.name ?? defaultStorageClassName(c.storage);
    const path = ["services", "proxmoxCsi", "storageClasses", i];
    const sameName = names.get(name);
    if (sameName !== undefined)
      problems.push({
        path: [...path, c.name ? "name" : "storage"],
        message: `StorageClass ${name} is also entry ${sameName + 1}`,
        fix: "give every StorageClass its own name (two classes on one storage, e.g. ext4 and xfs, need name:)",
      });
    names.set(name, i);
  });
  const defaults = csi.storageClasses.filter((c) => c.default);
  if (defaults.length > 1)
    problems.push({
      path: ["services", "proxmoxCsi", "storageClasses"],
      target: "key",
      message: `${defaults.length} StorageClasses are marked default`,
      fix: "mark at most one StorageClass default: true",
    });
  if (csi.enabled && csi.tokenIdEnv === config.proxmox.tokenIdEnv)
    problems.push({
      path: ["services", "proxmoxCsi", "tokenIdEnv"],
      message: `the CSI would use pve-kube's own token (${csi.tokenIdEnv})`,
      fix: "give the CSI its own least-privilege token (role PVEKubeCSI, README 'Proxmox CSI') in another variable, e.g. PROXMOX_CSI_TOKEN_ID",
    });
  for (const [service, path] of [
    ["monitoring", ["services", "monitoring", "storageGiB"]],
    ["logging", ["services", "logging", "storageGiB"]],
  ] as const) {
    if (s[service].enabled && s[service].storageGiB !== undefined && !csi.enabled)
      problems.push({
        path: [...path],
        message: `${service} asks for a PersistentVolume, but no StorageClass is deployed`,
        fix: "set services.proxmoxCsi.enabled: true, or remove storageGiB (an emptyDir then)",
      });
  }
  if (s.loadBalancer.provider === "cilium-lb-ipam")
    s.loadBalancer.interfaces.forEach((pattern, i) => {
      try {
        new RegExp(pattern);
      } catch {
        problems.push({
          path: ["services", "loadBalancer", "interfaces", i],
          message: `${JSON.stringify(pattern)} is not a regular expression`,
          fix: "write an interface name pattern such as ^eth[0-9]+",
        });
      }
    });
  if (s.loadBalancer.provider !== "metallb" && Object.keys(s.loadBalancer.values).length > 0)
    problems.push({
      path: ["services", "loadBalancer", "values"],
      target: "key",
      message: "values are MetalLB's Helm values, but the provider is not metallb",
      fix: "remove them, or set provider: metallb (Cilium LB-IPAM takes its values under cilium.values)",
    });
  if (
    !(s.ingress.enabled && s.ingress.controller === "traefik") &&
    Object.keys(s.ingress.values).length > 0
  )
    problems.push({
      path: ["services", "ingress", "values"],
      target: "key",
      message: "values are Traefik's Helm values, but Traefik is not the enabled controller",
      fix: "remove them, or set enabled: true and controller: traefik (Cilium's ingress takes cilium.values)",
    });
  return problems;
}
