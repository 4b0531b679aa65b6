import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { X509Certificate } from "node:crypto";
import { generate } from "selfsigned";

export interface CertPair {
  cert: string;
  key: string;
  /** SHA-256, colon hex upper case, as Proxmox shows it */
  fingerprint: string;
}

const loopbackNames = {
  name: "subjectAltName" as const,
  altNames: [
    { type: 7 as const, ip: "127.0.0.1" },
    { type: 2 as const, value: "localhost" },
  ],
};

function pair(cert: string, key: string): CertPair {
  return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
}

/** A self-signed server certificate for 127.0.0.1, like a fresh Proxmox node's. */
export async function selfSignedCert(cn = "pve-test"): Promise<CertPair> {
  const result = await generate([{ name: "commonName", value: cn }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [loopbackNames],
  });
  return pair(result.cert, result.private);
}

/** A CA and a server certificate it signed (for "CA-valid but not the pinned one"). */
export async function caSignedCert(): Promise<{ ca: CertPair; server: CertPair }> {
  const ca = await generate([{ name: "commonName", value: "pve-kube test CA" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "pve-ca-signed" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    ca: { key: ca.private, cert: ca.cert },
    extensions: [{ name: "basicConstraints", cA: false }, loopbackNames],
  });
  return { ca: pair(ca.cert, ca.private), server: pair(server.cert, server.private) };
}

export interface TestServer {
  url: string;
  port: number;
  requests: { method: string; url: string; authorization?: string }[];
  close(): Promise<void>;
}

/** Writes a response the way pveproxy does (exact Content-Type, reason phrase = first line). */
export function sendProxmox(
  res: ServerResponse,
  status: number,
  data: unknown,
  message?: string,
  errors?: Record<string, string>,
): void {
  const body =
    status === 200
      ? { data }
      : {
          data: null,
          ...(message ? { message: `${message}\n` } : {}),
          ...(errors ? { errors } : {}),
        };
  res.writeHead(status, status === 200 ? "OK" : (message ?? "error").split("\n")[0], {
    "Content-Type": "application/json;charset=UTF-8",
  });
  res.end(JSON.stringify(body));
}

/** A small real HTTPS server on 127.0.0.1 with the given certificate. */
export async function startHttpsServer(
  cert: CertPair,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    requests.push({
      method: req.method ?? "",
      url: req.url ?? "",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const TEST_TOKEN = {
  id: "root@pam!pve-kube",
  secret: "0b8a5c2e-1f3d-4c6b-9a7e-2d4f6b8c0e1a",
};
