import { isMapping, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { EvalScope } from "./expressions.js";
import { ExpressionFailure, evaluateString, evaluateToken } from "./expressions.js";
import { findKey, findMapping, literalValue } from "./tokens.js";

/**
 * Job and step settings the parser's model does not carry, read from the raw tokens and
 * evaluated: timeouts, continue-on-error, defaults.run, environment, permissions, runs-on, and
 * step shell / working-directory / with.
 */
export const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

export interface RunDefaults {
  shell?: string;
  workingDirectory?: string;
}

function numberSetting(
  token: TemplateToken | undefined,
  scope: EvalScope,
  what: string,
): number | undefined {
  if (!token) return undefined;
  const value = evaluateToken(token, scope);
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number) || number <= 0)
    throw new ExpressionFailure(
      `${what} must be a positive number of minutes, got '${String(value)}'`,
    );
  return number;
}

export function timeoutMs(
  owner: TemplateToken,
  scope: EvalScope,
  what: string,
): number | undefined {
  const minutes = numberSetting(
    findKey(owner, "timeout-minutes"),
    scope,
    `${what} timeout-minutes`,
  );
  return minutes === undefined ? undefined : Math.round(minutes * 60_000);
}

export function booleanSetting(
  token: TemplateToken | boolean | undefined,
  scope: EvalScope,
): boolean {
  if (token === undefined) return false;
  if (typeof token === "boolean") return token;
  const value = evaluateToken(token, scope);
  return value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
}

/** defaults.run of a workflow or job, the job's overriding the workflow's. */
export function runDefaults(
  owner: TemplateToken,
  scope: EvalScope,
  outer: RunDefaults = {},
): RunDefaults {
  const run = findMapping(findMapping(owner, "defaults"), "run");
  const shell = findKey(run, "shell");
  const workingDirectory = findKey(run, "working-directory");
  return {
    shell: shell ? evaluateString(shell, scope) : outer.shell,
    workingDirectory: workingDirectory
      ? evaluateString(workingDirectory, scope)
      : outer.workingDirectory,
  };
}

export function environmentName(
  token: TemplateToken | undefined,
  scope: EvalScope,
): { name: string; url?: string } | undefined {
  if (!token) return undefined;
  if (isMapping(token)) {
    const name = findKey(token, "name");
    const url = findKey(token, "url");
    return {
      name: name ? evaluateString(name, scope) : "",
      url: url ? evaluateString(url, scope) : undefined,
    };
  }
  return { name: evaluateString(token, scope) };
}

/** `permissions:` as one line for the log (not enforced locally: there is no GITHUB_TOKEN). */
export function describePermissions(owner: TemplateToken): string | undefined {
  const token = findKey(owner, "permissions");
  if (!token) return undefined;
  if (isString(token)) return token.value;
  const value = literalValue(token);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0
      ? "{} (none)"
      : entries.map(([k, v]) => `${k}: ${String(v)}`).join(", ");
  }
  return String(value);
}

export function describeRunsOn(
  token: TemplateToken | undefined,
  scope: EvalScope,
): string | undefined {
  if (!token) return undefined;
  const value = evaluateToken(token, scope);
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The group of a `concurrency:` value (a string, or a mapping with `group`). */
export function concurrencyGroupName(value: unknown): string | undefined {
  const group: unknown =
    value && typeof value === "object" && "group" in value ? value.group : value;
  if (typeof group === "number") return String(group);
  return typeof group === "string" && group !== "" ? group : undefined;
}

export function stringSetting(
  owner: TemplateToken,
  key: string,
  scope: EvalScope,
): string | undefined {
  const token = findKey(owner, key);
  return token ? evaluateString(token, scope) : undefined;
}
