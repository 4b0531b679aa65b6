import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  external_exports
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/helm/argv.ts
function target(ref) {
  return ["--namespace", ref.namespace, "--kubeconfig", ref.kubeconfig];
}
__name(target, "target");
function chartArgs(chart) {
  return "path" in chart ? [chart.path] : [chart.chart, "--repo", chart.repo, "--version", chart.version];
}
__name(chartArgs, "chartArgs");
function helmUpgradeArgs(ref) {
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
    "10"
  ];
}
__name(helmUpgradeArgs, "helmUpgradeArgs");
function helmListArgs(ref) {
  return ["list", ...target(ref), "--filter", `^${escapeRegExp(ref.release)}$`, "--output", "json"];
}
__name(helmListArgs, "helmListArgs");
function helmGetValuesArgs(ref) {
  return ["get", "values", ref.release, ...target(ref), "--output", "json"];
}
__name(helmGetValuesArgs, "helmGetValuesArgs");
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
__name(escapeRegExp, "escapeRegExp");
function helmGetManifestArgs(ref) {
  return ["get", "manifest", ref.release, ...target(ref)];
}
__name(helmGetManifestArgs, "helmGetManifestArgs");

// actions/lib/helm/release.ts
var listedRelease = external_exports.object({
  name: external_exports.string(),
  namespace: external_exports.string(),
  revision: external_exports.union([external_exports.string(), external_exports.number()]).transform((r) => Number(r)),
  status: external_exports.string(),
  /** "<chart name>-<chart version>", e.g. cilium-1.20.2 */
  chart: external_exports.string(),
  app_version: external_exports.string().optional()
});
function splitChartLabel(label) {
  const match = /^(.*)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(label);
  return match ? { name: match[1], version: match[2] } : { name: label, version: "" };
}
__name(splitChartLabel, "splitChartLabel");
function parseHelmList(stdout, release) {
  const parsed = external_exports.array(listedRelease).parse(JSON.parse(stdout.trim() || "[]"));
  const found = parsed.find((r) => r.name === release);
  if (!found) return void 0;
  const chart = splitChartLabel(found.chart);
  return {
    name: found.name,
    namespace: found.namespace,
    revision: found.revision,
    status: found.status,
    chartName: chart.name,
    chartVersion: chart.version
  };
}
__name(parseHelmList, "parseHelmList");
function parseHelmValues(stdout) {
  const parsed = JSON.parse(stdout.trim() || "null");
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
}
__name(parseHelmValues, "parseHelmValues");

export {
  helmUpgradeArgs,
  helmListArgs,
  helmGetValuesArgs,
  helmGetManifestArgs,
  parseHelmList,
  parseHelmValues
};
