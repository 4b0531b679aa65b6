import { z } from "zod";

/**
 * The parts of `tofu show -json <planfile>` (the documented JSON output format, identical in
 * Terraform) that pve-kube reads. Unknown fields pass through untouched: newer format versions add
 * fields, and only these are needed to summarise and check a plan.
 */
const changeSchema = z.looseObject({
  actions: z.array(z.string()),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  after_unknown: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
});

const resourceChangeSchema = z.looseObject({
  address: z.string(),
  mode: z.string().optional(),
  type: z.string(),
  name: z.string(),
  index: z.union([z.string(), z.number()]).optional(),
  change: changeSchema,
  action_reason: z.string().optional(),
});

export const planJsonSchema = z.looseObject({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  resource_changes: z.array(resourceChangeSchema).optional(),
  resource_drift: z.array(resourceChangeSchema).optional(),
  output_changes: z.record(z.string(), z.looseObject({ actions: z.array(z.string()) })).optional(),
  errored: z.boolean().optional(),
  /** the refreshed state the plan started from (tainted flags live here) */
  prior_state: z.unknown().optional(),
});

export type PlanJson = z.infer<typeof planJsonSchema>;
export type ResourceChange = z.infer<typeof resourceChangeSchema>;

/** Parses the JSON plan; a malformed document is a bug in the tool chain, not a user mistake. */
export function parsePlanJson(text: string): PlanJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`tofu show -json did not print JSON: ${(error as Error).message}`);
  }
  const parsed = planJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `tofu show -json printed an unexpected document (${first ? `${first.path.join(".")}: ${first.message}` : "invalid"})`,
    );
  }
  if (!parsed.data.format_version.startsWith("1.")) {
    throw new Error(
      `unsupported JSON plan format ${parsed.data.format_version} (pve-kube reads format 1.x)`,
    );
  }
  return parsed.data;
}
