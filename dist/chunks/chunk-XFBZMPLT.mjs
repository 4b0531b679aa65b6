import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  writePrivate
} from "./chunk-CE3MRRSC.mjs";
import {
  eventLines,
  notReadyPods,
  notReadyReport,
  workloadStatus
} from "./chunk-XQFMMS6B.mjs";
import {
  downloadPhaseState,
  openSecret
} from "./chunk-ILTBTALZ.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/lib/helm/cluster-access.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

// actions/lib/helm/cluster-access.ts
function helmToolEnv(env, ws) {
  return {
    ...env,
    HELM_CACHE_HOME: path.join(ws, "helm-cache"),
    HELM_CONFIG_HOME: path.join(ws, "helm-config"),
    HELM_DATA_HOME: path.join(ws, "helm-data")
  };
}
__name(helmToolEnv, "helmToolEnv");
async function readValuesFile(file, optional = false) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (optional && error.code === "ENOENT") return {};
    throw error;
  }
  const parsed = (0, import_yaml.parse)(text);
  if (parsed === null || parsed === void 0) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${file} is not a mapping of Helm values`);
  return parsed;
}
__name(readValuesFile, "readValuesFile");
function repositoryManifestsDir(env, from) {
  if (env.GITHUB_ACTION_PATH) return path.join(env.GITHUB_ACTION_PATH, "..", "..", "manifests");
  let dir = path.dirname(fileURLToPath(from));
  for (; ; ) {
    if (existsSync(path.join(dir, "manifests", "cilium", "values.yaml")))
      return path.join(dir, "manifests");
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error("cannot find pve-kube's manifests/ folder beside the action");
    dir = parent;
  }
}
__name(repositoryManifestsDir, "repositoryManifestsDir");
async function writeAdminKubeconfig(opts) {
  const { deps, cluster } = opts;
  let text = opts.given;
  if (!text) {
    const missing = /* @__PURE__ */ __name((why) => {
      if (opts.mode === "plan") {
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
    text = openSecret(sealed, opts.stateKey, `${cluster.cluster}/kubeadm-bootstrap/kubeconfig`);
  }
  for (const secret of [text, ...kubeconfigSecretValues(text)]) {
    deps.maskSecret(secret);
    opts.secrets.push(secret);
  }
  const file = path.join(opts.ws, "kubeconfig");
  await writePrivate(file, text);
  return file;
}
__name(writeAdminKubeconfig, "writeAdminKubeconfig");

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
function getPodEventsArgs(kubeconfig, namespace, pod) {
  return [
    "get",
    "events",
    ...kc(kubeconfig, namespace),
    "--field-selector",
    `involvedObject.kind=Pod,involvedObject.name=${pod}`,
    "--output",
    "json"
  ];
}
__name(getPodEventsArgs, "getPodEventsArgs");
function podLogsArgs(kubeconfig, namespace, pod, tail, previous = false) {
  return [
    "logs",
    pod,
    ...kc(kubeconfig, namespace),
    "--all-containers",
    "--prefix",
    `--tail=${tail}`,
    ...previous ? ["--previous"] : []
  ];
}
__name(podLogsArgs, "podLogsArgs");

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

export {
  helmToolEnv,
  readValuesFile,
  repositoryManifestsDir,
  writeAdminKubeconfig,
  waitForWorkloads
};
