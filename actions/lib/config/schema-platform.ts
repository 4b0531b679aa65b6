import { z } from "zod";
import { versions } from "../versions.js";
import { SEMVER_PATCH } from "./patterns.js";
import { cidr, envName, pveId } from "./schema-infra.js";

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

export const servicesSchema = z
  .strictObject({
    proxmoxCsi: z
      .strictObject({
        enabled: enabled(),
        storage: pveId
          .optional()
          .describe("Proxmox storage for volumes; defaults to proxmox.storage.disks."),
      })
      .prefault({}),
    loadBalancer: z
      .strictObject({
        provider: z
          .enum(["cilium-lb-ipam", "metallb", "none"])
          .default("cilium-lb-ipam")
          .describe("Who answers for LoadBalancer IPs from network.loadBalancerRange."),
      })
      .prefault({}),
    ingress: z
      .strictObject({
        enabled: enabled(),
        controller: z.enum(["cilium", "traefik"]).default("cilium"),
      })
      .prefault({}),
    monitoring: z
      .strictObject({ enabled: enabled() })
      .prefault({})
      .describe("Prometheus and Grafana (kube-prometheus-stack)."),
    logging: z.strictObject({ enabled: enabled() }).prefault({}).describe("Loki and Fluent Bit."),
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
            accessKeyEnv: envName.default("VELERO_S3_ACCESS_KEY"),
            secretKeyEnv: envName.default("VELERO_S3_SECRET_KEY"),
          })
          .optional(),
      })
      .prefault({})
      .describe("Velero backups to an S3-compatible target."),
  })
  .prefault({});
