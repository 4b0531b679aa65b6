import { ProxmoxUnreachableError } from "./errors.js";
import {
  FINGERPRINT_MISMATCH,
  FingerprintMismatchError,
  presentedFingerprint,
  type TlsMode,
} from "./tls.js";

/** Walks `error.cause` (undici wraps the socket error in "fetch failed") and returns the first code. */
export function networkErrorCode(error: unknown): {
  code: string;
  message: string;
  cause: unknown;
} {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const e = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string")
      return {
        code: e.code,
        message: typeof e.message === "string" ? e.message : "",
        cause: current,
      };
    if (e.name === "AbortError" || e.name === "TimeoutError")
      return { code: "ETIMEDOUT", message: "request timed out", cause: current };
    current = e.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "UNKNOWN", message, cause: error };
}

const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

const PIN_HINT = "set proxmox.tls.fingerprint in cluster.yaml (or PROXMOX_TLS_FINGERPRINT)";

/**
 * Turns a low-level connection failure into a message for a person: host, port, what went wrong
 * and, for TLS, the fingerprints involved. `presented` looks up the certificate the server shows
 * (injectable so tests need no second connection).
 */
export async function explainNetworkError(
  error: unknown,
  target: { host: string; port: number; tlsMode: TlsMode },
  presented: (host: string, port: number) => Promise<string | undefined> = presentedFingerprint,
): Promise<ProxmoxUnreachableError> {
  const { host, port } = target;
  const { code, message, cause } = networkErrorCode(error);
  const make = (detail: string, fix: string, transient = false) =>
    new ProxmoxUnreachableError(host, port, code, detail, fix, transient);

  if (code === FINGERPRINT_MISMATCH && cause instanceof FingerprintMismatchError) {
    return make(
      `TLS ${cause.message}`,
      `if the Proxmox certificate was renewed on purpose, pin the new one (${PIN_HINT}; compare with \`pvenode cert info\` on the node); otherwise this is not the server you expect — do not continue`,
    );
  }
  if (UNTRUSTED.has(code)) {
    const actual = await presented(host, port).catch(() => undefined);
    return make(
      `TLS certificate not trusted (${code}: ${message})${actual ? `; the server presented the certificate with SHA-256 fingerprint ${actual}` : ""}`,
      `Proxmox uses a self-signed certificate by default: pin it (${PIN_HINT}${actual ? ` to ${actual}` : ""} after checking it with \`pvenode cert info\` on the node), or trust its CA with proxmox.tls.caFile (/etc/pve/pve-root-ca.pem)`,
    );
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return make(
      `TLS certificate is ${code === "CERT_HAS_EXPIRED" ? "expired" : "not yet valid"} (${message})`,
      "renew the node certificate (`pvecm updatecerts --force` or ACME) or check the runner's clock",
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return make(
      `TLS certificate is not valid for the host name '${host}' (${message})`,
      `use a URL whose host name is in the certificate, or pin the certificate fingerprint (${PIN_HINT})`,
    );
  }
  if (
    code === "EPROTO" ||
    code === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    /wrong version number|packet length too long/i.test(message)
  ) {
    return make(
      `the TLS handshake failed (${code}: ${message})`,
      "check that the URL uses https:// and the Proxmox API port (8006)",
    );
  }
  if (code === "ECONNREFUSED") {
    return make(
      "connection refused",
      `check that pveproxy is running on the node (\`systemctl status pveproxy\`) and that port ${port} is open from the runner`,
      true,
    );
  }
  if (code === "ENOTFOUND") {
    return make(
      `the host name '${host}' does not resolve`,
      "check PROXMOX_URL / proxmox.endpoint, and the runner's DNS",
    );
  }
  if (TRANSIENT.has(code)) {
    return make(
      `${code}: ${message}`,
      `check that the runner can reach ${host}:${port} (firewall, VPN, routing) and that the node is up`,
      true,
    );
  }
  return make(
    `${code}: ${message}`,
    `check that the runner can reach ${host}:${port} and that the URL is the Proxmox API (https://host:8006)`,
  );
}
