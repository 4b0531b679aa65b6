/** The within-run retry rule every phase uses (within-run.ts), its classifiers and its backoff. */
export {
  NeedsReviewError,
  errorLine,
  retriesOf,
  retryWithinRun,
  type RetryRecord,
  type WithinRunResult,
  type WithinRunRule,
} from "./within-run.js";
export {
  KUBERNETES_TRANSIENT,
  PROXMOX_TRANSIENT,
  SSH_TRANSIENT,
  tofuTransientReason,
  transientBy,
  type TransientPattern,
} from "./transient.js";
export { jitteredBackoff, type BackoffOptions } from "./backoff.js";
