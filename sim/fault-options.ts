/** Seeded fault injection: every injected fault is one a real Proxmox shows its clients. */
export interface FaultOptions {
  /** probability of a 500 on any API request (the request is not carried out) */
  error5xx?: number;
  /** probability of a 596 proxy timeout (pveproxy → pvedaemon), request not carried out */
  error596?: number;
  /** probability that the connection is dropped without an answer */
  drop?: number;
  /** extra latency per request in ms (before time scaling) */
  latencyMs?: number;
  /** probability that a clone/create/config task fails on a file-lock timeout */
  lockTimeout?: number;
  /** probability that a disk-allocating task fails with a storage error */
  storageError?: number;
  /** which requests the HTTP faults (5xx, 596, drop) hit: every request (default) or only writes */
  scope?: "all" | "writes";
  /** nodes that are offline: proxied calls answer 595, resources show status unknown */
  offlineNodes?: string[];
}
