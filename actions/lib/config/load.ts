import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError, ConfigurationErrors } from "../errors.js";
import { versions } from "../versions.js";
import { problemToError, zodIssueProblems, type ConfigProblem } from "./issues.js";
import { planCluster, type ClusterPlan } from "./plan.js";
import { clusterConfigSchema, type ClusterConfig } from "./schema.js";
import { networkProblems } from "./semantic-network.js";
import { platformProblems } from "./semantic-platform.js";
import { servicesProblems } from "./semantic-services.js";
import { topologyProblems } from "./semantic-topology.js";
import { parseYamlSource } from "./yaml-source.js";

export interface LoadedConfig {
  file: string;
  config: ClusterConfig;
  plan: ClusterPlan;
}

/** Every cross-field rule, all reported at once. */
export function semanticProblems(config: ClusterConfig): ConfigProblem[] {
  return [
    ...topologyProblems(config),
    ...networkProblems(config),
    ...platformProblems(config, versions),
    ...servicesProblems(config),
  ];
}

/**
 * Parses and fully validates cluster.yaml text. Every problem is reported at once as
 * `file:line:col: path: what is wrong — how to fix it`; structure first, then (when the
 * structure is sound) the cross-field rules.
 */
export function parseClusterConfig(
  text: string,
  file: string,
  baseDir = path.dirname(path.resolve(file)),
): LoadedConfig {
  const source = parseYamlSource(text, file);
  if (source.syntaxErrors.length > 0) throw new ConfigurationErrors(source.syntaxErrors);
  if (source.data === null || typeof source.data !== "object" || Array.isArray(source.data)) {
    throw new ConfigurationError(
      `${file}:1:1: the file must be a YAML mapping with apiVersion: pve-kube/v1 at the top`,
      "see workflows-examples/clusters/ for complete examples",
    );
  }
  const parsed = clusterConfigSchema.safeParse(source.data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      zodIssueProblems(issue, clusterConfigSchema, source.data),
    );
    throw new ConfigurationErrors(sortByPosition(problems.map((p) => problemToError(source, p))));
  }
  const problems = semanticProblems(parsed.data);
  if (problems.length > 0)
    throw new ConfigurationErrors(sortByPosition(problems.map((p) => problemToError(source, p))));
  return { file, config: parsed.data, plan: planCluster(parsed.data, { baseDir }) };
}

/** Reads cluster.yaml; `file` is shown in messages as given, and resolved against `cwd`. */
export async function loadClusterConfig(
  file: string,
  options: { cwd?: string } = {},
): Promise<LoadedConfig> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      `cannot read ${file}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}`,
      "pass the path of your cluster.yaml, relative to the repository root (e.g. clusters/demo/cluster.yaml)",
    );
  }
  return parseClusterConfig(text, file, path.dirname(absolute));
}

function sortByPosition(errors: ConfigurationError[]): ConfigurationError[] {
  return [...errors].sort(
    (a, b) =>
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.col ?? 0) - (b.location?.col ?? 0),
  );
}
