import { z } from "zod";
import { booleanInput, listInput, proxmoxConnectionInputs } from "../../lib/inputs.js";
import { BACKENDS } from "../../lib/tofu/backend.js";

/** Inputs of the tofu-provision action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  mode: z
    .enum(["plan", "apply", "destroy"], { error: "must be plan, apply or destroy" })
    .default("plan"),
  ...proxmoxConnectionInputs,
  "state-key": z.string().optional(),
  "plan-sha256": z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, {
      error: "must be the 64-hex-digit plan-sha256 output of the plan job",
    })
    .optional(),
  "allow-replace": booleanInput(false),
  "template-vmid": z
    .string()
    .regex(/^[1-9]\d{2,8}$/, { error: "must be a VMID (100 to 999999999)" })
    .transform(Number)
    .optional(),
  "linked-clones": booleanInput(true),
  // empty: cluster.yaml's state section decides
  backend: z
    .enum(BACKENDS, {
      error: `must be one of ${BACKENDS.join(", ")}, or empty for state.backend from cluster.yaml`,
    })
    .optional(),
  "backend-config": listInput(),
  binary: z.enum(["tofu", "terraform"], { error: "must be tofu or terraform" }).default("tofu"),
  "tofu-path": z.string().optional(),
  module: z.string().optional(),
  "provider-mirror": z
    .string()
    .refine((p) => p.startsWith("/"), { error: "must be an absolute directory path" })
    .optional(),
  "lock-file": z
    .enum(["verify", "regenerate"], { error: "must be verify or regenerate" })
    .default("verify"),
  // auto: every VM of the plan at once — the relay's clone gate, not OpenTofu, keeps clones from
  // racing for Proxmox's storage lock (actions/lib/tofu/clone-gate.ts)
  parallelism: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "" || value === "auto") return "auto" as const;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) {
        ctx.addIssue({
          code: "custom",
          message: `expected auto or a whole number ≥ 1, got '${value}'`,
        });
        return z.NEVER;
      }
      return n;
    }),
  // VMs to re-create from the current template (rolling nodes onto a new template, one per run)
  replace: listInput(),
  "lock-timeout": z
    .string()
    .regex(/^\d+[smh]$/, { error: "must be a duration such as 5m" })
    .default("5m"),
  cache: booleanInput(true),
  "confirm-destroy": z.string().optional(),
  "refresh-only-pass": booleanInput(false),
  "prepare-apply": booleanInput(false),
});

export type TofuProvisionInputs = z.infer<typeof inputSchema>;
