import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { actionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import { runTool, type ToolResult, type ToolRunner } from "../../lib/exec.js";
import {
  helmGetManifestArgs,
  helmGetValuesArgs,
  helmListArgs,
  helmUpgradeArgs,
  type ChartSource,
  type ReleaseRef,
} from "../../lib/helm/argv.js";
import {
  helmToolEnv,
  type HelmPhaseDeps,
  readValuesFile,
  repositoryManifestsDir,
  writeAdminKubeconfig,
} from "../../lib/helm/cluster-access.js";
import { manifestWorkloads } from "../../lib/helm/manifest.js";
import { planRelease } from "../../lib/helm/plan.js";
import { parseHelmList, parseHelmValues } from "../../lib/helm/release.js";
import { canonicalJson, mergeValues, type HelmValues } from "../../lib/helm/values.js";
import { waitForWorkloads, type KubectlTool } from "../../lib/helm/wait.js";
import type { WorkloadStatus } from "../../lib/helm/workloads.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import { writePrivate } from "../../lib/kubeadm/workspace.js";
import {
  KUBERNETES_TRANSIENT,
  jitteredBackoff,
  retryWithinRun,
  transientBy,
} from "../../lib/retry/index.js";
import { serviceSteps, type ReleaseStep, type ServiceStep } from "../../lib/services/catalog.js";
import { csiRegion } from "../../lib/services/csi.js";
import {
  kubectlApplyArgs,
  kubectlDiffArgs,
  kubectlGetNodesArgs,
  rolloutRestartArgs,
} from "../../lib/services/kubectl-apply.js";
import { namespaceObject } from "../../lib/services/namespaces.js";
import { objectLabel, objectList, type K8sObject } from "../../lib/services/objects.js";
import { resolveSecret } from "../../lib/services/secrets.js";
import {
  labelNodeArgs,
  nodeNameMismatches,
  topologyLabelChanges,
} from "../../lib/services/topology.js";
import { finishPhase, StepTimer } from "../../lib/state/index.js";
import { versions } from "../../lib/versions.js";
import { inputSchema, type DeployServicesInputs } from "./inputs.js";
import { planChanges, servicesPlanLines, type ServicesPlan } from "../../lib/services/plan.js";
import { deployServicesSummary } from "./summary.js";

export type Tool = ToolRunner;

export type DeployServicesDeps = HelmPhaseDeps;

export interface DeployServicesResult {
  plan: ServicesPlan;
  changed: boolean;
  order: string[];
  values: Record<string, HelmValues>;
  statuses: Record<string, WorkloadStatus[]>;
}

const helmTransient = transientBy(KUBERNETES_TRANSIENT);

/** The chart of a release: the pinned repository, or `<chart-dir>/<chart>` with its own Chart.yaml version. */
async function chartOf(
  step: ReleaseStep,
  inputs: DeployServicesInputs,
  cwd: string,
): Promise<{ source: ChartSource; version: string; label: string; chart: string }> {
  const pin = versions.charts[step.chartKey];
  if (!pin) throw new Error(`versions.json has no charts.${step.chartKey}`);
  if (!inputs["chart-dir"])
    return {
      source: { repo: pin.repo, chart: pin.chart, version: pin.version },
      version: pin.version,
      label: `${pin.repo} ${pin.chart}`,
      chart: pin.chart,
    };
  const dir = path.resolve(cwd, inputs["chart-dir"], pin.chart);
  if (!existsSync(path.join(dir, "Chart.yaml")))
    throw new ConfigurationError(
      `input 'chart-dir': ${path.join(inputs["chart-dir"], pin.chart)} has no Chart.yaml`,
      `put the ${pin.chart} chart (versions.json charts.${step.chartKey}: ${pin.version}) there, or leave chart-dir empty for the chart repositories`,
    );
  const chartYaml = parseYaml(await readFile(path.join(dir, "Chart.yaml"), "utf8")) as {
    version?: unknown;
  };
  return {
    source: { path: dir },
    version: String(chartYaml.version),
    label: path.join(inputs["chart-dir"], pin.chart),
    chart: pin.chart,
  };
}

export async function run(
  deps: DeployServicesDeps = actionDeps(process.env),
): Promise<DeployServicesResult> {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["state-key"]);
  if (inputs.kubeconfig) deps.maskSecret(inputs.kubeconfig);
  const secrets = [inputs["state-key"], ...(inputs.kubeconfig ? [inputs.kubeconfig] : [])];
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const { config, plan: cluster } = await loadClusterConfig(inputs.cluster, { cwd });
  const timer = new StepTimer();
  const steps = serviceSteps(config, cluster);
  logger.info(`install order: ${steps.map((s) => s.id).join(" → ") || "(no service enabled)"}`);

  // every release's values and chart, known before anything touches the cluster
  const manifestsDir = deps.manifestsDir ?? repositoryManifestsDir(env, import.meta.url);
  const values: Record<string, HelmValues> = {};
  const charts: Record<string, Awaited<ReturnType<typeof chartOf>>> = {};
  for (const step of steps) {
    if (step.kind !== "release") continue;
    const base = await readValuesFile(
      path.join(manifestsDir, "services", step.id, "values.yaml"),
      true,
    );
    values[step.id] = mergeValues(base, step.rendered, step.user);
    charts[step.id] = await chartOf(step, inputs, cwd);
    const pinned = versions.charts[step.chartKey]?.version;
    if (charts[step.id]!.version !== pinned)
      logger.warning(
        `${step.id}: chart ${charts[step.id]!.label} is version ${charts[step.id]!.version}, versions.json pins ${pinned}`,
      );
  }

  // credentials: read and masked up front, so an empty variable stops the run before any change
  const resolved =
    inputs.mode === "apply"
      ? steps.flatMap((s) =>
          s.kind === "release"
            ? s.secrets.map((need) => resolveSecret(need, config, cluster, env))
            : [],
        )
      : [];
  for (const r of resolved)
    for (const v of r.values) {
      deps.maskSecret(v);
      secrets.push(v);
    }

  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-services-"));
  await chmod(ws, 0o700);
  try {
    const kubeconfig = await timer.time("kubeconfig", () =>
      writeAdminKubeconfig({
        ws,
        given: inputs.kubeconfig,
        mode: inputs.mode,
        stateKey: inputs["state-key"],
        cluster,
        deps,
        secrets,
      }),
    );
    const toolEnv = helmToolEnv(env, ws);
    const helm = (args: string[]) => tool("helm", args, { logger, secrets, env: toolEnv });
    const quiet = { ...logger, info: (m: string) => logger.debug(m) };
    const kubectl: KubectlTool = (args, options) =>
      tool("kubectl", args, {
        logger: quiet,
        secrets,
        okExitCodes: options.okExitCodes ?? [],
        env: toolEnv,
      });
    /**
     * kubectl diff of objects: true when applying them would change the cluster — also when their
     * kind does not exist yet (the CRD comes with a release installed before them, e.g. MetalLB's)
     */
    const differs = async (objects: K8sObject[]): Promise<boolean> => {
      try {
        const r = await tool("kubectl", kubectlDiffArgs(kubeconfig!), {
          logger: quiet,
          secrets,
          env: toolEnv,
          input: objectList(objects),
          okExitCodes: [1],
        });
        return r.exitCode === 1;
      } catch (error) {
        if (/no matches for kind|ensure CRDs are installed first/.test(getErrorMessage(error)))
          return true;
        throw error;
      }
    };
    const apply = (objects: K8sObject[]) =>
      tool("kubectl", kubectlApplyArgs(kubeconfig!), {
        logger,
        secrets,
        env: toolEnv,
        input: objectList(objects),
      });

    // the plan: every release, the objects, the node labels
    const plan: ServicesPlan = { releases: [], objects: [] };
    const deployedRevision: Record<string, number | undefined> = {};
    await timer.time("plan", async () => {
      for (const step of steps) {
        if (step.kind === "objects") {
          const objects = [...namespacesOf(step), ...step.objects];
          plan.objects.push({
            id: step.id,
            names: step.objects.map(objectLabel),
            action: kubeconfig ? ((await differs(objects)) ? "change" : "none") : "unknown",
          });
          continue;
        }
        const ref = refOf(step, kubeconfig);
        const deployed = kubeconfig
          ? parseHelmList((await helm(helmListArgs(ref))).stdout, step.release)
          : undefined;
        const deployedValues =
          kubeconfig && deployed
            ? parseHelmValues((await helm(helmGetValuesArgs(ref))).stdout)
            : undefined;
        deployedRevision[step.id] = deployed?.revision;
        plan.releases.push({
          id: step.id,
          namespace: step.namespace,
          ...planRelease({
            release: step.release,
            chart: charts[step.id]!.chart,
            version: charts[step.id]!.version,
            values: values[step.id]!,
            deployed,
            deployedValues,
            reachable: kubeconfig !== undefined,
          }),
        });
      }
      if (config.services.proxmoxCsi.enabled && kubeconfig) {
        const nodes = JSON.parse(
          (await kubectl(kubectlGetNodesArgs(kubeconfig), {})).stdout,
        ) as unknown;
        const mismatches = nodeNameMismatches(cluster, nodes);
        if (mismatches.length)
          throw new ConfigurationError(
            `Proxmox CSI finds a node's VM by the node's name, and they differ: ${mismatches.join("; ")}`,
            "name every node like its VM (kubeadm's nodeRegistration.name = the VM name, as kubeadm-bootstrap does), or turn services.proxmoxCsi off",
          );
        plan.nodeLabels = topologyLabelChanges(cluster, csiRegion(config), nodes);
      }
    });
    for (const line of servicesPlanLines(plan)) logger.info(line);

    const changed: Record<string, boolean> = {};
    const revisions: Record<string, number | undefined> = { ...deployedRevision };
    const statuses: Record<string, WorkloadStatus[]> = {};
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
          // Secrets first: the release's pods mount them at start
          let secretChanged = false;
          for (const r of resolved.filter((x) => step.secrets.includes(x.need))) {
            if (await differs([r.object])) {
              await apply([r.object]);
              secretChanged = anyChange = true;
              logger.info(
                `Secret ${r.object.metadata.namespace}/${r.object.metadata.name} created or changed`,
              );
            }
          }
          const planned = plan.releases.find((p) => p.id === step.id)!;
          const ref = refOf(step, kubeconfig);
          if (planned.action !== "none") {
            const valuesFile = path.join(ws, `${step.id}.values.json`);
            await writePrivate(valuesFile, `${canonicalJson(values[step.id]!)}\n`);
            const { retries } = await timer.time(`${step.id} helm upgrade`, () =>
              retryWithinRun<ToolResult, undefined>({
                rule: {
                  maxAttempts: 3,
                  transientReason: helmTransient,
                  pauseMs: jitteredBackoff({ baseMs: 5000, maxMs: 20_000 }),
                },
                what: `helm upgrade ${step.release}`,
                logger,
                // the same release, chart and values as planned: nothing to review again
                prepare: () => Promise.resolve({ next: undefined }),
                attempt: () =>
                  helm(
                    helmUpgradeArgs({
                      ...ref,
                      chart: charts[step.id]!.source,
                      valuesFile,
                      timeoutSeconds: inputs["timeout-seconds"],
                    }),
                  ),
              }),
            );
            if (retries.length)
              logger.info(`${step.release}: ${retries.length} retries within the run`);
            changed[step.id] = anyChange = true;
            revisions[step.id] = parseHelmList(
              (await helm(helmListArgs(ref))).stdout,
              step.release,
            )?.revision;
          }
          const refs = manifestWorkloads(
            (await helm(helmGetManifestArgs(ref))).stdout,
            step.namespace,
          );
          if (secretChanged && planned.action === "none")
            for (const w of refs) await kubectl(rolloutRestartArgs(kubeconfig, w.namespace, w), {});
          const waited = await timer.time(`${step.id} wait`, () =>
            waitForWorkloads({
              release: step.release,
              refs,
              kubeconfig,
              timeoutSeconds: inputs["timeout-seconds"],
              kubectl,
              logger,
              ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
            }),
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
        timings: timer.timings,
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
            ...(revisions[r.id] !== undefined ? { revision: revisions[r.id] } : {}),
            status:
              inputs.mode === "plan"
                ? "planned"
                : (statuses[r.id] ?? []).every((s) => s.ready)
                  ? "ready"
                  : "not ready",
          })),
          objects: plan.objects,
          ...(plan.nodeLabels ? { nodeLabels: plan.nodeLabels } : {}),
        },
      },
      stateKey: inputs["state-key"],
    });
    deps.setOutput("state-artifact", artifact);
    return {
      plan,
      changed: anyChange,
      order: steps.map((s) => s.id),
      values,
      statuses,
    };
  } finally {
    // the kubeconfig and the values files never outlive the step
    await rm(ws, { recursive: true, force: true });
  }
}

function refOf(step: ReleaseStep, kubeconfig: string | undefined): ReleaseRef {
  return { release: step.release, namespace: step.namespace, kubeconfig: kubeconfig ?? "" };
}

/** The namespaces a step's objects live in, created first (cluster-scoped objects need none). */
function namespacesOf(step: ServiceStep): K8sObject[] {
  const names =
    step.kind === "release"
      ? [step.namespace]
      : [...new Set(step.objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
  return names.map(namespaceObject);
}
