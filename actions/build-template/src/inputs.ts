import { z } from "zod";
import { booleanInput, integerInput } from "../../lib/inputs.js";

/** Inputs of the build-template action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  "proxmox-url": z.string().optional(),
  "proxmox-fingerprint": z.string().optional(),
  "proxmox-token-id": z.string().optional(),
  "proxmox-token-secret": z.string().optional(),
  "simulate-customize": booleanInput(false),
  plan: booleanInput(false),
  cache: booleanInput(true),
  "work-dir": z.string().optional(),
  "build-lock-timeout-minutes": integerInput(90, 1),
});

export type BuildTemplateInputs = z.infer<typeof inputSchema>;
