import { z } from "zod";
import { clusterConfigSchema } from "./schema.js";

export const SCHEMA_ID = "https://pve-kube.dev/schema/cluster.schema.json";

/**
 * The JSON Schema of cluster.yaml, generated from the zod schema (input side, so fields with
 * defaults are optional). Committed at schema/cluster.schema.json for editors; a test fails when
 * the committed file is stale.
 */
export function clusterJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(clusterConfigSchema, { io: "input", target: "draft-2020-12" });
  return { ...generated, $id: SCHEMA_ID, title: "pve-kube cluster.yaml" };
}

export function clusterJsonSchemaText(): string {
  return `${JSON.stringify(clusterJsonSchema(), null, 2)}\n`;
}
