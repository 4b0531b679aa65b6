import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import tls from "node:tls";
import { Agent, buildConnector } from "undici";
import { ConfigurationError } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * How the client trusts the Proxmox certificate. Exactly one mode applies:
 * - `fingerprint`: pin the server certificate's SHA-256 (the usual case for a self-signed
 *   Proxmox). Exactly that certificate is accepted — any other is refused even when a CA trusts it.
 * - `caFile`: verify the chain and host name against this CA (PEM) instead of the system CAs.
 * - `insecure`: no verification at all; explicit opt-in only, always with a warning.
 * - none of them: verified against the system CAs.
 * NODE_TLS_REJECT_UNAUTHORIZED is never touched: the trust decision lives in this dispatcher.
 */
export interface TlsSettings {
  fingerprint?: string;
  caFile?: string;
  insecure?: boolean;
}

export type TlsMode = "verified" | "ca-file" | "pinned" | "insecure";

export const FINGERPRINT_MISMATCH = "PVE_KUBE_FINGERPRINT_MISMATCH";

/** Thrown by the pinning connector; travels as the `cause` of undici's "fetch failed". */
export class FingerprintMismatchError extends Error {
  override name = "FingerprintMismatchError";
  readonly code = FINGERPRINT_MISMATCH;
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`certificate fingerprint mismatch: expected ${expected}, the server presented ${actual}`);
  }
}

/**
 * Accepts `AA:BB:…` (as Proxmox shows it), lower case, or 64 hex digits without colons; returns
 * the upper-case colon form. Anything else is a user mistake with an example.
 */
export function normalizeFingerprint(value: string): string {
  const hex = value
    .trim()
    .replace(/^sha256[:=]?/i, "")
    .replace(/[:\s]/g, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ConfigurationError(
      `the TLS fingerprint '${value}' is not a SHA-256 fingerprint (32 bytes as hex)`,
      "copy it from the Proxmox node (`pvenode cert info` → fingerprint, or Node → System → Certificates), e.g. 3F:A1:…:9C",
    );
  }
  return hex.toUpperCase().match(/../g)!.join(":");
}

export function tlsMode(settings: TlsSettings): TlsMode {
  if (settings.fingerprint) return "pinned";
  if (settings.caFile) return "ca-file";
  if (settings.insecure) return "insecure";
  return "verified";
}

function checkExclusive(settings: TlsSettings): void {
  const chosen = [
    settings.fingerprint && "fingerprint",
    settings.caFile && "caFile",
    settings.insecure && "insecure",
  ].filter(Boolean);
  if (chosen.length > 1) {
    throw new ConfigurationError(
      `conflicting TLS settings: ${chosen.join(" and ")} are both set`,
      "choose one: pin the fingerprint (recommended for a self-signed Proxmox), trust a CA file, or — only for a throwaway lab — insecure",
    );
  }
}

/** The undici dispatcher that implements the trust mode; pass it to fetch as `dispatcher`. */
export async function createTlsDispatcher(settings: TlsSettings, logger: Logger): Promise<Agent> {
  checkExclusive(settings);
  const mode = tlsMode(settings);
  switch (mode) {
    case "pinned": {
      const expected = normalizeFingerprint(settings.fingerprint ?? "");
      return new Agent({ connect: pinningConnector(expected) });
    }
    case "ca-file": {
      const file = settings.caFile ?? "";
      let ca: string;
      try {
        ca = await readFile(file, "utf8");
      } catch (error) {
        throw new ConfigurationError(
          `cannot read the TLS CA file ${file}: ${(error as Error).message}`,
          "point proxmox.tls.caFile at a PEM file readable on the runner",
        );
      }
      if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
        throw new ConfigurationError(
          `the TLS CA file ${file} holds no PEM certificate`,
          "use the PEM CA certificate (/etc/pve/pve-root-ca.pem on a Proxmox node)",
        );
      }
      return new Agent({ connect: { ca, rejectUnauthorized: true } });
    }
    case "insecure":
      logger.warning(
        "TLS verification of the Proxmox certificate is OFF (insecure: true): anyone on the network path can read the API token. Pin the certificate fingerprint instead.",
      );
      return new Agent({ connect: { rejectUnauthorized: false } });
    case "verified":
      return new Agent({ connect: { rejectUnauthorized: true } });
  }
}

/**
 * A connector that skips CA validation but accepts the connection only if the leaf certificate's
 * SHA-256 equals the pin. Session resumption is off so every connection presents its certificate.
 */
function pinningConnector(expected: string): buildConnector.connector {
  const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) => {
    base(options, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error("TLS connection failed"), null);
        return;
      }
      const actual =
        socket instanceof tls.TLSSocket ? socket.getPeerCertificate().fingerprint256 : undefined;
      if (actual !== expected) {
        socket.destroy();
        callback(
          new FingerprintMismatchError(expected, actual ?? "no certificate (not a TLS connection)"),
          null,
        );
        return;
      }
      callback(null, socket);
    });
  };
}

/**
 * Best effort: the fingerprint of the certificate a server presents, for error messages that tell
 * a person what to pin (or what changed). Never used to decide trust.
 */
export function presentedFingerprint(
  host: string,
  port: number,
  timeoutMs = 5_000,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("secureConnect", () => done(socket.getPeerCertificate().fingerprint256));
    socket.once("error", () => done(undefined));
  });
}
