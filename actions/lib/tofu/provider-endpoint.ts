import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import tls from "node:tls";
import { fetch } from "undici";
import { ConfigurationError, getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { defaultRetryPolicy, type RetryPolicy } from "../proxmox/retry.js";
import {
  createTlsDispatcher,
  FingerprintMismatchError,
  tlsMode,
  type TlsMode,
  type TlsSettings,
} from "../proxmox/tls.js";
import { relaySummary, startApiRelay } from "./api-relay.js";
import { cloneGateSummary } from "./clone-gate.js";

/**
 * How the bpg provider reaches Proxmox: never directly, always through the loopback relay of
 * api-relay.ts, which retries reads and verifies Proxmox's certificate with pve-kube's own TLS
 * dispatcher (pin, CA file, system roots, or explicit insecure). The provider, a Go program with
 * no pin or CA setting, gets:
 * - PROXMOX_VE_ENDPOINT = the relay (per OpenTofu process, so a saved plan never records a port);
 * - SSL_CERT_FILE = the relay's own certificate plus the public roots (for the provider registry
 *   and remote state backends; a public CA cannot vouch for 127.0.0.1, so the relay's certificate
 *   is the only one that matches).
 * TLS verification is therefore never off between the provider and the relay, and between the
 * relay and Proxmox exactly as strict as the cluster's TLS settings.
 */
export interface ProviderEndpoint {
  mode: TlsMode;
  /** for every OpenTofu process */
  env: Record<string, string>;
  /** runs `fn` while a relay listens; `fn` gets PROXMOX_VE_ENDPOINT */
  session: <T>(fn: (env: Record<string, string>) => Promise<T>) => Promise<T>;
}

export interface ProviderEndpointOptions {
  /** Proxmox origin, e.g. https://192.0.2.10:8006 */
  url: string;
  tls: TlsSettings;
  workDir: string;
  logger: Logger;
  retry?: RetryPolicy;
  /** the real API token: only the relay holds it; the provider gets a per-run stand-in */
  token: { id: string; secret: string };
}

/** A certificate for the relay: EC P-256 (generated in milliseconds), valid for 127.0.0.1 only. */
async function relayCertificate(): Promise<{ cert: string; key: string }> {
  // selfsigned brings an X.509/ASN.1 stack (@peculiar/*): load it only when a relay starts
  const selfsigned = await import("selfsigned");
  // bundled with code splitting, a CommonJS module's exports arrive only as its default export
  const generate =
    (selfsigned as Partial<typeof selfsigned>).generate ??
    (selfsigned as unknown as { default: typeof selfsigned }).default.generate;
  const pems = await generate([{ name: "commonName", value: "pve-kube provider relay" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Before any plan: is the server at `url` the one we trust? A wrong certificate is a
 * configuration problem with a clear fix, not a failed apply. Other failures (unreachable, busy)
 * are left to the run itself.
 */
async function assertTrusted(options: ProviderEndpointOptions): Promise<void> {
  const dispatcher = await createTlsDispatcher(options.tls, options.logger);
  try {
    const response = await fetch(`${options.url.replace(/\/+$/, "")}/api2/json/version`, {
      dispatcher,
    });
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof FingerprintMismatchError) {
      throw new ConfigurationError(
        `the Proxmox certificate at ${options.url} has fingerprint ${cause.actual}, not the pinned ${cause.expected}`,
        "if the node's certificate was renewed on purpose, pin the new fingerprint (`pvenode cert info`); otherwise something is intercepting the connection",
      );
    }
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      throw new ConfigurationError(
        `the Proxmox certificate at ${options.url} is not trusted (${code}: ${getErrorMessage(cause)})`,
        "pin its fingerprint (proxmox.tls.fingerprint or the proxmox-fingerprint input), or point proxmox.tls.caFile at the CA that signed it",
      );
    }
    options.logger.debug(
      `trust check of ${options.url}: ${getErrorMessage(cause ?? error)} (left to the run)`,
    );
  } finally {
    await dispatcher.close();
  }
}

export async function providerEndpoint(
  options: ProviderEndpointOptions,
): Promise<ProviderEndpoint> {
  const { logger } = options;
  const mode = tlsMode(options.tls);
  await assertTrusted(options);
  const certificate = await relayCertificate();
  const bundle = path.join(options.workDir, "provider-trust.pem");
  await writeFile(bundle, `${certificate.cert}\n${tls.rootCertificates.join("\n")}\n`, {
    mode: 0o600,
  });
  const retry = options.retry ?? defaultRetryPolicy;
  return {
    mode,
    env: { SSL_CERT_FILE: bundle },
    session: async (fn) => {
      // a stand-in secret per OpenTofu process: the provider and its state never see the real one
      const runSecret = randomUUID();
      // the insecure warning was given once by assertTrusted; a quiet logger for the per-process dispatcher
      const dispatcher = await createTlsDispatcher(options.tls, {
        ...logger,
        warning: (m: string) => logger.debug(m),
      });
      const relay = await startApiRelay({
        upstream: options.url,
        dispatcher,
        certificate,
        retry,
        logger,
        auth: {
          accepted: `PVEAPIToken=${options.token.id}=${runSecret}`,
          upstream: `PVEAPIToken=${options.token.id}=${options.token.secret}`,
        },
      });
      try {
        return await fn({
          PROXMOX_VE_ENDPOINT: `${relay.url}/`,
          PROXMOX_VE_API_TOKEN: `${options.token.id}=${runSecret}`,
        });
      } finally {
        await relay.close();
        await dispatcher.close();
        const line = relaySummary(relay.stats);
        if (line) logger.info(line);
        const gateLine = cloneGateSummary(relay.cloneGate);
        if (gateLine) logger.info(gateLine);
      }
    },
  };
}
