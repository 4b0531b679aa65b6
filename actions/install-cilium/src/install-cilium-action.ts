import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { actionDeps } from "../../lib/action-deps.js";
import { ciliumProfile } from "../../lib/cilium/profile.js";
import { CILIUM_NAMESPACE, CILIUM_RELEASE, CILIUM_WORKLOADS } from "../../lib/cilium/release.js";
import { ciliumSettings, finalValues, renderedValues } from "../../lib/cilium/values.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import { runTool, type ToolRunner } from "../../lib/exec.js";
import {
  helmGetValuesArgs,
  helmListArgs,
  helmUpgradeArgs,
  type ChartSource,
} from "../../lib/helm/argv.js";
import {
  helmToolEnv,
  type HelmPhaseDeps,
  readValuesFile,
  repositoryManifestsDir,
  writeAdminKubeconfig,
} from "../../lib/helm/cluster-access.js";
import { planRelease, releasePlanLine, type ReleasePlan } from "../../lib/helm/plan.js";
import { parseHelmList, parseHelmValues, type DeployedRelease } from "../../lib/helm/release.js";
import { canonicalJson, valuesHash, type HelmValues } from "../../lib/helm/values.js";
import { waitForWorkloads, type KubectlTool } from "../../lib/helm/wait.js";
import type { WorkloadStatus } from "../../lib/helm/workloads.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import { writePrivate } from "../../lib/kubeadm/workspace.js";
import { finishPhase, StepTimer } from "../../lib/state/index.js";
import { versions } from "../../lib/versions.js";
import { inputSchema, type InstallCiliumInputs } from "./inputs.js";
import { installCiliumSummary } from "./summary.js";

export type Tool = ToolRunner;

export type InstallCiliumDeps = HelmPhaseDeps;

export interface InstallCiliumResult {
  plan: ReleasePlan;
  changed: boolean;
  revision?: number;
  statuses: WorkloadStatus[];
  values: HelmValues;
}

export async function run(
  deps: InstallCiliumDeps = actionDeps(process.env),
): Promise<InstallCiliumResult> {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["state-key"]);
  if (inputs.kubeconfig) deps.maskSecret(inputs.kubeconfig);
  const secrets = [inputs["state-key"], ...(inputs.kubeconfig ? [inputs.kubeconfig] : [])];
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const { config, plan: cluster } = await loadClusterConfig(inputs.cluster, { cwd });
  const profile = ciliumProfile(inputs["node-profile"]);
  if (profile.name !== "production")
    logger.warning(`node profile ${profile.name}: ${profile.notes.join("; ")}`);
  const timer = new StepTimer();

  // the values: every layer known before anything touches the cluster
  const manifestsDir = deps.manifestsDir ?? repositoryManifestsDir(env, import.meta.url);
  const base = await readValuesFile(path.join(manifestsDir, "cilium", "values.yaml"));
  const settings = ciliumSettings(config, cluster);
  const values = finalValues({
    base,
    rendered: renderedValues(settings),
    profile: profile.values,
    user: settings.userValues,
  });
  const hash = valuesHash(values);
  const chart = await chartSource(inputs, cwd, cluster.cilium.version);
  const chartLabel = "path" in chart ? chart.path : `${chart.repo} ${chart.chart}`;
  logger.info(`cilium ${cluster.cilium.version} from ${chartLabel}, values ${hash}`);

  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-cilium-"));
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
    const helm = (args: string[], okExitCodes: number[] = []) =>
      tool("helm", args, { logger, secrets, okExitCodes, env: helmToolEnv(env, ws) });
    // the wait polls every few seconds: its reads go to the debug log, its findings to the log
    const quiet = { ...logger, info: (m: string) => logger.debug(m) };
    const kubectl: KubectlTool = (args, options) =>
      tool("kubectl", args, {
        logger: quiet,
        secrets,
        okExitCodes: options.okExitCodes ?? [],
        env: helmToolEnv(env, ws),
      });
    const ref = {
      release: CILIUM_RELEASE,
      namespace: CILIUM_NAMESPACE,
      kubeconfig: kubeconfig ?? "",
    };

    let deployed: DeployedRelease | undefined;
    let deployedValues: HelmValues | undefined;
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
      reachable: kubeconfig !== undefined,
    });
    logger.info(releasePlanLine(planned));

    let changed = false;
    let revision = deployed?.revision;
    let statuses: WorkloadStatus[] = [];
    let waitSeconds: number | undefined;
    if (inputs.mode === "apply") {
      if (!kubeconfig) throw new Error("unreachable: apply mode always has a kubeconfig");
      if (planned.action !== "none") {
        const valuesFile = path.join(ws, "values.json");
        await writePrivate(valuesFile, `${canonicalJson(values)}\n`);
        await timer.time(`helm ${deployed ? "upgrade" : "install"}`, () =>
          logger.group(`helm upgrade --install ${CILIUM_RELEASE}`, () =>
            helm(
              helmUpgradeArgs({
                ...ref,
                chart,
                valuesFile,
                timeoutSeconds: inputs["timeout-seconds"],
              }),
            ),
          ),
        );
        changed = true;
        revision = parseHelmList((await helm(helmListArgs(ref))).stdout, CILIUM_RELEASE)?.revision;
      }
      const waited = await timer.time("wait for agent and operator", () =>
        logger.group("wait for the Cilium agent and operator", () =>
          waitForWorkloads({
            release: CILIUM_RELEASE,
            refs: CILIUM_WORKLOADS,
            kubeconfig,
            timeoutSeconds: inputs["timeout-seconds"],
            kubectl,
            logger,
            ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
          }),
        ),
      );
      statuses = waited.statuses;
      waitSeconds = waited.seconds;
      logger.info(
        `cilium ready in ${waited.seconds} s: ${statuses.map((s) => `${s.ref.kind} ${s.ref.name} ${s.detail}`).join("; ")}`,
      );
    }

    deps.setOutput("changed", String(changed));
    deps.setOutput("plan", JSON.stringify(planned));
    deps.setOutput("values-hash", hash);
    deps.setOutput(
      "revision",
      inputs.mode === "apply" && revision !== undefined ? String(revision) : "",
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
        ...(revision !== undefined ? { revision } : {}),
        statuses,
        ...(waitSeconds !== undefined ? { waitSeconds } : {}),
        timings: timer.timings,
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
          ...(revision !== undefined ? { revision } : {}),
          nodeProfile: profile.name,
          ...(waitSeconds !== undefined ? { waitSeconds } : {}),
          values,
        },
      },
      stateKey: inputs["state-key"],
    });
    deps.setOutput("state-artifact", artifact);
    return {
      plan: planned,
      changed,
      ...(revision !== undefined ? { revision } : {}),
      statuses,
      values,
    };
  } finally {
    // the kubeconfig never outlives the step
    await rm(ws, { recursive: true, force: true });
  }
}

/** The pinned chart repository, or a local chart whose Chart.yaml must carry cilium.version. */
async function chartSource(
  inputs: InstallCiliumInputs,
  cwd: string,
  version: string,
): Promise<ChartSource> {
  if (!inputs.chart) {
    const pinned = versions.charts.cilium;
    if (!pinned) throw new Error("versions.json has no charts.cilium");
    return { repo: pinned.repo, chart: pinned.chart, version };
  }
  const chartPath = path.resolve(cwd, inputs.chart);
  let isDir: boolean;
  try {
    isDir = (await stat(chartPath)).isDirectory();
  } catch {
    throw new ConfigurationError(
      `input 'chart': ${inputs.chart} does not exist`,
      "pass a chart directory or .tgz relative to the workspace, or leave it empty for the pinned chart repository",
    );
  }
  if (isDir) {
    const chartYaml = parseYaml(await readFile(path.join(chartPath, "Chart.yaml"), "utf8")) as {
      version?: unknown;
    };
    if (String(chartYaml.version) !== version)
      throw new ConfigurationError(
        `input 'chart': ${inputs.chart} is Cilium chart ${String(chartYaml.version)}, cluster.yaml wants cilium.version ${version}`,
        `use the chart of Cilium ${version}, or set cilium.version to ${String(chartYaml.version)}`,
      );
  }
  return { path: chartPath };
}
