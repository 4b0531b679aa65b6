import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  CommandError,
  getErrorMessage,
  isConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/retry/transient.ts
var PROXMOX_TRANSIENT = [
  // a VM config flock (`can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout`) or
  // the storage lock (`cfs-lock 'storage-shared' error: got lock request timeout`)
  { match: /got timeout|got lock request timeout/, reason: "Proxmox lock timeout" },
  // pveproxy → pvedaemon: 595 connection refused, 596 request timed out, 599 no answer
  {
    match: /HTTP 59[5-9]\b|response - Reason: Errors during/,
    reason: "Proxmox proxy timeout"
  },
  { match: /HTTP 50[02-4]\b/, reason: "Proxmox HTTP 5xx" },
  { match: /connection reset|ECONNRESET|\bEOF\b|i\/o timeout/, reason: "connection error" }
];
var KUBERNETES_TRANSIENT = [
  {
    match: /context deadline exceeded|timed out waiting for the condition/,
    reason: "Kubernetes wait timed out"
  },
  {
    match: /etcdserver: (request timed out|leader changed)|the server is currently unable to handle the request|the object has been modified; please apply your changes/,
    reason: "Kubernetes API busy"
  },
  {
    match: /connection to the server .* was refused|TLS handshake timeout|Unable to connect to the server|http2: client connection lost/,
    reason: "Kubernetes API unreachable"
  }
];
function transientBy(...tables) {
  const patterns = tables.flat();
  return (error) => {
    if (isConfigurationError(error)) return void 0;
    if (error instanceof CommandError && error.signal) return void 0;
    const text = getErrorMessage(error);
    for (const p of patterns) {
      if (!p.match.test(text)) continue;
      if (p.exitCodes && error instanceof CommandError && !p.exitCodes.includes(error.exitCode ?? -1))
        continue;
      return p.reason;
    }
    return void 0;
  };
}
__name(transientBy, "transientBy");
var tofuTransientReason = transientBy(PROXMOX_TRANSIENT);

// actions/lib/retry/backoff.ts
function jitteredBackoff(options) {
  const random = options.random ?? Math.random;
  return (attempt) => {
    const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}
__name(jitteredBackoff, "jitteredBackoff");

export {
  KUBERNETES_TRANSIENT,
  transientBy,
  tofuTransientReason,
  jitteredBackoff
};
