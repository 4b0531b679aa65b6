import { z } from "zod";
import { sshSchema, stateBackendSchema } from "./schema-access.js";
import {
  metadataSchema,
  networkSchema,
  proxmoxSchema,
  templateSchema,
  vmidsSchema,
} from "./schema-infra.js";
import { controlPlaneSchema, workerPoolSchema } from "./schema-nodes.js";
import { ciliumSchema, kubernetesSchema, servicesSchema } from "./schema-platform.js";

/** The whole of cluster.yaml. Structure and formats live here; cross-field rules in semantic.ts. */
export const clusterConfigSchema = z
  .strictObject({
    apiVersion: z.literal("pve-kube/v1").describe("Format version of this file."),
    metadata: metadataSchema,
    proxmox: proxmoxSchema,
    template: templateSchema.prefault({}),
    network: networkSchema,
    vmids: vmidsSchema,
    controlPlane: controlPlaneSchema,
    workerPools: z.array(workerPoolSchema).default([]),
    kubernetes: kubernetesSchema,
    cilium: ciliumSchema,
    services: servicesSchema,
    ssh: sshSchema,
    state: stateBackendSchema,
  })
  .describe("pve-kube cluster definition (cluster.yaml)");

export type ClusterConfig = z.output<typeof clusterConfigSchema>;
export type ClusterConfigInput = z.input<typeof clusterConfigSchema>;
