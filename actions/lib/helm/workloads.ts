import { z } from "zod";

/**
 * Readiness of the workloads a release runs (DaemonSets, Deployments) and, when they are not
 * ready, why: read from `kubectl get ... --output json` by pure functions, so the rules are tested
 * with tables and the action only runs kubectl.
 */

export type WorkloadKind = "DaemonSet" | "Deployment" | "StatefulSet";

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** the label selector of its pods, for the not-ready report */
  podSelector: string;
}

export interface WorkloadStatus {
  ref: WorkloadRef;
  ready: boolean;
  /** e.g. "2/3 ready, 3/3 updated" */
  detail: string;
}

/** `status.conditions` of a Kubernetes object (a pod's, a node's): absent = none. */
export const conditionList = z
  .array(
    z
      .object({
        type: z.string(),
        status: z.string(),
        reason: z.string().optional(),
        message: z.string().optional(),
      })
      .loose(),
  )
  .default([]);

const meta = z.object({ generation: z.number().optional() }).loose();
const daemonSet = z
  .object({
    metadata: meta,
    status: z
      .object({
        desiredNumberScheduled: z.number().default(0),
        numberReady: z.number().default(0),
        updatedNumberScheduled: z.number().default(0),
        numberAvailable: z.number().default(0),
        observedGeneration: z.number().optional(),
      })
      .loose()
      .prefault({}),
  })
  .loose();
const deployment = z
  .object({
    metadata: meta,
    spec: z.object({ replicas: z.number().default(1) }).loose(),
    status: z
      .object({
        readyReplicas: z.number().default(0),
        // a StatefulSet counts its updated pods as updatedReplicas too (currentRevision == updateRevision)
        updatedReplicas: z.number().default(0),
        availableReplicas: z.number().default(0),
        observedGeneration: z.number().optional(),
      })
      .loose()
      .prefault({}),
  })
  .loose();

/** A workload's readiness from its JSON; `undefined` JSON: the object does not exist (yet). */
export function workloadStatus(ref: WorkloadRef, json: unknown): WorkloadStatus {
  if (json === undefined) return { ref, ready: false, detail: "not created yet" };
  if (ref.kind === "DaemonSet") {
    const ds = daemonSet.parse(json);
    const s = ds.status;
    const observed = (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
    const want = s.desiredNumberScheduled;
    return {
      ref,
      // a DaemonSet scheduled on no node yet is not ready: the nodes exist, it must run there
      ready: observed && want > 0 && s.numberReady === want && s.updatedNumberScheduled === want,
      detail: `${s.numberReady}/${want} ready, ${s.updatedNumberScheduled}/${want} updated${observed ? "" : ", change not observed yet"}`,
    };
  }
  // Deployments and StatefulSets report readiness with the same fields
  const d = deployment.parse(json);
  const s = d.status;
  const want = d.spec.replicas;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  return {
    ref,
    ready: observed && s.readyReplicas >= want && s.updatedReplicas >= want,
    detail: `${s.readyReplicas}/${want} ready, ${s.updatedReplicas}/${want} updated${observed ? "" : ", change not observed yet"}`,
  };
}

const containerState = z
  .object({
    waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
    running: z.object({}).loose().optional(),
    terminated: z
      .object({
        reason: z.string().optional(),
        message: z.string().optional(),
        exitCode: z.number().optional(),
      })
      .optional(),
  })
  .loose();
const containerStatus = z
  .object({
    name: z.string(),
    ready: z.boolean().default(false),
    restartCount: z.number().default(0),
    state: containerState.optional(),
    lastState: containerState.optional(),
  })
  .loose();
const pod = z
  .object({
    metadata: z.object({ name: z.string(), namespace: z.string().optional() }).loose(),
    spec: z.object({ nodeName: z.string().optional() }).loose().prefault({}),
    status: z
      .object({
        phase: z.string().optional(),
        reason: z.string().optional(),
        message: z.string().optional(),
        conditions: conditionList,
        initContainerStatuses: z.array(containerStatus).default([]),
        containerStatuses: z.array(containerStatus).default([]),
      })
      .loose()
      .prefault({}),
  })
  .loose();
const podList = z.object({ items: z.array(pod) }).loose();

export interface PodProblem {
  pod: string;
  node?: string;
  phase: string;
  /** why the pod is not ready: container states, scheduling conditions */
  reasons: string[];
}

function stateText(
  name: string,
  state: z.infer<typeof containerState> | undefined,
): string | undefined {
  if (state?.waiting)
    return `${name}: waiting ${state.waiting.reason ?? ""}${state.waiting.message ? ` — ${state.waiting.message}` : ""}`.trim();
  if (state?.terminated)
    return `${name}: terminated ${state.terminated.reason ?? ""} (exit ${state.terminated.exitCode ?? "?"})${state.terminated.message ? ` — ${state.terminated.message}` : ""}`;
  return undefined;
}

/** Pods of `kubectl get pods --output json` that are not Ready, each with what their status says. */
export function notReadyPods(json: unknown): PodProblem[] {
  const problems: PodProblem[] = [];
  for (const p of podList.parse(json).items) {
    const ready = p.status.conditions.find((c) => c.type === "Ready")?.status === "True";
    if (ready) continue;
    const reasons: string[] = [];
    if (p.status.reason)
      reasons.push(`${p.status.reason}${p.status.message ? `: ${p.status.message}` : ""}`);
    const scheduled = p.status.conditions.find((c) => c.type === "PodScheduled");
    if (scheduled && scheduled.status !== "True")
      reasons.push(`not scheduled: ${scheduled.reason ?? ""} ${scheduled.message ?? ""}`.trim());
    for (const c of [...p.status.initContainerStatuses, ...p.status.containerStatuses]) {
      if (c.ready) continue;
      const now = stateText(c.name, c.state);
      if (now) reasons.push(now);
      else if (c.state?.running) reasons.push(`${c.name}: running, not ready (readiness probe)`);
      if (c.restartCount > 0) {
        const last = stateText(c.name, c.lastState);
        reasons.push(
          `${c.name}: ${c.restartCount} restarts${last ? `, last ${last.slice(c.name.length + 2)}` : ""}`,
        );
      }
    }
    if (reasons.length === 0) reasons.push("no container status yet");
    problems.push({
      pod: p.metadata.name,
      ...(p.spec.nodeName ? { node: p.spec.nodeName } : {}),
      phase: p.status.phase ?? "Unknown",
      reasons,
    });
  }
  return problems;
}

const eventList = z
  .object({
    items: z.array(
      z
        .object({
          type: z.string().optional(),
          reason: z.string().optional(),
          message: z.string().optional(),
          count: z.number().optional(),
          lastTimestamp: z.string().nullable().optional(),
          eventTime: z.string().nullable().optional(),
          metadata: z.object({ creationTimestamp: z.string().optional() }).loose().optional(),
        })
        .loose(),
    ),
  })
  .loose();

/** The last `limit` events of `kubectl get events --output json`, oldest first, one line each. */
export function eventLines(json: unknown, limit = 5): string[] {
  const when = (e: z.infer<typeof eventList>["items"][number]) =>
    e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "";
  return eventList
    .parse(json)
    .items.slice()
    .sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0))
    .slice(-limit)
    .map(
      (e) =>
        `${e.type ?? "Normal"} ${e.reason ?? ""}${e.count && e.count > 1 ? ` (×${e.count})` : ""}: ${(e.message ?? "").trim()}`,
    );
}

export interface PodReport extends PodProblem {
  events: string[];
  logTail: string[];
}

/**
 * The failure report when workloads are not ready within the timeout: which workloads, which
 * pods, why (status, events, last log lines). Plain text for the error and the job summary.
 */
export function notReadyReport(opts: {
  release: string;
  timeoutSeconds: number;
  workloads: WorkloadStatus[];
  pods: PodReport[];
}): string {
  const lines = [
    `${opts.release} not ready after ${opts.timeoutSeconds} s: ${opts.workloads
      .filter((w) => !w.ready)
      .map((w) => `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} (${w.detail})`)
      .join(", ")}`,
  ];
  if (opts.pods.length === 0)
    lines.push(
      "  no pods are failing: the workloads have not created them (check the events of the workloads)",
    );
  for (const p of opts.pods) {
    lines.push(`  pod ${p.pod}${p.node ? ` on ${p.node}` : ""} (${p.phase}):`);
    for (const r of p.reasons) lines.push(`    - ${r}`);
    if (p.events.length > 0) {
      lines.push("    events:");
      for (const e of p.events) lines.push(`      ${e}`);
    }
    if (p.logTail.length > 0) {
      lines.push("    last log lines:");
      for (const l of p.logTail) lines.push(`      ${l}`);
    }
  }
  return lines.join("\n");
}
