import { CommandError, getErrorMessage, isConfigurationError } from "../errors.js";

/**
 * What makes a failure transient — worth one more attempt within the run — for each kind of tool
 * pve-kube drives. A classifier answers with the reason a retry log names ("Proxmox lock
 * timeout"), or undefined: the failure is permanent and fails the step at once.
 *
 * The tables list texts the tools print for faults that clear by themselves (a lock that was
 * busy, a daemon that was restarting, a connection that dropped). Anything not listed is treated
 * as permanent: retrying a real mistake only hides it and burns the run's time.
 */
export interface TransientPattern {
  /** tested against the error's message (a CommandError's includes the tail of its stderr) */
  match: RegExp;
  /** why this is transient, as the retry log and the phase state name it */
  reason: string;
  /** for a CommandError: only these exit codes (default: any non-zero exit) */
  exitCodes?: readonly number[];
}

/** OpenTofu + the bpg provider against Proxmox: the texts the provider passes on. */
export const PROXMOX_TRANSIENT: readonly TransientPattern[] = [
  // a VM config flock (`can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout`) or
  // the storage lock (`cfs-lock 'storage-shared' error: got lock request timeout`)
  { match: /got timeout|got lock request timeout/, reason: "Proxmox lock timeout" },
  // pveproxy → pvedaemon: 595 connection refused, 596 request timed out, 599 no answer
  {
    match: /HTTP 59[5-9]\b|response - Reason: Errors during/,
    reason: "Proxmox proxy timeout",
  },
  { match: /HTTP 50[02-4]\b/, reason: "Proxmox HTTP 5xx" },
  { match: /connection reset|ECONNRESET|\bEOF\b|i\/o timeout/, reason: "connection error" },
];

/** ansible-playbook and plain ssh: a host that could not be reached or dropped the connection. */
export const SSH_TRANSIENT: readonly TransientPattern[] = [
  // ansible-playbook exits 4 when hosts were unreachable (and 2 when tasks failed)
  { match: /UNREACHABLE!/, reason: "host unreachable", exitCodes: [4] },
  {
    match:
      /Connection timed out during banner exchange|kex_exchange_identification|Connection reset by peer|Connection closed by remote host|ssh: connect to host .* port \d+: (Connection refused|Connection timed out|No route to host)/,
    reason: "SSH connection dropped",
  },
  // apt/dpkg of a freshly booted host: unattended-upgrades or cloud-init holds the lock
  {
    match: /Could not get lock \/var\/lib\/(dpkg|apt)|Unable to acquire the dpkg frontend lock/,
    reason: "apt lock held",
  },
];

/** kubectl and Helm against a Kubernetes API server that is starting, electing or overloaded. */
export const KUBERNETES_TRANSIENT: readonly TransientPattern[] = [
  {
    match: /context deadline exceeded|timed out waiting for the condition/,
    reason: "Kubernetes wait timed out",
  },
  {
    match:
      /etcdserver: (request timed out|leader changed)|the server is currently unable to handle the request|the object has been modified; please apply your changes/,
    reason: "Kubernetes API busy",
  },
  {
    match:
      /connection to the server .* was refused|TLS handshake timeout|Unable to connect to the server|http2: client connection lost/,
    reason: "Kubernetes API unreachable",
  },
];

/**
 * A classifier over pattern tables. Never transient, whatever the text: a ConfigurationError (a
 * user's mistake), a command killed by a signal (the run is being cancelled or timed out), and a
 * command whose exit code the matching pattern does not allow.
 */
export function transientBy(
  ...tables: (readonly TransientPattern[])[]
): (error: unknown) => string | undefined {
  const patterns = tables.flat();
  return (error) => {
    if (isConfigurationError(error)) return undefined;
    if (error instanceof CommandError && error.signal) return undefined;
    const text = getErrorMessage(error);
    for (const p of patterns) {
      if (!p.match.test(text)) continue;
      if (
        p.exitCodes &&
        error instanceof CommandError &&
        !p.exitCodes.includes(error.exitCode ?? -1)
      )
        continue;
      return p.reason;
    }
    return undefined;
  };
}

/** Transient failures of an OpenTofu plan or apply against Proxmox. */
export const tofuTransientReason = transientBy(PROXMOX_TRANSIENT);
