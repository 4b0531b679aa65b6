/**
 * The pause before the next attempt of a step retried within its run: exponential, capped, with
 * "equal jitter" — half of the step is fixed, half random. The fixed half gives a lock or a busy
 * daemon time to clear; the random half keeps parallel jobs that failed on the same fault (every
 * clone of one burst, every host of one play) from coming back in lockstep.
 *
 *   pause(attempt) = c/2 + random()·c/2,  c = min(maxMs, baseMs·2^(attempt-1))
 *
 * `attempt` is the attempt that failed (1 = the first), as `WithinRunRule.pauseMs` is called.
 */
export interface BackoffOptions {
  /** the step after the first failure, ms */
  baseMs: number;
  /** no step is longer than this, ms */
  maxMs: number;
  /** uniform in [0, 1); injectable so tests are deterministic */
  random?: () => number;
}

export function jitteredBackoff(options: BackoffOptions): (attempt: number) => number {
  const random = options.random ?? Math.random;
  return (attempt) => {
    const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}
