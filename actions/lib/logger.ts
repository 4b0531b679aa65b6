import * as core from "@actions/core";

/**
 * The logger every logic module takes as a parameter, so the same code logs through @actions/core
 * in an action, to the console in the CLI, and into a buffer in tests.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a collapsible group; the group is closed even when `fn` throws. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export const actionsLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  async group(name, fn) {
    core.startGroup(name);
    try {
      return await fn();
    } finally {
      core.endGroup();
    }
  },
};

export function consoleLogger(
  options: { debug?: boolean; stream?: NodeJS.WritableStream } = {},
): Logger {
  const out = options.stream ?? process.stderr;
  const write = (line: string) => out.write(`${line}\n`);
  return {
    debug: (m) => {
      if (options.debug) write(`debug: ${m}`);
    },
    info: (m) => write(m),
    warning: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
    async group(name, fn) {
      write(`▶ ${name}`);
      return fn();
    },
  };
}

/** Collects every line; tests assert on `lines` and scan them for secrets. */
export interface MemoryLogger extends Logger {
  readonly lines: string[];
}

export function memoryLogger(): MemoryLogger {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    async group(name, fn) {
      lines.push(`group: ${name}`);
      try {
        return await fn();
      } finally {
        lines.push(`endgroup: ${name}`);
      }
    },
  };
}
