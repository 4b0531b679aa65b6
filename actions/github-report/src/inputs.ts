import { z } from "zod";

const bool = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

/** Inputs of the github-report action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  mode: z.enum(["plan-render", "plan-comment", "drift-issue", "verify-reviewed"], {
    error: "must be plan-render, plan-comment, drift-issue or verify-reviewed",
  }),
  cluster: z.string().optional(),
  environment: z.string().default("production"),
  "github-token": z.string().optional(),
  stage: z.enum(["outdated", "failed", "final"]).default("final"),
  "reviewed-digest": z.string().optional(),
  artifact: z.string().optional(),
  "template-would-build": bool,
  "template-fingerprint": z.string().optional(),
  "template-vmid": z.string().optional(),
  "kubeadm-plan": z.string().optional(),
  "cilium-plan": z.string().optional(),
  "services-plan": z.string().optional(),
  "comment-limit": z.coerce.number().int().min(1000).max(65536).default(60000),
  "drift-report": z.string().optional(),
  "fail-on-drift": bool,
});

export type GitHubReportInputs = z.infer<typeof inputSchema>;
