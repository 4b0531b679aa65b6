import type { ToolResult } from "../exec.js";
import type { Logger } from "../logger.js";
import { getPodEventsArgs, getPodsArgs, getWorkloadArgs, podLogsArgs } from "./kubectl.js";
import {
  eventLines,
  notReadyPods,
  notReadyReport,
  workloadStatus,
  type PodReport,
  type WorkloadRef,
  type WorkloadStatus,
} from "./workloads.js";

/** The exec seam: kubectl with argv; `okExitCodes` lets "not found" through as a result. */
export type KubectlTool = (
  args: readonly string[],
  options: { okExitCodes?: number[] },
) => Promise<ToolResult>;

export class WorkloadsNotReadyError extends Error {
  constructor(
    message: string,
    readonly statuses: WorkloadStatus[],
    readonly pods: PodReport[],
  ) {
    super(message);
    this.name = "WorkloadsNotReadyError";
  }
}

async function readWorkload(kubectl: KubectlTool, kubeconfig: string, ref: WorkloadRef) {
  const result = await kubectl(getWorkloadArgs(kubeconfig, ref), { okExitCodes: [1] });
  if (result.exitCode !== 0) {
    if (/NotFound|not found/.test(result.stderr)) return workloadStatus(ref, undefined);
    throw new Error(`kubectl get ${ref.kind} ${ref.name}: ${result.stderr.trim()}`);
  }
  return workloadStatus(ref, JSON.parse(result.stdout));
}

/** Why the pods of the not-ready workloads are not ready: status, events, last log lines. */
export async function explainNotReady(
  kubectl: KubectlTool,
  kubeconfig: string,
  statuses: WorkloadStatus[],
  logLines = 15,
): Promise<PodReport[]> {
  const reports: PodReport[] = [];
  for (const s of statuses.filter((w) => !w.ready)) {
    const pods = notReadyPods(
      JSON.parse((await kubectl(getPodsArgs(kubeconfig, s.ref), {})).stdout),
    );
    for (const p of pods) {
      const ns = s.ref.namespace;
      const events = eventLines(
        JSON.parse((await kubectl(getPodEventsArgs(kubeconfig, ns, p.pod), {})).stdout),
      );
      // a crash-looping container's reason is in the log of the run before; logs of a pod whose
      // containers never started answer with an error: best effort, never the failure itself
      const restarted = p.reasons.some((r) => / restarts/.test(r));
      const logs = await kubectl(podLogsArgs(kubeconfig, ns, p.pod, logLines, restarted), {
        okExitCodes: [1],
      });
      const logTail = (logs.exitCode === 0 ? logs.stdout : logs.stderr)
        .split("\n")
        .map((l) => l.trimEnd())
        .filter(Boolean)
        .slice(-logLines);
      reports.push({ ...p, events, logTail });
    }
  }
  return reports;
}

/**
 * Polls the workloads until all are ready or the timeout passes; then throws
 * WorkloadsNotReadyError whose message names the workloads and pods that are not ready and why.
 */
export async function waitForWorkloads(opts: {
  release: string;
  refs: WorkloadRef[];
  kubeconfig: string;
  timeoutSeconds: number;
  kubectl: KubectlTool;
  logger: Logger;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}): Promise<{ statuses: WorkloadStatus[]; seconds: number }> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const deadline = started + opts.timeoutSeconds * 1000;
  let last = "";
  for (;;) {
    const statuses: WorkloadStatus[] = [];
    for (const ref of opts.refs)
      statuses.push(await readWorkload(opts.kubectl, opts.kubeconfig, ref));
    const line = statuses.map((s) => `${s.ref.kind} ${s.ref.name}: ${s.detail}`).join("; ");
    if (line !== last) opts.logger.info(line);
    last = line;
    const seconds = Math.round((now() - started) / 100) / 10;
    if (statuses.every((s) => s.ready)) return { statuses, seconds };
    if (now() >= deadline) {
      const pods = await explainNotReady(opts.kubectl, opts.kubeconfig, statuses);
      throw new WorkloadsNotReadyError(
        notReadyReport({
          release: opts.release,
          timeoutSeconds: opts.timeoutSeconds,
          workloads: statuses,
          pods,
        }),
        statuses,
        pods,
      );
    }
    await sleep(opts.pollMs ?? 3000);
  }
}
