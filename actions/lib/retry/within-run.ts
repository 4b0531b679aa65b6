import { CommandError, getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * The one rule for finishing a phase within its run instead of failing it for a re-run by hand
 * (docs/convergence.md, "Retrying within the run"; every phase uses it the same way).
 *
 * A step that failed is tried again, at most `maxAttempts` times in all, only when
 * 1. the failure is transient — `transientReason(error)` names why (transient.ts has the tables:
 *    Proxmox lock timeouts and 5xx, an SSH connection that dropped, a Kubernetes wait that timed
 *    out); anything else fails at once;
 * 2. what the next attempt would do stays inside what was reviewed — `prepare(attempt)` works that
 *    out afresh (OpenTofu: re-plan and compare with the reviewed plan; Ansible: the hosts still to
 *    do; Helm: the same release and values) and returns `{ stop }` with the reason when it does
 *    not: the run then stops and asks for a new review instead of retrying.
 * Between attempts it pauses (`pauseMs`, backoff.ts's jittered backoff). Every retry is logged
 * with its reason and recorded (attempt, reason, time it cost) for the phase state and the report;
 * a failure that ends the step carries the retries made before it as `error.retries`.
 */
export interface WithinRunRule {
  /** attempts in all, the first included (≥ 1) */
  maxAttempts: number;
  /** why this error is transient, or undefined when it is not (transient.ts) */
  transientReason: (error: unknown) => string | undefined;
  /** pause after failed attempt n (1 = the first) before the next one, ms; none when absent */
  pauseMs?: (attempt: number) => number;
}

export interface RetryRecord {
  /** the step that was retried (`what`): "tofu plan", "tofu apply", … */
  step?: string;
  /** the attempt that failed (1 = the first) */
  attempt: number;
  reason: string;
  /** first line of the error */
  error: string;
  /** what the failed attempt and the pause before the next one cost, ms */
  costMs: number;
}

export interface WithinRunResult<T> {
  value: T;
  retries: RetryRecord[];
}

/** The run stops and asks for review: what would be retried is not what was reviewed. */
export class NeedsReviewError extends Error {
  override name = "NeedsReviewError";
  constructor(
    message: string,
    readonly retries: RetryRecord[],
  ) {
    super(message);
  }
}

/** The retries a failed step made before it gave up (none when it failed at once). */
export function retriesOf(error: unknown): RetryRecord[] {
  const retries = (error as { retries?: unknown } | null)?.retries;
  return Array.isArray(retries) ? (retries as RetryRecord[]) : [];
}

/**
 * The line that says what went wrong, for logs and records: for a failed command the first line
 * of its stderr that names an error (OpenTofu draws its diagnostics in a box of │), joined with
 * the next line when it ends in a colon (the bpg provider's "All attempts fail:" names the cause
 * there); else the message's first line. Never the command line itself: it says nothing new and
 * carries runner paths.
 */
export function errorLine(error: unknown): string {
  const message = getErrorMessage(error);
  const stderr = error instanceof CommandError ? error.stderrTail : message;
  const lines = stderr
    .split("\n")
    .map((l) => l.replace(/^[\s│╷╵]+/, "").trim())
    .filter(Boolean);
  const i = lines.findIndex((l) => /\berror\b/i.test(l));
  let line = i >= 0 ? (lines[i] ?? "") : (lines[0] ?? message.split("\n")[0] ?? "");
  const following = lines[i + 1];
  if (i >= 0 && line.endsWith(":") && following) line = `${line} ${following}`;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Hands the retries made so far to the error that ends the step, then throws it. */
function failWith(error: unknown, retries: RetryRecord[]): never {
  if (retries.length && typeof error === "object" && error !== null && !("retries" in error))
    Object.assign(error, { retries });
  throw error;
}

export async function retryWithinRun<T, P>(options: {
  rule: WithinRunRule;
  /** names the step in the log: "tofu apply", "ansible-playbook site.yml", "helm upgrade cilium" */
  what: string;
  logger: Pick<Logger, "warning" | "info">;
  /** before each retry (attempt ≥ 2): what to do next, or why not to */
  prepare: (attempt: number) => Promise<{ next: P } | { stop: string }>;
  /** one attempt; `next` is undefined on the first */
  attempt: (attempt: number, next: P | undefined) => Promise<T>;
  /** each retry as it is decided (a phase collects the retries of all its steps in order) */
  onRetry?: (record: RetryRecord) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<WithinRunResult<T>> {
  const { rule, logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries: RetryRecord[] = [];
  let next: P | undefined;
  for (let attempt = 1; ; attempt++) {
    const started = now();
    try {
      return { value: await options.attempt(attempt, next), retries };
    } catch (error) {
      const reason = rule.transientReason(error);
      if (reason === undefined) failWith(error, retries);
      if (attempt >= rule.maxAttempts) {
        logger.warning(
          `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed (${reason}); no attempts left`,
        );
        failWith(error, retries);
      }
      const pause = Math.max(0, rule.pauseMs?.(attempt) ?? 0);
      logger.warning(
        `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed on a transient error (${reason}: ${errorLine(error)}); trying again within this run${pause ? ` in ${(pause / 1000).toFixed(1)} s` : ""}`,
      );
      if (pause > 0) await sleep(pause);
      const record = {
        step: options.what,
        attempt,
        reason,
        error: errorLine(error),
        costMs: now() - started,
      };
      retries.push(record);
      options.onRetry?.(record);
      let decision: { next: P } | { stop: string };
      try {
        decision = await options.prepare(attempt + 1);
      } catch (prepareError) {
        failWith(prepareError, retries);
      }
      if ("stop" in decision)
        throw new NeedsReviewError(
          `${options.what} failed on a transient error (${reason}) and was not retried: ${decision.stop}. Review a new plan.`,
          retries,
        );
      next = decision.next;
    }
  }
}
