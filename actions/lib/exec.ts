import { spawn } from "node:child_process";
import { CommandError } from "./errors.js";
import type { Logger } from "./logger.js";

export interface RunToolOptions {
  logger: Logger;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** written to the tool's stdin, then stdin is closed */
  input?: string;
  /** stream stdout lines to the logger as they come (for long-running tools) */
  streamOutput?: boolean;
  /** exit codes that are not failures (e.g. `tofu plan -detailed-exitcode` returns 2 for changes) */
  okExitCodes?: readonly number[];
  /** values that must never appear in what is logged or thrown; replaced by *** */
  secrets?: readonly string[];
  timeoutMs?: number;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const STDERR_CAP = 20_000;
const STDERR_TAIL_LINES = 20;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join("***");
  return out;
}

/** The last lines of a tool's stderr, for error messages. */
export function tailLines(text: string, count = STDERR_TAIL_LINES): string {
  const lines = text.trimEnd().split("\n");
  return lines.slice(-count).join("\n");
}

/**
 * The one exec seam: argv arrays only (never a shell string), the command is logged, stderr is
 * capped, and a failure throws a CommandError carrying the command, exit code and stderr tail.
 */
export async function runTool(
  command: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolResult> {
  const { logger, secrets = [] } = options;
  const shown = redact([command, ...args.map(quoteForLog)].join(" "), secrets);
  logger.info(`$ ${shown}`);
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (options.streamOutput) {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) logger.info(redact(line, secrets));
      }
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_CAP * 2) stderr = stderr.slice(-STDERR_CAP);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        reject(new CommandError(shown, null, `${command}: command not found`));
      else reject(error);
    });
    child.on("close", (code, signal) => {
      if (options.streamOutput && pending) logger.info(redact(pending, secrets));
      const exitCode = code ?? -1;
      const ok = code === 0 || (code !== null && (options.okExitCodes ?? []).includes(code));
      if (ok) resolve({ exitCode, stdout, stderr: stderr.slice(-STDERR_CAP) });
      else reject(new CommandError(shown, code, redact(tailLines(stderr), secrets), signal));
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exec seam of an action (helm, kubectl, ansible-playbook …): runTool, or a test's stand-in. */
export type ToolRunner = (
  command: string,
  args: readonly string[],
  options: Parameters<typeof runTool>[2],
) => Promise<ToolResult>;
