import { createHash } from "node:crypto";
import { ConfigurationError } from "../errors.js";

/** One known_hosts line: `<host> <key type> <base64 key>` (no hashed names, no markers). */
export interface KnownHostKey {
  host: string;
  type: string;
  key: string;
}

export function parseKnownHosts(text: string): KnownHostKey[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/\s+/))
    .filter((f): f is [string, string, string, ...string[]] => f.length >= 3)
    .map(([host, type, key]) => ({ host, type, key }));
}

export function formatKnownHosts(keys: KnownHostKey[]): string {
  return keys.length === 0 ? "" : keys.map((k) => `${k.host} ${k.type} ${k.key}`).join("\n") + "\n";
}

/** The fingerprint ssh prints (`SHA256:` + unpadded base64 of the key blob's SHA-256). */
export function keyFingerprint(key: string): string {
  const digest = createHash("sha256").update(Buffer.from(key, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/**
 * Several sources of pins, most authoritative first (the `known-hosts` input, an earlier job of
 * this run, the last run's): a host's keys come from the first source that names the host.
 */
export function mergePins(...sources: string[]): string {
  const seen = new Set<string>();
  const out: KnownHostKey[] = [];
  for (const source of sources) {
    const keys = parseKnownHosts(source);
    const hosts = new Set(keys.map((k) => k.host));
    for (const k of keys) if (!seen.has(k.host)) out.push(k);
    for (const h of hosts) seen.add(h);
  }
  return formatKnownHosts(dedupe(out));
}

function dedupe(keys: KnownHostKey[]): KnownHostKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.host} ${k.type} ${k.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Pins without the given hosts' lines (nodes that left: their address may come back as a new VM). */
export function forgetHosts(knownHosts: string, ips: string[]): string {
  const gone = new Set(ips);
  return formatKnownHosts(parseKnownHosts(knownHosts).filter((k) => !gone.has(k.host)));
}

export interface HostKeyCheck {
  /** the pins for this run: earlier pins, plus first-contact and replaced hosts' scanned keys */
  knownHosts: string;
  /** nodes seen for the first time (scanned and pinned) */
  firstContact: string[];
  /** nodes whose pin was replaced on request (`replace-host-keys`) */
  replaced: string[];
  /** nodes that answered no key scan (the facts run reports them) */
  silent: string[];
}

/**
 * Compares what each node presents now (`scanned`, ssh-keyscan's output) with its pins. A pinned
 * node that presents another key of a pinned type — or only types that were never pinned — is
 * refused before any SSH session, naming the node and the fix; only nodes without any pin are
 * learned (first contact), and nodes named in `replace` (rebuilt on purpose) are re-learned.
 */
export function checkHostKeys(input: {
  pinned: string;
  scanned: string;
  nodes: { name: string; ip: string }[];
  replace: string[];
}): HostKeyCheck {
  const pinned = parseKnownHosts(input.pinned);
  const scanned = parseKnownHosts(input.scanned);
  const replace = new Set(input.replace);
  const result: HostKeyCheck = { knownHosts: "", firstContact: [], replaced: [], silent: [] };
  const changed: string[] = [];
  const byHost = (keys: KnownHostKey[], ip: string) => keys.filter((k) => k.host === ip);
  const nodeIps = new Set(input.nodes.map((n) => n.ip));
  // pins of hosts this run does not contact stay as they are
  const keep: KnownHostKey[] = pinned.filter((k) => !nodeIps.has(k.host));
  for (const node of input.nodes) {
    const mine = byHost(pinned, node.ip);
    const now = byHost(scanned, node.ip);
    if (replace.has(node.name) || replace.has(node.ip)) {
      if (now.length === 0) {
        result.silent.push(node.name);
        keep.push(...mine);
      } else {
        result.replaced.push(node.name);
        keep.push(...now);
      }
      continue;
    }
    if (mine.length === 0) {
      if (now.length === 0) result.silent.push(node.name);
      else result.firstContact.push(node.name);
      keep.push(...now);
      continue;
    }
    keep.push(...mine);
    if (now.length === 0) {
      result.silent.push(node.name);
      continue;
    }
    const comparable = now.filter((k) => mine.some((m) => m.type === k.type));
    const differs =
      comparable.length === 0 ||
      comparable.some((k) => !mine.some((m) => m.type === k.type && m.key === k.key));
    if (differs) {
      const was = mine.map((m) => `${m.type} ${keyFingerprint(m.key)}`).join(", ");
      const is = now.map((k) => `${k.type} ${keyFingerprint(k.key)}`).join(", ");
      changed.push(`${node.name} (${node.ip}): pinned ${was}, now presents ${is}`);
    }
  }
  if (changed.length > 0) {
    throw new ConfigurationError(
      `the SSH host key changed on ${changed.join("; ")} — nothing was done`,
      "if these VMs were rebuilt on purpose, run again with the input replace-host-keys naming them " +
        "(deploy.yml passes it through); otherwise treat it as an interception: compare the key on the VM's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before trusting it",
    );
  }
  result.knownHosts = formatKnownHosts(dedupe(keep));
  return result;
}
