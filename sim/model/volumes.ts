import { rmSync } from "node:fs";
import { die } from "../http/pve-error.js";
import type { SimState, SimStorage, SimVolume } from "./types.js";

const K = 1024;

/** Proxmox's format_size: whole units, largest that divides evenly (32G, 3584M, 512K). */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [
    ["T", K ** 4],
    ["G", K ** 3],
    ["M", K ** 2],
    ["K", K],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}`;
}

/** `32G`, `+2G`, `512M`, `1T`, or a plain byte count. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m?.[1]) return undefined;
  const factor = { "": 1, K, M: K ** 2, G: K ** 3, T: K ** 4 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * factor);
}

export function storageOf(state: SimState, id: string): SimStorage {
  const storage = state.storages.find((s) => s.id === id);
  if (!storage) throw die(`storage '${id}' does not exist`);
  return storage;
}

export function findVolume(state: SimState, volid: string, node: string): SimVolume | undefined {
  return state.volumes.find((v) => v.volid === volid && (v.node === undefined || v.node === node));
}

function isFileStorage(storage: SimStorage): boolean {
  return storage.fileBased;
}

/** Next free `vm-<vmid>-disk-<n>` on a storage, named the way that storage type names it. */
export function newDiskVolid(
  state: SimState,
  storage: SimStorage,
  node: string,
  vmid: number,
  prefix = "vm",
): string {
  for (let n = 0; ; n++) {
    const name = `${prefix}-${vmid}-disk-${n}`;
    const volid = isFileStorage(storage)
      ? `${storage.id}:${vmid}/${name}.qcow2`
      : `${storage.id}:${name}`;
    const taken = state.volumes.some(
      (v) =>
        v.storage === storage.id &&
        (v.volid === volid || v.volid.endsWith(`/${name}`) || v.volid.endsWith(`/${name}.qcow2`)) &&
        (storage.shared || v.node === node),
    );
    if (!taken) return volid;
  }
}

export function cloudinitVolid(storage: SimStorage, vmid: number): string {
  return storage.fileBased
    ? `${storage.id}:${vmid}/vm-${vmid}-cloudinit.qcow2`
    : `${storage.id}:vm-${vmid}-cloudinit`;
}

/** Where a file-based storage keeps each content type (Proxmox's vtype_subdirs). */
const SUBDIRS: Record<string, string> = {
  iso: "template/iso",
  vztmpl: "template/cache",
  import: "import",
  snippets: "snippets",
  backup: "dump",
};

/** The directory of a file-based storage (state files from before `path` existed get the defaults). */
function storageRoot(storage: SimStorage): string {
  if (storage.path) return storage.path;
  return storage.id === "local" ? "/var/lib/vz" : `/mnt/pve/${storage.id}`;
}

/**
 * The path Proxmox reports for a volume (`GET …/content/<volid>`, task logs): LVM-thin volumes
 * are block devices `/dev/<vg>/<lv>` (a linked clone `base-9000-disk-0/vm-101-disk-0` is its own
 * LV `vm-101-disk-0`); file-based storages keep images under `images/<owner vmid>/` and the other
 * content types in their sub-directories.
 */
export function volumePath(storage: SimStorage, volid: string): string {
  const volname = volid.slice(volid.indexOf(":") + 1);
  const parts = volname.split("/");
  const last = parts[parts.length - 1] ?? "";
  if (storage.type === "lvmthin") return `/dev/${storage.vgname ?? "pve"}/${last}`;
  if (storage.type === "zfspool") return `/dev/zvol/rpool/data/${last}`;
  if (storage.type === "rbd") return `/dev/rbd-pve/${storage.id}/${last}`;
  const subdir = SUBDIRS[parts[0] ?? ""];
  if (subdir) return `${storageRoot(storage)}/${subdir}/${parts.slice(1).join("/")}`;
  return `${storageRoot(storage)}/images/${parts.slice(-2).join("/")}`;
}

export function addVolume(state: SimState, volume: Omit<SimVolume, "ctime">): SimVolume {
  const full: SimVolume = { ...volume, ctime: Math.floor(Date.now() / 1000) };
  state.volumes.push(full);
  return full;
}

export function removeVolume(state: SimState, volid: string, node: string): void {
  const gone = state.volumes.filter(
    (v) => v.volid === volid && (v.node === undefined || v.node === node),
  );
  state.volumes = state.volumes.filter((v) => !gone.includes(v));
  for (const path of gone.flatMap((v) => v.hostPath ?? [])) releaseFile(state, path);
}

/** Deletes a file pve-sim wrote (an upload) once no volume uses it any more. */
export function releaseFile(state: SimState, path: string): void {
  if (!state.ownedFiles?.includes(path)) return;
  if (state.volumes.some((v) => v.hostPath === path)) return;
  state.ownedFiles = state.ownedFiles.filter((f) => f !== path);
  rmSync(path, { force: true });
}

export function usedBytes(state: SimState, storage: SimStorage, node: string): number {
  return state.volumes
    .filter((v) => v.storage === storage.id && (storage.shared || v.node === node))
    .reduce((n, v) => n + (v.parent ? Math.min(v.size, 64 * K ** 2) : v.size), 0);
}
