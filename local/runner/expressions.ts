import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isScalar,
  isSequence,
  isString,
} from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

/**
 * `${{ }}` evaluation with GitHub's own expression engine (@actions/expressions): contexts are
 * plain JS objects, converted to expression data per evaluation; the runner adds the status
 * functions (success/failure/cancelled/always) and hashFiles, which depend on where they run.
 */
export interface JobStatusView {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface EvalScope {
  /** github, inputs, secrets, vars, env, needs, matrix, strategy, steps, job, runner, jobs */
  contexts: Record<string, unknown>;
  status?: JobStatusView;
  hashFiles?: (patterns: string[]) => string;
  /** workflow file, for error positions */
  file?: string;
}

export class ExpressionFailure extends Error {
  override name = "ExpressionFailure";
}

/** Structural twin of @actions/expressions' FunctionDefinition (not exported by the package). */
interface FunctionDefinition {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

/** Plain JSON-like value → expression data (dictionaries are case-insensitive, like GitHub's). */
export function toExpressionData(value: unknown): data.ExpressionData {
  if (value === undefined) return new data.Null();
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

/** Expression data → plain JSON-like value. */
export function fromExpressionData(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

function runnerFunctions(scope: EvalScope): Map<string, FunctionDefinition> {
  const status = scope.status;
  const statusFn = (name: string, fn: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(fn()),
  });
  const fns: FunctionDefinition[] = [
    statusFn("success", () => status?.success() ?? true),
    statusFn("failure", () => status?.failure() ?? false),
    statusFn("cancelled", () => status?.cancelled() ?? false),
    statusFn("always", () => true),
    {
      name: "hashFiles",
      minArgs: 1,
      maxArgs: 255,
      call: (...args) => {
        if (!scope.hashFiles) throw new ExpressionFailure("hashFiles() is only available in steps");
        return new data.StringData(scope.hashFiles(args.map((a) => a.coerceString())));
      },
    },
  ];
  return new Map(fns.map((f) => [f.name.toLowerCase(), f]));
}

export function evaluateExpression(expression: string, scope: EvalScope): data.ExpressionData {
  const functions = runnerFunctions(scope);
  const names = Object.keys(scope.contexts);
  const lexed = new Lexer(expression).lex();
  const tree = new Parser(lexed.tokens, names, [...functions.values()]).parse();
  const context = new data.Dictionary(
    ...names.map((key) => ({ key, value: toExpressionData(scope.contexts[key]) })),
  );
  return new Evaluator(tree, context, functions).evaluate();
}

function where(token: TemplateToken, scope: EvalScope): string {
  return token.line !== undefined
    ? `${scope.file ?? "workflow"}:${token.line}:${token.col ?? 1}: `
    : "";
}

function describe(token: TemplateToken): string {
  if (isBasicExpression(token)) return `\${{ ${token.expression} }}`;
  return isScalar(token) ? token.toString() : isSequence(token) ? "(a list)" : "(a mapping)";
}

function evaluateTokenExpression(
  token: TemplateToken,
  expression: string,
  scope: EvalScope,
): data.ExpressionData {
  try {
    return evaluateExpression(expression, scope);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionFailure(`${where(token, scope)}evaluating ${describe(token)}: ${message}`);
  }
}

/** Evaluates a condition (`if:`), already normalised by the parser to contain a status function. */
export function evaluateCondition(expression: string, scope: EvalScope): boolean {
  try {
    const result = evaluateExpression(expression, scope);
    return !(
      result.kind === data.Kind.Null ||
      (result.kind === data.Kind.Boolean && !result.value) ||
      (result.kind === data.Kind.Number &&
        (result.number() === 0 || Number.isNaN(result.number()))) ||
      (result.kind === data.Kind.String && result.coerceString() === "")
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionFailure(`evaluating condition '${expression}': ${message}`);
  }
}

/** Any token → plain value (mappings, sequences, literals and expressions inside them). */
export function evaluateToken(token: TemplateToken, scope: EvalScope): unknown {
  if (isBasicExpression(token))
    return fromExpressionData(evaluateTokenExpression(token, token.expression, scope));
  if (isString(token)) return token.value;
  if (isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (isMapping(token)) {
    const result: Record<string, unknown> = {};
    for (const pair of token)
      result[evaluateString(pair.key, scope)] = evaluateToken(pair.value, scope);
    return result;
  }
  if (token.isLiteral) return null;
  throw new ExpressionFailure(
    `${where(token, scope)}${describe(token)}: this kind of expression (insert) is not supported by the local runner`,
  );
}

/** A token in a string position (env values, with: inputs, run:), coerced like GitHub does. */
export function evaluateString(token: TemplateToken, scope: EvalScope): string {
  if (isString(token)) return token.value;
  if (isNumber(token) || isBoolean(token)) return String(token.value);
  if (isBasicExpression(token)) {
    const result = evaluateTokenExpression(token, token.expression, scope);
    if (result.kind === data.Kind.Array || result.kind === data.Kind.Dictionary) {
      throw new ExpressionFailure(
        `${where(token, scope)}${describe(token)} is ${result.kind === data.Kind.Array ? "a list" : "an object"}, a string was expected (use toJSON())`,
      );
    }
    return result.kind === data.Kind.Null ? "" : result.coerceString();
  }
  if (token.isLiteral) return "";
  throw new ExpressionFailure(
    `${where(token, scope)}a string was expected, got a ${isSequence(token) ? "list" : "mapping"}`,
  );
}

/** A mapping of strings (env:, with:, outputs:). */
export function evaluateStringMap(
  token: TemplateToken | undefined,
  scope: EvalScope,
): Record<string, string> {
  if (!token) return {};
  if (isBasicExpression(token)) {
    const value = evaluateToken(token, scope);
    if (!value || typeof value !== "object" || Array.isArray(value))
      throw new ExpressionFailure(
        `${where(token, scope)}${describe(token)} must evaluate to a mapping`,
      );
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        typeof v === "string" ? v : v === null ? "" : JSON.stringify(v),
      ]),
    );
  }
  if (!isMapping(token))
    throw new ExpressionFailure(`${where(token, scope)}a mapping was expected`);
  const result: Record<string, string> = {};
  // values are evaluated independently: one env entry does not see another of the same mapping
  for (const pair of token)
    result[evaluateString(pair.key, scope)] = evaluateString(pair.value, scope);
  return result;
}

/**
 * A plain string with embedded `${{ }}` (action.yml input defaults, post-if), evaluated the way
 * the parser does for workflow strings: each expression coerced to a string.
 */
export function evaluateTemplateString(text: string, scope: EvalScope): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => {
    const result = evaluateExpression(expression.trim(), scope);
    if (result.kind === data.Kind.Null) return "";
    if (result.kind === data.Kind.Array || result.kind === data.Kind.Dictionary)
      return JSON.stringify(fromExpressionData(result));
    return result.coerceString();
  });
}

/** `${{ expr }}` or `expr` → `expr` (conditions may be written either way). */
export function stripExpressionMarkers(text: string): string {
  const match = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  return (match?.[1] ?? text).trim();
}
