/** One row of the preflight report. */
export type CheckResult = "pass" | "warn" | "fail" | "skipped";

export interface CheckOutcome {
  check: string;
  result: CheckResult;
  detail: string;
  /** how to fix it (fail/warn), as a person would do it */
  fix?: string;
}

export const pass = (check: string, detail: string): CheckOutcome => ({
  check,
  result: "pass",
  detail,
});
export const warn = (check: string, detail: string, fix?: string): CheckOutcome => ({
  check,
  result: "warn",
  detail,
  ...(fix ? { fix } : {}),
});
export const fail = (check: string, detail: string, fix?: string): CheckOutcome => ({
  check,
  result: "fail",
  detail,
  ...(fix ? { fix } : {}),
});
export const skipped = (check: string, detail: string): CheckOutcome => ({
  check,
  result: "skipped",
  detail,
});

export function hasFailures(outcomes: readonly CheckOutcome[]): boolean {
  return outcomes.some((o) => o.result === "fail");
}

const GIB = 1024 ** 3;
export const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** A thrown error as a report row's detail and fix (a ConfigurationError carries its fix). */
export function describeError(error: unknown): { detail: string; fix?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const fix = (error as { fix?: unknown } | null)?.fix;
  if (typeof fix === "string" && fix && message.endsWith(` — ${fix}`))
    return { detail: message.slice(0, -(fix.length + 3)), fix };
  return { detail: message };
}
