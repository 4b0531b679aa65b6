import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  CommandError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/retry/within-run.ts
var NeedsReviewError = class extends Error {
  constructor(message, retries) {
    super(message);
    this.retries = retries;
  }
  retries;
  static {
    __name(this, "NeedsReviewError");
  }
  name = "NeedsReviewError";
};
function errorLine(error) {
  const message = getErrorMessage(error);
  const stderr = error instanceof CommandError ? error.stderrTail : message;
  const lines = stderr.split("\n").map((l) => l.replace(/^[\s│╷╵]+/, "").trim()).filter(Boolean);
  const i = lines.findIndex((l) => /\berror\b/i.test(l));
  let line = i >= 0 ? lines[i] ?? "" : lines[0] ?? message.split("\n")[0] ?? "";
  const following = lines[i + 1];
  if (i >= 0 && line.endsWith(":") && following) line = `${line} ${following}`;
  return line.length > 300 ? `${line.slice(0, 299)}\u2026` : line;
}
__name(errorLine, "errorLine");
function failWith(error, retries) {
  if (retries.length && typeof error === "object" && error !== null && !("retries" in error))
    Object.assign(error, { retries });
  throw error;
}
__name(failWith, "failWith");
async function retryWithinRun(options) {
  const { rule, logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const retries = [];
  let next;
  for (let attempt = 1; ; attempt++) {
    const started = now();
    try {
      return { value: await options.attempt(attempt, next), retries };
    } catch (error) {
      const reason = rule.transientReason(error);
      if (reason === void 0) failWith(error, retries);
      if (attempt >= rule.maxAttempts) {
        logger.warning(
          `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed (${reason}); no attempts left`
        );
        failWith(error, retries);
      }
      const pause = Math.max(0, rule.pauseMs?.(attempt) ?? 0);
      logger.warning(
        `${options.what}: attempt ${attempt} of ${rule.maxAttempts} failed on a transient error (${reason}: ${errorLine(error)}); trying again within this run${pause ? ` in ${(pause / 1e3).toFixed(1)} s` : ""}`
      );
      if (pause > 0) await sleep(pause);
      const record = {
        step: options.what,
        attempt,
        reason,
        error: errorLine(error),
        costMs: now() - started
      };
      retries.push(record);
      options.onRetry?.(record);
      let decision;
      try {
        decision = await options.prepare(attempt + 1);
      } catch (prepareError) {
        failWith(prepareError, retries);
      }
      if ("stop" in decision)
        throw new NeedsReviewError(
          `${options.what} failed on a transient error (${reason}) and was not retried: ${decision.stop}. Review a new plan.`,
          retries
        );
      next = decision.next;
    }
  }
}
__name(retryWithinRun, "retryWithinRun");

export {
  retryWithinRun
};
