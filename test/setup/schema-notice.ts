import { existsSync } from "node:fs";
import { missingSchemaMessage, officialSchemaFile } from "../helpers/pve-schema.js";

/**
 * vitest globalSetup of the unit suite: without the official Proxmox API schema the conformance
 * tests cannot do their work, so the run stops first, with one message that says how to fix it —
 * not 171 failures further down, and never a silent skip.
 */
export default function requireOfficialSchema(): void {
  const file = officialSchemaFile();
  if (!existsSync(file)) throw new Error(missingSchemaMessage(file));
}
