import { createHash } from "node:crypto";

/** Helm values: a YAML/JSON mapping. */
export type HelmValues = Record<string, unknown>;

function isMap(value: unknown): value is HelmValues {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Helm's own merge of several values files: maps merge key by key, anything else (lists,
 * scalars) is replaced by the later file; a null removes the key, as `helm --set key=null` does.
 */
export function mergeValues(...layers: HelmValues[]): HelmValues {
  const merge = (base: HelmValues, over: HelmValues): HelmValues => {
    const out: HelmValues = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (value === null) delete out[key];
      else if (isMap(value) && isMap(out[key])) out[key] = merge(out[key], value);
      else out[key] = value;
    }
    return out;
  };
  return layers.reduce<HelmValues>((acc, layer) => merge(acc, layer), {});
}

/** JSON with keys sorted at every level: the same values always give the same text. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : isMap(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort(v[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

/** The short fingerprint of a set of values that plans and the summary show. */
export function valuesHash(values: HelmValues): string {
  return createHash("sha256").update(canonicalJson(values)).digest("hex").slice(0, 16);
}
