import { z } from "zod";
import { versions } from "../versions.js";
import { SEMVER_PATCH } from "./patterns.js";
import { cidr, dnsLabel, envName, pveId } from "./schema-infra.js";

const version = (what: string) =>
  z
    .string()
    .regex(new RegExp(SEMVER_PATCH), `must be a ${what} version such as 1.2.3 (no leading v)`);
const enabled = (defaultValue = false) => z.boolean().default(defaultValue);

export const kubernetesSchema = z
  .strictObject({
    version: version("Kubernetes")
      .default(versions.kubernetes.default)
      .describe("Kubernetes version (kubeadm, kubelet, kubectl)."),
    podCidr: cidr.default("10.244.0.0/16"),
    serviceCidr: cidr.default("10.96.0.0/12"),
    clusterDomain: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a domain such as cluster.local")
      .default("cluster.local"),
    extraSans: z
      .array(z.string().min(1))
      .default([])
      .describe("Extra subject alternative names of the API server certificate."),
  })
  .prefault({});

export const ciliumSchema = z
  .strictObject({
    version: version("Cilium").default(versions.cilium.default),
    kubeProxyReplacement: enabled(true).describe(
      "Run without kube-proxy; Cilium's eBPF replaces it.",
    ),
    hubble: z
      .strictObject({
        enabled: enabled(true),
        relay: enabled(false).describe("Hubble Relay: cluster-wide flows (always on with the UI)."),
        ui: enabled(false).describe("Hubble UI (needs the relay; turns it on)."),
      })
      .prefault({}),
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Helm values merged over manifests/cilium/values.yaml."),
  })
  .prefault({});

/** Helm values of one add-on, merged last over manifests/services/<service>/values.yaml and what deploy-services renders. */
const helmValues = (what: string) =>
  z
    .record(z.string(), z.unknown())
    .default({})
    .describe(`Helm values of ${what}, merged last (README, "deploy-services").`);

/** A Kubernetes label value: ≤ 63 characters, alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const labelValue = z
  .string()
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    "must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  );

export const storageClassSchema = z.strictObject({
  storage: pveId.describe("Proxmox storage the volumes of this class live on."),
  name: dnsLabel
    .max(63)
    .optional()
    .describe("StorageClass name; defaults to proxmox-<storage> (lower-case, '_' and '.' as '-')."),
  default: enabled().describe("Make this the cluster's default StorageClass (at most one)."),
  fstype: z.enum(["ext4", "xfs"]).default("ext4"),
  reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
  ssd: z.boolean().optional().describe("Tell Proxmox the disks are SSDs (discard, ssd emulation)."),
  cache: z
    .enum(["directsync", "none", "writeback", "writethrough"])
    .optional()
    .describe("Proxmox disk cache mode of the volumes."),
});

export const servicesSchema = z
  .strictObject({
    proxmoxCsi: z
      .strictObject({
        enabled: enabled(),
        storage: pveId
          .optional()
          .describe(
            "Proxmox storage for volumes (one StorageClass); defaults to proxmox.storage.disks. Use storageClasses for several.",
          ),
        storageClasses: z
          .array(storageClassSchema)
          .default([])
          .describe("One StorageClass per Proxmox storage; replaces `storage` when given."),
        region: labelValue
          .optional()
          .describe(
            "topology.kubernetes.io/region of every node (the CSI's name for this Proxmox cluster); defaults to the host name of proxmox.endpoint.",
          ),
        tokenIdEnv: envName
          .default("PROXMOX_CSI_TOKEN_ID")
          .describe("Environment variable holding the CSI's own API token id (role PVEKubeCSI)."),
        tokenSecretEnv: envName
          .default("PROXMOX_CSI_TOKEN_SECRET")
          .describe("Environment variable holding the CSI's API token secret."),
        values: helmValues("proxmox-csi-plugin"),
      })
      .prefault({}),
    loadBalancer: z
      .strictObject({
        provider: z
          .enum(["cilium-lb-ipam", "metallb", "none"])
          .default("cilium-lb-ipam")
          .describe("Who answers for LoadBalancer IPs from network.loadBalancerRange."),
        interfaces: z
          .array(z.string().min(1))
          .min(1)
          .default(["^eth[0-9]+"])
          .describe(
            "cilium-lb-ipam: the node interfaces (regular expressions) that answer ARP for LoadBalancer IPs.",
          ),
        values: helmValues("MetalLB (provider metallb)"),
      })
      .prefault({}),
    ingress: z
      .strictObject({
        enabled: enabled(),
        controller: z.enum(["cilium", "traefik"]).default("cilium"),
        values: helmValues("Traefik (controller traefik)"),
      })
      .prefault({}),
    monitoring: z
      .strictObject({
        enabled: enabled(),
        grafana: enabled(true).describe("Grafana with the stack's dashboards."),
        retention: z
          .string()
          .regex(/^[0-9]+(h|d|w|y)$/, "must be a Prometheus duration such as 15d")
          .default("15d")
          .describe("How long Prometheus keeps samples."),
        storageGiB: z
          .int()
          .min(1)
          .optional()
          .describe(
            "A PersistentVolume of this size for Prometheus (needs a StorageClass); none: emptyDir.",
          ),
        values: helmValues("kube-prometheus-stack"),
      })
      .prefault({})
      .describe("Prometheus and Grafana (kube-prometheus-stack)."),
    logging: z
      .strictObject({
        enabled: enabled(),
        retention: z
          .string()
          .regex(/^[0-9]+(h|d|w)$/, "must be a duration such as 168h or 7d")
          .default("168h")
          .describe("How long Loki keeps logs."),
        storageGiB: z
          .int()
          .min(1)
          .optional()
          .describe(
            "A PersistentVolume of this size for Loki (needs a StorageClass); none: emptyDir.",
          ),
        values: helmValues("Loki"),
        fluentBitValues: helmValues("Fluent Bit"),
      })
      .prefault({})
      .describe("Loki and Fluent Bit."),
    backup: z
      .strictObject({
        enabled: enabled(),
        s3: z
          .strictObject({
            endpoint: z.url(),
            bucket: z
              .string()
              .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
            region: z.string().min(1).default("us-east-1"),
            prefix: z
              .string()
              .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "must be a key prefix such as clusters/demo")
              .optional()
              .describe("Key prefix inside the bucket; defaults to the cluster name."),
            forcePathStyle: z
              .boolean()
              .default(true)
              .describe("Path-style URLs (MinIO, Ceph RGW, Garage need them)."),
            accessKeyEnv: envName.default("VELERO_S3_ACCESS_KEY"),
            secretKeyEnv: envName.default("VELERO_S3_SECRET_KEY"),
          })
          .optional(),
        schedule: z
          .string()
          .regex(/^(\S+\s+){4}\S+$/, "must be a cron expression of five fields such as '0 3 * * *'")
          .default("0 3 * * *")
          .describe("When the daily backup of every namespace runs (cron, UTC)."),
        ttl: z
          .string()
          .regex(/^[0-9]+h([0-9]+m)?([0-9]+s)?$/, "must be a duration in hours such as 720h")
          .default("720h")
          .describe("How long a backup is kept."),
        values: helmValues("Velero"),
      })
      .prefault({})
      .describe("Velero backups to an S3-compatible target."),
  })
  .prefault({});
