import { z } from "zod";

/** Inputs of the drift-check action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  "proxmox-url": z.string().optional(),
  "proxmox-fingerprint": z.string().optional(),
  "proxmox-token-id": z.string().optional(),
  "proxmox-token-secret": z.string().optional(),
  "tofu-outcome": z.string().default("success"),
  "state-key": z.string().optional(),
});

export type DriftCheckInputs = z.infer<typeof inputSchema>;
