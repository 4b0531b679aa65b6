import { createReadStream } from "node:fs";
import type { Writable } from "node:stream";

/**
 * A minimal, deterministic tar writer (POSIX ustar, with a PAX header for paths that do not fit):
 * enough for image layers and OCI archives. Every entry is owned by 0:0 with mtime 0, so the same
 * inputs always give the same bytes and so the same digests.
 */
export type TarEntry =
  | { type: "dir"; path: string; mode: number }
  | { type: "file"; path: string; mode: number; size: number; source: string | Buffer }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, opts: { type: string; mode: number; size: number; link?: string }) {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write(octal(opts.mode & 0o7777, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(opts.size, 12), 124, "ascii");
  block.write(octal(0, 12), 136, "ascii");
  block.write(opts.type, 156, "ascii");
  if (opts.link) block.write(opts.link, 157, 100, "utf8");
  block.write("ustar\x0000", 257, "ascii");
  block.write("        ", 148, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + " ", 148, "ascii");
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A PAX record "<len> <key>=<value>\n", where <len> counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
  return `${length}${body}`;
}

/** The header block(s) of one entry: a PAX extended header first when a name is too long. */
export function entryHeader(entry: TarEntry): Buffer {
  const path = entry.type === "dir" && !entry.path.endsWith("/") ? `${entry.path}/` : entry.path;
  const link = entry.type === "symlink" ? entry.target : undefined;
  const pax: string[] = [];
  if (Buffer.byteLength(path) > 100) pax.push(paxRecord("path", path));
  if (link && Buffer.byteLength(link) > 100) pax.push(paxRecord("linkpath", link));
  const blocks: Buffer[] = [];
  if (pax.length) {
    const body = Buffer.from(pax.join(""));
    blocks.push(header("PaxHeader", { type: "x", mode: 0o644, size: body.length }));
    blocks.push(body, padding(body.length));
  }
  const short = Buffer.byteLength(path) > 100 ? path.slice(0, 99) : path;
  const shortLink = link && Buffer.byteLength(link) > 100 ? link.slice(0, 99) : link;
  if (entry.type === "dir") blocks.push(header(short, { type: "5", mode: entry.mode, size: 0 }));
  else if (entry.type === "symlink")
    blocks.push(header(short, { type: "2", mode: 0o777, size: 0, link: shortLink ?? "" }));
  else blocks.push(header(short, { type: "0", mode: entry.mode, size: entry.size }));
  return Buffer.concat(blocks);
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const drained = () => {
      out.off("error", failed);
      resolve();
    };
    const failed = (error: Error) => {
      out.off("drain", drained);
      reject(error);
    };
    out.once("drain", drained);
    out.once("error", failed);
  });
}

/** Writes the entries in the order given, then the two zero blocks that end an archive. */
export async function writeTar(out: Writable, entries: Iterable<TarEntry>): Promise<void> {
  for (const entry of entries) {
    await write(out, entryHeader(entry));
    if (entry.type !== "file") continue;
    let written = 0;
    if (Buffer.isBuffer(entry.source)) {
      await write(out, entry.source);
      written = entry.source.length;
    } else {
      for await (const chunk of createReadStream(entry.source)) {
        await write(out, chunk as Buffer);
        written += (chunk as Buffer).length;
      }
    }
    if (written !== entry.size) {
      throw new Error(
        `${entry.path}: expected ${entry.size} bytes, read ${written} (file changed?)`,
      );
    }
    await write(out, padding(entry.size));
  }
  await write(out, Buffer.alloc(BLOCK * 2));
}
