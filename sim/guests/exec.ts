import { execFile } from "node:child_process";

/** A host command that failed: its argv and what it printed on stderr. */
export class HostCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`${argv.join(" ")} failed (${String(code)}): ${stderr.trim()}`);
  }
}

/** Runs a host command (no shell) and resolves with its stdout; rejects with its stderr. */
export function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new HostCommandError([command, ...args], stderr || error.message, code));
        } else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like `run`, for clean-up steps whose target may already be gone: failures are returned, not thrown. */
export async function tryRun(command: string, args: string[]): Promise<string | undefined> {
  try {
    await run(command, args);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
