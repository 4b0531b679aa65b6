import { z } from "zod";
import { booleanInput, integerInput, proxmoxConnectionInputs } from "../../lib/inputs.js";

/** Inputs of the build-template action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  ...proxmoxConnectionInputs,
  "simulate-customize": booleanInput(false),
  "state-key": z.string().optional(),
  plan: booleanInput(false),
  cache: booleanInput(true),
  "work-dir": z.string().optional(),
  "image-file": z.string().optional(),
  "image-sha256": z.string().optional(),
  "build-lock-timeout-minutes": integerInput(90, 1),
});

export type BuildTemplateInputs = z.infer<typeof inputSchema>;
