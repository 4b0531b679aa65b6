import { AsyncLocalStorage } from "node:async_hooks";
import { ProxmoxEngine, type ApiRequestable } from "proxmox-api";
import { fetch as undiciFetch, type Dispatcher, type FormData } from "undici";
import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ResolvedConnection } from "./connection.js";
import { ProxmoxApiError, ProxmoxAuthError, ProxmoxPermissionError } from "./errors.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import { tlsMode } from "./tls.js";
import { explainNetworkError } from "./unreachable.js";

/** What one HTTP exchange did, recorded by the fetch seam while proxmox-api drives it. */
interface Exchange {
  sent: boolean;
  status?: number;
  statusText?: string;
  bodyText?: string;
  networkError?: unknown;
}

const API_PREFIX = "/api2/json";
const SUCCESS_CONTENT_TYPE = "application/json;charset=UTF-8";

export interface TransportOptions {
  connection: ResolvedConnection;
  dispatcher: Dispatcher;
  logger: Logger;
  retry: RetryPolicy;
  /** per-request timeout (proxmox-api's queryTimeout) */
  requestTimeoutMs?: number;
  /** looks up the certificate a server presents, for TLS error messages */
  presentedFingerprint?: (host: string, port: number) => Promise<string | undefined>;
}

/**
 * The request engine under the typed `proxmox-api` proxy. proxmox-api's own ProxmoxEngine still
 * does the work (token header, form encoding, strict JSON parsing); this wrapper adds what it
 * lacks, through its injected `fetch`:
 * - TLS trust through our undici dispatcher (pinning, CA file), never a global switch;
 * - no blind resend: ProxmoxEngine repeats any request once after a network error — for a POST
 *   that may run the operation twice, so the seam refuses to send the same request again;
 * - typed errors (status, Proxmox message, parameter errors) instead of a formatted string, and
 *   explanations for 401/403/unreachable;
 * - bounded, jittered retries for GET only.
 */
export class ProxmoxTransport implements ApiRequestable {
  private readonly engine: ProxmoxEngine;
  private readonly exchanges = new AsyncLocalStorage<Exchange>();
  private readonly hostForUrl: string;

  constructor(private readonly options: TransportOptions) {
    const { connection } = options;
    this.hostForUrl = connection.host.includes(":") ? `[${connection.host}]` : connection.host;
    this.engine = new ProxmoxEngine({
      host: this.hostForUrl,
      port: connection.port,
      schema: connection.schema,
      tokenID: connection.tokenId,
      tokenSecret: connection.tokenSecret,
      queryTimeout: options.requestTimeoutMs ?? 60_000,
      fetch: this.fetchOnce,
    });
  }

  private readonly fetchOnce = async (
    url: string | URL,
    init?: Parameters<typeof undiciFetch>[1],
  ) => {
    const exchange = this.exchanges.getStore();
    if (exchange?.sent) {
      // ProxmoxEngine's built-in resend after a network error: refuse; our retry policy decides
      throw exchange.networkError instanceof Error
        ? exchange.networkError
        : new Error("request already sent once");
    }
    if (exchange) exchange.sent = true;
    try {
      const response = await undiciFetch(url, { ...init, dispatcher: this.options.dispatcher });
      if (exchange) {
        exchange.status = response.status;
        exchange.statusText = response.statusText;
        if (response.status !== 200) exchange.bodyText = await response.clone().text();
      }
      return response;
    } catch (error) {
      if (exchange) exchange.networkError = error;
      throw error;
    }
  };

  /** ApiRequestable: called by the proxmox-api proxy for every `$get/$post/$put/$delete`. */
  async doRequest(
    httpMethod: string,
    path: string,
    pathTemplate: string,
    params?: Record<string, unknown>,
  ): Promise<unknown> {
    const method = httpMethod.toUpperCase();
    const once = () =>
      this.requestOnce(method, path, pathTemplate, params ? { ...params } : undefined);
    if (method !== "GET") return once();
    const { retry, logger } = this.options;
    return withRetries(once, retry, (error, attempt, delay) =>
      logger.info(
        `Proxmox GET ${apiPath(path)} failed (${getErrorMessage(error).split("\n")[0]}); retry ${attempt} of ${retry.maxAttempts - 1} in ${delay} ms`,
      ),
    );
  }

  private async requestOnce(
    method: string,
    path: string,
    pathTemplate: string,
    params?: Record<string, unknown>,
  ): Promise<unknown> {
    const exchange: Exchange = { sent: false };
    this.options.logger.debug(`Proxmox ${method} ${apiPath(path)}`);
    try {
      return await this.exchanges.run(exchange, () =>
        this.engine.doRequest(method, path, pathTemplate, params),
      );
    } catch (error) {
      throw await this.explain(method, apiPath(path), exchange, error);
    }
  }

  /**
   * A multipart upload (`POST …/storage/{s}/upload`), which proxmox-api cannot send. Same TLS,
   * same token, same error mapping; never retried (it is a write).
   */
  async upload(path: string, form: FormData): Promise<unknown> {
    const { connection } = this.options;
    const exchange: Exchange = { sent: true };
    const url = `${connection.schema}://${this.hostForUrl}:${connection.port}${API_PREFIX}${path}`;
    this.options.logger.debug(`Proxmox POST ${path} (upload)`);
    let text: string;
    try {
      const response = await undiciFetch(url, {
        method: "POST",
        body: form,
        headers: { Authorization: `PVEAPIToken=${connection.tokenId}=${connection.tokenSecret}` },
        dispatcher: this.options.dispatcher,
      });
      exchange.status = response.status;
      exchange.statusText = response.statusText;
      text = await response.text();
      exchange.bodyText = text;
      if (response.status !== 200 || response.headers.get("content-type") !== SUCCESS_CONTENT_TYPE)
        throw new Error(`upload answered ${response.status}`);
    } catch (error) {
      if (exchange.status === undefined) exchange.networkError = error;
      throw await this.explain("POST", path, exchange, error);
    }
    return (JSON.parse(text) as { data: unknown }).data;
  }

  private async explain(
    method: string,
    path: string,
    exchange: Exchange,
    error: unknown,
  ): Promise<Error> {
    const { connection } = this.options;
    if (exchange.networkError !== undefined) {
      return explainNetworkError(
        exchange.networkError,
        { host: connection.host, port: connection.port, tlsMode: tlsMode(connection.tls) },
        this.options.presentedFingerprint,
      );
    }
    const status = exchange.status;
    if (status === undefined || status === 200) {
      return new Error(
        `Proxmox ${method} ${path}: unexpected response: ${getErrorMessage(error)}`,
        { cause: error },
      );
    }
    const body = parseBody(exchange.bodyText);
    const serverMessage = (body.message ?? exchange.statusText ?? "").trim() || `HTTP ${status}`;
    if (status === 401)
      return new ProxmoxAuthError(connection.tokenId, connection.url, connection.sources);
    if (status === 403) {
      const { aclPath, privileges } = parsePermissionMessage(serverMessage);
      return new ProxmoxPermissionError(
        method,
        path,
        connection.tokenId,
        aclPath,
        privileges,
        serverMessage,
      );
    }
    return new ProxmoxApiError(method, path, status, serverMessage, body.errors);
  }
}

function apiPath(path: string): string {
  return path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) || "/" : path;
}

function parseBody(text: string | undefined): {
  message?: string;
  errors?: Record<string, string>;
} {
  if (!text) return {};
  try {
    const json = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const errors =
      json.errors && typeof json.errors === "object"
        ? Object.fromEntries(Object.entries(json.errors).map(([k, v]) => [k, String(v).trim()]))
        : undefined;
    return {
      ...(typeof json.message === "string" ? { message: json.message } : {}),
      ...(errors ? { errors } : {}),
    };
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/**
 * `Permission check failed (/vms/100, VM.Audit)` → path `/vms/100`, privileges `[VM.Audit]`;
 * an "any of" check lists several joined by `|` or `,`.
 */
export function parsePermissionMessage(message: string): {
  aclPath?: string;
  privileges: string[];
} {
  const match = /\((\/[^,)]*),\s*([A-Za-z][\w.]*(?:\s*[|,]\s*[A-Za-z][\w.]*)*)\)/.exec(message);
  if (!match) return { privileges: [] };
  return {
    aclPath: match[1]!.trim(),
    privileges: match[2]!
      .split(/[|,]/)
      .map((p) => p.trim())
      .filter(Boolean),
  };
}
