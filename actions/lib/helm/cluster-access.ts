import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { ActionDeps } from "../action-deps.js";
import type { ToolRunner } from "../exec.js";
import { ConfigurationError, getErrorMessage } from "../errors.js";
import { writePrivate } from "../kubeadm/workspace.js";
import { downloadPhaseState, openSecret } from "../state/index.js";
import { kubeconfigSecretValues } from "./kubeconfig.js";
import type { HelmValues } from "./values.js";

/** What the Helm phases (install-cilium, deploy-services) take besides the common seams. */
export interface HelmPhaseDeps extends ActionDeps {
  /** the exec seam (helm, kubectl) */
  tool?: ToolRunner;
  /** manifests/ of this checkout; default the repository's, beside this action */
  manifestsDir?: string;
  /** the wait's poll interval (tests shorten it) */
  pollMs?: number;
}

/**
 * What the phases after kubeadm-bootstrap share to reach the cluster with Helm and kubectl:
 * the admin kubeconfig (sealed in the kubeadm-bootstrap state, or given), the tools' private
 * homes, and the Helm values files under manifests/.
 */

/** Helm and kubectl keep caches and config under HOME: inside the step's private directory. */
export function helmToolEnv(env: NodeJS.ProcessEnv, ws: string): NodeJS.ProcessEnv {
  return {
    ...env,
    HELM_CACHE_HOME: path.join(ws, "helm-cache"),
    HELM_CONFIG_HOME: path.join(ws, "helm-config"),
    HELM_DATA_HOME: path.join(ws, "helm-data"),
  };
}

/** A Helm values file (YAML); a missing or empty file is no values. */
export async function readValuesFile(file: string, optional = false): Promise<HelmValues> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const parsed: unknown = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${file} is not a mapping of Helm values`);
  return parsed as HelmValues;
}

/** The repository's manifests/: the nearest folder above `from` (source or bundle) that has it. */
export function repositoryManifestsDir(env: NodeJS.ProcessEnv, from: string): string {
  if (env.GITHUB_ACTION_PATH) return path.join(env.GITHUB_ACTION_PATH, "..", "..", "manifests");
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(path.join(dir, "manifests", "cilium", "values.yaml")))
      return path.join(dir, "manifests");
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error("cannot find pve-kube's manifests/ folder beside the action");
    dir = parent;
  }
}

/**
 * The admin kubeconfig, written 0600 into the step's private directory: `given` when set (an
 * input from a secret), else the one kubeadm-bootstrap sealed into its state of this run. Every
 * credential in it is masked and added to `secrets`. Undefined in plan mode when there is no
 * cluster yet (the plan then says install or upgrade is decided at deploy time).
 */
export async function writeAdminKubeconfig(opts: {
  ws: string;
  given: string | undefined;
  mode: string;
  stateKey: string;
  cluster: { cluster: string; uid: string };
  deps: Pick<ActionDeps, "logger" | "artifactStore" | "env" | "maskSecret">;
  secrets: string[];
}): Promise<string | undefined> {
  const { deps, cluster } = opts;
  let text = opts.given;
  if (!text) {
    const missing = (why: string) => {
      if (opts.mode === "plan") {
        deps.logger.info(`no kubeconfig (${why}): planning without asking the cluster`);
        return undefined;
      }
      throw new ConfigurationError(
        `no admin kubeconfig: ${why}`,
        "run after kubeadm-bootstrap (apply) in the same workflow run, or pass the kubeconfig input from a secret",
      );
    };
    if (!deps.artifactStore)
      return missing("this environment has no artifact service and the kubeconfig input is empty");
    let sealed;
    try {
      sealed = (
        await downloadPhaseState(cluster.cluster, "kubeadm-bootstrap", deps.artifactStore, {
          expect: {
            clusterUid: cluster.uid,
            ...(deps.env.GITHUB_RUN_ID ? { runId: deps.env.GITHUB_RUN_ID } : {}),
          },
        })
      ).outputs.kubeconfig;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      return missing(getErrorMessage(error));
    }
    if (!sealed)
      return missing(
        "the kubeadm-bootstrap state carries no kubeconfig (it did not run in apply mode)",
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
