import { z } from "zod";
import { integerInput } from "../../lib/inputs.js";

/** Inputs of the deploy-services action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  mode: z.enum(["apply", "plan"], { error: "must be apply or plan" }).default("apply"),
  "state-key": z.string({ error: "is required: pass the STATE_KEY secret" }),
  kubeconfig: z.string().optional(),
  "chart-dir": z.string().default(""),
  "timeout-seconds": integerInput(600, 1),
});

export type DeployServicesInputs = z.infer<typeof inputSchema>;
