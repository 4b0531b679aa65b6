import type { CliCommand } from "../command.js";
import { labCommand } from "./lab.js";
import { planCommand } from "./plan.js";
import { runCommand } from "./run-command.js";
import { schemaCommand } from "./schema.js";
import { simCommand } from "./sim.js";
import { validateCommand } from "./validate.js";

/** Every subcommand, in the order `pve-kube --help` lists them. */
export const commands: CliCommand[] = [
  validateCommand,
  planCommand,
  schemaCommand,
  simCommand,
  runCommand,
  labCommand,
];
