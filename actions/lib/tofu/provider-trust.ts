import { readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import tls from "node:tls";
import { ConfigurationError } from "../errors.js";
import type { Logger } from "../logger.js";
import { normalizeFingerprint, tlsMode, type TlsSettings } from "../proxmox/tls.js";

/**
 * How the bpg provider (a Go program) is made to trust Proxmox. The provider has no CA or pin
 * setting, only `insecure`; Go reads its trust roots from SSL_CERT_FILE. So:
 * - pinned fingerprint: the certificate the server presents is fetched, checked against the pin,
 *   and becomes the only trust root (Go accepts a root-pool certificate as its own chain, and
 *   still checks the host name), which is as strict as the pin itself;
 * - CA file: that file is the trust root;
 * - verified: the system roots, untouched;
 * - insecure: the provider's `insecure = true`, never a silent default.
 * A remote state backend (S3, PostgreSQL over TLS, HTTP) also needs the public roots: then Node's
 * bundled Mozilla roots are added, and the pin degrades to "this certificate or a publicly trusted
 * one for the same name" — said in the log.
 */
export interface ProviderTrust {
  env: Record<string, string>;
  insecure: boolean;
  mode: ReturnType<typeof tlsMode>;
}

export interface ProviderTrustOptions {
  tls: TlsSettings;
  host: string;
  port: number;
  workDir: string;
  includePublicRoots: boolean;
  logger: Logger;
  fetchCertificate?: (host: string, port: number) => Promise<{ pem: string; fingerprint256: string }>;
}

export async function providerTrust(options: ProviderTrustOptions): Promise<ProviderTrust> {
  const mode = tlsMode(options.tls);
  const bundle = path.join(options.workDir, "proxmox-trust.pem");
  const publicRoots = options.includePublicRoots ? tls.rootCertificates.join("\n") : "";
  switch (mode) {
    case "pinned": {
      const expected = normalizeFingerprint(options.tls.fingerprint ?? "");
      const cert = await (options.fetchCertificate ?? presentedCertificate)(options.host, options.port);
      if (cert.fingerprint256 !== expected) {
        throw new ConfigurationError(
          `the Proxmox certificate at ${options.host}:${options.port} has fingerprint ${cert.fingerprint256}, not the pinned ${expected}`,
          "if the node's certificate was renewed on purpose, pin the new fingerprint (`pvenode cert info`); otherwise something is intercepting the connection",
        );
      }
      await writeFile(bundle, `${cert.pem}\n${publicRoots}`, { mode: 0o600 });
      if (publicRoots) options.logger.info("remote state backend: the provider trusts the pinned Proxmox certificate and the public roots");
      return { env: { SSL_CERT_FILE: bundle }, insecure: false, mode };
    }
    case "ca-file": {
      const file = options.tls.caFile ?? "";
      let ca: string;
      try {
        ca = await readFile(file, "utf8");
      } catch (error) {
        throw new ConfigurationError(`cannot read the TLS CA file ${file}: ${(error as Error).message}`, "point proxmox.tls.caFile at a PEM file readable on the runner");
      }
      await writeFile(bundle, `${ca}\n${publicRoots}`, { mode: 0o600 });
      return { env: { SSL_CERT_FILE: bundle }, insecure: false, mode };
    }
    case "insecure":
      options.logger.warning("the bpg provider talks to Proxmox WITHOUT verifying its certificate (insecure: true); pin the fingerprint instead");
      return { env: {}, insecure: true, mode };
    case "verified":
      return { env: {}, insecure: false, mode };
  }
}

/** The leaf certificate a TLS server presents, as PEM, with its SHA-256 fingerprint. */
export function presentedCertificate(host: string, port: number, timeoutMs = 10_000): Promise<{ pem: string; fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    const fail = (message: string) => {
      socket.destroy();
      reject(new ConfigurationError(`cannot fetch the Proxmox certificate from ${host}:${port}: ${message}`, "check the Proxmox URL and that the runner can reach it"));
    };
    socket.setTimeout(timeoutMs, () => fail("timed out"));
    socket.once("error", (error: Error) => fail(error.message));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      const body = cert.raw.toString("base64").match(/.{1,64}/g)?.join("\n") ?? "";
      resolve({ pem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`, fingerprint256: cert.fingerprint256 });
    });
  });
}
