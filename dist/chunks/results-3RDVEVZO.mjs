import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// local/results/index.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdtemp, rm as rm2 } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path2 from "node:path";

// local/results/signed-url.ts
import { createHmac, timingSafeEqual } from "node:crypto";
var BLOB_ACCOUNT = "devstoreaccount1";
var UPLOAD_URL_TTL_MS = 6 * 60 * 60 * 1e3;
var DOWNLOAD_URL_TTL_MS = 60 * 60 * 1e3;
function signature(key, permission, expiry, blobPath) {
  return createHmac("sha256", key).update(`${permission}
${expiry}
${blobPath}`).digest();
}
__name(signature, "signature");
function signBlobUrl(baseUrl, key, blobPath, permission, expiresAtMs) {
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
__name(signBlobUrl, "signBlobUrl");
function verifyBlobSignature(key, blobPath, query, nowMs) {
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
__name(verifyBlobSignature, "verifyBlobSignature");

// local/results/token.ts
import { createHmac as createHmac2, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var SCOPE_PREFIX = "Actions.Results:";
var ISSUER = "pve-kube-local-results";
var TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
var ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
var TokenError = class extends Error {
  static {
    __name(this, "TokenError");
  }
  name = "TokenError";
};
function assertBackendId(kind, id) {
  if (!ID_PATTERN.test(id)) {
    throw new Error(
      `${kind} id '${id}' is not usable in a runtime token: use 1-128 letters, digits, '.', '_' or '-'`
    );
  }
}
__name(assertBackendId, "assertBackendId");
function base64url(data) {
  return Buffer.from(data).toString("base64url");
}
__name(base64url, "base64url");
function sign(key, signingInput) {
  return createHmac2("sha256", key).update(signingInput).digest();
}
__name(sign, "sign");
function mintRuntimeToken(key, identity, nowMs) {
  assertBackendId("run", identity.runId);
  assertBackendId("job", identity.jobId);
  const iat = Math.floor(nowMs / 1e3);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: ISSUER,
      scp: `${SCOPE_PREFIX}${identity.runId}:${identity.jobId}`,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS
    })
  );
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${base64url(sign(key, signingInput))}`;
}
__name(mintRuntimeToken, "mintRuntimeToken");
function verifyRuntimeToken(key, token, nowMs) {
  const parts = token.split(".");
  if (parts.length !== 3) throw new TokenError("the runtime token is not a JWT");
  const [header = "", payload = "", signature2 = ""] = parts;
  let alg;
  let claims;
  try {
    alg = JSON.parse(Buffer.from(header, "base64url").toString("utf8")).alg;
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new TokenError("the runtime token is not a JWT");
  }
  if (alg !== "HS256")
    throw new TokenError("the runtime token was not issued by this results service");
  const expected = sign(key, `${header}.${payload}`);
  const given = Buffer.from(signature2, "base64url");
  if (given.length !== expected.length || !timingSafeEqual2(given, expected)) {
    throw new TokenError(
      "the runtime token signature is invalid (minted by another results service instance?)"
    );
  }
  if (typeof claims.exp !== "number" || claims.exp * 1e3 <= nowMs)
    throw new TokenError("the runtime token has expired");
  const scope = typeof claims.scp === "string" ? claims.scp.split(" ").find((s) => s.startsWith(SCOPE_PREFIX)) : void 0;
  const fields = scope?.split(":");
  if (fields?.length !== 3 || !fields[1] || !fields[2])
    throw new TokenError("the runtime token has no Actions.Results scope");
  return { runId: fields[1], jobId: fields[2] };
}
__name(verifyRuntimeToken, "verifyRuntimeToken");

// local/results/twirp.ts
var STATUS = {
  invalid_argument: 400,
  malformed: 400,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  failed_precondition: 412,
  bad_route: 404,
  internal: 500
};
var TwirpError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  code;
  static {
    __name(this, "TwirpError");
  }
  name = "TwirpError";
};
var TWIRP_PREFIX = "/twirp/";
var MAX_BODY_BYTES = 1024 * 1024;
function sendTwirpError(res, error) {
  sendJson(res, STATUS[error.code], { code: error.code, msg: error.message });
}
__name(sendTwirpError, "sendTwirpError");
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text)
  });
  res.end(text);
}
__name(sendJson, "sendJson");
async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new TwirpError("malformed", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let parsed;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new TwirpError("malformed", "the request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TwirpError("malformed", "the request body must be a JSON object");
  }
  return parsed;
}
__name(readJson, "readJson");
function authenticate(req, tokenKey, nowMs) {
  const header = req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token)
    throw new TwirpError(
      "unauthenticated",
      "no Bearer runtime token (ACTIONS_RUNTIME_TOKEN) was sent"
    );
  try {
    return verifyRuntimeToken(tokenKey, token, nowMs);
  } catch (error) {
    if (error instanceof TokenError) throw new TwirpError("unauthenticated", error.message);
    throw error;
  }
}
__name(authenticate, "authenticate");
async function handleTwirp(req, res, pathname, services, tokenKey, nowMs) {
  try {
    const [service = "", method = "", ...rest] = pathname.slice(TWIRP_PREFIX.length).split("/");
    const handler = rest.length === 0 ? services[service]?.[method] : void 0;
    if (req.method !== "POST" || !handler) {
      throw new TwirpError("bad_route", `no such Twirp route: ${req.method ?? "?"} ${pathname}`);
    }
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (contentType !== "application/json") {
      throw new TwirpError(
        "bad_route",
        `unsupported Content-Type '${contentType ?? ""}': this service speaks Twirp JSON only`
      );
    }
    const caller = authenticate(req, tokenKey, nowMs());
    const request = await readJson(req);
    sendJson(res, 200, await handler(request, caller));
  } catch (error) {
    req.resume();
    if (error instanceof TwirpError) {
      sendTwirpError(res, error);
    } else {
      sendTwirpError(
        res,
        new TwirpError("internal", error instanceof Error ? error.message : String(error))
      );
    }
  }
}
__name(handleTwirp, "handleTwirp");
function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}
__name(camel, "camel");
function raw(request, name) {
  return request[name] ?? request[camel(name)];
}
__name(raw, "raw");
function optionalString(request, name) {
  const value = raw(request, name);
  if (value === void 0 || value === null) return void 0;
  if (typeof value === "string") return value;
  if (typeof value === "object" && typeof value.value === "string")
    return value.value;
  throw new TwirpError("invalid_argument", `${name} must be a string`);
}
__name(optionalString, "optionalString");
function requiredString(request, name) {
  const value = optionalString(request, name);
  if (value === void 0 || value === "")
    throw new TwirpError("invalid_argument", `${name} is required`);
  return value;
}
__name(requiredString, "requiredString");
function optionalInt64(request, name) {
  let value = raw(request, name);
  if (value !== null && typeof value === "object") value = value.value;
  if (value === void 0 || value === null) return void 0;
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new TwirpError("invalid_argument", `${name} must be a non-negative integer`);
  }
  return Number(text);
}
__name(optionalInt64, "optionalInt64");
function stringList(request, name) {
  const value = raw(request, name);
  if (value === void 0 || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TwirpError("invalid_argument", `${name} must be a list of strings`);
  }
  return value;
}
__name(stringList, "stringList");

// local/results/artifact-service.ts
var ARTIFACT_SERVICE = "github.actions.results.api.v1.ArtifactService";
function runOf(request, caller) {
  const runId = requiredString(request, "workflow_run_backend_id");
  if (runId !== caller.runId) {
    throw new TwirpError(
      "permission_denied",
      `the runtime token is for run ${caller.runId}, not run ${runId}`
    );
  }
  return runId;
}
__name(runOf, "runOf");
function ownJob(request, caller) {
  const jobId = requiredString(request, "workflow_job_run_backend_id");
  if (jobId !== caller.jobId) {
    throw new TwirpError(
      "permission_denied",
      `the runtime token is for job ${caller.jobId}, not job ${jobId}`
    );
  }
  return jobId;
}
__name(ownJob, "ownJob");
function isLive(record, nowMs) {
  return record.state === "finalized" && (record.expiresAt === void 0 || Date.parse(record.expiresAt) > nowMs);
}
__name(isLive, "isLive");
function fileNameFor(name, mimeType) {
  return mimeType === "application/zip" && !name.toLowerCase().endsWith(".zip") ? `${name}.zip` : name;
}
__name(fileNameFor, "fileNameFor");
function listed(record) {
  return {
    workflow_run_backend_id: record.runId,
    workflow_job_run_backend_id: record.jobId,
    database_id: String(record.id),
    name: record.name,
    size: String(record.size ?? 0),
    created_at: record.createdAt,
    ...record.digest ? { digest: record.digest } : {}
  };
}
__name(listed, "listed");
function artifactService(deps) {
  const { store } = deps;
  const liveArtifact = /* @__PURE__ */ __name((runId, name) => store.artifacts.find((a) => a.runId === runId && a.name === name && isLive(a, deps.now())), "liveArtifact");
  return {
    async CreateArtifact(request, caller) {
      const runId = runOf(request, caller);
      const jobId = ownJob(request, caller);
      const name = requiredString(request, "name");
      if (/[\\/":<>|*?\r\n]/.test(name))
        throw new TwirpError(
          "invalid_argument",
          `artifact name '${name}' contains a character that is not allowed`
        );
      const mimeType = optionalString(request, "mime_type") ?? "application/zip";
      const expiresAt = optionalString(request, "expires_at");
      if (expiresAt !== void 0 && !Number.isFinite(Date.parse(expiresAt))) {
        throw new TwirpError(
          "invalid_argument",
          `expires_at '${expiresAt}' is not an RFC 3339 timestamp`
        );
      }
      const existing = store.artifacts.find(
        (a) => a.runId === runId && a.name === name && (a.state === "pending" || isLive(a, deps.now()))
      );
      if (existing) {
        if (existing.state === "finalized" || existing.jobId !== jobId) {
          const what = existing.state === "finalized" ? "already exists in" : `is being uploaded by job ${existing.jobId} of`;
          throw new TwirpError(
            "already_exists",
            `an artifact named '${name}' ${what} run ${runId}; delete it first or choose another name`
          );
        }
        await store.removeArtifact(existing);
      }
      const record = {
        id: store.nextArtifactId(),
        uploadId: store.newUploadId(),
        fileName: fileNameFor(name, mimeType),
        createdAt: new Date(deps.now()).toISOString(),
        state: "pending",
        runId,
        jobId,
        name,
        mimeType,
        ...expiresAt !== void 0 ? { expiresAt: new Date(Date.parse(expiresAt)).toISOString() } : {}
      };
      store.artifacts.push(record);
      await store.save();
      const url = deps.signBlobUrl(
        `artifacts/${record.uploadId}/${record.fileName}`,
        "cw",
        UPLOAD_URL_TTL_MS
      );
      return { ok: true, signed_upload_url: url };
    },
    async FinalizeArtifact(request, caller) {
      const runId = runOf(request, caller);
      const jobId = ownJob(request, caller);
      const name = requiredString(request, "name");
      const size = optionalInt64(request, "size") ?? 0;
      const hash = optionalString(request, "hash");
      const record = store.artifacts.find(
        (a) => a.runId === runId && a.name === name && a.state === "pending"
      );
      if (!record)
        throw new TwirpError(
          "not_found",
          `no upload of an artifact named '${name}' is in progress in run ${runId}`
        );
      if (record.jobId !== jobId)
        throw new TwirpError(
          "permission_denied",
          `artifact '${name}' is being uploaded by job ${record.jobId}, not ${jobId}`
        );
      const blob = record.blob;
      if (!blob)
        throw new TwirpError(
          "failed_precondition",
          `artifact '${name}' has no committed content yet (upload the blob before finalizing)`
        );
      if (blob.size !== size) {
        throw new TwirpError(
          "invalid_argument",
          `artifact '${name}': the client reports ${size} bytes but ${blob.size} bytes were committed`
        );
      }
      const digest = `sha256:${blob.sha256}`;
      if (hash !== void 0 && hash.toLowerCase() !== digest) {
        throw new TwirpError(
          "invalid_argument",
          `artifact '${name}': the client reports hash ${hash} but the committed bytes hash to ${digest}`
        );
      }
      record.state = "finalized";
      record.size = blob.size;
      record.digest = digest;
      await store.save();
      return { ok: true, artifact_id: String(record.id) };
    },
    ListArtifacts(request, caller) {
      const runId = runOf(request, caller);
      const nameFilter = optionalString(request, "name_filter");
      const idFilter = optionalInt64(request, "id_filter");
      const artifacts = store.artifacts.filter((a) => a.runId === runId && isLive(a, deps.now())).filter((a) => nameFilter === void 0 || a.name === nameFilter).filter((a) => idFilter === void 0 || a.id === idFilter).sort((a, b) => a.id - b.id).map(listed);
      return Promise.resolve({ artifacts });
    },
    GetSignedArtifactURL(request, caller) {
      const runId = runOf(request, caller);
      const name = requiredString(request, "name");
      const record = liveArtifact(runId, name);
      if (!record) throw new TwirpError("not_found", `no artifact named '${name}' in run ${runId}`);
      const url = deps.signBlobUrl(
        `artifacts/${record.uploadId}/${record.fileName}`,
        "r",
        DOWNLOAD_URL_TTL_MS
      );
      return Promise.resolve({ signed_url: url });
    },
    async DeleteArtifact(request, caller) {
      const runId = runOf(request, caller);
      const name = requiredString(request, "name");
      const record = liveArtifact(runId, name);
      if (!record) throw new TwirpError("not_found", `no artifact named '${name}' in run ${runId}`);
      await store.removeArtifact(record);
      await store.save();
      return { ok: true, artifact_id: String(record.id) };
    }
  };
}
__name(artifactService, "artifactService");

// local/results/blob-activity.ts
var BlobActivity = class {
  static {
    __name(this, "BlobActivity");
  }
  counts = {
    blocksStaged: 0,
    blockListsCommitted: 0,
    blobsPut: 0,
    maxBlocksInFlight: 0,
    blockListsOutOfArrivalOrder: 0
  };
  inFlight = /* @__PURE__ */ new Map();
  /** per upload: how many Put Block requests were received so far */
  received = /* @__PURE__ */ new Map();
  /** per upload: block id → position in the order blocks finished arriving (a re-stage moves it) */
  arrivals = /* @__PURE__ */ new Map();
  arrivalCounter = 0;
  /**
   * Wraps the staging of one block: counts it in flight while `stage` runs, and tells `stage`
   * the position of this request among the upload's Put Block requests (0-based, as received).
   */
  async stageBlock(uploadId, blockId, stage) {
    const receivedIndex = this.received.get(uploadId) ?? 0;
    this.received.set(uploadId, receivedIndex + 1);
    const current = (this.inFlight.get(uploadId) ?? 0) + 1;
    this.inFlight.set(uploadId, current);
    this.counts.maxBlocksInFlight = Math.max(this.counts.maxBlocksInFlight, current);
    try {
      const result = await stage(receivedIndex);
      this.counts.blocksStaged++;
      let order = this.arrivals.get(uploadId);
      if (!order) this.arrivals.set(uploadId, order = /* @__PURE__ */ new Map());
      order.set(blockId, this.arrivalCounter++);
      return result;
    } finally {
      const left = (this.inFlight.get(uploadId) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(uploadId);
      else this.inFlight.set(uploadId, left);
    }
  }
  committedBlockList(uploadId, blockIds) {
    this.counts.blockListsCommitted++;
    const order = this.arrivals.get(uploadId);
    this.forget(uploadId);
    const positions = blockIds.map((id) => order?.get(id) ?? -1);
    if (positions.some((p, i) => i > 0 && p < (positions[i - 1] ?? -1)))
      this.counts.blockListsOutOfArrivalOrder++;
  }
  putBlob(uploadId) {
    this.counts.blobsPut++;
    this.forget(uploadId);
  }
  forget(uploadId) {
    this.arrivals.delete(uploadId);
    this.received.delete(uploadId);
  }
  stats() {
    return { ...this.counts };
  }
};

// local/results/blob-endpoint.ts
import { randomUUID } from "node:crypto";
import { createReadStream as createReadStream2 } from "node:fs";
import { pipeline as pipeline2 } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";

// local/results/block-list.ts
var XML_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function decodeXmlText(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity] ?? whole;
  });
}
__name(decodeXmlText, "decodeXmlText");
var BlockListError = class extends Error {
  static {
    __name(this, "BlockListError");
  }
  name = "BlockListError";
};
function parseBlockList(xml) {
  const body = /<BlockList\s*>([\s\S]*)<\/BlockList\s*>/.exec(xml)?.[1];
  if (body === void 0) {
    if (/<BlockList\s*\/>/.test(xml)) return [];
    throw new BlockListError("the request body is not a <BlockList> document");
  }
  const entries = [];
  const element = /<(Latest|Uncommitted|Committed)\s*>([^<]*)<\/\1\s*>|(<[^>]*>)|([^<\s]+)/g;
  for (const match of body.matchAll(element)) {
    const [, kind, id, stray, text] = match;
    if (kind !== void 0 && id !== void 0) {
      const decoded = decodeXmlText(id.trim());
      if (decoded === "") throw new BlockListError(`an empty <${kind}> block id`);
      entries.push({ kind, id: decoded });
    } else {
      throw new BlockListError(`unexpected ${stray ?? `text '${text ?? ""}'`} in <BlockList>`);
    }
  }
  return entries;
}
__name(parseBlockList, "parseBlockList");

// local/results/content-disposition.ts
function contentDisposition(fileName) {
  const ascii = fileName.replace(/[^\x20-\x7e]|["'\\;]/g, "_");
  const extended = encodeURIComponent(fileName).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extended}`;
}
__name(contentDisposition, "contentDisposition");

// local/results/store.ts
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
var INDEX_FILE = "index.json";
var ResultsStore = class _ResultsStore {
  constructor(dir, index) {
    this.dir = dir;
    this.index = index;
  }
  dir;
  index;
  static {
    __name(this, "ResultsStore");
  }
  writes = Promise.resolve();
  /** Opens (or starts) the store in `dir`; an existing index is kept, so a re-run sees earlier results. */
  static async open(dir) {
    await mkdir(path.join(dir, "blobs"), { recursive: true });
    await mkdir(path.join(dir, "blocks"), { recursive: true });
    const file = path.join(dir, INDEX_FILE);
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    if (text === void 0) {
      return new _ResultsStore(dir, {
        format: 1,
        nextArtifactId: 1,
        nextCacheId: 1,
        artifacts: [],
        caches: []
      });
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(
        `${file} is not valid JSON \u2014 delete the results data directory ${dir} to start empty`
      );
    }
    if (parsed.format !== 1 || !Array.isArray(parsed.artifacts) || !Array.isArray(parsed.caches)) {
      throw new Error(
        `${file} is not a results index of format 1 \u2014 delete the results data directory ${dir} to start empty`
      );
    }
    return new _ResultsStore(dir, parsed);
  }
  get artifacts() {
    return this.index.artifacts;
  }
  get caches() {
    return this.index.caches;
  }
  newUploadId() {
    return randomBytes(12).toString("hex");
  }
  nextArtifactId() {
    return this.index.nextArtifactId++;
  }
  nextCacheId() {
    return this.index.nextCacheId++;
  }
  findUpload(container, uploadId) {
    if (container === "artifacts") {
      const record = this.index.artifacts.find((a) => a.uploadId === uploadId);
      return record && { container, record };
    }
    if (container === "cache") {
      const record = this.index.caches.find((c) => c.uploadId === uploadId);
      return record && { container, record };
    }
    return void 0;
  }
  removeArtifact(record) {
    this.index.artifacts = this.index.artifacts.filter((a) => a !== record);
    return this.discardUpload(record.uploadId);
  }
  removeCache(record) {
    this.index.caches = this.index.caches.filter((c) => c !== record);
    return this.discardUpload(record.uploadId);
  }
  blobFile(uploadId) {
    return path.join(this.dir, "blobs", uploadId);
  }
  blockFile(uploadId, blockId) {
    return path.join(
      this.dir,
      "blocks",
      uploadId,
      createHash("sha256").update(blockId).digest("hex")
    );
  }
  /** Stores one block; staging the same id again replaces it (as Azure does). Returns its size. */
  async stageBlock(uploadId, blockId, body) {
    const file = this.blockFile(uploadId, blockId);
    await mkdir(path.dirname(file), { recursive: true });
    const { size } = await writeAtomically(body, file);
    return size;
  }
  /**
   * Concatenates staged blocks in list order into the blob and drops every staged block (Azure
   * discards uncommitted blocks that the list leaves out). Throws MissingBlockError before
   * writing anything if a listed block was never staged.
   */
  async commitBlocks(uploadId, blockIds) {
    const files = blockIds.map((id) => this.blockFile(uploadId, id));
    for (const [i, file] of files.entries()) {
      try {
        await stat(file);
      } catch {
        throw new MissingBlockError(
          `block ${blockIds[i] ?? ""} (position ${i + 1} of the list) was never staged`
        );
      }
    }
    async function* concatenated() {
      for (const file of files) yield* createReadStream(file);
    }
    __name(concatenated, "concatenated");
    const result = await writeAtomically(concatenated(), this.blobFile(uploadId));
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
    return result;
  }
  /** Put Blob: the body is the whole blob. */
  async putBlob(uploadId, body) {
    const result = await writeAtomically(body, this.blobFile(uploadId));
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
    return result;
  }
  /**
   * Forgets uploads that were reserved but never finalized, with their bytes. Called at start:
   * their signed URLs were signed with the key of an earlier instance, so they can never be
   * completed, and a pending cache entry would otherwise block its key. Returns how many.
   */
  async dropUnfinishedUploads() {
    const pending = [...this.index.artifacts, ...this.index.caches].filter(
      (r) => r.state === "pending"
    );
    if (pending.length === 0) return 0;
    this.index.artifacts = this.index.artifacts.filter((a) => a.state !== "pending");
    this.index.caches = this.index.caches.filter((c) => c.state !== "pending");
    for (const record of pending) await this.discardUpload(record.uploadId);
    await this.save();
    return pending.length;
  }
  async discardUpload(uploadId) {
    await rm(this.blobFile(uploadId), { force: true });
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
  }
  /** Persists the index; writes are serialised and each replaces the file atomically. */
  save() {
    const text = `${JSON.stringify(this.index, null, 2)}
`;
    const file = path.join(this.dir, INDEX_FILE);
    const write = this.writes.then(async () => {
      const tmp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    });
    this.writes = write.catch(() => void 0);
    return write;
  }
  async flush() {
    await this.writes;
  }
};
var MissingBlockError = class extends Error {
  static {
    __name(this, "MissingBlockError");
  }
  name = "MissingBlockError";
};
async function writeAtomically(source, target) {
  const tmp = `${target}.tmp-${randomBytes(4).toString("hex")}`;
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    }
  });
  try {
    await pipeline(source, measure, createWriteStream(tmp));
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { size, sha256: hash.digest("hex") };
}
__name(writeAtomically, "writeAtomically");

// local/results/blob-endpoint.ts
var BLOB_PREFIX = `/${BLOB_ACCOUNT}/`;
var DEFAULT_API_VERSION = "2026-04-06";
var DEFAULT_CONTENT_TYPE = "application/octet-stream";
var MAX_BLOCK_LIST_BYTES = 8 * 1024 * 1024;
var BlobError = class extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  status;
  code;
  static {
    __name(this, "BlobError");
  }
};
function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
__name(escapeXml, "escapeXml");
function baseHeaders(req) {
  const version = req.headers["x-ms-version"];
  return {
    "x-ms-request-id": randomUUID(),
    "x-ms-version": typeof version === "string" ? version : DEFAULT_API_VERSION,
    Date: (/* @__PURE__ */ new Date()).toUTCString()
  };
}
__name(baseHeaders, "baseHeaders");
function sendError(req, res, error) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>`;
  res.writeHead(error.status, {
    ...baseHeaders(req),
    "x-ms-error-code": error.code,
    "Content-Type": "application/xml",
    "Content-Length": req.method === "HEAD" ? 0 : Buffer.byteLength(body)
  });
  res.end(req.method === "HEAD" ? void 0 : body);
}
__name(sendError, "sendError");
function created(req, res, blob) {
  res.writeHead(201, {
    ...baseHeaders(req),
    "x-ms-request-server-encrypted": "true",
    ...blob ? { ETag: blob.etag, "Last-Modified": blob.lastModified } : {},
    "Content-Length": 0
  });
  res.end();
}
__name(created, "created");
async function readText(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit)
      throw new BlobError(
        413,
        "RequestBodyTooLarge",
        `the block list is larger than ${limit} bytes`
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
__name(readText, "readText");
function committed(req, result, nowMs) {
  const header = req.headers["x-ms-blob-content-type"];
  return {
    size: result.size,
    sha256: result.sha256,
    contentType: typeof header === "string" && header !== "" ? header : DEFAULT_CONTENT_TYPE,
    etag: `"0x${nowMs.toString(16).toUpperCase()}${result.sha256.slice(0, 8).toUpperCase()}"`,
    lastModified: new Date(nowMs).toUTCString()
  };
}
__name(committed, "committed");
function parseRange(header, size) {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return void 0;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}
__name(parseRange, "parseRange");
function decodeSegments(pathname) {
  try {
    return pathname.slice(BLOB_PREFIX.length).split("/").map(decodeURIComponent);
  } catch {
    throw new BlobError(400, "InvalidUri", "the blob path is not valid percent-encoding");
  }
}
__name(decodeSegments, "decodeSegments");
async function handleBlob(req, res, url, deps) {
  try {
    const [container = "", uploadId = "", ...rest] = decodeSegments(url.pathname);
    const fileName = rest.join("/");
    if (!container || !uploadId || !fileName)
      throw new BlobError(
        400,
        "InvalidUri",
        "expected /devstoreaccount1/<container>/<upload>/<file>"
      );
    const blobPath = `${container}/${uploadId}/${fileName}`;
    const signature2 = verifyBlobSignature(deps.urlKey, blobPath, url.searchParams, deps.now());
    if (!signature2.ok) {
      const why = {
        missing: "the URL carries no signature",
        invalid: "the signature does not match the URL",
        expired: "the signed URL has expired"
      };
      throw new BlobError(
        403,
        "AuthenticationFailed",
        `Server failed to authenticate the request: ${why[signature2.problem]}`
      );
    }
    const reading = req.method === "GET" || req.method === "HEAD";
    if (!reading && req.method !== "PUT")
      throw new BlobError(
        405,
        "UnsupportedHttpVerb",
        `${req.method ?? "?"} is not supported on blobs here`
      );
    const needed = reading ? "r" : "w";
    if (!signature2.permission.includes(needed)) {
      throw new BlobError(
        403,
        "AuthorizationPermissionMismatch",
        `this signed URL does not grant '${needed}' (it grants '${signature2.permission}')`
      );
    }
    const owner = deps.store.findUpload(container, uploadId);
    if (owner?.record.fileName !== fileName)
      throw new BlobError(
        404,
        "BlobNotFound",
        "The specified blob does not exist (deleted, or never reserved)."
      );
    const record = owner.record;
    if (reading) {
      const blob = record.blob;
      if (!blob)
        throw new BlobError(
          404,
          "BlobNotFound",
          "The specified blob does not exist (nothing was committed yet)."
        );
      const headers = {
        ...baseHeaders(req),
        "Content-Type": blob.contentType,
        "Content-Disposition": contentDisposition(fileName),
        ETag: blob.etag,
        "Last-Modified": blob.lastModified,
        "Accept-Ranges": "bytes",
        "x-ms-blob-type": "BlockBlob",
        "x-ms-server-encrypted": "true"
      };
      const rangeHeader = req.headers["x-ms-range"] ?? req.headers.range;
      const range = parseRange(
        typeof rangeHeader === "string" ? rangeHeader : void 0,
        blob.size
      );
      if (range === "unsatisfiable")
        throw new BlobError(
          416,
          "InvalidRange",
          `the range ${String(rangeHeader)} is outside the blob (${blob.size} bytes)`
        );
      if (range) {
        res.writeHead(206, {
          ...headers,
          "Content-Length": range.end - range.start + 1,
          "Content-Range": `bytes ${range.start}-${range.end}/${blob.size}`
        });
      } else {
        res.writeHead(200, { ...headers, "Content-Length": blob.size });
      }
      if (req.method === "HEAD" || blob.size === 0) {
        res.end();
        return;
      }
      await pipeline2(createReadStream2(deps.store.blobFile(uploadId), range ?? {}), res);
      return;
    }
    if (record.state !== "pending")
      throw new BlobError(
        409,
        "BlobImmutable",
        "This upload was finalized; its blob cannot be written again."
      );
    const comp = url.searchParams.get("comp");
    if (comp === "block") {
      const blockId = url.searchParams.get("blockid");
      if (!blockId || blockId.length > 1024)
        throw new BlobError(400, "InvalidQueryParameterValue", "blockid is missing or too long");
      await deps.activity.stageBlock(uploadId, blockId, async (receivedIndex) => {
        const delay = deps.blockDelayMs?.(receivedIndex) ?? 0;
        if (delay > 0) await sleep(delay, void 0, { signal: deps.closing });
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
          `block ${committedRef.id} is referenced as <Committed>; blobs here are written once, list staged blocks only`
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
      if (blobType !== void 0 && blobType !== "BlockBlob")
        throw new BlobError(
          400,
          "InvalidHeaderValue",
          `x-ms-blob-type ${String(blobType)} is not supported (BlockBlob only)`
        );
      record.blob = committed(req, await deps.store.putBlob(uploadId, req), deps.now());
      deps.activity.putBlob(uploadId);
      await deps.store.save();
      created(req, res, record.blob);
      return;
    }
    throw new BlobError(400, "UnsupportedQueryParameter", `comp=${comp} is not supported here`);
  } catch (error) {
    req.resume();
    if (error instanceof BlobError) sendError(req, res, error);
    else if (error instanceof MissingBlockError)
      sendError(
        req,
        res,
        new BlobError(
          400,
          "InvalidBlockList",
          `The specified block list is invalid: ${error.message}`
        )
      );
    else if (error instanceof BlockListError)
      sendError(req, res, new BlobError(400, "InvalidXmlDocument", error.message));
    else
      sendError(
        req,
        res,
        new BlobError(500, "InternalError", error instanceof Error ? error.message : String(error))
      );
  }
}
__name(handleBlob, "handleBlob");

// local/results/cache-match.ts
function matchCacheEntry(entries, key, restoreKeys, version) {
  const newestFirst = entries.filter((e) => e.version === version).sort((a, b) => b.id - a.id);
  const lookup = /* @__PURE__ */ __name((k) => newestFirst.find((e) => e.key === k) ?? newestFirst.find((e) => e.key.startsWith(k)), "lookup");
  for (const candidate of [key, ...restoreKeys]) {
    if (candidate === "") continue;
    const found = lookup(candidate);
    if (found) return found;
  }
  return void 0;
}
__name(matchCacheEntry, "matchCacheEntry");

// local/results/cache-service.ts
var CACHE_SERVICE = "github.actions.results.api.v1.CacheService";
var CACHE_FILE_NAME = "cache-archive";
function cacheService(deps) {
  const { store } = deps;
  const entry = /* @__PURE__ */ __name((key, version) => store.caches.find((c) => c.key === key && c.version === version), "entry");
  const abandoned = /* @__PURE__ */ __name((c) => c.state === "pending" && Date.parse(c.createdAt) + UPLOAD_URL_TTL_MS <= deps.now(), "abandoned");
  return {
    async CreateCacheEntry(request) {
      const key = requiredString(request, "key");
      const version = requiredString(request, "version");
      if (key.length > 512 || key.includes(","))
        throw new TwirpError(
          "invalid_argument",
          `cache key '${key}' is longer than 512 characters or contains a comma`
        );
      const existing = entry(key, version);
      if (existing && !abandoned(existing)) {
        const what = existing.state === "finalized" ? "already exists" : "is being uploaded by another job";
        throw new TwirpError(
          "already_exists",
          `a cache entry for key '${key}' and this version ${what}`
        );
      }
      if (existing) await store.removeCache(existing);
      const record = {
        id: store.nextCacheId(),
        uploadId: store.newUploadId(),
        fileName: CACHE_FILE_NAME,
        createdAt: new Date(deps.now()).toISOString(),
        state: "pending",
        key,
        version
      };
      store.caches.push(record);
      await store.save();
      const url = deps.signBlobUrl(
        `cache/${record.uploadId}/${record.fileName}`,
        "cw",
        UPLOAD_URL_TTL_MS
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
          `no upload of a cache entry for key '${key}' and this version is in progress`
        );
      if (!record.blob)
        throw new TwirpError(
          "failed_precondition",
          `cache entry '${key}' has no committed content yet (upload the archive before finalizing)`
        );
      if (record.blob.size !== size) {
        throw new TwirpError(
          "invalid_argument",
          `cache entry '${key}': the client reports ${size} bytes but ${record.blob.size} bytes were committed`
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
        DOWNLOAD_URL_TTL_MS
      );
      return Promise.resolve({ ok: true, signed_download_url: url, matched_key: hit.key });
    }
  };
}
__name(cacheService, "cacheService");

// local/results/index.ts
var LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"];
function noProxyValue(host) {
  const existing = (process.env.NO_PROXY ?? process.env.no_proxy ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return [.../* @__PURE__ */ new Set([...existing, ...LOOPBACK_NAMES, host])].join(",");
}
__name(noProxyValue, "noProxyValue");
async function startResultsService(options = {}) {
  const host = options.host ?? "127.0.0.1";
  const now = options.clock ?? Date.now;
  const ownsDataDir = options.dataDir === void 0;
  const dataDir = options.dataDir ?? await mkdtemp(path2.join(os.tmpdir(), "pve-kube-results-"));
  const store = await ResultsStore.open(dataDir);
  await store.dropUnfinishedUploads();
  const tokenKey = randomBytes2(32);
  const urlKey = randomBytes2(32);
  const activity = new BlobActivity();
  const closing = new AbortController();
  let baseUrl = "";
  const deps = {
    store,
    now,
    signBlobUrl: /* @__PURE__ */ __name((blobPath, permission, ttlMs) => signBlobUrl(baseUrl, urlKey, blobPath, permission, now() + ttlMs), "signBlobUrl")
  };
  const services = {
    [ARTIFACT_SERVICE]: artifactService(deps),
    [CACHE_SERVICE]: cacheService(deps)
  };
  const route = /* @__PURE__ */ __name(async (req, res) => {
    const url = new URL(req.url ?? "/", baseUrl);
    if (url.pathname.startsWith(TWIRP_PREFIX))
      return handleTwirp(req, res, url.pathname, services, tokenKey, now);
    if (url.pathname.startsWith(BLOB_PREFIX))
      return handleBlob(req, res, url, {
        store,
        urlKey,
        activity,
        closing: closing.signal,
        now,
        blockDelayMs: options.blockDelayMs
      });
    req.resume();
    sendTwirpError(
      res,
      new TwirpError("bad_route", `no such route: ${req.method ?? "?"} ${url.pathname}`)
    );
  }, "route");
  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      if (!res.headersSent)
        sendTwirpError(
          res,
          new TwirpError("internal", error instanceof Error ? error.message : String(error))
        );
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address();
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
  let closed;
  return {
    url: baseUrl,
    dataDir,
    runtimeEnv(runId, jobId) {
      const noProxy = noProxyValue(host);
      return {
        ACTIONS_RUNTIME_TOKEN: mintRuntimeToken(tokenKey, { runId, jobId }, now()),
        ACTIONS_RESULTS_URL: baseUrl,
        ACTIONS_CACHE_SERVICE_V2: "true",
        // isGhes() is true for any host but github.com, *.ghe.com and *.localhost, and then both
        // clients refuse to work; a *.localhost name also says plainly that this is not GitHub
        GITHUB_SERVER_URL: "http://github.localhost",
        NO_PROXY: noProxy,
        no_proxy: noProxy
      };
    },
    artifacts() {
      return store.artifacts.filter((a) => a.state === "finalized").sort((a, b) => a.id - b.id).map((a) => ({
        name: a.name,
        size: a.size ?? 0,
        digest: a.digest ?? "",
        runId: a.runId,
        jobId: a.jobId,
        id: a.id,
        createdAt: a.createdAt,
        ...a.expiresAt ? { expiresAt: a.expiresAt } : {},
        file: store.blobFile(a.uploadId)
      }));
    },
    blobStats: /* @__PURE__ */ __name(() => activity.stats(), "blobStats"),
    close() {
      closed ??= (async () => {
        closing.abort();
        await new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.flush();
        if (ownsDataDir) await rm2(dataDir, { recursive: true, force: true });
      })();
      return closed;
    }
  };
}
__name(startResultsService, "startResultsService");
export {
  startResultsService
};
