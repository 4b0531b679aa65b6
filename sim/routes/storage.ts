import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { bool, node, storageId, str, type ParamSpec } from "../api/param-types.js";
import type { Route, RouteContext } from "../api/route.js";
import { ALL_USERS, and, check, or, perm } from "../access/checks.js";
import { TASK_DURATIONS_MS } from "../core.js";
import { die, PveError } from "../http/pve-error.js";
import type { SimStorage } from "../model/types.js";
import {
  addVolume,
  findVolume,
  removeVolume,
  storageOf,
  usedBytes,
  volumePath,
} from "../model/volumes.js";

function storageInfo(ctx: RouteContext, s: SimStorage, nodeName: string) {
  const used = usedBytes(ctx.core.state, s, nodeName);
  return {
    storage: s.id,
    type: s.type,
    content: s.content.join(","),
    active: 1,
    enabled: 1,
    shared: s.shared ? 1 : 0,
    total: s.total,
    used,
    avail: s.total - used,
    used_fraction: used / s.total,
  };
}

function volumesOn(ctx: RouteContext, s: SimStorage, nodeName: string) {
  return ctx.core.state.volumes.filter(
    (v) => v.storage === s.id && (s.shared || v.node === nodeName),
  );
}

/**
 * Proxmox's check_volume_access for reading one volume: Datastore.Allocate on the storage is
 * enough; iso/vztmpl/import need Datastore.AllocateSpace or Datastore.Audit; a VM's disk needs
 * Datastore.Audit on the storage and VM.Config.Disk on its VM.
 */
function requireVolumeAccess(ctx: RouteContext, s: SimStorage, volid: string): void {
  const path = `/storage/${s.id}`;
  if (ctx.has(path, "Datastore.Allocate")) return;
  const volname = volid.slice(volid.indexOf(":") + 1);
  if (/^(iso|vztmpl|import)\//.test(volname))
    return ctx.require(path, "Datastore.AllocateSpace", "Datastore.Audit");
  const owner = /(?:^|\/)(?:vm|base)-(\d+)-[^/]*$/.exec(volname)?.[1];
  if (!owner) throw die(`missing privileges to access ${volid}`);
  ctx.require(path, "Datastore.Audit");
  ctx.require(`/vms/${owner}`, "VM.Config.Disk");
}

const EXTENSIONS: Record<string, RegExp> = {
  iso: /\.(iso|img)$/i,
  import: /\.(qcow2|raw|vmdk|ova)$/i,
  vztmpl: /\.(tar\.(gz|xz|zst)|tgz)$/i,
};

/** pve-storage's extension checks; the import check's message differs from iso's and vztmpl's. */
function checkExtension(content: string, filename: string): void {
  if (EXTENSIONS[content]?.test(filename)) return;
  throw new PveError(400, "Parameter verification failed.", {
    filename: content === "import" ? "invalid filename or wrong extension" : "wrong file extension",
  });
}

/** A kept upload's checksum, streamed from its file (a disk image is gigabytes). */
async function fileDigest(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Moves an upload's temporary file to `<filesDir>/<storage>/<node>/<content>/<filename>` (a
 * shared storage without the node) and records it as pve-sim's own file. A volume that had that
 * name before lets go of its file first.
 */
function keepUploadedFile(
  ctx: RouteContext,
  tmpPath: string,
  s: SimStorage,
  nodeName: string,
  content: string,
  filename: string,
): string {
  const dir = join(ctx.core.filesDir ?? dirname(tmpPath), s.id, s.shared ? "" : nodeName, content);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, filename);
  // the same name again replaces the bytes (a guest that mounted the old file keeps its inode)
  rmSync(target, { force: true });
  renameSync(tmpPath, target);
  const state = ctx.core.state;
  state.ownedFiles = [...(state.ownedFiles ?? []).filter((f) => f !== target), target];
  return target;
}

export const storageRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/storage/{storage}/upload",
    params: {
      node,
      storage: storageId,
      content: { type: "string", enum: ["iso", "vztmpl", "import"] },
      filename: { type: "string", maxLength: 255 },
      checksum: str,
      "checksum-algorithm": {
        type: "string",
        optional: true,
        enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
      } satisfies ParamSpec,
      tmpfilename: { type: "string", optional: true, pattern: /^\/var\/tmp\/pveupload-[0-9a-f]+$/ },
    },
    permissions: check(perm("/storage/{storage}", ["Datastore.AllocateTemplate"])),
    handler(ctx) {
      const p = ctx.params;
      const n = ctx.core.node(p.node ?? "");
      const s = storageOf(ctx.core.state, p.storage ?? "");
      const content = p.content ?? "";
      if (!s.fileBased) throw die(`can't upload to storage type '${s.type}'`);
      const upload = ctx.upload;
      if (!upload)
        throw new PveError(400, "Parameter verification failed.", {
          filename: "no file in the upload",
        });
      const filename = (upload.filename || p.filename || "").replace(/[^a-zA-Z0-9_.-]/g, "_");
      checkExtension(content, filename);
      if (!s.content.includes(content))
        throw die(`storage '${s.id}' does not support '${content}' content`);
      const volid = `${s.id}:${content}/${filename}`;
      return ctx.core.startTask({
        node: n.name,
        type: "imgcopy",
        id: "",
        who: ctx.who,
        durationMs: TASK_DURATIONS_MS.imgcopy ?? 2000,
        startLog: [
          `starting file import from: ${upload.path ?? `/var/tmp/pveupload-${upload.sha256.slice(0, 16)}`}`,
          `target file: ${volumePath(s, volid)}`,
        ],
        async run(log) {
          if (p.checksum) {
            const algorithm = p["checksum-algorithm"] ?? "sha256";
            const actual = upload.path
              ? await fileDigest(upload.path, algorithm)
              : algorithm === "sha512"
                ? upload.sha512
                : algorithm === "md5"
                  ? upload.md5
                  : upload.sha256;
            if (p.checksum.toLowerCase() !== actual) {
              if (upload.path) rmSync(upload.path, { force: true });
              throw new Error(`checksum mismatch: got '${actual}' != expect '${p.checksum}'`);
            }
            log("calculating checksum...OK, checksum verified");
          }
          if (findVolume(ctx.core.state, volid, n.name))
            removeVolume(ctx.core.state, volid, n.name);
          // kept bytes move into the storage's own file, as pveproxy's temporary file does
          const hostPath = upload.path
            ? keepUploadedFile(ctx, upload.path, s, n.name, content, filename)
            : undefined;
          addVolume(ctx.core.state, {
            volid,
            storage: s.id,
            ...(s.shared ? {} : { node: n.name }),
            content: content as "iso",
            format: content === "import" ? "qcow2" : "raw",
            size: upload.size,
            ...(hostPath ? { hostPath } : {}),
          });
          log(`file size is: ${upload.size}`);
        },
      });
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage",
    params: { node, content: str, enabled: bool, format: bool, storage: str, target: str },
    // the list is filtered by Datastore.Audit or Datastore.AllocateSpace
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const content = ctx.params.content?.split(",");
      return ctx.core.state.storages
        .filter(
          (s) =>
            ctx.has(`/storage/${s.id}`, "Datastore.Audit") ||
            ctx.has(`/storage/${s.id}`, "Datastore.AllocateSpace"),
        )
        .filter((s) => !content || content.some((c) => s.content.includes(c)))
        .filter((s) => !ctx.params.storage || s.id === ctx.params.storage)
        .map((s) => storageInfo(ctx, s, n.name));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/status",
    params: { node, storage: storageId },
    permissions: check(
      perm("/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], { any: true }),
    ),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      return storageInfo(ctx, s, n.name);
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content",
    params: {
      node,
      storage: storageId,
      content: str,
      vmid: { type: "integer", optional: true, minimum: 100 },
    },
    permissions: check(
      perm("/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], { any: true }),
    ),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      return volumesOn(ctx, s, n.name)
        .filter((v) => !ctx.params.content || v.content === ctx.params.content)
        .filter((v) => !ctx.params.vmid || v.vmid === Number(ctx.params.vmid))
        .map((v) => ({
          volid: v.volid,
          content: v.content,
          format: v.format,
          size: v.size,
          ctime: v.ctime,
          ...(v.vmid ? { vmid: v.vmid } : {}),
          ...(v.parent ? { parent: v.parent.split(":")[1] } : {}),
        }));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    params: { node, storage: storageId, volume: { type: "string" } },
    // "You need read access for the volume": check_volume_access in the handler
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      const name = ctx.params.volume ?? "";
      const volid = name.includes(":") ? name : `${s.id}:${name}`;
      const v = findVolume(ctx.core.state, volid, n.name);
      requireVolumeAccess(ctx, s, volid);
      if (!v) throw die(`volume '${volid}' does not exist`);
      return {
        path: volumePath(s, volid),
        size: v.size,
        used: v.parent ? 0 : v.size,
        format: v.format,
      };
    },
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    params: {
      node,
      storage: storageId,
      volume: { type: "string" },
      delay: { type: "integer", optional: true, minimum: 1, maximum: 30 },
    },
    // Datastore.Allocate on the storage, checked in the handler (backup volumes differ in Proxmox)
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      ctx.require(`/storage/${s.id}`, "Datastore.Allocate");
      const name = ctx.params.volume ?? "";
      const volid = name.includes(":") ? name : `${s.id}:${name}`;
      if (!findVolume(ctx.core.state, volid, n.name)) throw die(`volume '${volid}' does not exist`);
      return ctx.core.startTask({
        node: n.name,
        type: "imgdel",
        id: volid,
        who: ctx.who,
        durationMs: 200,
        run: () => removeVolume(ctx.core.state, volid, n.name),
      });
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/query-url-metadata",
    params: {
      node,
      url: { type: "string", pattern: /^https?:\/\/.+/ },
      "verify-certificates": bool,
    },
    proxied: true,
    // probing URLs reaches the host's network: Sys.Audit and Sys.Modify on /, or Sys.AccessNetwork on the node
    permissions: check(
      or(perm("/", ["Sys.Audit", "Sys.Modify"]), perm("/nodes/{node}", ["Sys.AccessNetwork"])),
    ),
    handler(ctx) {
      ctx.core.node(ctx.params.node ?? "");
      const url = ctx.params.url ?? "";
      const file = ctx.core.state.remoteFiles[url];
      // pve-sim never leaves loopback: only URLs registered through the admin surface "exist"
      if (!file) throw die(`invalid server response: '404 Not Found'`);
      return {
        filename: decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "download"),
        size: file.size,
        mimetype: file.mimetype,
      };
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/storage/{storage}/download-url",
    params: {
      node,
      storage: storageId,
      url: { type: "string", pattern: /^https?:\/\/.+/ },
      content: { type: "string", enum: ["iso", "vztmpl", "import"] },
      filename: { type: "string", maxLength: 255 },
      checksum: str,
      "checksum-algorithm": {
        type: "string",
        optional: true,
        enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
      } satisfies ParamSpec,
      compression: str,
      "verify-certificates": bool,
    },
    proxied: true,
    // allocation on the storage, and (it reaches the host's network) Sys.Audit and Sys.Modify on /
    // or Sys.AccessNetwork on the node; the same for every content type, import included
    permissions: check(
      and(
        perm("/storage/{storage}", ["Datastore.AllocateTemplate"]),
        or(perm("/", ["Sys.Audit", "Sys.Modify"]), perm("/nodes/{node}", ["Sys.AccessNetwork"])),
      ),
    ),
    handler(ctx) {
      const p = ctx.params;
      const n = ctx.core.node(p.node ?? "");
      const s = storageOf(ctx.core.state, p.storage ?? "");
      if ((p.checksum === undefined) !== (p["checksum-algorithm"] === undefined)) {
        throw new PveError(400, "Parameter verification failed.", {
          checksum: "'checksum' and 'checksum-algorithm' must be given together",
        });
      }
      const content = p.content ?? "";
      if (!s.fileBased)
        throw die(`can't upload to storage type '${s.type}', not a file based storage!`);
      if (!s.content.includes(content))
        throw die(`storage '${s.id}' is not configured for content-type '${content}'`);
      const filename = (p.filename ?? "").replace(/[^a-zA-Z0-9_.-]/g, "_");
      checkExtension(content, filename);
      const volid = `${s.id}:${content}/${filename}`;
      const target = volumePath(s, volid);
      return ctx.core.startTask({
        node: n.name,
        type: "download",
        id: filename,
        who: ctx.who,
        durationMs: TASK_DURATIONS_MS.download ?? 5000,
        startLog: [`downloading ${p.url ?? ""} to ${target}`],
        run(log) {
          const remote = ctx.core.state.remoteFiles[p.url ?? ""];
          if (!remote) throw new Error(`download failed: 404 Not Found`);
          const existing = findVolume(ctx.core.state, volid, n.name);
          if (existing) {
            if (p.checksum && p.checksum.toLowerCase() === remote.sha256) {
              log("file already exists and checksum matches, skipping download");
              return;
            }
            throw new Error(`refusing to override existing file '${target}'`);
          }
          if (p.checksum) {
            const expected = p.checksum.toLowerCase();
            const actual = p["checksum-algorithm"] === "sha512" ? remote.sha512 : remote.sha256;
            if (expected !== actual)
              throw new Error(
                `calculating checksum...checksum mismatch: got '${actual ?? "?"}' expected '${expected}'`,
              );
            log("calculating checksum...OK, checksum verified");
          }
          addVolume(ctx.core.state, {
            volid,
            storage: s.id,
            ...(s.shared ? {} : { node: n.name }),
            content: content as "iso",
            format: content === "import" ? "qcow2" : "raw",
            size: remote.size,
            ...(remote.path ? { hostPath: remote.path } : {}),
          });
          log(`download of '${p.url ?? ""}' to '${target}' finished`);
        },
      });
    },
  },
];
