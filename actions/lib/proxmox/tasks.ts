import { ConfigurationError } from "../errors.js";
import type { ProxmoxClient } from "./client.js";
import { ProxmoxApiError, TaskFailedError, TaskTimeoutError, isNotFound } from "./errors.js";

/** The parts of a UPID: `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:` */
export interface Upid {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  starttime: number;
}

export function parseUpid(upid: string): Upid {
  const parts = upid.split(":");
  if (parts[0] !== "UPID" || parts.length < 9)
    throw new Error(`not a Proxmox task id (UPID): ${JSON.stringify(upid)}`);
  return {
    upid,
    node: parts[1]!,
    type: parts[5]!,
    id: parts[6]!,
    user: parts[7]!,
    starttime: parseInt(parts[4]!, 16),
  };
}

const MINUTE = 60_000;

/** How long each kind of task may take before we stop waiting (generous: real storage is slow). */
export const TASK_TIMEOUTS_MS: Readonly<Record<string, number>> = {
  qmcreate: 30 * MINUTE,
  qmclone: 30 * MINUTE,
  qmconfig: 30 * MINUTE,
  qmtemplate: 10 * MINUTE,
  qmdestroy: 10 * MINUTE,
  qmstart: 10 * MINUTE,
  qmstop: 5 * MINUTE,
  qmshutdown: 10 * MINUTE,
  qmreboot: 10 * MINUTE,
  resize: 10 * MINUTE,
  qmmove: 60 * MINUTE,
  download: 60 * MINUTE,
  imgcopy: 60 * MINUTE,
};
export const DEFAULT_TASK_TIMEOUT_MS = 30 * MINUTE;

export interface WaitForTaskOptions {
  /** one timeout, or per task type (falls back to TASK_TIMEOUTS_MS) */
  timeoutMs?: number | Readonly<Record<string, number>>;
  pollIntervalMs?: number;
  /** how many log lines a failure carries */
  logTailLines?: number;
}

export interface TaskResult {
  upid: string;
  exitStatus: string;
  /** `WARN:` lines of a task that ended with warnings */
  warnings: string[];
}

export function taskTimeout(type: string, timeoutMs: WaitForTaskOptions["timeoutMs"]): number {
  if (typeof timeoutMs === "number") return timeoutMs;
  return timeoutMs?.[type] ?? TASK_TIMEOUTS_MS[type] ?? DEFAULT_TASK_TIMEOUT_MS;
}

/** Right after a task is created, its status can briefly be "no such task" (bpg retries too). */
function notVisibleYet(error: unknown): boolean {
  return (
    error instanceof ProxmoxApiError &&
    error.status === 400 &&
    (isNotFound(error) || "upid" in error.paramErrors)
  );
}

/**
 * Polls a task until it stops. OK and WARNINGS succeed (warnings are logged); any other exit
 * status throws a TaskFailedError carrying the exit status and the last lines of the task log.
 */
export async function waitForTask(
  client: ProxmoxClient,
  upid: string,
  options: WaitForTaskOptions = {},
): Promise<TaskResult> {
  const task = parseUpid(upid);
  const timeout = taskTimeout(task.type, options.timeoutMs);
  const interval = options.pollIntervalMs ?? 1_000;
  const { clock, logger } = client;
  const deadline = clock.now() + timeout;
  const taskApi = client.api.nodes.$(task.node).tasks.$(upid);
  for (let poll = 0; ; poll++) {
    let status: { status?: string; exitstatus?: string } | undefined;
    try {
      status = await taskApi.status.$get();
    } catch (error) {
      if (!notVisibleYet(error) || poll > 30) throw error;
    }
    if (status?.status === "stopped") {
      const exitStatus = status.exitstatus ?? "unexpected status";
      if (exitStatus === "OK") return { upid, exitStatus, warnings: [] };
      const lines = await taskLogTail(client, task, options.logTailLines ?? 20);
      if (exitStatus.startsWith("WARNINGS")) {
        const warnings = lines.filter((l) => l.startsWith("WARN"));
        for (const w of warnings) logger.warning(`${task.type} ${task.id}: ${w}`);
        return { upid, exitStatus, warnings };
      }
      throw new TaskFailedError(upid, task.node, task.type, exitStatus, lines);
    }
    if (clock.now() >= deadline) {
      throw new TaskTimeoutError(
        upid,
        task.node,
        task.type,
        timeout,
        await taskLogTail(client, task, options.logTailLines ?? 20).catch(() => []),
      );
    }
    await clock.sleep(interval);
  }
}

/** The last lines of a task's log (best effort: an unreadable log gives no lines, not a new error). */
export async function taskLogTail(
  client: ProxmoxClient,
  task: Upid,
  count: number,
): Promise<string[]> {
  try {
    const entries = (await client.api.nodes
      .$(task.node)
      .tasks.$(task.upid)
      .log.$get({ start: 0, limit: 100_000 })) as { n: number; t: string }[];
    return entries
      .map((e) => e.t)
      .filter((t) => t !== "no content")
      .slice(-count);
  } catch (error) {
    client.logger.debug(`could not read the log of ${task.upid}: ${String(error)}`);
    return [];
  }
}

/** Guards against a non-UPID answer where a task was expected (a proxy or an old server). */
export function expectUpid(value: unknown, what: string): string {
  if (typeof value === "string" && value.startsWith("UPID:")) return value;
  throw new ConfigurationError(
    `Proxmox answered ${what} without a task id (${JSON.stringify(value)})`,
    "check that the URL points at a Proxmox VE 8 or newer API",
  );
}
