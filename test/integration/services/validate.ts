import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { K8sObject } from "../../../actions/lib/services/objects.js";
import { objectList } from "../../../actions/lib/services/objects.js";
import { requireHelm } from "../../../testkit/helm-tools.js";
import type { ControlPlane } from "../cilium/control-plane.js";

/**
 * Validation of rendered objects by a real API server (the loopback control plane of
 * ../cilium/control-plane.ts): CRDs and namespaces are created for real, everything else goes
 * through `kubectl apply --dry-run=server --validate=strict` — the API server's own schema and
 * the CRDs' OpenAPI schemas check every field, unknown fields included.
 */

const exec = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function kubectl(
  cp: ControlPlane,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cp.kubectl,
      ["--kubeconfig", cp.kubeconfig, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? "");
  });
}

/** Creates CRDs for real (from YAML files or objects) and waits until the API server serves them. */
export async function installCrds(cp: ControlPlane, crds: K8sObject[]): Promise<void> {
  if (crds.length === 0) return;
  const applied = await kubectl(
    cp,
    ["apply", "--server-side", "--field-manager=pve-kube-test", "-f", "-"],
    objectList(crds),
  );
  if (applied.code !== 0) throw new Error(`CRDs not created: ${applied.stderr}`);
  const waited = await kubectl(cp, [
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    ...crds.map((c) => `crd/${c.metadata.name}`),
  ]);
  if (waited.code !== 0) throw new Error(`CRDs not established: ${waited.stderr}`);
}

export async function ensureNamespace(cp: ControlPlane, name: string): Promise<void> {
  const got = await kubectl(cp, ["get", "namespace", name]);
  if (got.code === 0) return;
  const made = await kubectl(cp, ["create", "namespace", name]);
  if (made.code !== 0) throw new Error(`namespace ${name}: ${made.stderr}`);
}

/**
 * `kubectl apply --dry-run=server` of objects (namespace: each object's own, else `namespace`).
 * `strict` (default): kubectl also checks every field against the server's published OpenAPI
 * (the CRDs' schemas), unknown fields included; `server-only`: only the API server decides.
 */
export async function dryRunServer(
  cp: ControlPlane,
  objects: K8sObject[],
  opts: { namespace?: string; validate?: "strict" | "server-only" } = {},
): Promise<KubectlResult> {
  return kubectl(
    cp,
    [
      "apply",
      "--dry-run=server",
      opts.validate === "server-only" ? "--validate=false" : "--validate=strict",
      "--server-side",
      "--field-manager=pve-kube-test",
      ...(opts.namespace ? ["--namespace", opts.namespace] : []),
      "-f",
      "-",
    ],
    objectList(objects),
  );
}

export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === "object" && "kind" in o);
}

/** Every CRD YAML file in a folder tree (Cilium's crds/v2, crds/v2alpha1, …). */
export function crdFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => path.join(dir, f))
    .sort();
}

/** `helm template` of a chart directory with a values file; objects of the output. */
export async function helmTemplate(opts: {
  release: string;
  namespace: string;
  chart: string;
  valuesFile: string;
  kubeVersion: string;
  showOnly?: string;
  home: string;
  apiVersions?: string[];
}): Promise<K8sObject[]> {
  const { stdout } = await exec(
    requireHelm(),
    [
      "template",
      opts.release,
      opts.chart,
      "--namespace",
      opts.namespace,
      "--values",
      opts.valuesFile,
      "--kube-version",
      opts.kubeVersion,
      "--include-crds",
      ...(opts.showOnly ? ["--show-only", opts.showOnly] : []),
      ...(opts.apiVersions ?? []).flatMap((a) => ["--api-versions", a]),
    ],
    {
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        HELM_CACHE_HOME: opts.home,
        HELM_CONFIG_HOME: opts.home,
        HELM_DATA_HOME: opts.home,
      },
    },
  );
  return parseObjects(stdout);
}
