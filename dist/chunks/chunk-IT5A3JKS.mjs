import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/helm/values.ts
import { createHash } from "node:crypto";
function isMap(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
__name(isMap, "isMap");
function mergeValues(...layers) {
  const merge = /* @__PURE__ */ __name((base, over) => {
    const out = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (value === null) delete out[key];
      else if (isMap(value) && isMap(out[key])) out[key] = merge(out[key], value);
      else out[key] = value;
    }
    return out;
  }, "merge");
  return layers.reduce((acc, layer) => merge(acc, layer), {});
}
__name(mergeValues, "mergeValues");
function canonicalJson(value) {
  const sort = /* @__PURE__ */ __name((v) => Array.isArray(v) ? v.map(sort) : isMap(v) ? Object.fromEntries(
    Object.keys(v).sort().map((k) => [k, sort(v[k])])
  ) : v, "sort");
  return JSON.stringify(sort(value));
}
__name(canonicalJson, "canonicalJson");
function valuesHash(values) {
  return createHash("sha256").update(canonicalJson(values)).digest("hex").slice(0, 16);
}
__name(valuesHash, "valuesHash");

// actions/lib/helm/plan.ts
function planRelease(opts) {
  const hash = valuesHash(opts.values);
  const base = {
    release: opts.release,
    chart: opts.chart,
    version: opts.version,
    valuesHash: hash
  };
  if (!opts.reachable)
    return { ...base, action: "unknown", reasons: ["the cluster is not reachable yet"] };
  const d = opts.deployed;
  if (!d) return { ...base, action: "install", reasons: ["not installed"] };
  const deployedHash = valuesHash(opts.deployedValues ?? {});
  const reasons = [];
  if (d.chartName !== opts.chart) reasons.push(`chart ${d.chartName} \u2192 ${opts.chart}`);
  if (d.chartVersion !== opts.version) reasons.push(`version ${d.chartVersion} \u2192 ${opts.version}`);
  if (deployedHash !== hash) reasons.push(`values ${deployedHash} \u2192 ${hash}`);
  if (d.status !== "deployed") reasons.push(`last revision ${d.revision} is ${d.status}`);
  return {
    ...base,
    action: reasons.length > 0 ? "upgrade" : "none",
    deployedVersion: d.chartVersion,
    deployedValuesHash: deployedHash,
    deployedRevision: d.revision,
    reasons
  };
}
__name(planRelease, "planRelease");
function releasePlanLine(plan) {
  switch (plan.action) {
    case "none":
      return `${plan.release}: no change (${plan.chart} ${plan.version}, revision ${plan.deployedRevision}, values ${plan.valuesHash})`;
    case "install":
      return `${plan.release}: install ${plan.chart} ${plan.version} (values ${plan.valuesHash})`;
    case "upgrade":
      return `${plan.release}: upgrade revision ${plan.deployedRevision} (${plan.reasons.join("; ")})`;
    case "unknown":
      return `${plan.release}: ${plan.chart} ${plan.version}, values ${plan.valuesHash} (${plan.reasons.join("; ")}: install or upgrade decided at deploy time)`;
  }
}
__name(releasePlanLine, "releasePlanLine");

export {
  mergeValues,
  canonicalJson,
  valuesHash,
  planRelease,
  releasePlanLine
};
