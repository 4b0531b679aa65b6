import type { BlobPermission } from "./signed-url.js";
import { DOWNLOAD_URL_TTL_MS, UPLOAD_URL_TTL_MS } from "./signed-url.js";
import type { ArtifactRecord, ResultsStore } from "./store.js";
import type { JobIdentity } from "./token.js";
import {
  optionalInt64,
  optionalString,
  requiredString,
  TwirpError,
  type JsonObject,
  type TwirpMethod,
} from "./twirp.js";

/**
 * github.actions.results.api.v1.ArtifactService, with GitHub's semantics: artifacts belong to a
 * workflow run, names are unique within the run, an artifact is visible (to every job of the
 * run) only once finalized, and FinalizeArtifact is refused unless the size and sha256 the client
 * reports are those of the bytes that were actually committed.
 */
export const ARTIFACT_SERVICE = "github.actions.results.api.v1.ArtifactService";

export interface ServiceDeps {
  store: ResultsStore;
  signBlobUrl(blobPath: string, permission: BlobPermission, ttlMs: number): string;
  now(): number;
}

function runOf(request: JsonObject, caller: JobIdentity): string {
  const runId = requiredString(request, "workflow_run_backend_id");
  if (runId !== caller.runId) {
    throw new TwirpError(
      "permission_denied",
      `the runtime token is for run ${caller.runId}, not run ${runId}`,
    );
  }
  return runId;
}

function ownJob(request: JsonObject, caller: JobIdentity): string {
  const jobId = requiredString(request, "workflow_job_run_backend_id");
  if (jobId !== caller.jobId) {
    throw new TwirpError(
      "permission_denied",
      `the runtime token is for job ${caller.jobId}, not job ${jobId}`,
    );
  }
  return jobId;
}

function isLive(record: ArtifactRecord, nowMs: number): boolean {
  return (
    record.state === "finalized" &&
    (record.expiresAt === undefined || Date.parse(record.expiresAt) > nowMs)
  );
}

function fileNameFor(name: string, mimeType: string): string {
  return mimeType === "application/zip" && !name.toLowerCase().endsWith(".zip")
    ? `${name}.zip`
    : name;
}

function listed(record: ArtifactRecord): JsonObject {
  return {
    workflow_run_backend_id: record.runId,
    workflow_job_run_backend_id: record.jobId,
    database_id: String(record.id),
    name: record.name,
    size: String(record.size ?? 0),
    created_at: record.createdAt,
    ...(record.digest ? { digest: record.digest } : {}),
  };
}

export function artifactService(deps: ServiceDeps): Record<string, TwirpMethod> {
  const { store } = deps;
  const liveArtifact = (runId: string, name: string) =>
    store.artifacts.find((a) => a.runId === runId && a.name === name && isLive(a, deps.now()));

  return {
    async CreateArtifact(request, caller) {
      const runId = runOf(request, caller);
      const jobId = ownJob(request, caller);
      const name = requiredString(request, "name");
      if (/[\\/":<>|*?\r\n]/.test(name))
        throw new TwirpError(
          "invalid_argument",
          `artifact name '${name}' contains a character that is not allowed`,
        );
      const mimeType = optionalString(request, "mime_type") ?? "application/zip";
      const expiresAt = optionalString(request, "expires_at");
      if (expiresAt !== undefined && !Number.isFinite(Date.parse(expiresAt))) {
        throw new TwirpError(
          "invalid_argument",
          `expires_at '${expiresAt}' is not an RFC 3339 timestamp`,
        );
      }
      const existing = store.artifacts.find(
        (a) =>
          a.runId === runId && a.name === name && (a.state === "pending" || isLive(a, deps.now())),
      );
      if (existing) {
        if (existing.state === "finalized" || existing.jobId !== jobId) {
          const what =
            existing.state === "finalized"
              ? "already exists in"
              : `is being uploaded by job ${existing.jobId} of`;
          throw new TwirpError(
            "already_exists",
            `an artifact named '${name}' ${what} run ${runId}; delete it first or choose another name`,
          );
        }
        // the same job retrying an upload that never finalized: start over
        await store.removeArtifact(existing);
      }
      const record: ArtifactRecord = {
        id: store.nextArtifactId(),
        uploadId: store.newUploadId(),
        fileName: fileNameFor(name, mimeType),
        createdAt: new Date(deps.now()).toISOString(),
        state: "pending",
        runId,
        jobId,
        name,
        mimeType,
        ...(expiresAt !== undefined
          ? { expiresAt: new Date(Date.parse(expiresAt)).toISOString() }
          : {}),
      };
      store.artifacts.push(record);
      await store.save();
      const url = deps.signBlobUrl(
        `artifacts/${record.uploadId}/${record.fileName}`,
        "cw",
        UPLOAD_URL_TTL_MS,
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
        (a) => a.runId === runId && a.name === name && a.state === "pending",
      );
      if (!record)
        throw new TwirpError(
          "not_found",
          `no upload of an artifact named '${name}' is in progress in run ${runId}`,
        );
      if (record.jobId !== jobId)
        throw new TwirpError(
          "permission_denied",
          `artifact '${name}' is being uploaded by job ${record.jobId}, not ${jobId}`,
        );
      const blob = record.blob;
      if (!blob)
        throw new TwirpError(
          "failed_precondition",
          `artifact '${name}' has no committed content yet (upload the blob before finalizing)`,
        );
      if (blob.size !== size) {
        throw new TwirpError(
          "invalid_argument",
          `artifact '${name}': the client reports ${size} bytes but ${blob.size} bytes were committed`,
        );
      }
      const digest = `sha256:${blob.sha256}`;
      if (hash !== undefined && hash.toLowerCase() !== digest) {
        throw new TwirpError(
          "invalid_argument",
          `artifact '${name}': the client reports hash ${hash} but the committed bytes hash to ${digest}`,
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
      const artifacts = store.artifacts
        .filter((a) => a.runId === runId && isLive(a, deps.now()))
        .filter((a) => nameFilter === undefined || a.name === nameFilter)
        .filter((a) => idFilter === undefined || a.id === idFilter)
        .sort((a, b) => a.id - b.id)
        .map(listed);
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
        DOWNLOAD_URL_TTL_MS,
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
    },
  };
}
