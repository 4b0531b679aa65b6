import type { ServerResponse } from "node:http";
import type { PveError } from "./pve-error.js";

/** Data plus top-level fields beside `data` (the task log answers with `total`). */
export class WithExtra {
  constructor(
    readonly data: unknown,
    readonly extra: Record<string, unknown>,
  ) {}
}

const JSON_TYPE = "application/json;charset=UTF-8";

function baseHeaders(res: ServerResponse): void {
  res.setHeader("Server", "pve-api-daemon/3.0");
  res.setHeader("Cache-Control", "max-age=0");
  res.setHeader("Pragma", "no-cache");
  res.setHeader("Expires", new Date().toUTCString());
}

export function sendData(
  res: ServerResponse,
  data: unknown,
  extra: Record<string, unknown> = {},
): void {
  baseHeaders(res);
  const body = JSON.stringify({ data: data === undefined ? null : data, ...extra });
  res.writeHead(200, "OK", {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** First line of the message as reason phrase, full message (with newline) in the body. */
export function sendError(res: ServerResponse, error: PveError): void {
  baseHeaders(res);
  const firstLine = (error.message.split("\n")[0] ?? "error").replace(/[^\t\x20-\x7e]/g, "?");
  res.setHeader("Connection", "close");
  if (error.emptyBody) {
    res.writeHead(error.status, firstLine, { "Content-Length": 0 });
    res.end();
    return;
  }
  const message = error.message.endsWith("\n") ? error.message : `${error.message}\n`;
  const body = JSON.stringify({
    data: null,
    message,
    ...(error.errors ? { errors: error.errors } : {}),
  });
  res.writeHead(error.status, firstLine, {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}
