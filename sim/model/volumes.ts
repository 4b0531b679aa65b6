import { die } from "../http/pve-error.js";
import type { SimState, SimStorage, SimVolume } from "./types.js";

const K = 1024;

/** Proxmox's format_size: whole units, largest that divides evenly (32G, 3584M, 512K). */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [["T", K ** 4], ["G", K ** 3], ["M", K ** 2], ["K", K]] as const) {
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
export function newDiskVolid(state: SimState, storage: SimStorage, node: string, vmid: number, prefix = "vm"): string {
  for (let n = 0; ; n++) {
    const name = `${prefix}-${vmid}-disk-${n}`;
    const volid = isFileStorage(storage) ? `${storage.id}:${vmid}/${name}.qcow2` : `${storage.id}:${name}`;
    const taken = state.volumes.some((v) => v.storage === storage.id && (v.volid === volid || v.volid.endsWith(`/${name}`) || v.volid.endsWith(`/${name}.qcow2`)) && (storage.shared || v.node === node));
    if (!taken) return volid;
  }
}

export function cloudinitVolid(storage: SimStorage, vmid: number): string {
  return storage.fileBased ? `${storage.id}:${vmid}/vm-${vmid}-cloudinit.qcow2` : `${storage.id}:vm-${vmid}-cloudinit`;
}

export function addVolume(state: SimState, volume: Omit<SimVolume, "ctime">): SimVolume {
  const full: SimVolume = { ...volume, ctime: Math.floor(Date.now() / 1000) };
  state.volumes.push(full);
  return full;
}

export function removeVolume(state: SimState, volid: string, node: string): void {
  state.volumes = state.volumes.filter((v) => !(v.volid === volid && (v.node === undefined || v.node === node)));
}

export function usedBytes(state: SimState, storage: SimStorage, node: string): number {
  return state.volumes.filter((v) => v.storage === storage.id && (storage.shared || v.node === node)).reduce((n, v) => n + (v.parent ? Math.min(v.size, 64 * K ** 2) : v.size), 0);
}
