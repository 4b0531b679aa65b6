import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { UploadedFile } from "./multipart.js";
import { PveError } from "./pve-error.js";

/** An upload received to disk: its text fields, and the file part written to `file.path`. */
export interface StreamedUpload {
  fields: Record<string, string>;
  file?: UploadedFile & { path: string };
}

/** Text fields are small; a larger one is not what an upload form sends. */
const MAX_FIELD = 64 * 1024;

interface Part {
  name: string;
  filename?: string;
  text: Buffer[];
  textSize: number;
}

/**
 * Receives a multipart/form-data upload the way pveproxy does: the file part streams to a
 * temporary file (`<tmpDir>/pveupload-<hex>`), never held in memory: a 2 GiB disk image costs a
 * few chunks of memory. Its checksums are left to the upload task, as Proxmox's task computes them. The caller owns the file afterwards
 * (moves it into the storage, or removes it).
 */
export async function receiveUpload(
  req: AsyncIterable<Buffer> & Pick<IncomingMessage, "headers">,
  tmpDir: string,
): Promise<StreamedUpload> {
  const contentType = req.headers["content-type"] ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new PveError(400, "multipart body without boundary");
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  mkdirSync(tmpDir, { recursive: true });
  const tmpPath = join(tmpDir, `pveupload-${randomBytes(8).toString("hex")}`);

  const fields: Record<string, string> = {};
  let file: (UploadedFile & { path: string }) | undefined;
  let handle: FileHandle | undefined;
  let size = 0;
  let part: Part | undefined;
  let state = "preamble" as "preamble" | "headers" | "data" | "done";
  let pending: Buffer = Buffer.alloc(0);

  const emit = async (data: Buffer) => {
    if (!part || data.length === 0) return;
    if (part.filename !== undefined) {
      size += data.length;
      await handle?.write(data);
      return;
    }
    part.textSize += data.length;
    if (part.textSize > MAX_FIELD) throw new PveError(413, "request entity too large");
    part.text.push(data);
  };
  const endPart = async () => {
    if (!part) return;
    if (part.filename !== undefined) {
      await handle?.close();
      handle = undefined;
      // checksums are the task's job, as on Proxmox ("calculating checksum...")
      file = { filename: part.filename, size, sha256: "", sha512: "", md5: "", path: tmpPath };
      // Proxmox's upload takes the file part itself as the `filename` parameter
      fields[part.name] = part.filename;
    } else fields[part.name] = Buffer.concat(part.text).toString("utf8");
    part = undefined;
  };
  const startPart = async (headers: string) => {
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    part = { name, text: [], textSize: 0, ...(filename !== undefined ? { filename } : {}) };
    if (filename === undefined) return;
    if (file || handle) throw new PveError(400, "more than one file in the upload");
    handle = await open(tmpPath, "w", 0o600);
    size = 0;
  };

  /** Consumes as much of `pending` as can be decided now. */
  const advance = async () => {
    for (;;) {
      if (state === "preamble") {
        const at = pending.indexOf(opening);
        if (at < 0) return;
        pending = pending.subarray(at + opening.length);
        state = "headers";
      } else if (state === "headers") {
        // right after a delimiter: "--" ends the body, CRLF starts a part
        if (pending.length < 2) return;
        if (pending.subarray(0, 2).toString() === "--") {
          state = "done";
          return;
        }
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) {
          if (pending.length > MAX_FIELD)
            throw new PveError(400, "multipart part headers too long");
          return;
        }
        await startPart(pending.subarray(2, end).toString("utf8"));
        pending = pending.subarray(end + 4);
        state = "data";
      } else if (state === "data") {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // keep what could be the start of a delimiter split over two chunks (from a CR near
          // the end); usually nothing, so the next chunk is searched without copying it
          const cr = pending.indexOf(13, Math.max(0, pending.length - delimiter.length + 1));
          const safe = cr < 0 ? pending.length : cr;
          await emit(pending.subarray(0, safe));
          pending = Buffer.from(pending.subarray(safe));
          return;
        }
        await emit(pending.subarray(0, at));
        await endPart();
        pending = pending.subarray(at + delimiter.length);
        state = "headers";
      } else return;
    }
  };

  try {
    for await (const chunk of req) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      await advance();
    }
    // `advance` moved it on (TypeScript does not see assignments in closures)
    if ((state as string) !== "done") throw new PveError(400, "incomplete multipart upload");
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tmpPath, { force: true });
    throw error;
  }
  return { fields, ...(file ? { file } : {}) };
}
