import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

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
var ConfigurationErrors = class extends ConfigurationError {
  constructor(errors) {
    super(errors.map((e) => e.message).join("\n"));
    this.errors = errors;
  }
  errors;
  static {
    __name(this, "ConfigurationErrors");
  }
  name = "ConfigurationErrors";
};
var CommandError = class extends Error {
  constructor(command, exitCode, stderrTail, signal) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    super(`${command} ${how}${stderrTail ? `:
${stderrTail}` : ""}`);
    this.command = command;
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
    this.signal = signal;
  }
  command;
  exitCode;
  stderrTail;
  signal;
  static {
    __name(this, "CommandError");
  }
  name = "CommandError";
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

export {
  ConfigurationError,
  ConfigurationErrors,
  CommandError,
  isConfigurationError,
  getErrorMessage
};
