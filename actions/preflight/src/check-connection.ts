import type { ProxmoxClient } from "../../lib/proxmox/index.js";
import { describeError, fail, pass, warn, type CheckOutcome } from "./outcome.js";

/** pve-kube imports cloud images through the `import` storage content type (Proxmox VE 8.4+). */
export const MIN_VERSION = { major: 8, minor: 4 };

export interface ProxmoxVersion {
  version: string;
  major: number;
  minor: number;
}

export function parseVersion(version: string): ProxmoxVersion | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match
    ? { version: version.trim(), major: Number(match[1]), minor: Number(match[2]) }
    : undefined;
}

const TLS_DETAIL = {
  pinned: "certificate pinned by fingerprint",
  "ca-file": "certificate verified against the configured CA file",
  verified: "certificate verified against the system CAs",
  insecure: "certificate NOT verified (insecure)",
} as const;

/**
 * Reachable, TLS trusted and token accepted: one `GET /version` proves all three, because the
 * call needs a valid token. Then the version must be new enough.
 */
export async function checkConnection(
  client: ProxmoxClient,
): Promise<{ outcomes: CheckOutcome[]; version?: ProxmoxVersion }> {
  const { endpoint } = client;
  let raw: { version?: unknown };
  try {
    raw = await client.api.version.$get();
  } catch (error) {
    const { detail, fix } = describeError(error);
    return { outcomes: [fail("Proxmox reachable, TLS trusted, token accepted", detail, fix)] };
  }
  const outcomes: CheckOutcome[] = [];
  const where = `${endpoint.host}:${endpoint.port} as ${endpoint.tokenId}, ${TLS_DETAIL[endpoint.tlsMode]}`;
  outcomes.push(
    endpoint.tlsMode === "insecure"
      ? warn(
          "Proxmox reachable, TLS trusted, token accepted",
          where,
          "pin the certificate fingerprint (proxmox.tls.fingerprint, from `pvenode cert info`) instead of insecure",
        )
      : pass("Proxmox reachable, TLS trusted, token accepted", where),
  );
  const version = parseVersion(typeof raw.version === "string" ? raw.version : "");
  if (!version) {
    outcomes.push(
      fail(
        "Proxmox VE version",
        `unrecognised version ${JSON.stringify(raw.version)}`,
        "check that the URL points at a Proxmox VE API",
      ),
    );
    return { outcomes };
  }
  const recent =
    version.major > MIN_VERSION.major ||
    (version.major === MIN_VERSION.major && version.minor >= MIN_VERSION.minor);
  outcomes.push(
    recent
      ? pass(
          "Proxmox VE version",
          `${version.version} (≥ ${MIN_VERSION.major}.${MIN_VERSION.minor})`,
        )
      : fail(
          "Proxmox VE version",
          `${version.version} is too old: pve-kube needs Proxmox VE ${MIN_VERSION.major}.${MIN_VERSION.minor} or newer (cloud images are imported through the 'import' storage content type)`,
          "upgrade the cluster (`apt update && apt full-upgrade` on each node, see the Proxmox upgrade guide for major versions)",
        ),
  );
  return { outcomes, version };
}
