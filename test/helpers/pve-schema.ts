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
 * The official schema lives beside the repository, never in it (AGPL data): PVE_API_SCHEMA or
 * ../shared/pve-api/apidata.json. Returns undefined, loudly, when neither is there.
 */
export function loadOfficialSchema(): Map<string, Record<string, OfficialMethod>> | undefined {
  const file =
    process.env.PVE_API_SCHEMA ?? path.join(repoRoot, "..", "shared", "pve-api", "apidata.json");
  if (!existsSync(file)) {
    console.warn(
      `\n*** SKIPPED: the official Proxmox VE API schema is not at ${file}.\n` +
        "*** Get it from the Proxmox API viewer (pve-docs api-viewer/apidata.js, the array converted to JSON)\n" +
        "*** and point PVE_API_SCHEMA at it to run the pve-sim conformance tests.\n",
    );
    return undefined;
  }
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
