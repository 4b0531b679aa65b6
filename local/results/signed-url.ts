import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed blob URLs, shaped like Azure SAS URLs so that the Azure SDK and the toolkit treat them as
 * such: `sp` (permissions: `r` read, `cw` create+write), `se` (expiry, ISO 8601) and `sig`. The
 * toolkit masks the `sig` parameter in logs. The signature covers the permissions, the expiry and
 * the decoded blob path, so changing any of them (or the path) makes it invalid.
 */
export type BlobPermission = "r" | "cw";

export const BLOB_ACCOUNT = "devstoreaccount1";

/** Upload URLs must outlast the client's 5-minute stall limit on a slow upload; downloads are retried up to ~25 s. */
export const UPLOAD_URL_TTL_MS = 6 * 60 * 60 * 1000;
export const DOWNLOAD_URL_TTL_MS = 60 * 60 * 1000;

function signature(key: Buffer, permission: string, expiry: string, blobPath: string): Buffer {
  return createHmac("sha256", key).update(`${permission}\n${expiry}\n${blobPath}`).digest();
}

/** `blobPath` is `<container>/<upload id>/<file name>` unencoded; the URL carries it percent-encoded. */
export function signBlobUrl(
  baseUrl: string,
  key: Buffer,
  blobPath: string,
  permission: BlobPermission,
  expiresAtMs: number,
): string {
  const expiry = new Date(expiresAtMs).toISOString();
  const encodedPath = blobPath.split("/").map(encodeURIComponent).join("/");
  const url = new URL(`/${BLOB_ACCOUNT}/${encodedPath}`, baseUrl);
  url.searchParams.set("sv", "2025-01-05");
  url.searchParams.set("sr", "b");
  url.searchParams.set("sp", permission);
  url.searchParams.set("se", expiry);
  url.searchParams.set("sig", signature(key, permission, expiry, blobPath).toString("hex"));
  return url.href;
}

export type SignatureProblem = "missing" | "invalid" | "expired";

export interface VerifiedSignature {
  ok: true;
  permission: string;
}

/** Checks the query of a blob request against the decoded blob path. */
export function verifyBlobSignature(
  key: Buffer,
  blobPath: string,
  query: URLSearchParams,
  nowMs: number,
): VerifiedSignature | { ok: false; problem: SignatureProblem } {
  const permission = query.get("sp");
  const expiry = query.get("se");
  const sig = query.get("sig");
  if (permission === null || expiry === null || sig === null)
    return { ok: false, problem: "missing" };
  const given = Buffer.from(sig, "hex");
  const expected = signature(key, permission, expiry, blobPath);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: "invalid" };
  const expiresAt = Date.parse(expiry);
  if (!Number.isFinite(expiresAt) || expiresAt <= nowMs) return { ok: false, problem: "expired" };
  return { ok: true, permission };
}
