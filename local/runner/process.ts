import { spawn } from "node:child_process";

/**
 * Runs one step process: output line by line (stdout and stderr both carry workflow commands, as
 * on the runner), an optional timeout, and cancellation. The process gets its own process group
 * so a timeout or cancel also stops what it started (bash → sleep).
 */
export interface StepProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  onLine(line: string, stream: "stdout" | "stderr"): void;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** the process could not start (missing shell, bad cwd) */
  spawnError?: string;
}

const KILL_GRACE_MS = 3000;

/** Process groups of running steps, so a forced stop (a second Ctrl-C) leaves nothing behind. */
const running = new Set<number>();

export function killAllStepProcesses(): number {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return running.size;
}

function lineSplitter(emit: (line: string) => void) {
  let buffer = "";
  return {
    push(chunk: string) {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        emit(buffer.slice(0, newline).replace(/\r$/, ""));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    },
    flush() {
      if (buffer !== "") emit(buffer.replace(/\r$/, ""));
      buffer = "";
    },
  };
}

export function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    const stdout = lineSplitter((line) => options.onLine(line, "stdout"));
    const stderr = lineSplitter((line) => options.onLine(line, "stderr"));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));

    const timers: NodeJS.Timeout[] = [];
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS));
    };
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs),
      );
    }
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });

    const finish = (result: StepProcessResult) => {
      if (settled) return;
      settled = true;
      if (pid !== undefined) running.delete(pid);
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      stdout.flush();
      stderr.flush();
      resolve(result);
    };
    child.on("error", (error) =>
      finish({ exitCode: null, signal: null, timedOut, cancelled, spawnError: error.message }),
    );
    child.on("close", (exitCode, signal) => {
      // a detached group member may still hold the pipes; make sure nothing is left behind
      if (timedOut || cancelled) killGroup("SIGKILL");
      finish({ exitCode, signal, timedOut, cancelled });
    });
  });
}
