import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoPath } from "./repo.js";

function toolsCache(): string {
  return path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
    "pve-kube",
    "tools",
  );
}

function pins(): { helm: { version: string }; charts: Record<string, { version: string }> } {
  return JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as ReturnType<typeof pins>;
}

/**
 * The Helm built by test/tools/install-helm.sh at the versions.json pin, or an error that fails
 * the test: `npm test` builds it (test/tools/install.sh), so a missing Helm is a failure, not a skip.
 */
export function requireHelm(): string {
  const helm = path.join(toolsCache(), `helm-${pins().helm.version}`, "helm");
  if (!existsSync(helm))
    throw new Error(
      `Helm is not installed (${helm}): run bash test/tools/install-helm.sh (npm test does)`,
    );
  return helm;
}

/** A pinned chart extracted by test/tools/install-charts.sh, or an error that fails the test. */
export function requireChart(name: string): string {
  const version = pins().charts[name]?.version;
  if (!version) throw new Error(`versions.json has no charts.${name}`);
  const dir = path.join(toolsCache(), "charts", `${name}-${version}`);
  if (!existsSync(path.join(dir, "Chart.yaml")))
    throw new Error(
      `chart ${name} ${version} is not extracted (${dir}): run bash test/tools/install-charts.sh (npm test does)`,
    );
  return dir;
}
