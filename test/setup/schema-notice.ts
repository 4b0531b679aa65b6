import { existsSync } from "node:fs";
import { officialSchemaFile, schemaSkipNotice } from "../helpers/pve-schema.js";

/**
 * vitest globalSetup of the unit suite: without the official Proxmox API schema beside the
 * checkout the conformance tests skip, and a skip nobody sees is a silent pass — so the run says
 * it once, first, in one line.
 */
export default function announceSkippedSchemaTests(): void {
  const file = officialSchemaFile();
  if (!existsSync(file)) console.warn(`\n${schemaSkipNotice(file)}\n`);
}
