import { z } from "zod";
import { booleanInput, proxmoxConnectionInputs } from "../../lib/inputs.js";

/** Inputs of the preflight action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  ...proxmoxConnectionInputs,
  phases: z.string().default("all"),
  "simulate-customize": booleanInput(false),
  "template-image-file": z.string().optional(),
  "token-access": z
    .enum(["write", "read-only"], { error: "must be write or read-only" })
    .default("write"),
  "write-token-id": z.string().optional(),
  environment: z.string().optional(),
  "require-environment": booleanInput(false),
  "runner-labels": z.string().optional(),
  "gates-only": booleanInput(false),
  "network-checks": z
    .enum(["auto", "always", "never"], { error: "must be auto, always or never" })
    .default("auto"),
});

export type PreflightInputs = z.infer<typeof inputSchema>;
