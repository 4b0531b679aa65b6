import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  MANAGED_LABELS,
  REGION_LABEL,
  ZONE_LABEL,
  csiConfigSecret,
  csiRegion,
  kubectlApplyArgs,
  kubectlDiffArgs,
  kubectlGetNodesArgs,
  objectLabel,
  objectList,
  rolloutRestartArgs,
  serviceSteps,
  veleroCredentialsSecret
} from "./chunk-6GOV65OF.mjs";
import {
  objectsPlanLine,
  planChanges,
  servicesPlanLines
} from "./chunk-IHWMXKID.mjs";
import {
  helmGetManifestArgs,
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
  planRelease
} from "./chunk-IT5A3JKS.mjs";
import {
  writePrivate
} from "./chunk-CE3MRRSC.mjs";
import {
  KUBERNETES_TRANSIENT,
  jitteredBackoff,
  transientBy
} from "./chunk-EYVQVAPV.mjs";
import {
  retryWithinRun
} from "./chunk-QHJEDYHR.mjs";
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
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/deploy-services/src/deploy-services-action.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// actions/lib/helm/manifest.ts
var import_yaml = __toESM(require_dist(), 1);
var WAITED = ["Deployment", "DaemonSet", "StatefulSet"];
function manifestWorkloads(manifest, releaseNamespace) {
  const refs = [];
  for (const doc of (0, import_yaml.parseAllDocuments)(manifest)) {
    const o = doc.toJS();
    const kind = o?.kind;
    if (!o || !kind || !WAITED.includes(kind) || !o.metadata?.name) continue;
    if (kind !== "DaemonSet" && o.spec?.replicas === 0) continue;
    const labels = o.spec?.selector?.matchLabels ?? {};
    refs.push({
      kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? releaseNamespace,
      podSelector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",")
    });
  }
  return refs;
}
__name(manifestWorkloads, "manifestWorkloads");

// actions/lib/services/namespaces.ts
var PRIVILEGED_NAMESPACES = /* @__PURE__ */ new Set([
  "csi-proxmox",
  "metallb-system",
  "monitoring",
  "logging",
  "velero"
]);
function namespaceObject(name) {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...MANAGED_LABELS,
        ...PRIVILEGED_NAMESPACES.has(name) ? {
          "pod-security.kubernetes.io/enforce": "privileged",
          "pod-security.kubernetes.io/audit": "privileged",
          "pod-security.kubernetes.io/warn": "privileged"
        } : {}
      }
    }
  };
}
__name(namespaceObject, "namespaceObject");

// actions/lib/services/secrets.ts
function fromEnv(env, name, field, what) {
  const value = env[name];
  if (!value)
    throw new ConfigurationError(
      `${what}: the environment variable ${name} (cluster.yaml ${field}) is empty`,
      `map the secret into the deploy-services step's env (deploy.yml passes ${name} from the secret of that name)`
    );
  return value;
}
__name(fromEnv, "fromEnv");
function resolveSecret(need, config, plan, env) {
  if (need === "proxmox-csi-config") {
    const csi = config.services.proxmoxCsi;
    const token = {
      id: fromEnv(
        env,
        csi.tokenIdEnv,
        "services.proxmoxCsi.tokenIdEnv",
        "the Proxmox CSI token id"
      ),
      secret: fromEnv(
        env,
        csi.tokenSecretEnv,
        "services.proxmoxCsi.tokenSecretEnv",
        "the Proxmox CSI token secret"
      )
    };
    return {
      need,
      object: csiConfigSecret(plan, csiRegion(config), token),
      values: [token.secret]
    };
  }
  const s3 = config.services.backup.s3;
  if (!s3) throw new Error("unreachable: backup without s3 is refused by the config rules");
  const keys = {
    accessKey: fromEnv(
      env,
      s3.accessKeyEnv,
      "services.backup.s3.accessKeyEnv",
      "the Velero S3 access key"
    ),
    secretKey: fromEnv(
      env,
      s3.secretKeyEnv,
      "services.backup.s3.secretKeyEnv",
      "the Velero S3 secret key"
    )
  };
  return { need, object: veleroCredentialsSecret(keys), values: [keys.accessKey, keys.secretKey] };
}
__name(resolveSecret, "resolveSecret");

// actions/lib/services/topology.ts
var nodeList = external_exports.object({
  items: external_exports.array(
    external_exports.object({
      metadata: external_exports.object({ name: external_exports.string(), labels: external_exports.record(external_exports.string(), external_exports.string()).default({}) }).loose()
    }).loose()
  )
}).loose();
function nodeNameMismatches(plan, nodesJson) {
  const nodes = new Set(nodeList.parse(nodesJson).items.map((n) => n.metadata.name));
  const vms = new Set(plan.vms.map((v) => v.name));
  const problems = [];
  const noVm = [...nodes].filter((n) => !vms.has(n));
  const noNode = [...vms].filter((v) => !nodes.has(v));
  if (noVm.length) problems.push(`nodes without a VM of that name: ${noVm.join(", ")}`);
  if (noNode.length) problems.push(`VMs that are no node of that name: ${noNode.join(", ")}`);
  return problems;
}
__name(nodeNameMismatches, "nodeNameMismatches");
function topologyLabelChanges(plan, region, nodesJson) {
  const zoneOf = new Map(plan.vms.map((v) => [v.name, v.node]));
  const changes = [];
  for (const n of nodeList.parse(nodesJson).items) {
    const zone = zoneOf.get(n.metadata.name);
    if (!zone) continue;
    const want = { [REGION_LABEL]: region, [ZONE_LABEL]: zone };
    const differ = Object.entries(want).filter(([k, v]) => n.metadata.labels[k] !== v);
    if (differ.length) changes.push({ node: n.metadata.name, labels: Object.fromEntries(differ) });
  }
  return changes;
}
__name(topologyLabelChanges, "topologyLabelChanges");
function labelNodeArgs(kubeconfig, change) {
  return [
    "label",
    "node",
    change.node,
    ...Object.entries(change.labels).map(([k, v]) => `${k}=${v}`),
    "--overwrite",
    "--kubeconfig",
    kubeconfig
  ];
}
__name(labelNodeArgs, "labelNodeArgs");

// actions/deploy-services/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  mode: external_exports.enum(["apply", "plan"], { error: "must be apply or plan" }).default("apply"),
  "state-key": external_exports.string({ error: "is required: pass the STATE_KEY secret" }),
  kubeconfig: external_exports.string().optional(),
  "chart-dir": external_exports.string().default(""),
  "timeout-seconds": integerInput(600, 1)
});

// actions/deploy-services/src/summary.ts
function actionCell(mode, action, changed) {
  if (mode === "apply") return changed ? action : "none (no new revision)";
  if (action === "unknown") return "install or upgrade (decided at deploy time)";
  return action === "none" ? "would change nothing" : `would ${action}`;
}
__name(actionCell, "actionCell");
function deployServicesSummary(input) {
  const lines = [`## deploy-services (${input.mode}) \u2014 ${input.cluster}`, ""];
  if (input.plan.releases.length === 0 && input.plan.objects.length === 0) {
    lines.push("No service is enabled in cluster.yaml (services:).");
    return lines.join("\n");
  }
  lines.push(
    "| release | namespace | chart | version | values hash | action | revision | ready |",
    "|---|---|---|---|---|---|---|---|"
  );
  for (const r of input.plan.releases) {
    const statuses = input.statuses[r.id] ?? [];
    const ready = statuses.length ? statuses.every((s) => s.ready) ? `\u2705 ${statuses.length} workload${statuses.length > 1 ? "s" : ""}` : `\u274C ${statuses.filter((s) => !s.ready).map((s) => `${s.ref.kind} ${s.ref.name}`).join(", ")}` : "";
    const version = r.deployedVersion && r.deployedVersion !== r.version ? `${r.deployedVersion} \u2192 ${r.version}` : r.version;
    const hash = r.deployedValuesHash && r.deployedValuesHash !== r.valuesHash ? `${r.deployedValuesHash} \u2192 ${r.valuesHash}` : r.valuesHash;
    lines.push(
      `| ${r.release} | ${r.namespace} | ${input.charts[r.id] ?? r.chart} | ${version} | ${hash} | ${actionCell(input.mode, r.action, input.changed[r.id])} | ${input.revisions[r.id] ?? ""} | ${ready} |`
    );
  }
  if (input.plan.objects.length) {
    lines.push("");
    for (const o of input.plan.objects) lines.push(`- ${objectsPlanLine(o)}`);
  }
  if (input.plan.nodeLabels?.length) {
    lines.push("", "Topology labels (Proxmox CSI):");
    for (const l of input.plan.nodeLabels)
      lines.push(
        `- \`${l.node}\`: ${Object.entries(l.labels).map(([k, v]) => `\`${k}=${v}\``).join(" ")}`
      );
  }
  if (input.timings.length > 0) {
    lines.push("", "| step | seconds |", "|---|---|");
    for (const t of input.timings) lines.push(`| ${t.step} | ${(t.ms / 1e3).toFixed(1)} |`);
  }
  return lines.join("\n");
}
__name(deployServicesSummary, "deployServicesSummary");

// actions/deploy-services/src/deploy-services-action.ts
var helmTransient = transientBy(KUBERNETES_TRANSIENT);
async function chartOf(step, inputs, cwd) {
  const pin = versions.charts[step.chartKey];
  if (!pin) throw new Error(`versions.json has no charts.${step.chartKey}`);
  if (!inputs["chart-dir"])
    return {
      source: { repo: pin.repo, chart: pin.chart, version: pin.version },
      version: pin.version,
      label: `${pin.repo} ${pin.chart}`,
      chart: pin.chart
    };
  const dir = path.resolve(cwd, inputs["chart-dir"], pin.chart);
  if (!existsSync(path.join(dir, "Chart.yaml")))
    throw new ConfigurationError(
      `input 'chart-dir': ${path.join(inputs["chart-dir"], pin.chart)} has no Chart.yaml`,
      `put the ${pin.chart} chart (versions.json charts.${step.chartKey}: ${pin.version}) there, or leave chart-dir empty for the chart repositories`
    );
  const chartYaml = (0, import_yaml2.parse)(await readFile(path.join(dir, "Chart.yaml"), "utf8"));
  return {
    source: { path: dir },
    version: String(chartYaml.version),
    label: path.join(inputs["chart-dir"], pin.chart),
    chart: pin.chart
  };
}
__name(chartOf, "chartOf");
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
  const timer = new StepTimer();
  const steps = serviceSteps(config, cluster);
  logger.info(`install order: ${steps.map((s) => s.id).join(" \u2192 ") || "(no service enabled)"}`);
  const manifestsDir = deps.manifestsDir ?? repositoryManifestsDir(env, import.meta.url);
  const values = {};
  const charts = {};
  for (const step of steps) {
    if (step.kind !== "release") continue;
    const base = await readValuesFile(
      path.join(manifestsDir, "services", step.id, "values.yaml"),
      true
    );
    values[step.id] = mergeValues(base, step.rendered, step.user);
    charts[step.id] = await chartOf(step, inputs, cwd);
    const pinned = versions.charts[step.chartKey]?.version;
    if (charts[step.id].version !== pinned)
      logger.warning(
        `${step.id}: chart ${charts[step.id].label} is version ${charts[step.id].version}, versions.json pins ${pinned}`
      );
  }
  const resolved = inputs.mode === "apply" ? steps.flatMap(
    (s) => s.kind === "release" ? s.secrets.map((need) => resolveSecret(need, config, cluster, env)) : []
  ) : [];
  for (const r of resolved)
    for (const v of r.values) {
      deps.maskSecret(v);
      secrets.push(v);
    }
  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-services-"));
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
    const toolEnv = helmToolEnv(env, ws);
    const helm = /* @__PURE__ */ __name((args) => tool("helm", args, { logger, secrets, env: toolEnv }), "helm");
    const quiet = { ...logger, info: /* @__PURE__ */ __name((m) => logger.debug(m), "info") };
    const kubectl = /* @__PURE__ */ __name((args, options) => tool("kubectl", args, {
      logger: quiet,
      secrets,
      okExitCodes: options.okExitCodes ?? [],
      env: toolEnv
    }), "kubectl");
    const differs = /* @__PURE__ */ __name(async (objects) => {
      try {
        const r = await tool("kubectl", kubectlDiffArgs(kubeconfig), {
          logger: quiet,
          secrets,
          env: toolEnv,
          input: objectList(objects),
          okExitCodes: [1]
        });
        return r.exitCode === 1;
      } catch (error) {
        if (/no matches for kind|ensure CRDs are installed first/.test(getErrorMessage(error)))
          return true;
        throw error;
      }
    }, "differs");
    const apply = /* @__PURE__ */ __name((objects) => tool("kubectl", kubectlApplyArgs(kubeconfig), {
      logger,
      secrets,
      env: toolEnv,
      input: objectList(objects)
    }), "apply");
    const plan = { releases: [], objects: [] };
    const deployedRevision = {};
    await timer.time("plan", async () => {
      for (const step of steps) {
        if (step.kind === "objects") {
          const objects = [...namespacesOf(step), ...step.objects];
          plan.objects.push({
            id: step.id,
            names: step.objects.map(objectLabel),
            action: kubeconfig ? await differs(objects) ? "change" : "none" : "unknown"
          });
          continue;
        }
        const ref = refOf(step, kubeconfig);
        const deployed = kubeconfig ? parseHelmList((await helm(helmListArgs(ref))).stdout, step.release) : void 0;
        const deployedValues = kubeconfig && deployed ? parseHelmValues((await helm(helmGetValuesArgs(ref))).stdout) : void 0;
        deployedRevision[step.id] = deployed?.revision;
        plan.releases.push({
          id: step.id,
          namespace: step.namespace,
          ...planRelease({
            release: step.release,
            chart: charts[step.id].chart,
            version: charts[step.id].version,
            values: values[step.id],
            deployed,
            deployedValues,
            reachable: kubeconfig !== void 0
          })
        });
      }
      if (config.services.proxmoxCsi.enabled && kubeconfig) {
        const nodes = JSON.parse(
          (await kubectl(kubectlGetNodesArgs(kubeconfig), {})).stdout
        );
        const mismatches = nodeNameMismatches(cluster, nodes);
        if (mismatches.length)
          throw new ConfigurationError(
            `Proxmox CSI finds a node's VM by the node's name, and they differ: ${mismatches.join("; ")}`,
            "name every node like its VM (kubeadm's nodeRegistration.name = the VM name, as kubeadm-bootstrap does), or turn services.proxmoxCsi off"
          );
        plan.nodeLabels = topologyLabelChanges(cluster, csiRegion(config), nodes);
      }
    });
    for (const line of servicesPlanLines(plan)) logger.info(line);
    const changed = {};
    const revisions = { ...deployedRevision };
    const statuses = {};
    let anyChange = false;
    if (inputs.mode === "apply") {
      if (!kubeconfig) throw new Error("unreachable: apply mode always has a kubeconfig");
      for (const l of plan.nodeLabels ?? []) {
        await kubectl(labelNodeArgs(kubeconfig, l), {});
        anyChange = true;
      }
      for (const step of steps) {
        await logger.group(`${step.id}`, async () => {
          const namespaces = namespacesOf(step);
          if (await differs(namespaces)) {
            await apply(namespaces);
            anyChange = true;
          }
          if (step.kind === "objects") {
            if (plan.objects.find((o) => o.id === step.id)?.action !== "none") {
              await timer.time(`${step.id} apply`, () => apply(step.objects));
              changed[step.id] = anyChange = true;
            }
            return;
          }
          let secretChanged = false;
          for (const r of resolved.filter((x) => step.secrets.includes(x.need))) {
            if (await differs([r.object])) {
              await apply([r.object]);
              secretChanged = anyChange = true;
              logger.info(
                `Secret ${r.object.metadata.namespace}/${r.object.metadata.name} created or changed`
              );
            }
          }
          const planned = plan.releases.find((p) => p.id === step.id);
          const ref = refOf(step, kubeconfig);
          if (planned.action !== "none") {
            const valuesFile = path.join(ws, `${step.id}.values.json`);
            await writePrivate(valuesFile, `${canonicalJson(values[step.id])}
`);
            const { retries } = await timer.time(
              `${step.id} helm upgrade`,
              () => retryWithinRun({
                rule: {
                  maxAttempts: 3,
                  transientReason: helmTransient,
                  pauseMs: jitteredBackoff({ baseMs: 5e3, maxMs: 2e4 })
                },
                what: `helm upgrade ${step.release}`,
                logger,
                // the same release, chart and values as planned: nothing to review again
                prepare: /* @__PURE__ */ __name(() => Promise.resolve({ next: void 0 }), "prepare"),
                attempt: /* @__PURE__ */ __name(() => helm(
                  helmUpgradeArgs({
                    ...ref,
                    chart: charts[step.id].source,
                    valuesFile,
                    timeoutSeconds: inputs["timeout-seconds"]
                  })
                ), "attempt")
              })
            );
            if (retries.length)
              logger.info(`${step.release}: ${retries.length} retries within the run`);
            changed[step.id] = anyChange = true;
            revisions[step.id] = parseHelmList(
              (await helm(helmListArgs(ref))).stdout,
              step.release
            )?.revision;
          }
          const refs = manifestWorkloads(
            (await helm(helmGetManifestArgs(ref))).stdout,
            step.namespace
          );
          if (secretChanged && planned.action === "none")
            for (const w of refs) await kubectl(rolloutRestartArgs(kubeconfig, w.namespace, w), {});
          const waited = await timer.time(
            `${step.id} wait`,
            () => waitForWorkloads({
              release: step.release,
              refs,
              kubeconfig,
              timeoutSeconds: inputs["timeout-seconds"],
              kubectl,
              logger,
              ...deps.pollMs !== void 0 ? { pollMs: deps.pollMs } : {}
            })
          );
          statuses[step.id] = waited.statuses;
          logger.info(`${step.release} ready in ${waited.seconds} s (${refs.length} workloads)`);
        });
      }
    }
    deps.setOutput("changed", String(anyChange));
    deps.setOutput("plan", JSON.stringify(plan));
    const artifact = await finishPhase({
      plan: cluster,
      env,
      logger,
      artifactStore: deps.artifactStore,
      summary: deployServicesSummary({
        cluster: cluster.cluster,
        mode: inputs.mode,
        plan,
        charts: Object.fromEntries(Object.entries(charts).map(([id, c]) => [id, c.label])),
        revisions,
        changed,
        statuses,
        timings: timer.timings
      }),
      state: {
        phase: "deploy-services",
        status: "succeeded",
        startedAt,
        timings: timer.timings,
        outputs: {
          mode: inputs.mode,
          changed: inputs.mode === "apply" ? anyChange : planChanges(plan),
          releases: plan.releases.map((r) => ({
            id: r.id,
            name: r.release,
            namespace: r.namespace,
            chart: r.chart,
            version: r.version,
            valuesHash: r.valuesHash,
            action: r.action,
            changed: changed[r.id] ?? false,
            ...revisions[r.id] !== void 0 ? { revision: revisions[r.id] } : {},
            status: inputs.mode === "plan" ? "planned" : (statuses[r.id] ?? []).every((s) => s.ready) ? "ready" : "not ready"
          })),
          objects: plan.objects,
          ...plan.nodeLabels ? { nodeLabels: plan.nodeLabels } : {}
        }
      },
      stateKey: inputs["state-key"]
    });
    deps.setOutput("state-artifact", artifact);
    return {
      plan,
      changed: anyChange,
      order: steps.map((s) => s.id),
      values,
      statuses
    };
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}
__name(run, "run");
function refOf(step, kubeconfig) {
  return { release: step.release, namespace: step.namespace, kubeconfig: kubeconfig ?? "" };
}
__name(refOf, "refOf");
function namespacesOf(step) {
  const names = step.kind === "release" ? [step.namespace] : [...new Set(step.objects.map((o) => o.metadata.namespace).filter((n) => !!n))];
  return names.map(namespaceObject);
}
__name(namespacesOf, "namespacesOf");
export {
  run
};
