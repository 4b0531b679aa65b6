import { ConfigurationError } from "../errors.js";
import { grantAdvice } from "./pveum.js";

/**
 * Errors of the Proxmox client. Those a person fixes outside the code (wrong token, missing
 * privilege, unreachable host, untrusted certificate) are ConfigurationErrors: they print as a
 * message with the fix and no stack. Everything else keeps its stack.
 */

/** A Proxmox API call answered with an error status (400, 500, 501, 595, 596, …). */
export class ProxmoxApiError extends Error {
  override name = "ProxmoxApiError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** Proxmox's own message (body `message`, else the HTTP reason phrase), without trailing newline */
    readonly serverMessage: string,
    /** per-parameter errors of a 400 `Parameter verification failed.` */
    readonly paramErrors: Record<string, string> = {},
  ) {
    const params = Object.entries(paramErrors).map(([k, v]) => `${k}: ${v}`);
    super(
      `${method} ${path} failed with ${status}: ${serverMessage}${params.length ? ` (${params.join("; ")})` : ""}`,
    );
  }
}

/** 401: the API token id or secret is wrong (or the token was deleted or expired). */
export class ProxmoxAuthError extends ConfigurationError {
  override name = "ProxmoxAuthError";
  readonly status = 401;
  constructor(
    readonly tokenId: string,
    readonly url: string,
    sources: { tokenId: string; tokenSecret: string },
  ) {
    super(
      `Proxmox at ${url} rejected the API token '${tokenId}' (401 authentication failed)`,
      `check the token id (from ${sources.tokenId}, format user@realm!name) and its secret (from ${sources.tokenSecret}, the UUID shown once when the token was created); ` +
        `list tokens with \`pveum user token list <user@realm>\`, or create a new one with \`pveum user token add <user@realm> <name> --privsep 1\``,
    );
  }
}

/** 403: the token lacks a privilege on a path. */
export class ProxmoxPermissionError extends ConfigurationError {
  override name = "ProxmoxPermissionError";
  readonly status = 403;
  constructor(
    readonly method: string,
    readonly apiPath: string,
    readonly tokenId: string,
    /** ACL path named by Proxmox, e.g. `/vms/100` (undefined when the message names none) */
    readonly aclPath: string | undefined,
    /** privileges named by Proxmox; when several, any one of them is enough */
    readonly privileges: readonly string[],
    readonly serverMessage: string,
  ) {
    super(
      aclPath && privileges.length > 0
        ? `the API token '${tokenId}' lacks ${privileges.join(" or ")} on ${aclPath} (${method} ${apiPath} was refused: ${serverMessage})`
        : `the API token '${tokenId}' is not allowed to call ${method} ${apiPath}: ${serverMessage}`,
      aclPath && privileges.length > 0
        ? grantAdvice(tokenId, [{ path: aclPath, privileges: [privileges[0] ?? ""] }])
        : "this call needs root@pam or a ticket, not an API token; check the Proxmox permission documentation for this API path",
    );
  }
}

/** The host could not be reached, or its TLS certificate is not trusted. */
export class ProxmoxUnreachableError extends ConfigurationError {
  override name = "ProxmoxUnreachableError";
  constructor(
    readonly host: string,
    readonly port: number,
    /** the low-level error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, PVE_KUBE_FINGERPRINT_MISMATCH, …) */
    readonly code: string,
    detail: string,
    fix: string,
    /** true when retrying may help (connection refused/reset/timeout) — never for TLS trust errors */
    readonly transient: boolean,
  ) {
    super(`cannot reach Proxmox at ${host}:${port}: ${detail}`, fix);
  }
}

/** A Proxmox task ended with an exit status other than OK/WARNINGS. */
export class TaskFailedError extends Error {
  override name = "TaskFailedError";
  constructor(
    readonly upid: string,
    readonly node: string,
    readonly type: string,
    readonly exitStatus: string,
    readonly logTail: readonly string[],
  ) {
    super(
      `Proxmox task ${type}${taskTarget(upid)} on ${node} failed: ${exitStatus}` +
        (logTail.length
          ? `\nlast lines of the task log (${upid}):\n${logTail.map((l) => `  ${l}`).join("\n")}`
          : ""),
    );
  }
}

export class TaskTimeoutError extends Error {
  override name = "TaskTimeoutError";
  constructor(
    readonly upid: string,
    readonly node: string,
    readonly type: string,
    readonly timeoutMs: number,
    readonly logTail: readonly string[],
  ) {
    super(
      `Proxmox task ${type}${taskTarget(upid)} on ${node} did not finish within ${Math.round(timeoutMs / 1000)} s; it may still be running (${upid})` +
        (logTail.length
          ? `\nlast lines of the task log:\n${logTail.map((l) => `  ${l}`).join("\n")}`
          : ""),
    );
  }
}

function taskTarget(upid: string): string {
  const id = upid.split(":")[6];
  return id ? ` ${id}` : "";
}

/** Text of an API error or a failed task, for matching Proxmox's well-known messages. */
function proxmoxText(error: unknown): string {
  if (error instanceof ProxmoxApiError) return error.serverMessage;
  if (error instanceof TaskFailedError) return error.exitStatus;
  return "";
}

/** The object does not exist (Proxmox says so with 500 and a message, rarely with 404). */
export function isNotFound(error: unknown): boolean {
  if (error instanceof ProxmoxApiError && error.status === 404) return true;
  return /does not exist|no such (resource|file|task|vm|storage)|No such file or directory/i.test(
    proxmoxText(error),
  );
}

export function isAlreadyExists(error: unknown): boolean {
  return /already exists/i.test(proxmoxText(error));
}

/** `can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout` — a busy config lock. */
export function isLockTimeout(error: unknown): boolean {
  return /can't lock file .* got timeout/i.test(proxmoxText(error));
}

export function isVmLocked(error: unknown): boolean {
  return /VM is locked/i.test(proxmoxText(error));
}
