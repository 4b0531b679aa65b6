import * as core from "@actions/core";
import { ConfigurationError, ConfigurationErrors } from "../errors.js";
import type { TlsSettings } from "./tls.js";

/** Where the client connects and with which token. Explicit values win over the environment. */
export interface ConnectionOptions {
  /** `https://host:8006` (a trailing `/api2/json` is accepted) */
  url?: string;
  tokenId?: string;
  tokenSecret?: string;
  tls?: TlsSettings;
  /** used when neither the options nor the environment say (cluster.yaml's endpoint and tls) */
  defaults?: { url?: string; tls?: TlsSettings };
  /** names used in messages when a value came from somewhere other than the default env var */
  sources?: Partial<ConnectionSources>;
}

export interface ConnectionSources {
  url: string;
  tokenId: string;
  tokenSecret: string;
}

export interface ResolvedConnection {
  /** origin only, e.g. `https://192.0.2.10:8006` */
  url: string;
  schema: "https" | "http";
  host: string;
  port: number;
  tokenId: string;
  tokenSecret: string;
  tls: TlsSettings;
  sources: ConnectionSources;
}

export const ENV = {
  url: "PROXMOX_URL",
  tokenId: "PROXMOX_TOKEN_ID",
  tokenSecret: "PROXMOX_TOKEN_SECRET",
  fingerprint: "PROXMOX_TLS_FINGERPRINT",
  caFile: "PROXMOX_TLS_CA_FILE",
  insecure: "PROXMOX_TLS_INSECURE",
} as const;

const TOKEN_ID = /^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/;
const TOKEN_SECRET = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Resolves and validates the connection. The token secret is handed to `maskSecret` (by default
 * `core.setSecret`) before anything else looks at it, so not even a validation message can leak it.
 */
export function resolveConnection(
  options: ConnectionOptions = {},
  env: NodeJS.ProcessEnv = process.env,
  maskSecret: (secret: string) => void = (s) => core.setSecret(s),
): ResolvedConnection {
  const sources: ConnectionSources = {
    url:
      options.sources?.url ??
      (options.url
        ? "the proxmox-url input"
        : env[ENV.url]
          ? `the ${ENV.url} environment variable`
          : options.defaults?.url
            ? "proxmox.endpoint in cluster.yaml"
            : `the ${ENV.url} environment variable`),
    tokenId:
      options.sources?.tokenId ??
      (options.tokenId ? "the proxmox-token-id input" : `the ${ENV.tokenId} environment variable`),
    tokenSecret:
      options.sources?.tokenSecret ??
      (options.tokenSecret
        ? "the proxmox-token-secret input"
        : `the ${ENV.tokenSecret} environment variable`),
  };
  const tokenSecret = (options.tokenSecret ?? env[ENV.tokenSecret] ?? "").trim();
  if (tokenSecret) maskSecret(tokenSecret);

  const rawUrl = (options.url || env[ENV.url] || options.defaults?.url || "").trim();
  const tokenId = (options.tokenId ?? env[ENV.tokenId] ?? "").trim();
  const problems: ConfigurationError[] = [];

  let parsed: URL | undefined;
  if (!rawUrl) {
    problems.push(
      new ConfigurationError(
        `no Proxmox URL (${sources.url} is empty)`,
        `set ${ENV.url} to https://<node>:8006, or proxmox.endpoint in cluster.yaml`,
      ),
    );
  } else {
    try {
      parsed = new URL(rawUrl);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
    } catch {
      problems.push(
        new ConfigurationError(
          `the Proxmox URL '${rawUrl}' (${sources.url}) is not an https URL`,
          "use the form https://pve.example.com:8006",
        ),
      );
      parsed = undefined;
    }
  }
  if (!tokenId) {
    problems.push(
      new ConfigurationError(
        `no Proxmox API token id (${sources.tokenId} is empty)`,
        `set ${sources.tokenId.replace(/^the /, "")} to the token id, e.g. root@pam!pve-kube`,
      ),
    );
  } else if (!TOKEN_ID.test(tokenId)) {
    problems.push(
      new ConfigurationError(
        `the Proxmox API token id '${tokenId}' (${sources.tokenId}) is not of the form user@realm!name`,
        "use the full token id as Proxmox shows it, e.g. root@pam!pve-kube",
      ),
    );
  }
  if (!tokenSecret) {
    problems.push(
      new ConfigurationError(
        `no Proxmox API token secret (${sources.tokenSecret} is empty)`,
        `set ${sources.tokenSecret.replace(/^the /, "")} from a GitHub secret`,
      ),
    );
  } else if (!TOKEN_SECRET.test(tokenSecret)) {
    const hint =
      tokenSecret.includes("=") || tokenSecret.includes("!")
        ? "it looks like the whole `user@realm!name=secret` string: put only the part after `=` in the secret"
        : "it must be the lowercase UUID Proxmox showed once when the token was created (e.g. 0b8a5c2e-…); create a new token if it is lost";
    problems.push(
      new ConfigurationError(
        `the Proxmox API token secret from ${sources.tokenSecret} is not a token secret`,
        hint,
      ),
    );
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new ConfigurationErrors(problems);

  const url = parsed!;
  const schema = url.protocol === "http:" ? "http" : "https";
  const port = url.port ? Number(url.port) : 8006;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const origin = `${schema}://${url.hostname}:${port}`;
  const loopback = isLoopbackHost(host);
  if (schema === "http" && !loopback) {
    throw new ConfigurationError(
      `the Proxmox URL '${rawUrl}' (${sources.url}) is plain http: the API token would cross the network readable`,
      "use https://<node>:8006 (http is accepted only on a loopback address, such as a local simulator)",
    );
  }
  // an override (input or PROXMOX_URL) must not send the token to another host than the one
  // cluster.yaml names: only a loopback address (a simulator, an SSH tunnel) may stand in for it
  const committed = options.defaults?.url ? originOf(options.defaults.url) : undefined;
  const overridden = Boolean(committed && origin !== committed);
  if (overridden && !loopback) {
    throw new ConfigurationError(
      `${sources.url} points at ${origin}, not at proxmox.endpoint of cluster.yaml (${committed})`,
      "change proxmox.endpoint in cluster.yaml in a reviewed commit; an override may only name a loopback address (a simulator or an SSH tunnel)",
    );
  }
  return {
    url: `${schema}://${url.hostname}:${port}`,
    schema,
    host,
    port,
    tokenId,
    tokenSecret,
    tls: resolveTls(options.tls, env, options.defaults?.tls, !overridden),
    sources,
  };
}

/**
 * Explicit settings win, then the environment (a run against another host, such as the local
 * demo's simulator, overrides cluster.yaml there), then the defaults from cluster.yaml.
 */
function resolveTls(
  explicit: TlsSettings | undefined,
  env: NodeJS.ProcessEnv,
  defaults: TlsSettings | undefined,
  committedEndpoint: boolean,
): TlsSettings {
  const isSet = (t: TlsSettings | undefined): t is TlsSettings =>
    Boolean(t && (t.fingerprint || t.caFile || t.insecure));
  // a pin cluster.yaml commits for its own endpoint is never replaced or weakened from outside
  const pinned = defaults && (defaults.fingerprint || defaults.caFile) ? defaults : undefined;
  if (pinned && committedEndpoint) {
    const outside: [string, TlsSettings | undefined][] = [
      ["the proxmox-fingerprint input", explicit],
      [
        `${ENV.fingerprint} / ${ENV.caFile} / ${ENV.insecure}`,
        {
          ...(env[ENV.fingerprint] ? { fingerprint: env[ENV.fingerprint] } : {}),
          ...(env[ENV.caFile] ? { caFile: env[ENV.caFile] } : {}),
          ...((env[ENV.insecure] ?? "").trim().toLowerCase() === "true" ? { insecure: true } : {}),
        },
      ],
    ];
    for (const [what, tls] of outside) {
      if (!isSet(tls) || sameTls(tls, pinned)) continue;
      throw new ConfigurationError(
        `${what} would replace the certificate pin cluster.yaml commits for its endpoint (proxmox.tls)`,
        "unset it; change proxmox.tls in cluster.yaml in a reviewed commit when the certificate changes",
      );
    }
    return pinned;
  }
  if (isSet(explicit)) return explicit;
  const insecure = (env[ENV.insecure] ?? "").trim().toLowerCase();
  if (insecure && insecure !== "true" && insecure !== "false") {
    throw new ConfigurationError(
      `${ENV.insecure} must be true or false, got '${env[ENV.insecure]}'`,
      "unset it, or pin the certificate with PROXMOX_TLS_FINGERPRINT instead",
    );
  }
  const fromEnv: TlsSettings = {
    ...(env[ENV.fingerprint] ? { fingerprint: env[ENV.fingerprint] } : {}),
    ...(env[ENV.caFile] ? { caFile: env[ENV.caFile] } : {}),
    ...(insecure === "true" ? { insecure: true } : {}),
  };
  if (isSet(fromEnv)) return fromEnv;
  return defaults ?? {};
}

function sameTls(a: TlsSettings, b: TlsSettings): boolean {
  const norm = (f: string | undefined) => f?.replace(/:/g, "").toLowerCase();
  return (
    norm(a.fingerprint) === norm(b.fingerprint) &&
    a.caFile === b.caFile &&
    Boolean(a.insecure) === Boolean(b.insecure)
  );
}

function originOf(raw: string): string | undefined {
  try {
    const u = new URL(raw.trim());
    return `${u.protocol.replace(":", "")}://${u.hostname}:${u.port ? Number(u.port) : 8006}`;
  } catch {
    return undefined;
  }
}

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
