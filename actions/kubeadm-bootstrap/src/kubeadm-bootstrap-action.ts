import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig, type ClusterPlan } from "../../lib/config/index.js";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import { runTool, type ToolResult, type ToolRunner } from "../../lib/exec.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import { ansibleEnv, ansiblePlaybookArgs, keyscanArgs } from "../../lib/kubeadm/argv.js";
import { criticalPath, type TaskTiming } from "../../lib/kubeadm/critical-path.js";
import { readFactsFile, type ParsedFacts } from "../../lib/kubeadm/facts.js";
import { renderInventory } from "../../lib/kubeadm/inventory.js";
import {
  planBootstrap,
  planIsNoop,
  planRemovals,
  type BootstrapPlan,
} from "../../lib/kubeadm/plan.js";
import { nodeProfile } from "../../lib/kubeadm/profile.js";
import { PlaybookFailedError, SITE_RULE, stepsOutsidePlan } from "../../lib/kubeadm/retry.js";
import { retryWithinRun, type RetryRecord } from "../../lib/retry/within-run.js";
import { parseRecap, type HostRecap } from "../../lib/kubeadm/recap.js";
import { controlPlaneEndpoint, type ClusterSettings } from "../../lib/kubeadm/render.js";
import { joinSecretValues, newJoinSecrets } from "../../lib/kubeadm/secrets.js";
import type { BootstrapNode } from "../../lib/kubeadm/types.js";
import { renderExtraVars } from "../../lib/kubeadm/vars.js";
import {
  checkHostKeys,
  forgetHosts,
  mergePins,
  parseKnownHosts,
} from "../../lib/kubeadm/host-keys.js";
import {
  actionsKnownHostsStore,
  type KnownHostsStore,
} from "../../lib/kubeadm/known-hosts-store.js";
import {
  createRunWorkspace,
  writePrivate,
  type RunWorkspace,
} from "../../lib/kubeadm/workspace.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import {
  downloadPhaseState,
  finishedPhaseState,
  phaseArtifactName,
  sealSecret,
  StepTimer,
  uploadPhaseState,
  type PhaseStateExpectation,
} from "../../lib/state/index.js";
import { parseInventory, type InventoryVm } from "../../lib/tofu/inventory.js";
import { versions } from "../../lib/versions.js";
import { inputSchema, type KubeadmBootstrapInputs } from "./inputs.js";
import { desiredNodes, presentNodes } from "./nodes.js";
import { kubeadmBootstrapSummary, planLines } from "./summary.js";

export type Tool = ToolRunner;

export interface KubeadmBootstrapDeps extends ActionDeps {
  /** the exec seam (ansible-playbook, ssh-keyscan) */
  tool?: Tool;
  /** ansible/ of this checkout; default the repository's, beside this action */
  ansibleDir?: string;
  /** pinned host keys across runs; default the Actions cache */
  knownHostsStore?: KnownHostsStore;
}

/** The repository's ansible/: the nearest folder above this file (source or bundle) that has it. */
function bundledAnsibleDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "ansible", "site.yml"))) return path.join(dir, "ansible");
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find pve-kube's ansible/ folder beside the action");
    dir = parent;
  }
}

export interface KubeadmBootstrapResult {
  plan: BootstrapPlan;
  recap: (HostRecap & { seconds: number })[];
  changed: number;
}

export async function run(
  deps: KubeadmBootstrapDeps = actionDeps(process.env),
): Promise<KubeadmBootstrapResult> {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const startedAt = new Date().toISOString();
  const startedMs = Date.now();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  // secrets first: the key, the state key and the run's join material are masked before any tool runs
  deps.maskSecret(inputs["ssh-private-key"]);
  deps.maskSecret(inputs["state-key"]);
  const joinSecrets = newJoinSecrets();
  for (const s of joinSecretValues(joinSecrets)) deps.maskSecret(s);
  const secrets = [
    inputs["ssh-private-key"],
    inputs["state-key"],
    ...joinSecretValues(joinSecrets),
  ];

  const { plan: cluster } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const profile = nodeProfile(inputs["node-profile"]);
  if (profile.name !== "production")
    logger.warning(`node profile ${profile.name}: ${profile.notes.join("; ")}`);
  const settings = clusterSettings(cluster, profile);
  const endpoint = controlPlaneEndpoint(settings);
  const timer = new StepTimer();
  const inventory = await timer.time("read inventory", () => readInventory(inputs, cluster, deps));
  const store =
    deps.knownHostsStore ?? actionsKnownHostsStore(cluster.cluster, cluster.uid, logger);
  const storedPins = await store.restore();
  // the operator's pins win, then this run's earlier job (prepare-removals), then the last run's
  const pinned = mergePins(
    inputs["known-hosts"] ?? "",
    await earlierKnownHosts(cluster, inputs, deps),
    storedPins,
  );

  const ws = await createRunWorkspace(env, inputs["ssh-private-key"]);
  try {
    const ansibleDir =
      deps.ansibleDir ??
      (env.GITHUB_ACTION_PATH
        ? path.join(env.GITHUB_ACTION_PATH, "..", "..", "ansible")
        : bundledAnsibleDir());
    const playbook = async (
      name: string,
      planned: BootstrapPlan,
      hosts: BootstrapNode[],
      leaving: BootstrapNode[] = [],
      okExitCodes: number[] = [],
      check = false,
    ) => {
      await writePrivate(
        ws.inventoryFile,
        JSON.stringify(
          renderInventory({ nodes: hosts, plan: planned, user: cluster.ssh.user, leaving }),
        ),
      );
      const result = await logger.group(`ansible-playbook ${name}`, () =>
        tool(
          "ansible-playbook",
          ansiblePlaybookArgs({
            ansibleDir,
            playbook: name,
            inventoryFile: ws.inventoryFile,
            varsFile: ws.varsFile,
            privateKeyFile: ws.privateKeyFile,
            user: cluster.ssh.user,
            forks: inputs.forks,
            verbose: inputs.verbose,
            check,
          }),
          {
            logger,
            env: ansibleEnv({
              base: env,
              ansibleDir,
              knownHostsFile: ws.knownHostsFile,
              timingFile: ws.timingFile,
              tmpDir: ws.dir,
              controlPathDir: ws.controlPathDir,
            }),
            streamOutput: true,
            secrets,
            okExitCodes,
          },
        ),
      );
      return result;
    };
    const writeVars = async (planned: BootstrapPlan, nodes: BootstrapNode[], facts?: ParsedFacts) =>
      writePrivate(
        ws.varsFile,
        JSON.stringify(
          renderExtraVars({
            settings,
            endpoint: {
              cluster: cluster.cluster,
              clusterUid: cluster.uid,
              vip: cluster.network.vip,
              prefix: cluster.network.prefix,
              kubeVipImage: `${versions.kubeVip.image}:v${versions.kubeVip.version}`,
            },
            nodes,
            plan: planned,
            secrets: joinSecrets,
            interfaces: facts?.interfaces ?? new Map<string, string>(),
            factsFile: ws.factsFile,
            adminKubeconfigFile: ws.adminKubeconfigFile,
          }),
        ),
      );

    const desired = desiredNodes(cluster, inventory);
    const present = presentNodes(cluster, inventory);
    // the facts run reaches the VMs that exist now: in apply mode those are the desired ones
    const reachable = inputs.mode === "apply" ? desired : present;
    let knownHosts = await timer.time("pin host keys", () =>
      pinHostKeys(
        ws,
        pinned,
        reachable,
        inputs["replace-host-keys"],
        tool,
        deps,
        inputs["ssh-wait-seconds"],
      ),
    );
    if (knownHosts !== storedPins) await store.save(knownHosts);
    const placeholder: BootstrapPlan = {
      operator: reachable.find((n) => n.role === "control-plane")?.name ?? "",
      controlPlaneJoins: [],
      workerJoins: [],
      removals: [],
      strays: [],
      members: [],
    };
    // facts: read-only; unreachable hosts end it with code 4, which planning reports by name
    const gatherFacts = async (planned: BootstrapPlan, hosts: BootstrapNode[]) => {
      await rm(ws.factsFile, { force: true });
      await playbook("facts.yml", planned, hosts, [], [2, 4]);
      return readFactsFile(ws.factsFile, hosts);
    };
    await writeVars(placeholder, reachable);
    const facts = await timer.time("facts", () => gatherFacts(placeholder, reachable));

    let planned: BootstrapPlan;
    if (inputs.mode === "prepare-removals") {
      const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
      const members = present.filter((n) => registered.has(n.name));
      const removals = planRemovals(members, desired);
      const staying = members.filter((n) => !removals.some((r) => r.name === n.name));
      const operator = staying.find(
        (n) => n.role === "control-plane" && facts.hosts.find((h) => h.name === n.name)?.adminConf,
      )?.name;
      planned = {
        ...placeholder,
        operator: operator ?? "",
        removals,
        members: staying.map((n) => n.name),
      };
      if (removals.length > 0 && !operator)
        throw new ConfigurationError(
          "no control plane that stays has /etc/kubernetes/admin.conf",
          "check the control planes, then run again",
        );
    } else if (inputs.mode === "plan") {
      // VMs tofu-provision has yet to create answer nothing: they count as reachable, not joined
      const existing = new Set(present.map((n) => n.name));
      const future = desired
        .filter((n) => !existing.has(n.name))
        .map((n) => ({
          name: n.name,
          reachable: true,
          kubeletConfigured: false,
          adminConf: false,
        }));
      const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
      const removals = planRemovals(
        present.filter((n) => registered.has(n.name)),
        desired,
      );
      planned = {
        ...planBootstrap({
          desired,
          facts: { ...facts, hosts: [...facts.hosts, ...future] },
          version: cluster.kubernetes.version,
          cluster: cluster.cluster,
          present,
        }),
        removals,
      };
    } else {
      planned = planBootstrap({
        desired,
        facts,
        version: cluster.kubernetes.version,
        cluster: cluster.cluster,
      });
    }
    for (const line of planLines(planned)) logger.info(line);

    let recapHosts: HostRecap[] = [];
    let retries: RetryRecord[] = [];
    let kubeconfig: string | undefined;
    if (inputs.mode === "plan") {
      // --check --diff where check mode means something: the files and services pve-kube owns on
      // the nodes that exist and stay (kubeadm's commands are stated by the plan lines instead)
      const answering = new Set(facts.hosts.filter((h) => h.reachable).map((h) => h.name));
      const staying = new Set(desired.map((n) => n.name));
      const checkHosts = present.filter((n) => answering.has(n.name) && staying.has(n.name));
      if (checkHosts.length > 0) {
        await writeVars(planned, desired, facts);
        await rm(ws.timingFile, { force: true });
        const result = await timer.time("check.yml (--check --diff)", () =>
          playbook("check.yml", planned, checkHosts, [], [2], true),
        );
        recapHosts = parseRecap(result.stdout);
        if (result.exitCode === 2)
          logger.warning("the --check --diff run had failed tasks: see its log group");
      }
    } else {
      const book = inputs.mode === "prepare-removals" ? "removals.yml" : "site.yml";
      const hosts =
        inputs.mode === "prepare-removals"
          ? present.filter((n) => !planned.removals.some((r) => r.name === n.name))
          : desired;
      const leaving = present.filter((n) => planned.removals.some((r) => r.name === n.name));
      await writeVars(planned, hosts, facts);
      await rm(ws.timingFile, { force: true });
      const reviewed = planned;
      // site.yml finishes within the run after a transient failure (retry.ts); removals.yml does
      // not: a drain half done is for the operator to look at
      const { value: result, retries: siteRetries } = await timer.time(book, () =>
        retryWithinRun<ToolResult, BootstrapPlan>({
          rule: inputs.mode === "apply" ? SITE_RULE : { ...SITE_RULE, maxAttempts: 1 },
          what: `ansible-playbook ${book}`,
          logger,
          prepare: async () => {
            // fresh facts and a fresh plan: the nodes the failed attempt finished drop out
            await writeVars(placeholder, desired);
            const again = planBootstrap({
              desired,
              facts: await gatherFacts(placeholder, desired),
              version: cluster.kubernetes.version,
              cluster: cluster.cluster,
            });
            const outside = stepsOutsidePlan(reviewed, again);
            if (outside.length > 0) return { stop: outside.join("; ") };
            for (const line of planLines(again)) logger.info(`retry: ${line}`);
            return { next: again };
          },
          attempt: async (_attempt, next) => {
            if (next) {
              planned = next;
              await writeVars(next, hosts, facts);
            }
            const run = await playbook(book, planned, hosts, leaving, [2, 4]);
            if (run.exitCode !== 0) throw new PlaybookFailedError(book, run.exitCode, run.stdout);
            return run;
          },
        }),
      );
      retries = siteRetries;
      recapHosts = parseRecap(result.stdout);
      if (leaving.length > 0) {
        // a removed node's address may come back as a new VM with a new key: not a changed key
        knownHosts = forgetHosts(
          knownHosts,
          leaving.map((n) => n.ip),
        );
        await store.save(knownHosts);
      }
      if (inputs.mode === "apply") {
        kubeconfig = await readFile(ws.adminKubeconfigFile, "utf8");
        deps.maskSecret(kubeconfig);
      }
    }
    const timing = await readTiming(ws.timingFile);
    const seconds = timing.hosts;
    const kubeadmPath = criticalPath(timing.tasks, new Map(desired.map((n) => [n.name, n.role])));
    // after an apply, ask the cluster again (read-only): who is registered, who is Ready
    let notReady: string[] = [];
    if (inputs.mode === "apply") {
      const after = await timer.time("verify", () => gatherFacts(planned, desired));
      const registered = new Set(after.cluster?.nodes.map((n) => n.name) ?? []);
      const missing = desired.filter((n) => !registered.has(n.name)).map((n) => n.name);
      if (missing.length > 0)
        throw new Error(`after the run the cluster does not list ${missing.join(", ")}`);
      notReady = after.cluster?.nodes.filter((n) => !n.ready).map((n) => n.name) ?? [];
      if (notReady.length > 0)
        logger.info(
          `registered, not Ready until a CNI runs (install-cilium): ${notReady.join(", ")}`,
        );
    }
    const recap = recapHosts.map((h) => ({ ...h, seconds: seconds[h.host] ?? 0 }));
    const changed = recap.reduce((sum, h) => sum + h.changed, 0);
    logger.info(
      `kubeadm-bootstrap ${inputs.mode}: changed=${changed} over ${recap.length} hosts${planIsNoop(planned) ? " (nothing to do)" : ""}`,
    );
    const phaseSeconds = Math.round((Date.now() - startedMs) / 100) / 10;
    const overhead =
      kubeadmPath && kubeadmPath.totalSeconds > 0
        ? {
            ...kubeadmPath,
            phaseSeconds,
            ratio: Math.round((phaseSeconds / kubeadmPath.totalSeconds) * 100) / 100,
          }
        : undefined;
    if (overhead)
      logger.info(
        `kubeadm critical path ${overhead.totalSeconds} s (init ${overhead.initSeconds} s + control-plane joins ${overhead.controlPlaneJoinSeconds.join(" + ") || "0"} s + slowest worker join ${overhead.slowestWorkerJoinSeconds} s); phase ${phaseSeconds} s: ${overhead.ratio}× the critical path`,
      );

    deps.setOutput("changed", String(changed));
    deps.setOutput("plan", JSON.stringify(planned));
    deps.setOutput("control-plane-endpoint", endpoint);
    await appendJobSummary(
      kubeadmBootstrapSummary({
        cluster: cluster.cluster,
        mode: inputs.mode,
        version: settings.version,
        endpoint,
        provider: settings.provider,
        profile,
        plan: planned,
        recap,
        timings: timer.timings,
        notReady,
        ...(overhead ? { criticalPath: overhead } : {}),
      }),
      logger,
      env,
    );
    if (deps.artifactStore) {
      const state = finishedPhaseState(cluster, env, {
        phase: "kubeadm-bootstrap",
        status: "succeeded",
        startedAt,
        timings: timer.timings,
        outputs: {
          mode: inputs.mode,
          kubernetesVersion: settings.version,
          controlPlaneEndpoint: endpoint,
          endpointProvider: settings.provider,
          nodeProfile: profile.name,
          ...(kubeconfig
            ? {
                kubeconfig: sealSecret(
                  kubeconfig,
                  inputs["state-key"],
                  `${cluster.cluster}/kubeadm-bootstrap/kubeconfig`,
                ),
              }
            : {}),
          knownHosts,
          ...(overhead ? { criticalPath: overhead } : {}),
          plan: { ...planned },
          ...(retries.length > 0 ? { retries } : {}),
          nodes: nodeActions(planned, desired),
          recap: recap.map(({ host, ok, changed, unreachable, failed, skipped, seconds }) => ({
            host,
            ok,
            changed,
            unreachable,
            failed,
            skipped,
            seconds,
          })),
        },
      });
      deps.setOutput(
        "state-artifact",
        await uploadPhaseState(state, deps.artifactStore, logger, {
          stateKey: inputs["state-key"],
        }),
      );
    } else {
      deps.setOutput("state-artifact", phaseArtifactName(cluster.cluster, "kubeadm-bootstrap"));
      logger.info("no artifact service in this environment: kubeadm-bootstrap state not uploaded");
    }
    return { plan: planned, recap, changed };
  } finally {
    // the key, the join material and the kubeconfig never outlive the step
    await ws.dispose();
  }
}

function clusterSettings(
  cluster: ClusterPlan,
  profile: ClusterSettings["profile"],
): ClusterSettings {
  return {
    cluster: cluster.cluster,
    version: cluster.kubernetes.version,
    vip: cluster.network.vip,
    provider: cluster.endpoint.provider,
    podCidr: cluster.kubernetes.podCidr,
    serviceCidr: cluster.kubernetes.serviceCidr,
    clusterDomain: cluster.kubernetes.clusterDomain,
    extraSans: cluster.kubernetes.extraSans,
    skipKubeProxy: cluster.cilium.kubeProxyReplacement,
    profile,
  };
}

async function readInventory(
  inputs: KubeadmBootstrapInputs,
  cluster: ClusterPlan,
  deps: KubeadmBootstrapDeps,
): Promise<InventoryVm[]> {
  if (inputs.inventory) {
    try {
      return parseInventory(JSON.parse(inputs.inventory));
    } catch (error) {
      throw new ConfigurationError(
        `input 'inventory' is not an inventory list: ${getErrorMessage(error)}`,
        "pass the inventory output of tofu-provision, or leave it empty",
      );
    }
  }
  if (!deps.artifactStore)
    throw new ConfigurationError(
      "no inventory: this environment has no artifact service and the inventory input is empty",
      "run after tofu-provision in the same workflow run, or pass its inventory output",
    );
  // this cluster's, this run's, and signed by tofu-provision with the state-key: any step of the
  // run could otherwise upload an inventory that sends the SSH key and join material elsewhere
  const state = await downloadPhaseState(cluster.cluster, "tofu-provision", deps.artifactStore, {
    expect: trustedStateExpectation(cluster, inputs, deps.env),
  });
  return parseInventory(state.outputs.inventory.map((vm) => ({ pool: "", ...vm })));
}

/** What a phase state read by this action must prove: this cluster, this run, the state-key's MAC. */
function trustedStateExpectation(
  cluster: ClusterPlan,
  inputs: KubeadmBootstrapInputs,
  env: NodeJS.ProcessEnv,
): PhaseStateExpectation {
  return {
    clusterUid: cluster.uid,
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    stateKey: inputs["state-key"],
  };
}

/** Host keys an earlier job of this run pinned (prepare-removals before bootstrap). */
async function earlierKnownHosts(
  cluster: ClusterPlan,
  inputs: KubeadmBootstrapInputs,
  deps: KubeadmBootstrapDeps,
): Promise<string> {
  if (!deps.artifactStore) return "";
  try {
    // signed like the inventory: pins are what stops a changed host key
    return (
      await downloadPhaseState(cluster.cluster, "kubeadm-bootstrap", deps.artifactStore, {
        expect: trustedStateExpectation(cluster, inputs, deps.env),
      })
    ).outputs.knownHosts;
  } catch (error) {
    // none yet (no prepare-removals job in this run) is normal; a state that fails its checks is not
    if (!(error instanceof ConfigurationError) || !error.message.startsWith("no state of phase"))
      throw error;
    return "";
  }
}

/**
 * Scans what every node presents and checks it against the pins: a changed key stops the run
 * before any SSH session (naming the node and the fix); nodes without a pin are learned (first
 * contact); nodes named in replace-host-keys are re-learned.
 */
async function pinHostKeys(
  ws: RunWorkspace,
  pinned: string,
  nodes: BootstrapNode[],
  replace: string[],
  tool: Tool,
  deps: KubeadmBootstrapDeps,
  waitSeconds: number,
): Promise<string> {
  // VMs tofu-provision just started answer the guest agent a moment before sshd listens: scan
  // again, for the nodes that gave no key yet, until every node answered or the wait is over
  const scan = async (ips: string[]) =>
    ips.length === 0
      ? ""
      : (
          await tool("ssh-keyscan", keyscanArgs(ips), {
            logger: deps.logger,
            okExitCodes: [1],
          })
        ).stdout;
  let scanned = await scan(nodes.map((n) => n.ip));
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const answered = new Set(parseKnownHosts(scanned).map((k) => k.host));
    const silent = nodes.filter((n) => !answered.has(n.ip));
    if (silent.length === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 2000));
    scanned += await scan(silent.map((n) => n.ip));
  }
  const check = checkHostKeys({ pinned, scanned, nodes, replace });
  if (check.firstContact.length > 0)
    deps.logger.info(`first contact: pinned the SSH host keys of ${check.firstContact.join(", ")}`);
  if (check.replaced.length > 0)
    deps.logger.warning(
      `replaced the pinned SSH host keys of ${check.replaced.join(", ")} (replace-host-keys)`,
    );
  if (check.silent.length > 0)
    deps.logger.warning(`no SSH host key from ${check.silent.join(", ")} (not reachable yet?)`);
  await writePrivate(ws.knownHostsFile, check.knownHosts);
  return check.knownHosts;
}

/** What the pve_kube_timing callback wrote: busy seconds per host and every task's time. */
async function readTiming(
  file: string,
): Promise<{ hosts: Record<string, number>; tasks: TaskTiming[] }> {
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as {
      hosts?: Record<string, number>;
      tasks?: TaskTiming[];
    };
    return { hosts: data.hosts ?? {}, tasks: data.tasks ?? [] };
  } catch {
    return { hosts: {}, tasks: [] };
  }
}

function nodeActions(plan: BootstrapPlan, desired: BootstrapNode[]) {
  const action = (name: string) =>
    plan.init === name
      ? "init"
      : plan.controlPlaneJoins.includes(name) || plan.workerJoins.includes(name)
        ? "join"
        : plan.upgrade?.steps.some((s) => s.name === name)
          ? "upgrade"
          : "member";
  return [
    ...desired.map((n) => ({ name: n.name, role: n.role, action: action(n.name) })),
    ...plan.removals.map((r) => ({ name: r.name, role: r.role, action: "remove" })),
  ];
}
