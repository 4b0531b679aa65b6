import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  endpointPort,
  writePrivate
} from "./chunk-6Y4X6BSB.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import {
  StepTimer,
  actionDeps,
  downloadPhaseState,
  finishPhase,
  inputFromEnv,
  integerInput,
  openSecret,
  readInputs
} from "./chunk-CFVUEJM3.mjs";
import {
  external_exports,
  loadClusterConfig,
  versions
} from "./chunk-MLZQFTO3.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/install-cilium/src/install-cilium-action.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// actions/lib/cilium/profile.ts
var AGENT_CAPABILITIES = [
  "CHOWN",
  "KILL",
  "NET_ADMIN",
  "NET_RAW",
  "IPC_LOCK",
  "SYS_MODULE",
  "SYS_ADMIN",
  "DAC_OVERRIDE",
  "FOWNER",
  "SETGID",
  "SETUID",
  "SYSLOG"
];
var CLEAN_STATE_CAPABILITIES = ["NET_ADMIN", "SYS_MODULE", "SYS_ADMIN"];
var LAB_NSPAWN_VALUES = {
  // the images are built here (test/tools/lab/build-cilium.sh) and imported into the guests'
  // containerd under the chart's names: no registry, so never pull, and no upstream digest
  image: { pullPolicy: "Never", useDigest: false },
  operator: { image: { pullPolicy: "Never", useDigest: false } },
  securityContext: {
    capabilities: {
      ciliumAgent: AGENT_CAPABILITIES,
      cleanCiliumState: CLEAN_STATE_CAPABILITIES
    }
  },
  // no Envoy, Hubble Relay or UI images can be built here: L7 policy and the relay stay off
  envoy: { enabled: false },
  l7Proxy: false,
  hubble: { relay: { enabled: false }, ui: { enabled: false } }
};
var PRODUCTION_CILIUM_PROFILE = {
  name: "production",
  values: {},
  notes: []
};
var LAB_NSPAWN_CILIUM_PROFILE = {
  name: "lab-nspawn",
  values: LAB_NSPAWN_VALUES,
  notes: [
    "locally built images (pullPolicy Never, no digests)",
    "agent capabilities without SYS_RESOURCE",
    "no Envoy (l7Proxy off), no Hubble Relay/UI"
  ]
};
function ciliumProfile(name) {
  return name === "lab-nspawn" ? LAB_NSPAWN_CILIUM_PROFILE : PRODUCTION_CILIUM_PROFILE;
}
__name(ciliumProfile, "ciliumProfile");

// actions/lib/cilium/release.ts
var CILIUM_RELEASE = "cilium";
var CILIUM_NAMESPACE = "kube-system";
var CILIUM_WORKLOADS = [
  { kind: "DaemonSet", name: "cilium", namespace: CILIUM_NAMESPACE, podSelector: "k8s-app=cilium" },
  {
    kind: "Deployment",
    name: "cilium-operator",
    namespace: CILIUM_NAMESPACE,
    podSelector: "io.cilium/app=operator"
  }
];

// actions/lib/helm/values.ts
import { createHash } from "node:crypto";
function isMap(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
__name(isMap, "isMap");
function mergeValues(...layers) {
  const merge = /* @__PURE__ */ __name((base, over) => {
    const out = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (value === null) delete out[key];
      else if (isMap(value) && isMap(out[key])) out[key] = merge(out[key], value);
      else out[key] = value;
    }
    return out;
  }, "merge");
  return layers.reduce((acc, layer) => merge(acc, layer), {});
}
__name(mergeValues, "mergeValues");
function canonicalJson(value) {
  const sort = /* @__PURE__ */ __name((v) => Array.isArray(v) ? v.map(sort) : isMap(v) ? Object.fromEntries(
    Object.keys(v).sort().map((k) => [k, sort(v[k])])
  ) : v, "sort");
  return JSON.stringify(sort(value));
}
__name(canonicalJson, "canonicalJson");
function valuesHash(values) {
  return createHash("sha256").update(canonicalJson(values)).digest("hex").slice(0, 16);
}
__name(valuesHash, "valuesHash");

// actions/lib/cilium/values.ts
function ciliumSettings(config, plan) {
  const hubble = config.cilium.hubble;
  return {
    apiHost: plan.network.vip,
    apiPort: endpointPort(plan.endpoint.provider),
    kubeProxyReplacement: config.cilium.kubeProxyReplacement,
    podCidr: plan.kubernetes.podCidr,
    hubble: {
      enabled: hubble.enabled,
      // the UI reads flows through the relay
      relay: hubble.enabled && (hubble.relay || hubble.ui),
      ui: hubble.enabled && hubble.ui
    },
    lbIpam: config.services.loadBalancer.provider === "cilium-lb-ipam",
    nodeCount: plan.vms.length,
    userValues: config.cilium.values
  };
}
__name(ciliumSettings, "ciliumSettings");
function renderedValues(s) {
  return {
    // the agents reach the API server through the control-plane endpoint, not the kubernetes
    // Service: with kube-proxy replaced nothing translates the Service address until Cilium runs
    k8sServiceHost: s.apiHost,
    k8sServicePort: s.apiPort,
    kubeProxyReplacement: s.kubeProxyReplacement,
    ipam: { operator: { clusterPoolIPv4PodCIDRList: [s.podCidr] } },
    // eBPF masquerading needs the eBPF service handling that kube-proxy replacement brings
    bpf: { masquerade: s.kubeProxyReplacement },
    hubble: {
      enabled: s.hubble.enabled,
      relay: { enabled: s.hubble.relay },
      ui: { enabled: s.hubble.ui }
    },
    // LB-IPAM hands out addresses from the pools deploy-services creates, L2 announcements answer
    // ARP for them; off when MetalLB answers for LoadBalancer Services (two allocators would fight)
    enableLBIPAM: s.lbIpam,
    l2announcements: { enabled: s.lbIpam },
    operator: { replicas: Math.max(1, Math.min(2, s.nodeCount)) }
  };
}
__name(renderedValues, "renderedValues");
function finalValues(layers) {
  return mergeValues(layers.base, layers.rendered, layers.profile, layers.user);
}
__name(finalValues, "finalValues");

// actions/lib/helm/argv.ts
function target(ref) {
  return ["--namespace", ref.namespace, "--kubeconfig", ref.kubeconfig];
}
__name(target, "target");
function chartArgs(chart) {
  return "path" in chart ? [chart.path] : [chart.chart, "--repo", chart.repo, "--version", chart.version];
}
__name(chartArgs, "chartArgs");
function helmUpgradeArgs(ref) {
  return [
    "upgrade",
    ref.release,
    ...chartArgs(ref.chart),
    "--install",
    ...target(ref),
    "--values",
    ref.valuesFile,
    "--reset-values",
    "--wait=hookOnly",
    "--timeout",
    `${ref.timeoutSeconds}s`,
    "--history-max",
    "10"
  ];
}
__name(helmUpgradeArgs, "helmUpgradeArgs");
function helmListArgs(ref) {
  return ["list", ...target(ref), "--filter", `^${escapeRegExp(ref.release)}$`, "--output", "json"];
}
__name(helmListArgs, "helmListArgs");
function helmGetValuesArgs(ref) {
  return ["get", "values", ref.release, ...target(ref), "--output", "json"];
}
__name(helmGetValuesArgs, "helmGetValuesArgs");
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
__name(escapeRegExp, "escapeRegExp");

// actions/lib/helm/kubeconfig.ts
function kubeconfigSecretValues(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(client-key-data|client-certificate-data|token|password):\s*["']?([^"'\s]+)/.exec(line);
    if (match?.[2]) out.push(match[2]);
  }
  return out;
}
__name(kubeconfigSecretValues, "kubeconfigSecretValues");

// actions/lib/helm/plan.ts
function planRelease(opts) {
  const hash = valuesHash(opts.values);
  const base = {
    release: opts.release,
    chart: opts.chart,
    version: opts.version,
    valuesHash: hash
  };
  if (!opts.reachable)
    return { ...base, action: "unknown", reasons: ["the cluster is not reachable yet"] };
  const d = opts.deployed;
  if (!d) return { ...base, action: "install", reasons: ["not installed"] };
  const deployedHash = valuesHash(opts.deployedValues ?? {});
  const reasons = [];
  if (d.chartName !== opts.chart) reasons.push(`chart ${d.chartName} \u2192 ${opts.chart}`);
  if (d.chartVersion !== opts.version) reasons.push(`version ${d.chartVersion} \u2192 ${opts.version}`);
  if (deployedHash !== hash) reasons.push(`values ${deployedHash} \u2192 ${hash}`);
  if (d.status !== "deployed") reasons.push(`last revision ${d.revision} is ${d.status}`);
  return {
    ...base,
    action: reasons.length > 0 ? "upgrade" : "none",
    deployedVersion: d.chartVersion,
    deployedValuesHash: deployedHash,
    deployedRevision: d.revision,
    reasons
  };
}
__name(planRelease, "planRelease");
function releasePlanLine(plan) {
  switch (plan.action) {
    case "none":
      return `${plan.release}: no change (${plan.chart} ${plan.version}, revision ${plan.deployedRevision}, values ${plan.valuesHash})`;
    case "install":
      return `${plan.release}: install ${plan.chart} ${plan.version} (values ${plan.valuesHash})`;
    case "upgrade":
      return `${plan.release}: upgrade revision ${plan.deployedRevision} (${plan.reasons.join("; ")})`;
    case "unknown":
      return `${plan.release}: ${plan.chart} ${plan.version}, values ${plan.valuesHash} (${plan.reasons.join("; ")}: install or upgrade decided at deploy time)`;
  }
}
__name(releasePlanLine, "releasePlanLine");

// actions/lib/helm/release.ts
var listedRelease = external_exports.object({
  name: external_exports.string(),
  namespace: external_exports.string(),
  revision: external_exports.union([external_exports.string(), external_exports.number()]).transform((r) => Number(r)),
  status: external_exports.string(),
  /** "<chart name>-<chart version>", e.g. cilium-1.20.2 */
  chart: external_exports.string(),
  app_version: external_exports.string().optional()
});
function splitChartLabel(label) {
  const match = /^(.*)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(label);
  return match ? { name: match[1], version: match[2] } : { name: label, version: "" };
}
__name(splitChartLabel, "splitChartLabel");
function parseHelmList(stdout, release) {
  const parsed = external_exports.array(listedRelease).parse(JSON.parse(stdout.trim() || "[]"));
  const found = parsed.find((r) => r.name === release);
  if (!found) return void 0;
  const chart = splitChartLabel(found.chart);
  return {
    name: found.name,
    namespace: found.namespace,
    revision: found.revision,
    status: found.status,
    chartName: chart.name,
    chartVersion: chart.version
  };
}
__name(parseHelmList, "parseHelmList");
function parseHelmValues(stdout) {
  const parsed = JSON.parse(stdout.trim() || "null");
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
}
__name(parseHelmValues, "parseHelmValues");

// actions/lib/helm/kubectl.ts
function kc(kubeconfig, namespace) {
  return ["--kubeconfig", kubeconfig, "--namespace", namespace];
}
__name(kc, "kc");
function getWorkloadArgs(kubeconfig, ref) {
  return [
    "get",
    ref.kind.toLowerCase(),
    ref.name,
    ...kc(kubeconfig, ref.namespace),
    "--output",
    "json"
  ];
}
__name(getWorkloadArgs, "getWorkloadArgs");
function getPodsArgs(kubeconfig, ref) {
  return [
    "get",
    "pods",
    ...kc(kubeconfig, ref.namespace),
    "--selector",
    ref.podSelector,
    "--output",
    "json"
  ];
}
__name(getPodsArgs, "getPodsArgs");
function getPodEventsArgs(kubeconfig, namespace, pod2) {
  return [
    "get",
    "events",
    ...kc(kubeconfig, namespace),
    "--field-selector",
    `involvedObject.kind=Pod,involvedObject.name=${pod2}`,
    "--output",
    "json"
  ];
}
__name(getPodEventsArgs, "getPodEventsArgs");
function podLogsArgs(kubeconfig, namespace, pod2, tail, previous = false) {
  return [
    "logs",
    pod2,
    ...kc(kubeconfig, namespace),
    "--all-containers",
    "--prefix",
    `--tail=${tail}`,
    ...previous ? ["--previous"] : []
  ];
}
__name(podLogsArgs, "podLogsArgs");

// actions/lib/helm/workloads.ts
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
    conditions: external_exports.array(
      external_exports.object({
        type: external_exports.string(),
        status: external_exports.string(),
        reason: external_exports.string().optional(),
        message: external_exports.string().optional()
      }).loose()
    ).default([]),
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

// actions/lib/helm/wait.ts
var WorkloadsNotReadyError = class extends Error {
  constructor(message, statuses, pods) {
    super(message);
    this.statuses = statuses;
    this.pods = pods;
    this.name = "WorkloadsNotReadyError";
  }
  statuses;
  pods;
  static {
    __name(this, "WorkloadsNotReadyError");
  }
};
async function readWorkload(kubectl, kubeconfig, ref) {
  const result = await kubectl(getWorkloadArgs(kubeconfig, ref), { okExitCodes: [1] });
  if (result.exitCode !== 0) {
    if (/NotFound|not found/.test(result.stderr)) return workloadStatus(ref, void 0);
    throw new Error(`kubectl get ${ref.kind} ${ref.name}: ${result.stderr.trim()}`);
  }
  return workloadStatus(ref, JSON.parse(result.stdout));
}
__name(readWorkload, "readWorkload");
async function explainNotReady(kubectl, kubeconfig, statuses, logLines = 15) {
  const reports = [];
  for (const s of statuses.filter((w) => !w.ready)) {
    const pods = notReadyPods(
      JSON.parse((await kubectl(getPodsArgs(kubeconfig, s.ref), {})).stdout)
    );
    for (const p of pods) {
      const ns = s.ref.namespace;
      const events = eventLines(
        JSON.parse((await kubectl(getPodEventsArgs(kubeconfig, ns, p.pod), {})).stdout)
      );
      const restarted = p.reasons.some((r) => / restarts/.test(r));
      const logs = await kubectl(podLogsArgs(kubeconfig, ns, p.pod, logLines, restarted), {
        okExitCodes: [1]
      });
      const logTail = (logs.exitCode === 0 ? logs.stdout : logs.stderr).split("\n").map((l) => l.trimEnd()).filter(Boolean).slice(-logLines);
      reports.push({ ...p, events, logTail });
    }
  }
  return reports;
}
__name(explainNotReady, "explainNotReady");
async function waitForWorkloads(opts) {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const started = now();
  const deadline = started + opts.timeoutSeconds * 1e3;
  let last = "";
  for (; ; ) {
    const statuses = [];
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
          pods
        }),
        statuses,
        pods
      );
    }
    await sleep(opts.pollMs ?? 3e3);
  }
}
__name(waitForWorkloads, "waitForWorkloads");

// actions/install-cilium/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  mode: external_exports.enum(["apply", "plan"], { error: "must be apply or plan" }).default("apply"),
  "state-key": external_exports.string({ error: "is required: pass the STATE_KEY secret" }),
  kubeconfig: external_exports.string().optional(),
  chart: external_exports.string().default(""),
  "node-profile": external_exports.enum(["production", "lab-nspawn"], { error: "must be production or lab-nspawn" }).default("production"),
  "timeout-seconds": integerInput(600, 1)
});

// actions/install-cilium/src/summary.ts
function actionText(input) {
  const action = input.plan.action;
  if (input.mode === "apply") return input.changed ? action : "none (no new revision)";
  if (action === "unknown") return "install or upgrade (decided at deploy time)";
  return action === "none" ? "would change nothing" : `would ${action}`;
}
__name(actionText, "actionText");
function installCiliumSummary(input) {
  const p = input.plan;
  const lines = [
    `## install-cilium (${input.mode}) \u2014 ${input.cluster}`,
    "",
    releasePlanLine(p),
    "",
    "| | |",
    "|---|---|",
    `| chart | ${input.chart} |`,
    `| version | ${p.deployedVersion && p.deployedVersion !== p.version ? `${p.deployedVersion} \u2192 ${p.version}` : p.version} |`,
    `| values hash | ${p.deployedValuesHash && p.deployedValuesHash !== p.valuesHash ? `${p.deployedValuesHash} \u2192 ${p.valuesHash}` : p.valuesHash} |`,
    `| action | ${actionText(input)} |`,
    ...input.revision !== void 0 ? [`| revision | ${input.revision} |`] : [],
    ...input.waitSeconds !== void 0 ? [`| ready after | ${input.waitSeconds} s |`] : []
  ];
  if (input.statuses.length > 0) {
    lines.push("", "| workload | status |", "|---|---|");
    for (const s of input.statuses)
      lines.push(
        `| ${s.ref.kind} ${s.ref.namespace}/${s.ref.name} | ${s.ready ? "\u2705" : "\u274C"} ${s.detail} |`
      );
  }
  if (input.profile.name !== "production")
    lines.push("", `Node profile **${input.profile.name}**: ${input.profile.notes.join("; ")}.`);
  if (input.timings.length > 0) {
    lines.push("", "| step | seconds |", "|---|---|");
    for (const t of input.timings) lines.push(`| ${t.step} | ${(t.ms / 1e3).toFixed(1)} |`);
  }
  return lines.join("\n");
}
__name(installCiliumSummary, "installCiliumSummary");

// actions/install-cilium/src/install-cilium-action.ts
function bundledManifestsDir() {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (; ; ) {
    if (existsSync(path.join(dir, "manifests", "cilium", "values.yaml")))
      return path.join(dir, "manifests");
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error("cannot find pve-kube's manifests/ folder beside the action");
    dir = parent;
  }
}
__name(bundledManifestsDir, "bundledManifestsDir");
async function run(deps = actionDeps(process.env)) {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["state-key"]);
  if (inputs.kubeconfig) deps.maskSecret(inputs.kubeconfig);
  const secrets = [inputs["state-key"], ...inputs.kubeconfig ? [inputs.kubeconfig] : []];
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const { config, plan: cluster } = await loadClusterConfig(inputs.cluster, { cwd });
  const profile = ciliumProfile(inputs["node-profile"]);
  if (profile.name !== "production")
    logger.warning(`node profile ${profile.name}: ${profile.notes.join("; ")}`);
  const timer = new StepTimer();
  const manifestsDir = deps.manifestsDir ?? (env.GITHUB_ACTION_PATH ? path.join(env.GITHUB_ACTION_PATH, "..", "..", "manifests") : bundledManifestsDir());
  const base = await readBaseValues(path.join(manifestsDir, "cilium", "values.yaml"));
  const settings = ciliumSettings(config, cluster);
  const values = finalValues({
    base,
    rendered: renderedValues(settings),
    profile: profile.values,
    user: settings.userValues
  });
  const hash = valuesHash(values);
  const chart = await chartSource(inputs, cwd, cluster.cilium.version);
  const chartLabel = "path" in chart ? chart.path : `${chart.repo} ${chart.chart}`;
  logger.info(`cilium ${cluster.cilium.version} from ${chartLabel}, values ${hash}`);
  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-cilium-"));
  await chmod(ws, 448);
  try {
    const kubeconfig = await timer.time(
      "kubeconfig",
      () => writeKubeconfig(ws, inputs, cluster, deps, secrets)
    );
    const helm = /* @__PURE__ */ __name((args, okExitCodes = []) => tool("helm", args, { logger, secrets, okExitCodes, env: toolEnv(env, ws) }), "helm");
    const quiet = { ...logger, info: /* @__PURE__ */ __name((m) => logger.debug(m), "info") };
    const kubectl = /* @__PURE__ */ __name((args, options) => tool("kubectl", args, {
      logger: quiet,
      secrets,
      okExitCodes: options.okExitCodes ?? [],
      env: toolEnv(env, ws)
    }), "kubectl");
    const ref = {
      release: CILIUM_RELEASE,
      namespace: CILIUM_NAMESPACE,
      kubeconfig: kubeconfig ?? ""
    };
    let deployed;
    let deployedValues;
    if (kubeconfig) {
      await timer.time("helm status", async () => {
        deployed = parseHelmList((await helm(helmListArgs(ref))).stdout, CILIUM_RELEASE);
        if (deployed) deployedValues = parseHelmValues((await helm(helmGetValuesArgs(ref))).stdout);
      });
    }
    const planned = planRelease({
      release: CILIUM_RELEASE,
      chart: "cilium",
      version: cluster.cilium.version,
      values,
      deployed,
      deployedValues,
      reachable: kubeconfig !== void 0
    });
    logger.info(releasePlanLine(planned));
    let changed = false;
    let revision = deployed?.revision;
    let statuses = [];
    let waitSeconds;
    if (inputs.mode === "apply") {
      if (!kubeconfig) throw new Error("unreachable: apply mode always has a kubeconfig");
      if (planned.action !== "none") {
        const valuesFile = path.join(ws, "values.json");
        await writePrivate(valuesFile, `${canonicalJson(values)}
`);
        await timer.time(
          `helm ${deployed ? "upgrade" : "install"}`,
          () => logger.group(
            `helm upgrade --install ${CILIUM_RELEASE}`,
            () => helm(
              helmUpgradeArgs({
                ...ref,
                chart,
                valuesFile,
                timeoutSeconds: inputs["timeout-seconds"]
              })
            )
          )
        );
        changed = true;
        revision = parseHelmList((await helm(helmListArgs(ref))).stdout, CILIUM_RELEASE)?.revision;
      }
      const waited = await timer.time(
        "wait for agent and operator",
        () => logger.group(
          "wait for the Cilium agent and operator",
          () => waitForWorkloads({
            release: CILIUM_RELEASE,
            refs: CILIUM_WORKLOADS,
            kubeconfig,
            timeoutSeconds: inputs["timeout-seconds"],
            kubectl,
            logger,
            ...deps.pollMs !== void 0 ? { pollMs: deps.pollMs } : {}
          })
        )
      );
      statuses = waited.statuses;
      waitSeconds = waited.seconds;
      logger.info(
        `cilium ready in ${waited.seconds} s: ${statuses.map((s) => `${s.ref.kind} ${s.ref.name} ${s.detail}`).join("; ")}`
      );
    }
    deps.setOutput("changed", String(changed));
    deps.setOutput("plan", JSON.stringify(planned));
    deps.setOutput("values-hash", hash);
    deps.setOutput(
      "revision",
      inputs.mode === "apply" && revision !== void 0 ? String(revision) : ""
    );
    const artifact = await finishPhase({
      plan: cluster,
      env,
      logger,
      artifactStore: deps.artifactStore,
      summary: installCiliumSummary({
        cluster: cluster.cluster,
        mode: inputs.mode,
        plan: planned,
        chart: chartLabel,
        profile,
        changed,
        ...revision !== void 0 ? { revision } : {},
        statuses,
        ...waitSeconds !== void 0 ? { waitSeconds } : {},
        timings: timer.timings
      }),
      state: {
        phase: "install-cilium",
        status: "succeeded",
        startedAt,
        timings: timer.timings,
        outputs: {
          mode: inputs.mode,
          release: CILIUM_RELEASE,
          chart: chartLabel,
          version: cluster.cilium.version,
          valuesHash: hash,
          action: planned.action,
          changed,
          ...revision !== void 0 ? { revision } : {},
          nodeProfile: profile.name,
          ...waitSeconds !== void 0 ? { waitSeconds } : {},
          values
        }
      },
      stateKey: inputs["state-key"]
    });
    deps.setOutput("state-artifact", artifact);
    return {
      plan: planned,
      changed,
      ...revision !== void 0 ? { revision } : {},
      statuses,
      values
    };
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}
__name(run, "run");
function toolEnv(env, ws) {
  return {
    ...env,
    HELM_CACHE_HOME: path.join(ws, "helm-cache"),
    HELM_CONFIG_HOME: path.join(ws, "helm-config"),
    HELM_DATA_HOME: path.join(ws, "helm-data")
  };
}
__name(toolEnv, "toolEnv");
async function readBaseValues(file) {
  const parsed = (0, import_yaml.parse)(await readFile(file, "utf8"));
  if (parsed === null || parsed === void 0) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${file} is not a mapping of Helm values`);
  return parsed;
}
__name(readBaseValues, "readBaseValues");
async function chartSource(inputs, cwd, version) {
  if (!inputs.chart) {
    const pinned = versions.charts.cilium;
    if (!pinned) throw new Error("versions.json has no charts.cilium");
    return { repo: pinned.repo, chart: pinned.chart, version };
  }
  const chartPath = path.resolve(cwd, inputs.chart);
  let isDir;
  try {
    isDir = (await stat(chartPath)).isDirectory();
  } catch {
    throw new ConfigurationError(
      `input 'chart': ${inputs.chart} does not exist`,
      "pass a chart directory or .tgz relative to the workspace, or leave it empty for the pinned chart repository"
    );
  }
  if (isDir) {
    const chartYaml = (0, import_yaml.parse)(await readFile(path.join(chartPath, "Chart.yaml"), "utf8"));
    if (String(chartYaml.version) !== version)
      throw new ConfigurationError(
        `input 'chart': ${inputs.chart} is Cilium chart ${String(chartYaml.version)}, cluster.yaml wants cilium.version ${version}`,
        `use the chart of Cilium ${version}, or set cilium.version to ${String(chartYaml.version)}`
      );
  }
  return { path: chartPath };
}
__name(chartSource, "chartSource");
async function writeKubeconfig(ws, inputs, cluster, deps, secrets) {
  let text = inputs.kubeconfig;
  if (!text) {
    const missing = /* @__PURE__ */ __name((why) => {
      if (inputs.mode === "plan") {
        deps.logger.info(`no kubeconfig (${why}): planning without asking the cluster`);
        return void 0;
      }
      throw new ConfigurationError(
        `no admin kubeconfig: ${why}`,
        "run after kubeadm-bootstrap (apply) in the same workflow run, or pass the kubeconfig input from a secret"
      );
    }, "missing");
    if (!deps.artifactStore)
      return missing("this environment has no artifact service and the kubeconfig input is empty");
    let sealed;
    try {
      sealed = (await downloadPhaseState(cluster.cluster, "kubeadm-bootstrap", deps.artifactStore, {
        expect: {
          clusterUid: cluster.uid,
          ...deps.env.GITHUB_RUN_ID ? { runId: deps.env.GITHUB_RUN_ID } : {}
        }
      })).outputs.kubeconfig;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      return missing(getErrorMessage(error));
    }
    if (!sealed)
      return missing(
        "the kubeadm-bootstrap state carries no kubeconfig (it did not run in apply mode)"
      );
    text = openSecret(
      sealed,
      inputs["state-key"],
      `${cluster.cluster}/kubeadm-bootstrap/kubeconfig`
    );
  }
  for (const secret of [text, ...kubeconfigSecretValues(text)]) {
    deps.maskSecret(secret);
    secrets.push(secret);
  }
  const file = path.join(ws, "kubeconfig");
  await writePrivate(file, text);
  return file;
}
__name(writeKubeconfig, "writeKubeconfig");
export {
  run
};
