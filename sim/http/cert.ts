import { createHash, X509Certificate } from "node:crypto";
import { generate } from "selfsigned";

export interface SimCertificate {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex, as `pvenode cert info` prints it */
  fingerprint: string;
}

/** A self-signed certificate for 127.0.0.1/localhost, made at start like a fresh Proxmox node's. */
export async function makeCertificate(commonName = "pve-sim"): Promise<SimCertificate> {
  const pems = await generate([{ name: "commonName", value: commonName }], {
    // EC keys are generated in milliseconds; RSA 2048 takes long enough to slow every test start
    keyType: "ec",
    curve: "P-256",
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert) };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.toUpperCase();
}

/**
 * The base64 SHA-256 of the certificate's public key (its DER SubjectPublicKeyInfo): what curl's
 * `--pinnedpubkey sha256//<pin>` and HPKP-style pins compare, unlike the certificate fingerprint.
 */
export function publicKeyPinOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}
