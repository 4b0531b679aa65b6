import type { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { closest } from "./did-you-mean.js";
import { describeField, knownKeysAt } from "./schema-walk.js";
import { formatPath, locate, type FieldPath, type YamlSource } from "./yaml-source.js";

/** One problem found in cluster.yaml, before it is given a position. */
export interface ConfigProblem {
  path: FieldPath;
  message: string;
  fix: string;
  /** point at the key (unknown keys) or at the value (wrong values); default value */
  target?: "key" | "value";
}

export function problemToError(source: YamlSource, problem: ConfigProblem): ConfigurationError {
  return new ConfigurationError(
    problem.message,
    problem.fix,
    locate(source, problem.path, problem.target ?? "value"),
  );
}

/** Translates zod's issues into problems that say what is wrong and how to fix it. */
export function zodIssueProblems(
  issue: z.core.$ZodIssue,
  root: z.ZodType,
  data: unknown,
): ConfigProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const known = knownKeysAt(root, path);
        const suggestion = closest(key, known);
        return {
          path: [...path, key],
          target: "key" as const,
          message: `unknown key '${key}'`,
          fix: suggestion
            ? `did you mean '${suggestion}'?`
            : `remove it; ${formatPath(path) || "the top level"} accepts: ${known.join(", ")}`,
        };
      });
    case "invalid_type": {
      if (value === undefined) {
        const description = describeField(root, path);
        const key = String(path[path.length - 1] ?? "");
        return [
          {
            path,
            target: "key",
            message: `'${key}' is required`,
            fix: `add '${key}:' here${description ? ` (${lowerFirst(description)})` : ""}`,
          },
        ];
      }
      return [
        {
          path,
          message: `expected ${article(issue.expected)}, got ${describe(value)}`,
          fix: `write ${article(issue.expected)} here`,
        },
      ];
    }
    case "invalid_value":
      return [
        {
          path,
          message: `${describe(value)} is not allowed`,
          fix: `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
        },
      ];
    case "invalid_union": {
      const discriminator = (issue as { note?: string }).note;
      return [
        {
          path,
          message: `${describe(value)} does not match any accepted form${discriminator ? ` (${discriminator})` : ""}`,
          fix: "check the documented forms of this field",
        },
      ];
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const which = issue.code === "too_small" ? "at least" : "at most";
      const what =
        issue.origin === "array"
          ? `${String(bound)} entr${Number(bound) === 1 ? "y" : "ies"}`
          : issue.origin === "string"
            ? `${String(bound)} characters`
            : String(bound);
      return [
        {
          path,
          message: `${describe(value)} is too ${issue.code === "too_small" ? "small" : "large"}`,
          fix: `use ${which} ${what}`,
        },
      ];
    }
    case "invalid_format":
    case "custom":
    default:
      return [{ path, message: `${describe(value)} is not valid`, fix: issue.message }];
  }
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    number: "a number",
    int: "a whole number",
    string: "a string",
    boolean: "true or false",
  };
  return names[type] ?? type;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, "");
}
