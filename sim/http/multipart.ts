import { createHash } from "node:crypto";
import { PveError } from "./pve-error.js";

export interface UploadedFile {
  filename: string;
  size: number;
  sha256: string;
  sha512: string;
  md5: string;
  /** where the bytes are, when pve-sim keeps them (`filesDir`): else they were hashed and dropped */
  path?: string;
}

/** Splits a multipart/form-data body into text fields and the (single) uploaded file. */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): { fields: Record<string, string>; file?: UploadedFile } {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new PveError(400, "multipart body without boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const data = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== undefined) {
        const digest = (algorithm: string) => createHash(algorithm).update(data).digest("hex");
        file = {
          filename,
          size: data.length,
          sha256: digest("sha256"),
          sha512: digest("sha512"),
          md5: digest("md5"),
        };
        // Proxmox's upload takes the file part itself as the `filename` parameter
        fields[name] = filename;
      } else fields[name] = data.toString("utf8");
    }
    start = next;
  }
  return { fields, ...(file ? { file } : {}) };
}
