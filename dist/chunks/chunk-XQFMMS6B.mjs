import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  external_exports
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/helm/workloads.ts
var conditionList = external_exports.array(
  external_exports.object({
    type: external_exports.string(),
    status: external_exports.string(),
    reason: external_exports.string().optional(),
    message: external_exports.string().optional()
  }).loose()
).default([]);
var meta = external_exports.object({ generation: external_exports.number().optional() }).loose();
var daemonSet = external_exports.object({
  metadata: meta,
  status: external_exports.object({
    desiredNumberScheduled: external_exports.number().default(0),
    numberReady: external_exports.number().default(0),
    updatedNumberScheduled: external_exports.number().default(0),
    numberAvailable: external_exports.number().default(0),
    observedGeneration: external_exports.number().optional()
  }).loose().prefault({})
}).loose();
var deployment = external_exports.object({
  metadata: meta,
  spec: external_exports.object({ replicas: external_exports.number().default(1) }).loose(),
  status: external_exports.object({
    readyReplicas: external_exports.number().default(0),
    // a StatefulSet counts its updated pods as updatedReplicas too (currentRevision == updateRevision)
    updatedReplicas: external_exports.number().default(0),
    availableReplicas: external_exports.number().default(0),
    observedGeneration: external_exports.number().optional()
  }).loose().prefault({})
}).loose();
function workloadStatus(ref, json) {
  if (json === void 0) return { ref, ready: false, detail: "not created yet" };
  if (ref.kind === "DaemonSet") {
    const ds = daemonSet.parse(json);
    const s2 = ds.status;
    const observed2 = (s2.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
    const want2 = s2.desiredNumberScheduled;
    return {
      ref,
      // a DaemonSet scheduled on no node yet is not ready: the nodes exist, it must run there
      ready: observed2 && want2 > 0 && s2.numberReady === want2 && s2.updatedNumberScheduled === want2,
      detail: `${s2.numberReady}/${want2} ready, ${s2.updatedNumberScheduled}/${want2} updated${observed2 ? "" : ", change not observed yet"}`
    };
  }
  const d = deployment.parse(json);
  const s = d.status;
  const want = d.spec.replicas;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  return {
    ref,
    ready: observed && s.readyReplicas >= want && s.updatedReplicas >= want,
    detail: `${s.readyReplicas}/${want} ready, ${s.updatedReplicas}/${want} updated${observed ? "" : ", change not observed yet"}`
  };
}
__name(workloadStatus, "workloadStatus");
var containerState = external_exports.object({
  waiting: external_exports.object({ reason: external_exports.string().optional(), message: external_exports.string().optional() }).optional(),
  running: external_exports.object({}).loose().optional(),
  terminated: external_exports.object({
    reason: external_exports.string().optional(),
    message: external_exports.string().optional(),
    exitCode: external_exports.number().optional()
  }).optional()
}).loose();
var containerStatus = external_exports.object({
  name: external_exports.string(),
  ready: external_exports.boolean().default(false),
  restartCount: external_exports.number().default(0),
  state: containerState.optional(),
  lastState: containerState.optional()
}).loose();
var pod = external_exports.object({
  metadata: external_exports.object({ name: external_exports.string(), namespace: external_exports.string().optional() }).loose(),
  spec: external_exports.object({ nodeName: external_exports.string().optional() }).loose().prefault({}),
  status: external_exports.object({
    phase: external_exports.string().optional(),
    reason: external_exports.string().optional(),
    message: external_exports.string().optional(),
    conditions: conditionList,
    initContainerStatuses: external_exports.array(containerStatus).default([]),
    containerStatuses: external_exports.array(containerStatus).default([])
  }).loose().prefault({})
}).loose();
var podList = external_exports.object({ items: external_exports.array(pod) }).loose();
function stateText(name, state) {
  if (state?.waiting)
    return `${name}: waiting ${state.waiting.reason ?? ""}${state.waiting.message ? ` \u2014 ${state.waiting.message}` : ""}`.trim();
  if (state?.terminated)
    return `${name}: terminated ${state.terminated.reason ?? ""} (exit ${state.terminated.exitCode ?? "?"})${state.terminated.message ? ` \u2014 ${state.terminated.message}` : ""}`;
  return void 0;
}
__name(stateText, "stateText");
function notReadyPods(json) {
  const problems = [];
  for (const p of podList.parse(json).items) {
    const ready = p.status.conditions.find((c) => c.type === "Ready")?.status === "True";
    if (ready) continue;
    const reasons = [];
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
          `${c.name}: ${c.restartCount} restarts${last ? `, last ${last.slice(c.name.length + 2)}` : ""}`
        );
      }
    }
    if (reasons.length === 0) reasons.push("no container status yet");
    problems.push({
      pod: p.metadata.name,
      ...p.spec.nodeName ? { node: p.spec.nodeName } : {},
      phase: p.status.phase ?? "Unknown",
      reasons
    });
  }
  return problems;
}
__name(notReadyPods, "notReadyPods");
var eventList = external_exports.object({
  items: external_exports.array(
    external_exports.object({
      type: external_exports.string().optional(),
      reason: external_exports.string().optional(),
      message: external_exports.string().optional(),
      count: external_exports.number().optional(),
      lastTimestamp: external_exports.string().nullable().optional(),
      eventTime: external_exports.string().nullable().optional(),
      metadata: external_exports.object({ creationTimestamp: external_exports.string().optional() }).loose().optional()
    }).loose()
  )
}).loose();
function eventLines(json, limit = 5) {
  const when = /* @__PURE__ */ __name((e) => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "", "when");
  return eventList.parse(json).items.slice().sort((a, b) => when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0).slice(-limit).map(
    (e) => `${e.type ?? "Normal"} ${e.reason ?? ""}${e.count && e.count > 1 ? ` (\xD7${e.count})` : ""}: ${(e.message ?? "").trim()}`
  );
}
__name(eventLines, "eventLines");
function notReadyReport(opts) {
  const lines = [
    `${opts.release} not ready after ${opts.timeoutSeconds} s: ${opts.workloads.filter((w) => !w.ready).map((w) => `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} (${w.detail})`).join(", ")}`
  ];
  if (opts.pods.length === 0)
    lines.push(
      "  no pods are failing: the workloads have not created them (check the events of the workloads)"
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
__name(notReadyReport, "notReadyReport");

export {
  conditionList,
  workloadStatus,
  notReadyPods,
  eventLines,
  notReadyReport
};
