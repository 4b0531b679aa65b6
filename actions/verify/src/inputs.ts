import { z } from "zod";
import { integerInput } from "../../lib/inputs.js";

/** Inputs of the verify action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  "state-key": z.string({ error: "is required: pass the STATE_KEY secret" }),
  kubeconfig: z.string().optional(),
  "probe-from-runner": z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("true")
    .transform((v) => v === "true"),
  "timeout-seconds": integerInput(300, 1),
});
