import type { LoadedConfig } from "../config/index.js";
import type { ConnectionOptions } from "./connection.js";

/** Connection values an action may take as inputs (empty = not given). */
export interface ConnectionInputs {
  url?: string | undefined;
  tokenId?: string | undefined;
  tokenSecret?: string | undefined;
  /** SHA-256 certificate fingerprint to pin; overrides proxmox.tls and PROXMOX_TLS_* */
  fingerprint?: string | undefined;
}

/** The connection inputs as an action's parsed inputs hold them (`proxmoxConnectionInputs`). */
export interface ProxmoxConnectionInputValues {
  "proxmox-url"?: string | undefined;
  "proxmox-fingerprint"?: string | undefined;
  "proxmox-token-id"?: string | undefined;
  "proxmox-token-secret"?: string | undefined;
}

export function connectionInputsOf(inputs: ProxmoxConnectionInputValues): ConnectionInputs {
  return {
    url: inputs["proxmox-url"],
    tokenId: inputs["proxmox-token-id"],
    tokenSecret: inputs["proxmox-token-secret"],
    fingerprint: inputs["proxmox-fingerprint"],
  };
}

/**
 * The connection for a cluster: inputs first, then the environment variables cluster.yaml names
 * for the token (`proxmox.tokenIdEnv`/`tokenSecretEnv`) and PROXMOX_URL / PROXMOX_TLS_*, then
 * cluster.yaml's endpoint and tls.
 */
export function connectionForCluster(
  loaded: Pick<LoadedConfig, "config" | "plan">,
  inputs: ConnectionInputs,
  env: NodeJS.ProcessEnv,
): ConnectionOptions {
  const { tokenIdEnv, tokenSecretEnv } = loaded.config.proxmox;
  const tokenId = inputs.tokenId || env[tokenIdEnv] || undefined;
  const tokenSecret = inputs.tokenSecret || env[tokenSecretEnv] || undefined;
  return {
    ...(inputs.url ? { url: inputs.url } : {}),
    ...(tokenId ? { tokenId } : {}),
    ...(tokenSecret ? { tokenSecret } : {}),
    ...(inputs.fingerprint ? { tls: { fingerprint: inputs.fingerprint } } : {}),
    defaults: { url: loaded.plan.proxmox.endpoint, tls: loaded.plan.proxmox.tls },
    sources: {
      tokenId: inputs.tokenId
        ? "the proxmox-token-id input"
        : `the ${tokenIdEnv} environment variable (proxmox.tokenIdEnv)`,
      tokenSecret: inputs.tokenSecret
        ? "the proxmox-token-secret input"
        : `the ${tokenSecretEnv} environment variable (proxmox.tokenSecretEnv)`,
    },
  };
}
