import {
  isBoolean,
  isMapping,
  isNumber,
  isScalar,
  isSequence,
  isString,
} from "@actions/workflow-parser";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

/**
 * Reading the parsed YAML tokens directly, for the keys the parser's model conversion drops
 * (step `with`, `shell`, `working-directory`, `timeout-minutes`; job `defaults`, `permissions`,
 * `timeout-minutes`, `continue-on-error`).
 */
export function findKey(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) {
    if (isString(pair.key) && pair.key.value === key) return pair.value;
  }
  return undefined;
}

export function findMapping(
  token: TemplateToken | undefined,
  key: string,
): MappingToken | undefined {
  const value = findKey(token, key);
  return value && isMapping(value) ? value : undefined;
}

/** A literal YAML value as JS (expressions are left for the caller to evaluate). */
export function literalValue(token: TemplateToken | undefined): unknown {
  if (!token) return undefined;
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map(literalValue);
  if (isMapping(token)) {
    const result: Record<string, unknown> = {};
    for (const pair of token) result[pair.key.toString()] = literalValue(pair.value);
    return result;
  }
  if (token.isLiteral) return null;
  return isScalar(token) ? token.toString() : undefined;
}

/** Job ids of a `jobs:` mapping, in file order, with their raw mappings. */
export function rawJobs(root: TemplateToken): Map<string, MappingToken> {
  const result = new Map<string, MappingToken>();
  const jobs = findMapping(root, "jobs");
  if (!jobs) return result;
  for (const pair of jobs) {
    if (isString(pair.key) && isMapping(pair.value)) result.set(pair.key.value, pair.value);
  }
  return result;
}

/** The raw step mappings of a job, in order (the parser's steps correspond 1:1 when parsing succeeded). */
export function rawSteps(job: TemplateToken): MappingToken[] {
  const steps = findKey(job, "steps");
  if (!steps || !isSequence(steps)) return [];
  return [...steps].filter(isMapping);
}
