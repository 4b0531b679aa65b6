import type { ServiceDeps } from "./artifact-service.js";
import { matchCacheEntry } from "./cache-match.js";
import { DOWNLOAD_URL_TTL_MS, UPLOAD_URL_TTL_MS } from "./signed-url.js";
import type { CacheRecord } from "./store.js";
import {
  optionalInt64,
  requiredString,
  stringList,
  TwirpError,
  type TwirpMethod,
} from "./twirp.js";

/**
 * github.actions.results.api.v1.CacheService (cache service v2). Entries are identified by key and
 * version and shared by every run of this service (that is what a cache is for). A key+version is
 * written once: a second CreateCacheEntry is refused with 409, which @actions/cache reports as
 * "another job may be creating this cache" and answers with -1 from saveCache.
 */
export const CACHE_SERVICE = "github.actions.results.api.v1.CacheService";

const CACHE_FILE_NAME = "cache-archive";

export function cacheService(deps: ServiceDeps): Record<string, TwirpMethod> {
  const { store } = deps;
  const entry = (key: string, version: string) =>
    store.caches.find((c) => c.key === key && c.version === version);
  // an upload that was never finalized (the job died) stops blocking its key once its URL expired
  const abandoned = (c: CacheRecord) =>
    c.state === "pending" && Date.parse(c.createdAt) + UPLOAD_URL_TTL_MS <= deps.now();

  return {
    async CreateCacheEntry(request) {
      const key = requiredString(request, "key");
      const version = requiredString(request, "version");
      if (key.length > 512 || key.includes(","))
        throw new TwirpError(
          "invalid_argument",
          `cache key '${key}' is longer than 512 characters or contains a comma`,
        );
      const existing = entry(key, version);
      if (existing && !abandoned(existing)) {
        const what =
          existing.state === "finalized" ? "already exists" : "is being uploaded by another job";
        throw new TwirpError(
          "already_exists",
          `a cache entry for key '${key}' and this version ${what}`,
        );
      }
      if (existing) await store.removeCache(existing);
      const record: CacheRecord = {
        id: store.nextCacheId(),
        uploadId: store.newUploadId(),
        fileName: CACHE_FILE_NAME,
        createdAt: new Date(deps.now()).toISOString(),
        state: "pending",
        key,
        version,
      };
      store.caches.push(record);
      await store.save();
      const url = deps.signBlobUrl(
        `cache/${record.uploadId}/${record.fileName}`,
        "cw",
        UPLOAD_URL_TTL_MS,
      );
      return { ok: true, signed_upload_url: url, message: "" };
    },

    async FinalizeCacheEntryUpload(request) {
      const key = requiredString(request, "key");
      const version = requiredString(request, "version");
      const size = optionalInt64(request, "size_bytes") ?? 0;
      const record = entry(key, version);
      if (record?.state !== "pending")
        throw new TwirpError(
          "not_found",
          `no upload of a cache entry for key '${key}' and this version is in progress`,
        );
      if (!record.blob)
        throw new TwirpError(
          "failed_precondition",
          `cache entry '${key}' has no committed content yet (upload the archive before finalizing)`,
        );
      if (record.blob.size !== size) {
        throw new TwirpError(
          "invalid_argument",
          `cache entry '${key}': the client reports ${size} bytes but ${record.blob.size} bytes were committed`,
        );
      }
      record.state = "finalized";
      record.size = size;
      await store.save();
      return { ok: true, entry_id: String(record.id), message: "" };
    },

    GetCacheEntryDownloadURL(request) {
      const key = requiredString(request, "key");
      const version = requiredString(request, "version");
      const restoreKeys = stringList(request, "restore_keys");
      const finalized = store.caches.filter((c) => c.state === "finalized");
      const hit = matchCacheEntry(finalized, key, restoreKeys, version);
      if (!hit) return Promise.resolve({ ok: false, signed_download_url: "", matched_key: "" });
      const url = deps.signBlobUrl(
        `cache/${hit.uploadId}/${hit.fileName}`,
        "r",
        DOWNLOAD_URL_TTL_MS,
      );
      return Promise.resolve({ ok: true, signed_download_url: url, matched_key: hit.key });
    },
  };
}
