import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./repo.js";

/** One method of the official Proxmox VE API schema (apidata.json from the API viewer). */
export interface OfficialMethod {
  parameters?: {
    properties?: Record<string, { type?: string; optional?: number; enum?: string[] }>;
  };
  returns?: unknown;
  permissions?: unknown;
}
interface OfficialNode {
  path: string;
  info?: Record<string, OfficialMethod>;
  children?: OfficialNode[];
}

/**
 * Where the official schema is looked for: PVE_API_SCHEMA, else ../shared/pve-api/apidata.json
 * beside the checkout — never inside it (AGPL data).
 */
export function officialSchemaFile(): string {
  return (
    process.env.PVE_API_SCHEMA ?? path.join(repoRoot, "..", "shared", "pve-api", "apidata.json")
  );
}

/** What a run without the schema skips, why, and how to enable it: one line, said once per run. */
export function schemaSkipNotice(file: string): string {
  return (
    `SKIPPED: pve-sim's conformance tests against the official Proxmox VE API schema ` +
    `(test/unit/sim/conformance.test.ts, permissions.test.ts) — ${file} does not exist. ` +
    `To run them, put apidata.json there or point PVE_API_SCHEMA at it ` +
    `(the array in the Proxmox API viewer's apidata.js, converted to JSON).`
  );
}

/**
 * The official schema, or undefined when it is absent (test/setup/schema-notice.ts says so once
 * at the start of the run; the tests that need it skip).
 */
export function loadOfficialSchema(): Map<string, Record<string, OfficialMethod>> | undefined {
  const file = officialSchemaFile();
  if (!existsSync(file)) return undefined;
  const tree = JSON.parse(readFileSync(file, "utf8")) as OfficialNode[];
  const byPath = new Map<string, Record<string, OfficialMethod>>();
  const walk = (nodes: OfficialNode[]) => {
    for (const n of nodes) {
      byPath.set(n.path, n.info ?? {});
      walk(n.children ?? []);
    }
  };
  walk(tree);
  return byPath;
}
