import type { CliCommand } from "../command.js";

/** Every subcommand, in the order `pve-kube --help` lists them. */
export const commands: CliCommand[] = [];
