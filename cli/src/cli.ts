import { getErrorMessage, isConfigurationError } from "../../actions/lib/errors.js";
import type { CliIo } from "./command.js";
import { commands } from "./commands/index.js";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "pve-kube — HA Kubernetes on Proxmox VE from GitHub Actions",
    "",
    "usage: pve-kube <command> [args]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pve-kube <command> --help` for the options of one command.",
  ].join("\n");
}

/** Dispatches argv to a subcommand; user mistakes print a message without a stack and exit 1. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`pve-kube: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isConfigurationError(error)) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    io.stderr.write(
      `pve-kube ${name}: internal error: ${error instanceof Error && error.stack ? error.stack : getErrorMessage(error)}\n`,
    );
    return 70;
  }
}
