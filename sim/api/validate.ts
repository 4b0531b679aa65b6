import { paramError } from "../http/pve-error.js";
import type { ParamSpec, ParamSpecs, PropertyStringSpec } from "./param-types.js";

export type Params = Record<string, string>;

/** `scsi0` → the spec listed as `scsi[n]`, if its index is in range. */
export function specFor(specs: ParamSpecs, key: string): ParamSpec | undefined {
  const direct = specs[key];
  if (direct) return direct;
  const match = /^([a-z]+)(\d+)$/.exec(key);
  if (!match) return undefined;
  const indexed = specs[`${match[1] ?? ""}[n]`];
  if (!indexed) return undefined;
  return Number(match[2]) <= (indexed.maxIndex ?? 0) ? indexed : undefined;
}

/**
 * Checks every parameter the way PVE::JSONSchema does: unknown keys, missing required ones,
 * types, enums, ranges, formats and property strings. All problems are collected into one 400
 * `Parameter verification failed.` with a per-key `errors` map.
 */
export function validateParams(specs: ParamSpecs, params: Params): void {
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const spec = specFor(specs, key);
    if (!spec) {
      errors[key] =
        "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) errors[key] = problem;
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (!spec.optional && !key.endsWith("[n]") && params[key] === undefined)
      errors[key] = "property is missing and it is not optional";
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
}

function checkValue(spec: ParamSpec, value: string): string | undefined {
  switch (spec.type) {
    case "boolean":
      if (!/^(0|1)$/.test(value)) return `type check ('boolean') failed - got '${value}'`;
      return undefined;
    case "integer":
      if (!/^-?\d+$/.test(value)) return `type check ('integer') failed - got '${value}'`;
      return range(spec, Number(value));
    case "number":
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value))
        return `type check ('number') failed - got '${value}'`;
      return range(spec, Number(value));
    case "string":
      if (spec.enum && !spec.enum.includes(value))
        return `value '${value}' does not have a value in the enumeration '${spec.enum.join(", ")}'`;
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        return `value may only be ${spec.maxLength} characters long`;
      if (spec.pattern && !spec.pattern.test(value))
        return spec.format
          ? `value does not match the regex pattern`
          : `value does not match the regex pattern`;
      if (spec.propertyString) return checkPropertyString(spec.propertyString, value);
      return undefined;
  }
}

function range(spec: ParamSpec, n: number): string | undefined {
  if (spec.minimum !== undefined && n < spec.minimum)
    return `value must have a minimum value of ${spec.minimum}`;
  if (spec.maximum !== undefined && n > spec.maximum)
    return `value must have a maximum value of ${spec.maximum}`;
  return undefined;
}

/** Parses `a=1,b=x` (with an optional bare first value for the default key). */
export function parsePropertyString(
  value: string,
  spec: PropertyStringSpec,
): Record<string, string> {
  const out: Record<string, string> = {};
  value.split(",").forEach((part, i) => {
    if (part === "") return;
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (spec.flagKeys?.includes(part)) out[part] = "";
      else if (i === 0 && spec.defaultKey) out[spec.defaultKey] = part;
      else out[part] = "\u0000";
      return;
    }
    out[part.slice(0, eq)] = part.slice(eq + 1);
  });
  return out;
}

const BOOLEAN_WORDS = /^(1|0|on|off|yes|no|true|false)$/i;

function checkPropertyString(spec: PropertyStringSpec, value: string): string | undefined {
  const parsed = parsePropertyString(value, spec);
  for (const [key, sub] of Object.entries(parsed)) {
    const def = spec.keys[key] ?? (spec.flagKeys?.includes(key) ? "string" : undefined);
    if (!def || sub === "\u0000")
      return `invalid format - format error\n${key}: property is not defined in schema and the schema does not allow additional properties`;
    const type = typeof def === "string" ? def : def.type;
    const problem =
      type === "boolean"
        ? BOOLEAN_WORDS.test(sub)
          ? undefined
          : `type check ('boolean') failed - got '${sub}'`
        : type === "integer"
          ? /^\d+$/.test(sub)
            ? undefined
            : `type check ('integer') failed - got '${sub}'`
          : typeof def !== "string" && def.enum && !def.enum.includes(sub)
            ? `value '${sub}' does not have a value in the enumeration '${def.enum.join(", ")}'`
            : typeof def !== "string" && def.pattern && !def.pattern.test(sub)
              ? "value does not match the regex pattern"
              : undefined;
    if (problem) return `invalid format - format error\n${key}: ${problem}`;
  }
  if (spec.defaultKey && parsed[spec.defaultKey] === undefined && !spec.flagKeys) {
    return `invalid format - format error\n${spec.defaultKey}: property is missing and it is not optional`;
  }
  return undefined;
}
