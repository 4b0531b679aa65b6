import type { IncomingMessage, ServerResponse } from "node:http";
import { TokenError, verifyRuntimeToken, type JobIdentity } from "./token.js";

/**
 * Twirp over JSON, as the toolkit's generated clients speak it: `POST /twirp/<service>/<method>`
 * with a JSON body in proto field names; errors are JSON `{code, msg}` with the Twirp status.
 * Every answer must be JSON: the toolkit retries any non-JSON body (and any 5xx or 429) for about
 * 30 s before it gives up, so expected failures are always 4xx with a JSON body.
 */
export type TwirpCode =
  | "invalid_argument"
  | "malformed"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "unauthenticated"
  | "failed_precondition"
  | "bad_route"
  | "internal";

const STATUS: Record<TwirpCode, number> = {
  invalid_argument: 400,
  malformed: 400,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  failed_precondition: 412,
  bad_route: 404,
  internal: 500,
};

export class TwirpError extends Error {
  override name = "TwirpError";
  constructor(
    readonly code: TwirpCode,
    message: string,
  ) {
    super(message);
  }
}

export type JsonObject = Record<string, unknown>;
export type TwirpMethod = (request: JsonObject, caller: JobIdentity) => Promise<JsonObject>;
export type TwirpServices = Record<string, Record<string, TwirpMethod>>;

export const TWIRP_PREFIX = "/twirp/";
const MAX_BODY_BYTES = 1024 * 1024;

export function sendTwirpError(res: ServerResponse, error: TwirpError): void {
  sendJson(res, STATUS[error.code], { code: error.code, msg: error.message });
}

function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new TwirpError("malformed", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new TwirpError("malformed", "the request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TwirpError("malformed", "the request body must be a JSON object");
  }
  return parsed as JsonObject;
}

function authenticate(req: IncomingMessage, tokenKey: Buffer, nowMs: number): JobIdentity {
  const header = req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token)
    throw new TwirpError(
      "unauthenticated",
      "no Bearer runtime token (ACTIONS_RUNTIME_TOKEN) was sent",
    );
  try {
    return verifyRuntimeToken(tokenKey, token, nowMs);
  } catch (error) {
    if (error instanceof TokenError) throw new TwirpError("unauthenticated", error.message);
    throw error;
  }
}

export async function handleTwirp(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  services: TwirpServices,
  tokenKey: Buffer,
  nowMs: () => number,
): Promise<void> {
  try {
    const [service = "", method = "", ...rest] = pathname.slice(TWIRP_PREFIX.length).split("/");
    const handler = rest.length === 0 ? services[service]?.[method] : undefined;
    if (req.method !== "POST" || !handler) {
      throw new TwirpError("bad_route", `no such Twirp route: ${req.method ?? "?"} ${pathname}`);
    }
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (contentType !== "application/json") {
      throw new TwirpError(
        "bad_route",
        `unsupported Content-Type '${contentType ?? ""}': this service speaks Twirp JSON only`,
      );
    }
    const caller = authenticate(req, tokenKey, nowMs());
    const request = await readJson(req);
    sendJson(res, 200, await handler(request, caller));
  } catch (error) {
    // drain an unread body so the connection stays usable for the client's next call
    req.resume();
    if (error instanceof TwirpError) {
      sendTwirpError(res, error);
    } else {
      sendTwirpError(
        res,
        new TwirpError("internal", error instanceof Error ? error.message : String(error)),
      );
    }
  }
}

// Request fields: proto JSON allows proto names (what the toolkit sends) and lowerCamel names.

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function raw(request: JsonObject, name: string): unknown {
  return request[name] ?? request[camel(name)];
}

/** A string or a google.protobuf.StringValue wrapper (a bare string in JSON; `{value}` tolerated). */
export function optionalString(request: JsonObject, name: string): string | undefined {
  const value = raw(request, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "object" && typeof (value as { value?: unknown }).value === "string")
    return (value as { value: string }).value;
  throw new TwirpError("invalid_argument", `${name} must be a string`);
}

export function requiredString(request: JsonObject, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined || value === "")
    throw new TwirpError("invalid_argument", `${name} is required`);
  return value;
}

/** int64 (a decimal string in proto JSON, a number tolerated), plain or as an Int64Value wrapper. */
export function optionalInt64(request: JsonObject, name: string): number | undefined {
  let value = raw(request, name);
  if (value !== null && typeof value === "object") value = (value as { value?: unknown }).value;
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new TwirpError("invalid_argument", `${name} must be a non-negative integer`);
  }
  return Number(text);
}

export function stringList(request: JsonObject, name: string): string[] {
  const value = raw(request, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TwirpError("invalid_argument", `${name} must be a list of strings`);
  }
  return value;
}
