import * as core from "@actions/core";
import { z } from "zod";
import { ConfigurationError } from "./errors.js";

/**
 * Inputs are parsed once, by a zod object schema keyed by the exact action.yml names. Every value
 * arrives as a string (or undefined when empty); the schema coerces and validates. A test checks
 * that each action.yml declares exactly the keys of its schema.
 */
export type InputSchema = z.ZodObject<Record<string, z.ZodType>>;

export function readInputs<S extends InputSchema>(
  schema: S,
  read: (name: string) => string = (n) => core.getInput(n),
): z.infer<S> {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = read(name);
    raw[name] = value === "" ? undefined : value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join(".");
      return `input '${name}': ${issue.message}`;
    });
    throw new ConfigurationError(
      problems.join("; "),
      "set the input in the step's `with:` block to a valid value",
    );
  }
  return parsed.data;
}

/**
 * Reads an input from the runner's `INPUT_<NAME>` variables, as @actions/core does, but from the
 * given environment — so an action's run() can be driven by a test with its own env.
 */
export const inputFromEnv =
  (env: NodeJS.ProcessEnv) =>
  (name: string): string =>
    (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();

/** The Proxmox connection inputs every action that talks to Proxmox declares in its action.yml. */
export const proxmoxConnectionInputs = {
  "proxmox-url": z.string().optional(),
  "proxmox-fingerprint": z.string().optional(),
  "proxmox-token-id": z.string().optional(),
  "proxmox-token-secret": z.string().optional(),
};

/** Strict boolean input: only true/false (any case); anything else is a mistake, not `false`. */
export const booleanInput = (defaultValue: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return defaultValue;
      const lower = value.trim().toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      ctx.addIssue({ code: "custom", message: `expected true or false, got '${value}'` });
      return z.NEVER;
    });

export const integerInput = (defaultValue: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return defaultValue;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({
          code: "custom",
          message: `expected a whole number ≥ ${min}, got '${value}'`,
        });
        return z.NEVER;
      }
      return n;
    });

/** Newline- or comma-separated list input. */
export const listInput = () =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
