import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { InputDefinition, SecretDefinition } from "./triggers.js";

/**
 * Resolves workflow inputs (workflow_dispatch from --input, workflow_call from `with:` or --input)
 * against their definitions: types, choices, defaults and required ones. Every problem is
 * collected so the user sees them all at once.
 */
export type InputValue = string | boolean | number;

export interface ResolveInputsOptions {
  /** how the user passes inputs, for messages: "--input" or "with:" */
  source: string;
  evaluateDefault(token: TemplateToken): unknown;
}

export interface Resolved<T> {
  values: Record<string, T>;
  problems: string[];
}

function coerce(
  definition: InputDefinition,
  value: unknown,
): { value?: InputValue; problem?: string } {
  const name = definition.name;
  switch (definition.type) {
    case "boolean": {
      if (typeof value === "boolean") return { value };
      const text = String(value).trim().toLowerCase();
      if (text === "true" || text === "false") return { value: text === "true" };
      return { problem: `input '${name}' is a boolean: use true or false, not '${String(value)}'` };
    }
    case "number": {
      const number = typeof value === "number" ? value : Number(String(value).trim());
      if (String(value).trim() === "" || Number.isNaN(number))
        return { problem: `input '${name}' is a number, got '${String(value)}'` };
      return { value: number };
    }
    case "choice": {
      const text = String(value);
      if (definition.options && !definition.options.includes(text)) {
        return {
          problem: `input '${name}' must be one of ${definition.options.map((o) => `'${o}'`).join(", ")}, got '${text}'`,
        };
      }
      return { value: text };
    }
    default:
      return {
        value:
          typeof value === "string"
            ? value
            : typeof value === "number" || typeof value === "boolean"
              ? String(value)
              : JSON.stringify(value),
      };
  }
}

function emptyValue(type: InputDefinition["type"]): InputValue {
  return type === "boolean" ? false : type === "number" ? 0 : "";
}

export function resolveInputs(
  definitions: readonly InputDefinition[],
  given: Record<string, unknown>,
  options: ResolveInputsOptions,
): Resolved<InputValue> {
  const values: Record<string, InputValue> = {};
  const problems: string[] = [];
  const byName = new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name.toLowerCase())) {
      const known = definitions.map((d) => d.name).join(", ") || "none";
      problems.push(`unknown input '${name}' (${options.source}); the workflow defines: ${known}`);
    }
  }
  for (const definition of definitions) {
    const key = Object.keys(given).find((k) => k.toLowerCase() === definition.name.toLowerCase());
    let raw: unknown = key === undefined ? undefined : given[key];
    if (raw === undefined && definition.default !== undefined)
      raw = options.evaluateDefault(definition.default);
    if (raw === undefined || raw === null) {
      if (definition.required)
        problems.push(
          `input '${definition.name}' is required: pass it with ${options.source === "--input" ? `--input ${definition.name}=<value>` : `with: ${definition.name}: <value>`}`,
        );
      values[definition.name] = emptyValue(definition.type);
      continue;
    }
    const result = coerce(definition, raw);
    if (result.problem) problems.push(result.problem);
    values[definition.name] = result.value ?? emptyValue(definition.type);
  }
  return { values, problems };
}

/** Checks that every required workflow_call secret is present (an empty value counts as missing, like an unset secret). */
export function checkSecrets(
  definitions: readonly SecretDefinition[],
  given: Record<string, string>,
  source: string,
): string[] {
  const present = new Set(
    Object.entries(given)
      .filter(([, value]) => value !== "")
      .map(([k]) => k.toLowerCase()),
  );
  return definitions
    .filter((d) => d.required && !present.has(d.name.toLowerCase()))
    .map(
      (d) =>
        `secret '${d.name}' is required: pass it with ${source === "--secret" ? `--secret ${d.name}=<value>` : `secrets: ${d.name}: <value> (or secrets: inherit)`}`,
    );
}
