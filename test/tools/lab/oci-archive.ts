import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { lstat, readdir, readlink, rename, rm, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { type TarEntry, writeTar } from "./tar.js";

/**
 * Single-layer container images as OCI archives (an OCI image layout in a tar), written from
 * files on this machine: what `ctr -n k8s.io images import` reads. The lab has no registry, so
 * the control-plane images kubeadm names are assembled here from the binaries built locally.
 */

/** A host path copied to a path inside the image; a directory is copied with its contents. */
export interface LayerSource {
  from: string;
  to: string;
}

export interface ImageSpec {
  /** full reference, e.g. registry.k8s.io/kube-apiserver:v1.36.3 */
  name: string;
  layer: LayerSource[];
  entrypoint?: string[];
  env?: string[];
  architecture?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

export interface WrittenImage {
  name: string;
  archive: string;
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor & { diffId: string };
}

export const MEDIA_TYPES = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** The PATH of every image: kubeadm's manifests call bare `etcd`, `kube-apiserver`, ... */
export const IMAGE_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The tag of a reference ("v1.36.3" of "registry.k8s.io/kube-apiserver:v1.36.3"). */
export function referenceTag(name: string): string {
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon <= slash) throw new Error(`image name without a tag: ${name}`);
  return name.slice(colon + 1);
}

function imagePath(path: string): string {
  const clean = posix.normalize(`/${path}`).replace(/^\/+/, "");
  if (!clean || clean.startsWith("..")) throw new Error(`not a path inside an image: ${path}`);
  return clean;
}

/**
 * The tar entries of a layer: every source walked (symlinks kept as links, not followed), parent
 * directories added, sorted by path so the layer's digest depends only on the content.
 */
export async function layerEntries(sources: LayerSource[]): Promise<TarEntry[]> {
  const entries = new Map<string, TarEntry>();
  const addParents = (path: string) => {
    for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) {
      if (!entries.has(dir)) entries.set(dir, { type: "dir", path: dir, mode: 0o755 });
    }
  };
  const walk = async (from: string, to: string): Promise<void> => {
    const info = await lstat(from);
    addParents(to);
    if (info.isSymbolicLink()) {
      entries.set(to, { type: "symlink", path: to, target: await readlink(from) });
    } else if (info.isDirectory()) {
      entries.set(to, { type: "dir", path: to, mode: info.mode & 0o7777 });
      for (const child of (await readdir(from)).sort()) {
        await walk(join(from, child), posix.join(to, child));
      }
    } else if (info.isFile()) {
      entries.set(to, {
        type: "file",
        path: to,
        mode: info.mode & 0o7777,
        size: info.size,
        source: from,
      });
    } else {
      throw new Error(`${from}: only files, directories and symlinks go into an image layer`);
    }
  };
  for (const source of sources) await walk(source.from, imagePath(source.to));
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** Writes the gzipped layer to `file`; returns its digest and the digest of the plain tar. */
export async function writeLayer(
  entries: TarEntry[],
  file: string,
): Promise<{ digest: string; diffId: string; size: number }> {
  const plain = createHash("sha256");
  const packed = createHash("sha256");
  const tar = new PassThrough();
  const done = pipeline(
    tar,
    hashing(plain),
    createGzip({ level: 6 }),
    hashing(packed),
    createWriteStream(file),
  );
  await Promise.all([writeTar(tar, entries).then(() => tar.end()), done]);
  return {
    digest: `sha256:${packed.digest("hex")}`,
    diffId: `sha256:${plain.digest("hex")}`,
    size: (await stat(file)).size,
  };
}

function jsonBlob(value: unknown): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(JSON.stringify(value));
  return { bytes, digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}

function blobEntry(digest: string, size: number, source: string | Buffer): TarEntry {
  return { type: "file", path: `blobs/sha256/${digest.slice(7)}`, mode: 0o644, size, source };
}

/** Writes `spec` as an OCI archive at `archive` (atomically: a partial file never has the name). */
export async function writeOciArchive(spec: ImageSpec, archive: string): Promise<WrittenImage> {
  const architecture = spec.architecture ?? "amd64";
  const layerFile = `${archive}.layer.tmp`;
  const partial = `${archive}.tmp`;
  try {
    const layer = await writeLayer(await layerEntries(spec.layer), layerFile);
    const config = jsonBlob({
      architecture,
      os: "linux",
      config: {
        Env: spec.env ?? [IMAGE_PATH],
        ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
        WorkingDir: "/",
      },
      rootfs: { type: "layers", diff_ids: [layer.diffId] },
      history: [{ created_by: "pve-kube lab image build (test/tools/lab)" }],
    });
    const layerDescriptor = {
      mediaType: MEDIA_TYPES.layerGzip,
      digest: layer.digest,
      size: layer.size,
    };
    const configDescriptor = {
      mediaType: MEDIA_TYPES.config,
      digest: config.digest,
      size: config.bytes.length,
    };
    const manifest = jsonBlob({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: configDescriptor,
      layers: [layerDescriptor],
    });
    const manifestDescriptor: Descriptor = {
      mediaType: MEDIA_TYPES.manifest,
      digest: manifest.digest,
      size: manifest.bytes.length,
      // containerd names the imported image after its own annotation; the OCI one is the tag
      annotations: {
        "io.containerd.image.name": spec.name,
        "org.opencontainers.image.ref.name": referenceTag(spec.name),
      },
      platform: { architecture, os: "linux" },
    };
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.index,
        manifests: [manifestDescriptor],
      }),
    );
    const layout = Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    const out = createWriteStream(partial);
    const finished = new Promise<void>((resolve, reject) => {
      out.on("finish", resolve).on("error", reject);
    });
    await writeTar(out, [
      { type: "file", path: "oci-layout", mode: 0o644, size: layout.length, source: layout },
      { type: "file", path: "index.json", mode: 0o644, size: index.length, source: index },
      { type: "dir", path: "blobs", mode: 0o755 },
      { type: "dir", path: "blobs/sha256", mode: 0o755 },
      blobEntry(config.digest, config.bytes.length, config.bytes),
      blobEntry(manifest.digest, manifest.bytes.length, manifest.bytes),
      blobEntry(layer.digest, layer.size, layerFile),
    ]);
    out.end();
    await finished;
    await rename(partial, archive);
    return {
      name: spec.name,
      archive,
      manifest: manifestDescriptor,
      config: configDescriptor,
      layer: { ...layerDescriptor, diffId: layer.diffId },
    };
  } finally {
    await rm(layerFile, { force: true });
    await rm(partial, { force: true });
  }
}
