import type { IncomingMessage } from "node:http";
import { parseMultipart } from "./multipart.js";
import { PveError } from "./pve-error.js";

const MAX_BODY = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new PveError(413, "request entity too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Form or JSON body → string parameters (JSON booleans become 1/0, numbers their text). */
export function parseBodyParams(
  body: Buffer,
  contentType: string | undefined,
): Record<string, string> {
  if (body.length === 0) return {};
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new PveError(400, "Parameter verification failed.", { data: "invalid JSON body" });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      out[k] =
        typeof v === "boolean"
          ? v
            ? "1"
            : "0"
          : typeof v === "string" || typeof v === "number"
            ? String(v)
            : JSON.stringify(v);
    }
    return out;
  }
  if (type === "multipart/form-data") return parseMultipart(body, contentType ?? "").fields;
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}
