import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { BlobActivity } from "./blob-activity.js";
import { BlockListError, parseBlockList } from "./block-list.js";
import { contentDisposition } from "./content-disposition.js";
import { BLOB_ACCOUNT, verifyBlobSignature } from "./signed-url.js";
import { MissingBlockError, type CommittedBlob, type ResultsStore } from "./store.js";

/**
 * The blob endpoint the signed URLs point at: the subset of Azure Blob Storage that the Azure SDK
 * (uploads) and the toolkit's plain HTTP GET (downloads) use.
 *   PUT ?comp=block&blockid=…   Put Block: stage one block (201)
 *   PUT ?comp=blocklist         Put Block List: the blob is the listed blocks in list order (201)
 *   PUT                         Put Blob: the body is the whole blob (201)
 *   GET / HEAD                  the blob, with its content type and a Content-Disposition
 * Errors are Azure-style XML with `x-ms-error-code`, which the SDK turns into readable messages.
 */
export const BLOB_PREFIX = `/${BLOB_ACCOUNT}/`;

const DEFAULT_API_VERSION = "2026-04-06";
const DEFAULT_CONTENT_TYPE = "application/octet-stream";
const MAX_BLOCK_LIST_BYTES = 8 * 1024 * 1024;

export interface BlobDeps {
  store: ResultsStore;
  urlKey: Buffer;
  activity: BlobActivity;
  /** optional delay (ms) before storing the n-th Put Block request of an upload (see ResultsServiceOptions) */
  blockDelayMs?: (receivedIndex: number) => number;
  /** aborted when the service closes, so that no delay outlives it */
  closing: AbortSignal;
  now(): number;
}

class BlobError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function baseHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const version = req.headers["x-ms-version"];
  return {
    "x-ms-request-id": randomUUID(),
    "x-ms-version": typeof version === "string" ? version : DEFAULT_API_VERSION,
    Date: new Date().toUTCString(),
  };
}

function sendError(req: IncomingMessage, res: ServerResponse, error: BlobError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>`;
  res.writeHead(error.status, {
    ...baseHeaders(req),
    "x-ms-error-code": error.code,
    "Content-Type": "application/xml",
    "Content-Length": req.method === "HEAD" ? 0 : Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function created(req: IncomingMessage, res: ServerResponse, blob?: CommittedBlob): void {
  res.writeHead(201, {
    ...baseHeaders(req),
    "x-ms-request-server-encrypted": "true",
    ...(blob ? { ETag: blob.etag, "Last-Modified": blob.lastModified } : {}),
    "Content-Length": 0,
  });
  res.end();
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new BlobError(
        413,
        "RequestBodyTooLarge",
        `the block list is larger than ${limit} bytes`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function committed(
  req: IncomingMessage,
  result: { size: number; sha256: string },
  nowMs: number,
): CommittedBlob {
  const header = req.headers["x-ms-blob-content-type"];
  return {
    size: result.size,
    sha256: result.sha256,
    contentType: typeof header === "string" && header !== "" ? header : DEFAULT_CONTENT_TYPE,
    etag: `"0x${nowMs.toString(16).toUpperCase()}${result.sha256.slice(0, 8).toUpperCase()}"`,
    lastModified: new Date(nowMs).toUTCString(),
  };
}

/** Parses a single `bytes=a-b` range (what the Azure SDK sends); other forms are served whole. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname.slice(BLOB_PREFIX.length).split("/").map(decodeURIComponent);
  } catch {
    throw new BlobError(400, "InvalidUri", "the blob path is not valid percent-encoding");
  }
}

export async function handleBlob(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: BlobDeps,
): Promise<void> {
  try {
    const [container = "", uploadId = "", ...rest] = decodeSegments(url.pathname);
    const fileName = rest.join("/");
    if (!container || !uploadId || !fileName)
      throw new BlobError(
        400,
        "InvalidUri",
        "expected /devstoreaccount1/<container>/<upload>/<file>",
      );
    const blobPath = `${container}/${uploadId}/${fileName}`;
    const signature = verifyBlobSignature(deps.urlKey, blobPath, url.searchParams, deps.now());
    if (!signature.ok) {
      const why = {
        missing: "the URL carries no signature",
        invalid: "the signature does not match the URL",
        expired: "the signed URL has expired",
      };
      throw new BlobError(
        403,
        "AuthenticationFailed",
        `Server failed to authenticate the request: ${why[signature.problem]}`,
      );
    }
    const reading = req.method === "GET" || req.method === "HEAD";
    if (!reading && req.method !== "PUT")
      throw new BlobError(
        405,
        "UnsupportedHttpVerb",
        `${req.method ?? "?"} is not supported on blobs here`,
      );
    const needed = reading ? "r" : "w";
    if (!signature.permission.includes(needed)) {
      throw new BlobError(
        403,
        "AuthorizationPermissionMismatch",
        `this signed URL does not grant '${needed}' (it grants '${signature.permission}')`,
      );
    }
    const owner = deps.store.findUpload(container, uploadId);
    if (owner?.record.fileName !== fileName)
      throw new BlobError(
        404,
        "BlobNotFound",
        "The specified blob does not exist (deleted, or never reserved).",
      );
    const record = owner.record;

    if (reading) {
      const blob = record.blob;
      if (!blob)
        throw new BlobError(
          404,
          "BlobNotFound",
          "The specified blob does not exist (nothing was committed yet).",
        );
      const headers: OutgoingHttpHeaders = {
        ...baseHeaders(req),
        "Content-Type": blob.contentType,
        "Content-Disposition": contentDisposition(fileName),
        ETag: blob.etag,
        "Last-Modified": blob.lastModified,
        "Accept-Ranges": "bytes",
        "x-ms-blob-type": "BlockBlob",
        "x-ms-server-encrypted": "true",
      };
      const rangeHeader = req.headers["x-ms-range"] ?? req.headers.range;
      const range = parseRange(
        typeof rangeHeader === "string" ? rangeHeader : undefined,
        blob.size,
      );
      if (range === "unsatisfiable")
        throw new BlobError(
          416,
          "InvalidRange",
          `the range ${String(rangeHeader)} is outside the blob (${blob.size} bytes)`,
        );
      if (range) {
        res.writeHead(206, {
          ...headers,
          "Content-Length": range.end - range.start + 1,
          "Content-Range": `bytes ${range.start}-${range.end}/${blob.size}`,
        });
      } else {
        res.writeHead(200, { ...headers, "Content-Length": blob.size });
      }
      if (req.method === "HEAD" || blob.size === 0) {
        res.end();
        return;
      }
      await pipeline(createReadStream(deps.store.blobFile(uploadId), range ?? {}), res);
      return;
    }

    if (record.state !== "pending")
      throw new BlobError(
        409,
        "BlobImmutable",
        "This upload was finalized; its blob cannot be written again.",
      );
    const comp = url.searchParams.get("comp");
    if (comp === "block") {
      const blockId = url.searchParams.get("blockid");
      if (!blockId || blockId.length > 1024)
        throw new BlobError(400, "InvalidQueryParameterValue", "blockid is missing or too long");
      await deps.activity.stageBlock(uploadId, blockId, async (receivedIndex) => {
        const delay = deps.blockDelayMs?.(receivedIndex) ?? 0;
        if (delay > 0) await sleep(delay, undefined, { signal: deps.closing });
        return deps.store.stageBlock(uploadId, blockId, req);
      });
      created(req, res);
      return;
    }
    if (comp === "blocklist") {
      const entries = parseBlockList(await readText(req, MAX_BLOCK_LIST_BYTES));
      const committedRef = entries.find((e) => e.kind === "Committed");
      if (committedRef) {
        throw new BlobError(
          400,
          "InvalidBlockList",
          `block ${committedRef.id} is referenced as <Committed>; blobs here are written once, list staged blocks only`,
        );
      }
      const blockIds = entries.map((e) => e.id);
      const result = await deps.store.commitBlocks(uploadId, blockIds);
      deps.activity.committedBlockList(uploadId, blockIds);
      record.blob = committed(req, result, deps.now());
      await deps.store.save();
      created(req, res, record.blob);
      return;
    }
    if (comp === null) {
      const blobType = req.headers["x-ms-blob-type"];
      if (blobType !== undefined && blobType !== "BlockBlob")
        throw new BlobError(
          400,
          "InvalidHeaderValue",
          `x-ms-blob-type ${String(blobType)} is not supported (BlockBlob only)`,
        );
      record.blob = committed(req, await deps.store.putBlob(uploadId, req), deps.now());
      deps.activity.putBlob(uploadId);
      await deps.store.save();
      created(req, res, record.blob);
      return;
    }
    throw new BlobError(400, "UnsupportedQueryParameter", `comp=${comp} is not supported here`);
  } catch (error) {
    // an unread upload body must be drained, or the client sees a reset instead of the answer
    req.resume();
    if (error instanceof BlobError) sendError(req, res, error);
    else if (error instanceof MissingBlockError)
      sendError(
        req,
        res,
        new BlobError(
          400,
          "InvalidBlockList",
          `The specified block list is invalid: ${error.message}`,
        ),
      );
    else if (error instanceof BlockListError)
      sendError(req, res, new BlobError(400, "InvalidXmlDocument", error.message));
    else
      sendError(
        req,
        res,
        new BlobError(500, "InternalError", error instanceof Error ? error.message : String(error)),
      );
  }
}
