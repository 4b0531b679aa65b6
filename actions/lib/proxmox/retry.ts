import { ProxmoxApiError, ProxmoxUnreachableError, isNotFound } from "./errors.js";

/**
 * Retry policy for reads. Only idempotent calls (GET) are retried; a write that failed in an
 * unknown way is resolved by looking at the resulting state (check-then-act), never by sending it
 * again.
 */
export interface RetryPolicy {
  /** attempts in total, including the first (the bound) */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** uniform in [0, 1); injectable so tests are deterministic */
  random: () => number;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  sleep: realSleep,
  random: Math.random,
};

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, base·2^attempt)]. Spreading
 * the retries of parallel jobs keeps them from hammering a busy pveproxy in lockstep.
 * `attempt` counts from 0 for the wait after the first failure.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "random">,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}

/**
 * Transient failures: connection problems (not TLS trust problems), 5xx except 501 "not
 * implemented" and a 500 that says the object does not exist, and the proxy pseudo-statuses
 * 595/596/597/599 pveproxy passes through when the node daemon is busy or unreachable.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ProxmoxUnreachableError) return error.transient;
  if (error instanceof ProxmoxApiError) {
    if (error.status < 500 || error.status === 501) return false;
    if (error.status === 500 && isNotFound(error)) return false;
    return true;
  }
  return false;
}

/** Runs `fn`, retrying transient failures with jittered backoff up to the bound. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
  shouldRetry: (error: unknown) => boolean = isTransient,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= policy.maxAttempts || !shouldRetry(error)) throw error;
      const delay = backoffDelay(attempt, policy);
      onRetry?.(error, attempt + 1, delay);
      await policy.sleep(delay);
    }
  }
}
