import { z } from "zod";

/** Inputs of the deploy-report action, keyed exactly by the names in action.yml. */
export const inputSchema = z.object({
  cluster: z.string({ error: "is required: the path of cluster.yaml" }),
  phases: z.string().default("all"),
  "job-results": z.string().default("{}"),
});

export type DeployReportInputs = z.infer<typeof inputSchema>;
