#!/usr/bin/env node
import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// actions/lib/errors.ts
var ConfigurationError = class _ConfigurationError extends Error {
  constructor(message, fix, location) {
    super(_ConfigurationError.render(message, fix, location));
    this.fix = fix;
    this.location = location;
  }
  fix;
  location;
  static {
    __name(this, "ConfigurationError");
  }
  name = "ConfigurationError";
  static render(message, fix, location) {
    const where = location ? `${location.file}:${location.line}:${location.col}: ${location.path ? `${location.path}: ` : ""}` : "";
    return `${where}${message}${fix ? ` \u2014 ${fix}` : ""}`;
  }
};
function isConfigurationError(error) {
  return error instanceof ConfigurationError;
}
__name(isConfigurationError, "isConfigurationError");
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
__name(getErrorMessage, "getErrorMessage");

// cli/src/commands/index.ts
var commands = [];

// cli/src/cli.ts
function help() {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "pve-kube \u2014 HA Kubernetes on Proxmox VE from GitHub Actions",
    "",
    "usage: pve-kube <command> [args]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pve-kube <command> --help` for the options of one command."
  ].join("\n");
}
__name(help, "help");
async function runCli(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${help()}
`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`pve-kube: unknown command '${name}'

${help()}
`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.usage}
`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isConfigurationError(error)) {
      io.stderr.write(`${error.message}
`);
      return 1;
    }
    io.stderr.write(`pve-kube ${name}: internal error: ${error instanceof Error && error.stack ? error.stack : getErrorMessage(error)}
`);
    return 70;
  }
}
__name(runCli, "runCli");

// cli/src/main.ts
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env
});
