/**
 * Error taxonomy. A ConfigurationError is a user mistake: it is printed as a message that says
 * what is wrong, where, and how to fix it — never with a stack trace. Anything else is a bug and
 * keeps its stack.
 */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
  /** dotted path of the field, e.g. `network.vip` */
  path?: string;
}

export class ConfigurationError extends Error {
  override name = "ConfigurationError";
  constructor(
    message: string,
    readonly fix?: string,
    readonly location?: SourceLocation,
  ) {
    super(ConfigurationError.render(message, fix, location));
  }

  static render(message: string, fix?: string, location?: SourceLocation): string {
    const where = location
      ? `${location.file}:${location.line}:${location.col}: ${location.path ? `${location.path}: ` : ""}`
      : "";
    return `${where}${message}${fix ? ` — ${fix}` : ""}`;
  }
}

/** Several user mistakes reported at once (config validation reports every error, not the first). */
export class ConfigurationErrors extends ConfigurationError {
  override name = "ConfigurationErrors";
  constructor(readonly errors: readonly ConfigurationError[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

/** A command line tool failed; carries what was run, how it ended and the tail of its stderr. */
export class CommandError extends Error {
  override name = "CommandError";
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    readonly signal?: string | null,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    super(`${command} ${how}${stderrTail ? `:\n${stderrTail}` : ""}`);
  }
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError;
}

/** Makes any thrown value printable. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export function wrapError(error: unknown): Error {
  return error instanceof Error ? error : new Error(getErrorMessage(error));
}
