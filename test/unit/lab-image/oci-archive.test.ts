import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEDIA_TYPES, layerEntries, writeOciArchive } from "../../tools/lab/oci-archive.js";
import { entryHeader } from "../../tools/lab/tar.js";

// The archive is read back by GNU tar, not by our own code: a reader that shares the writer's
// mistakes would prove nothing.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oci-archive-"));
  await mkdir(join(dir, "src/bin"), { recursive: true });
  await writeFile(join(dir, "src/bin/tool"), "#!/bin/sh\necho tool\n");
  await chmod(join(dir, "src/bin/tool"), 0o755);
  await symlink("tool", join(dir, "src/bin/alias"));
  const deep = `${"d".repeat(60)}/${"e".repeat(60)}`;
  await mkdir(join(dir, "src", deep), { recursive: true });
  await writeFile(join(dir, "src", deep, "long-name.txt"), "far down\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}
interface Index {
  mediaType: string;
  manifests: Descriptor[];
}
interface Manifest {
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}
interface ImageConfig {
  config: { Entrypoint?: string[]; Env: string[] };
  rootfs: { diff_ids: string[] };
}
const json = async <T>(file: string | Promise<Buffer>): Promise<T> =>
  JSON.parse(
    typeof file === "string" ? await readFile(file, "utf8") : (await file).toString(),
  ) as T;

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const tar = (...args: string[]) => execFileSync("tar", args, { encoding: "utf8" });

describe("writeOciArchive", () => {
  it("writes an OCI layout that GNU tar reads back, with digests that match the blobs", async () => {
    const archive = join(dir, "image.tar");
    const written = await writeOciArchive(
      {
        name: "registry.k8s.io/coredns/coredns:v1.14.2",
        entrypoint: ["/coredns"],
        layer: [{ from: join(dir, "src"), to: "/opt/src" }],
      },
      archive,
    );
    const out = join(dir, "out");
    await mkdir(out);
    tar("-xf", archive, "-C", out);

    expect(await json<unknown>(join(out, "oci-layout"))).toEqual({
      imageLayoutVersion: "1.0.0",
    });
    const index = await json<Index>(join(out, "index.json"));
    expect(index.mediaType).toBe(MEDIA_TYPES.index);
    expect(index.manifests).toHaveLength(1);
    const descriptor = index.manifests[0]!;
    expect(descriptor.annotations).toEqual({
      "io.containerd.image.name": "registry.k8s.io/coredns/coredns:v1.14.2",
      "org.opencontainers.image.ref.name": "v1.14.2",
    });
    expect(descriptor.platform).toEqual({ architecture: "amd64", os: "linux" });

    const blob = (digest: string) => readFile(join(out, "blobs/sha256", digest.slice(7)));
    const manifestBytes = await blob(descriptor.digest);
    expect(sha256(manifestBytes)).toBe(descriptor.digest);
    expect(manifestBytes.length).toBe(descriptor.size);
    const manifest = JSON.parse(manifestBytes.toString()) as Manifest;
    expect(manifest.mediaType).toBe(MEDIA_TYPES.manifest);

    const configBytes = await blob(manifest.config.digest);
    expect(sha256(configBytes)).toBe(manifest.config.digest);
    const config = JSON.parse(configBytes.toString()) as ImageConfig;
    expect(config.config.Entrypoint).toEqual(["/coredns"]);
    expect(config.config.Env[0]).toMatch(/^PATH=.*\/usr\/local\/bin/);

    expect(manifest.layers).toHaveLength(1);
    const layer = manifest.layers[0]!;
    const layerBytes = await blob(layer.digest);
    expect(layer.mediaType).toBe(MEDIA_TYPES.layerGzip);
    expect(sha256(layerBytes)).toBe(layer.digest);
    expect(layerBytes.length).toBe(layer.size);
    expect(config.rootfs.diff_ids).toEqual([sha256(gunzipSync(layerBytes))]);
    expect(written.layer.diffId).toBe(config.rootfs.diff_ids[0]);

    const layerFile = join(dir, "layer.tar.gz");
    await writeFile(layerFile, layerBytes);
    const listing = tar("-tvzf", layerFile);
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* opt\/src\/bin\/tool$/m);
    expect(listing).toMatch(/^lrwxrwxrwx 0\/0 .* opt\/src\/bin\/alias -> tool$/m);
    expect(listing).toMatch(/^drwxr-xr-x 0\/0 .* opt\/$/m);
    const layerOut = join(dir, "layer");
    await mkdir(layerOut);
    tar("-xzf", layerFile, "-C", layerOut);
    const deep = `${"d".repeat(60)}/${"e".repeat(60)}/long-name.txt`;
    expect(await readFile(join(layerOut, "opt/src", deep), "utf8")).toBe("far down\n");
  });

  it("is deterministic: the same inputs give the same manifest digest", async () => {
    const spec = {
      name: "registry.k8s.io/pause:3.10.2",
      layer: [{ from: join(dir, "src/bin/tool"), to: "/pause" }],
    };
    const a = await writeOciArchive(spec, join(dir, "a.tar"));
    const b = await writeOciArchive(spec, join(dir, "b.tar"));
    expect(a.manifest.digest).toBe(b.manifest.digest);
    expect(await readFile(join(dir, "a.tar"))).toEqual(await readFile(join(dir, "b.tar")));
  });

  it("refuses a name without a tag and leaves no partial file", async () => {
    await expect(
      writeOciArchive({ name: "registry.k8s.io/pause", layer: [] }, join(dir, "bad.tar")),
    ).rejects.toThrow(/without a tag/);
    expect(tar("-tf", join(dir, "a.tar"))).toContain("index.json");
    await expect(readFile(join(dir, "bad.tar"))).rejects.toThrow(/ENOENT/);
  });
});

describe("layerEntries", () => {
  it("adds parent directories, keeps symlinks as links and sorts by path", async () => {
    const entries = await layerEntries([{ from: join(dir, "src/bin"), to: "usr/local/bin" }]);
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      "dir usr",
      "dir usr/local",
      "dir usr/local/bin",
      "symlink usr/local/bin/alias",
      "file usr/local/bin/tool",
    ]);
  });

  it("keeps every path inside the image root and refuses the root itself", async () => {
    const entries = await layerEntries([{ from: join(dir, "src/bin/tool"), to: "../../etc/tool" }]);
    expect(entries.map((e) => e.path)).toEqual(["etc", "etc/tool"]);
    await expect(layerEntries([{ from: join(dir, "src"), to: "/" }])).rejects.toThrow(
      /not a path inside/,
    );
  });
});

describe("entryHeader", () => {
  it("has a valid ustar checksum", () => {
    const block = entryHeader({ type: "dir", path: "etc", mode: 0o755 });
    const stored = parseInt(block.subarray(148, 154).toString(), 8);
    block.write("        ", 148, "ascii");
    let sum = 0;
    for (const byte of block) sum += byte;
    expect(stored).toBe(sum);
    expect(block.subarray(0, 4).toString()).toBe("etc/");
  });
});
