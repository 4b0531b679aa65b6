import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * The one rule for finishing a phase within its run instead of failing it for a re-run by hand.
 *
 * A step that failed is tried again, at most `maxAttempts` times in all, only when
 * 1. the failure is transient — `transientReason(error)` names why (a lock timeout, a 5xx, a
 *    host that dropped its SSH connection, a Helm wait that timed out); anything else fails at once;
 * 2. what the next attempt would do stays inside what was reviewed — `prepare(attempt)` works that
 *    out afresh (OpenTofu: re-plan and compare with the reviewed plan; Ansible: the hosts still to
 *    do; Helm: the same release and values) and returns `{ stop }` with the reason when it does
 *    not: the run then stops and asks for a new review instead of retrying.
 * Every retry is logged with its reason and recorded (attempt, reason, time it cost) for the phase
 * state and the report.
 */
export interface WithinRunRule {
  /** attempts in all, the first included (≥ 1) */
  maxAttempts: number;
  /** why this error is transient, or undefined when it is not */
  transientReason: (error: unknown) => string | undefined;
  /** pause before the next attempt, ms (0 in tests) */
  pauseMs?: (attempt: number) => number;
}

export interface RetryRecord {
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
  constructor(
    message: string,
    readonly retries: RetryRecord[],
  ) {
    super(message);
    this.name = "NeedsReviewError";
  }
}

export async function retryWithinRun<T, P>(options: {
  rule: WithinRunRule;
  what: string;
  logger: Pick<Logger, "warning" | "info">;
  /** before each retry (attempt ≥ 2): what to do next, or why not to */
  prepare: (attempt: number) => Promise<{ next: P } | { stop: string }>;
  /** one attempt; `next` is undefined on the first */
  attempt: (attempt: number, next: P | undefined) => Promise<T>;
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
      const line =
        getErrorMessage(error)
          .split("\n")
          .find((l) => l.trim()) ?? "";
      if (reason === undefined || attempt >= rule.maxAttempts) {
        if (reason !== undefined) {
          logger.warning(
            `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed (${reason}); no attempts left`,
          );
          // the retries made before are part of the failure's story (phase state, report, bench)
          if (retries.length && typeof error === "object" && error !== null)
            Object.assign(error, { retries });
        }
        throw error;
      }
      const pause = rule.pauseMs?.(attempt) ?? 0;
      if (pause > 0) await sleep(pause);
      const record = { attempt, reason, error: line, costMs: now() - started };
      retries.push(record);
      logger.warning(
        `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed on a transient error (${reason}: ${line}); trying again within this run`,
      );
      const decision = await options.prepare(attempt + 1);
      if ("stop" in decision)
        throw new NeedsReviewError(
          `${options.what} failed on a transient error (${reason}) and was not retried: ${decision.stop}. Review a new plan.`,
          retries,
        );
      next = decision.next;
    }
  }
}

/** Transient failures of an OpenTofu apply against Proxmox, by the texts the provider passes on. */
export function tofuTransientReason(error: unknown): string | undefined {
  const text = getErrorMessage(error);
  if (/got timeout|got lock request timeout/.test(text)) return "Proxmox lock timeout";
  if (/HTTP 59[5-9]\b|response - Reason: Errors during/.test(text)) return "Proxmox proxy timeout";
  if (/HTTP 50[0-4]\b/.test(text)) return "Proxmox HTTP 5xx";
  if (/connection reset|ECONNRESET|EOF|i\/o timeout/.test(text)) return "connection error";
  return undefined;
}
