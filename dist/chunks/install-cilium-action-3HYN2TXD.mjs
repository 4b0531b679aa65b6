import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  endpointPort
} from "./chunk-JSSBDU35.mjs";
import {
  helmGetValuesArgs,
  helmListArgs,
  helmUpgradeArgs,
  parseHelmList,
  parseHelmValues
} from "./chunk-YELWPQJB.mjs";
import {
  helmToolEnv,
  readValuesFile,
  repositoryManifestsDir,
  waitForWorkloads,
  writeAdminKubeconfig
} from "./chunk-XFBZMPLT.mjs";
import {
  canonicalJson,
  mergeValues,
  planRelease,
  releasePlanLine,
  valuesHash
} from "./chunk-IT5A3JKS.mjs";
import {
  writePrivate
} from "./chunk-CE3MRRSC.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import "./chunk-XQFMMS6B.mjs";
import {
  StepTimer,
  actionDeps,
  finishPhase,
  inputFromEnv,
  integerInput,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig,
  versions
} from "./chunk-OXUWTRXE.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/install-cilium/src/install-cilium-action.ts
var import_yaml = __toESM(require_dist(), 1);
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

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
  const manifestsDir = deps.manifestsDir ?? repositoryManifestsDir(env, import.meta.url);
  const base = await readValuesFile(path.join(manifestsDir, "cilium", "values.yaml"));
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
      () => writeAdminKubeconfig({
        ws,
        given: inputs.kubeconfig,
        mode: inputs.mode,
        stateKey: inputs["state-key"],
        cluster,
        deps,
        secrets
      })
    );
    const helm = /* @__PURE__ */ __name((args, okExitCodes = []) => tool("helm", args, { logger, secrets, okExitCodes, env: helmToolEnv(env, ws) }), "helm");
    const quiet = { ...logger, info: /* @__PURE__ */ __name((m) => logger.debug(m), "info") };
    const kubectl = /* @__PURE__ */ __name((args, options) => tool("kubectl", args, {
      logger: quiet,
      secrets,
      okExitCodes: options.okExitCodes ?? [],
      env: helmToolEnv(env, ws)
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
export {
  run
};
