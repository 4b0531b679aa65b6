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

/** Why a run without the schema fails and how to fix it, in one paragraph. */
export function missingSchemaMessage(file: string): string {
  return (
    `the official Proxmox VE API schema is missing: ${file} does not exist. ` +
    `pve-sim's conformance tests (test/unit/sim/conformance.test.ts, permissions.test.ts) need it; ` +
    `put apidata.json there or point PVE_API_SCHEMA at it (the array in the Proxmox API viewer's ` +
    `apidata.js, converted to JSON: docs/pve-sim.md says how). A git worktree has no ../shared ` +
    `beside it: PVE_API_SCHEMA=/path/to/shared/pve-api/apidata.json.`
  );
}

/**
 * The official schema; a missing file fails (the unit suite's globalSetup says so first): a
 * conformance test that skips when its reference is absent would be a silent pass.
 */
export function loadOfficialSchema(): Map<string, Record<string, OfficialMethod>> {
  const file = officialSchemaFile();
  if (!existsSync(file)) throw new Error(missingSchemaMessage(file));
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
