/**
 * Command lines of the Helm CLI (v4), built as argv arrays by pure functions: no shell, every
 * value one argument, tested with tables. Every command names the kubeconfig explicitly, so
 * nothing falls back to the runner user's ~/.kube/config.
 */

/** Where a chart comes from: a chart repository (production) or a chart directory/archive. */
export type ChartSource = { repo: string; chart: string; version: string } | { path: string };

export interface ReleaseRef {
  release: string;
  namespace: string;
  kubeconfig: string;
}

function target(ref: ReleaseRef): string[] {
  return ["--namespace", ref.namespace, "--kubeconfig", ref.kubeconfig];
}

function chartArgs(chart: ChartSource): string[] {
  // a local chart has exactly one version, its Chart.yaml: --version would only be ignored
  return "path" in chart
    ? [chart.path]
    : [chart.chart, "--repo", chart.repo, "--version", chart.version];
}

/**
 * `helm upgrade --install` that returns once the objects are applied: Helm v4 spells "do not wait"
 * `--wait=hookOnly` (its `--wait=false` is a deprecated alias); the caller waits itself, with a
 * report of what is not ready. `--reset-values`: the values file is the whole truth, nothing is
 * reused from the last revision. Values come from a file, never from --set (no quoting rules).
 */
export function helmUpgradeArgs(
  ref: ReleaseRef & { chart: ChartSource; valuesFile: string; timeoutSeconds: number },
): string[] {
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
    "10",
  ];
}

/**
 * `helm list` of exactly one release name, as JSON (an empty list when it is not installed). Helm 4
 * lists releases in every status by default (Helm 3 needed `--all`, which Helm 4 refuses).
 */
export function helmListArgs(ref: ReleaseRef): string[] {
  return ["list", ...target(ref), "--filter", `^${escapeRegExp(ref.release)}$`, "--output", "json"];
}

/** The user-supplied values of the deployed revision, as JSON. */
export function helmGetValuesArgs(ref: ReleaseRef): string[] {
  return ["get", "values", ref.release, ...target(ref), "--output", "json"];
}

/** Render the chart without a cluster (tests, plan previews): same chart and values as an upgrade. */
export function helmTemplateArgs(opts: {
  release: string;
  namespace: string;
  chart: ChartSource;
  valuesFile: string;
  kubeVersion?: string;
}): string[] {
  return [
    "template",
    opts.release,
    ...chartArgs(opts.chart),
    "--namespace",
    opts.namespace,
    "--values",
    opts.valuesFile,
    ...(opts.kubeVersion ? ["--kube-version", opts.kubeVersion] : []),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The manifest of the deployed revision: which workloads the release runs (deploy-services waits for them). */
export function helmGetManifestArgs(ref: ReleaseRef): string[] {
  return ["get", "manifest", ref.release, ...target(ref)];
}
