import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import { defaultStorageClassName } from "../config/semantic-services.js";
import type { HelmValues } from "../helm/values.js";
import { MANAGED_LABELS, type K8sObject } from "./objects.js";

export const CSI_NAMESPACE = "csi-proxmox";
/** The Secret with the CSI's Proxmox config (URL, its own token, region): never in Helm values. */
export const CSI_CONFIG_SECRET = "proxmox-csi-config";
export const REGION_LABEL = "topology.kubernetes.io/region";
export const ZONE_LABEL = "topology.kubernetes.io/zone";

export interface CsiStorageClass {
  name: string;
  storage: string;
  default: boolean;
  fstype: "ext4" | "xfs";
  reclaimPolicy: "Delete" | "Retain";
  ssd?: boolean;
  cache?: string;
}

/** One StorageClass per configured storage; `storage` (or proxmox.storage.disks) alone is one default class. */
export function csiStorageClasses(config: ClusterConfig): CsiStorageClass[] {
  const csi = config.services.proxmoxCsi;
  const listed = csi.storageClasses;
  if (listed.length === 0) {
    const storage = csi.storage ?? config.proxmox.storage.disks;
    return [
      {
        name: defaultStorageClassName(storage),
        storage,
        default: true,
        fstype: "ext4",
        reclaimPolicy: "Delete",
      },
    ];
  }
  return listed.map((c) => ({
    name: c.name ?? defaultStorageClassName(c.storage),
    storage: c.storage,
    default: c.default,
    fstype: c.fstype,
    reclaimPolicy: c.reclaimPolicy,
    ...(c.ssd !== undefined ? { ssd: c.ssd } : {}),
    ...(c.cache ? { cache: c.cache } : {}),
  }));
}

/** The region label every node gets: the configured one, else the host name of proxmox.endpoint. */
export function csiRegion(config: ClusterConfig): string {
  return config.services.proxmoxCsi.region ?? new URL(config.proxmox.endpoint).hostname;
}

/** The proxmox-csi-plugin chart's values: its config from our Secret, our StorageClasses. */
export function csiValues(config: ClusterConfig): HelmValues {
  return {
    existingConfigSecret: CSI_CONFIG_SECRET,
    existingConfigSecretKey: "config.yaml",
    storageClass: csiStorageClasses(config).map((c) => ({
      name: c.name,
      storage: c.storage,
      fstype: c.fstype,
      reclaimPolicy: c.reclaimPolicy,
      ...(c.ssd !== undefined ? { ssd: c.ssd } : {}),
      ...(c.cache ? { cache: c.cache } : {}),
      labels: { ...MANAGED_LABELS },
      ...(c.default
        ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }
        : {}),
    })),
  };
}

/**
 * The Secret the CSI reads its Proxmox connection from (the chart's existingConfigSecret). The
 * token is the CSI's own least-privilege one (role PVEKubeCSI), never pve-kube's; TLS
 * verification is skipped only where cluster.yaml opts in for pve-kube itself (proxmox.tls.insecure).
 */
export function csiConfigSecret(
  plan: ClusterPlan,
  region: string,
  token: { id: string; secret: string },
): K8sObject {
  const endpoint = new URL(plan.proxmox.endpoint);
  const config = [
    "clusters:",
    `  - url: ${JSON.stringify(`${endpoint.origin}/api2/json`)}`,
    `    insecure: ${plan.proxmox.tls.insecure === true}`,
    `    token_id: ${JSON.stringify(token.id)}`,
    `    token_secret: ${JSON.stringify(token.secret)}`,
    `    region: ${JSON.stringify(region)}`,
    "",
  ].join("\n");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: CSI_CONFIG_SECRET, namespace: CSI_NAMESPACE, labels: { ...MANAGED_LABELS } },
    type: "Opaque",
    stringData: { "config.yaml": config },
  };
}
