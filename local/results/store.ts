import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * On-disk storage of the results service: a JSON index of artifacts and cache entries, and the
 * bytes of each upload. Layout of the data directory:
 *
 *   index.json                       the records below (written atomically after every change)
 *   blobs/<upload id>                committed bytes of one upload
 *   blocks/<upload id>/<sha256(id)>  staged blocks until the block list commits them
 *
 * Every artifact or cache entry owns exactly one upload id, which is also the second segment of
 * its signed blob URL.
 */
export interface CommittedBlob {
  size: number;
  sha256: string;
  contentType: string;
  etag: string;
  lastModified: string;
}

interface UploadRecord {
  id: number;
  uploadId: string;
  /** the last path segment of the blob URL; the download keeps this file name */
  fileName: string;
  createdAt: string;
  state: "pending" | "finalized";
  blob?: CommittedBlob;
}

export interface ArtifactRecord extends UploadRecord {
  runId: string;
  jobId: string;
  name: string;
  mimeType: string;
  expiresAt?: string;
  /** recorded at FinalizeArtifact, after checking them against the blob */
  size?: number;
  digest?: string;
}

export interface CacheRecord extends UploadRecord {
  key: string;
  version: string;
  size?: number;
}

export type BlobContainer = "artifacts" | "cache";

export type UploadOwner =
  { container: "artifacts"; record: ArtifactRecord } | { container: "cache"; record: CacheRecord };

interface ResultsIndex {
  format: 1;
  nextArtifactId: number;
  nextCacheId: number;
  artifacts: ArtifactRecord[];
  caches: CacheRecord[];
}

const INDEX_FILE = "index.json";

export class ResultsStore {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly index: ResultsIndex,
  ) {}

  /** Opens (or starts) the store in `dir`; an existing index is kept, so a re-run sees earlier results. */
  static async open(dir: string): Promise<ResultsStore> {
    await mkdir(path.join(dir, "blobs"), { recursive: true });
    await mkdir(path.join(dir, "blocks"), { recursive: true });
    const file = path.join(dir, INDEX_FILE);
    let text: string | undefined;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (text === undefined) {
      return new ResultsStore(dir, {
        format: 1,
        nextArtifactId: 1,
        nextCacheId: 1,
        artifacts: [],
        caches: [],
      });
    }
    let parsed: Partial<ResultsIndex>;
    try {
      parsed = JSON.parse(text) as Partial<ResultsIndex>;
    } catch {
      throw new Error(
        `${file} is not valid JSON — delete the results data directory ${dir} to start empty`,
      );
    }
    if (parsed.format !== 1 || !Array.isArray(parsed.artifacts) || !Array.isArray(parsed.caches)) {
      throw new Error(
        `${file} is not a results index of format 1 — delete the results data directory ${dir} to start empty`,
      );
    }
    return new ResultsStore(dir, parsed as ResultsIndex);
  }

  get artifacts(): ArtifactRecord[] {
    return this.index.artifacts;
  }

  get caches(): CacheRecord[] {
    return this.index.caches;
  }

  newUploadId(): string {
    return randomBytes(12).toString("hex");
  }

  nextArtifactId(): number {
    return this.index.nextArtifactId++;
  }

  nextCacheId(): number {
    return this.index.nextCacheId++;
  }

  findUpload(container: string, uploadId: string): UploadOwner | undefined {
    if (container === "artifacts") {
      const record = this.index.artifacts.find((a) => a.uploadId === uploadId);
      return record && { container, record };
    }
    if (container === "cache") {
      const record = this.index.caches.find((c) => c.uploadId === uploadId);
      return record && { container, record };
    }
    return undefined;
  }

  removeArtifact(record: ArtifactRecord): Promise<void> {
    this.index.artifacts = this.index.artifacts.filter((a) => a !== record);
    return this.discardUpload(record.uploadId);
  }

  removeCache(record: CacheRecord): Promise<void> {
    this.index.caches = this.index.caches.filter((c) => c !== record);
    return this.discardUpload(record.uploadId);
  }

  blobFile(uploadId: string): string {
    return path.join(this.dir, "blobs", uploadId);
  }

  private blockFile(uploadId: string, blockId: string): string {
    // block ids are base64 and may hold '/' or '+': hash them into a safe file name
    return path.join(
      this.dir,
      "blocks",
      uploadId,
      createHash("sha256").update(blockId).digest("hex"),
    );
  }

  /** Stores one block; staging the same id again replaces it (as Azure does). Returns its size. */
  async stageBlock(uploadId: string, blockId: string, body: Readable): Promise<number> {
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
  async commitBlocks(
    uploadId: string,
    blockIds: string[],
  ): Promise<{ size: number; sha256: string }> {
    const files = blockIds.map((id) => this.blockFile(uploadId, id));
    for (const [i, file] of files.entries()) {
      try {
        await stat(file);
      } catch {
        throw new MissingBlockError(
          `block ${blockIds[i] ?? ""} (position ${i + 1} of the list) was never staged`,
        );
      }
    }
    async function* concatenated() {
      for (const file of files) yield* createReadStream(file);
    }
    const result = await writeAtomically(concatenated(), this.blobFile(uploadId));
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
    return result;
  }

  /** Put Blob: the body is the whole blob. */
  async putBlob(uploadId: string, body: Readable): Promise<{ size: number; sha256: string }> {
    const result = await writeAtomically(body, this.blobFile(uploadId));
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
    return result;
  }

  /**
   * Forgets uploads that were reserved but never finalized, with their bytes. Called at start:
   * their signed URLs were signed with the key of an earlier instance, so they can never be
   * completed, and a pending cache entry would otherwise block its key. Returns how many.
   */
  async dropUnfinishedUploads(): Promise<number> {
    const pending = [...this.index.artifacts, ...this.index.caches].filter(
      (r) => r.state === "pending",
    );
    if (pending.length === 0) return 0;
    this.index.artifacts = this.index.artifacts.filter((a) => a.state !== "pending");
    this.index.caches = this.index.caches.filter((c) => c.state !== "pending");
    for (const record of pending) await this.discardUpload(record.uploadId);
    await this.save();
    return pending.length;
  }

  async discardUpload(uploadId: string): Promise<void> {
    await rm(this.blobFile(uploadId), { force: true });
    await rm(path.join(this.dir, "blocks", uploadId), { recursive: true, force: true });
  }

  /** Persists the index; writes are serialised and each replaces the file atomically. */
  save(): Promise<void> {
    const text = `${JSON.stringify(this.index, null, 2)}\n`;
    const file = path.join(this.dir, INDEX_FILE);
    const write = this.writes.then(async () => {
      const tmp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    });
    // a failed write must not block later ones; the caller of this save still sees the error
    this.writes = write.catch(() => undefined);
    return write;
  }

  async flush(): Promise<void> {
    await this.writes;
  }
}

export class MissingBlockError extends Error {
  override name = "MissingBlockError";
}

/** Streams `source` into `target` through a temp file, hashing and counting on the way. */
async function writeAtomically(
  source: AsyncIterable<Buffer> | Readable,
  target: string,
): Promise<{ size: number; sha256: string }> {
  const tmp = `${target}.tmp-${randomBytes(4).toString("hex")}`;
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
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
