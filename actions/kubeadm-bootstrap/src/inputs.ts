import { z } from "zod";
import { booleanInput, integerInput } from "../../lib/inputs.js";

/** Inputs of the kubeadm-bootstrap action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  mode: z
    .enum(["apply", "plan", "prepare-removals"], {
      error: "must be apply, plan or prepare-removals",
    })
    .default("apply"),
  "ssh-private-key": z.string({
    error: "is required: pass the SSH_PRIVATE_KEY secret that matches ssh.publicKeys",
  }),
  "state-key": z.string({ error: "is required: pass the STATE_KEY secret" }),
  "node-profile": z
    .enum(["production", "lab-nspawn"], { error: "must be production or lab-nspawn" })
    .default("production"),
  "known-hosts": z.string().optional(),
  "replace-host-keys": z
    .string()
    .default("")
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  inventory: z.string().optional(),
  forks: integerInput(10, 1),
  "ssh-wait-seconds": integerInput(120, 0),
  verbose: booleanInput(false),
});

export type KubeadmBootstrapInputs = z.infer<typeof inputSchema>;
