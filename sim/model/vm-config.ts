import { createHash, randomUUID } from "node:crypto";
import { die } from "../http/pve-error.js";
import { DISK_KEY, NET_MODELS, numericConfigKeys } from "../api/qemu-params.js";
import type { SimCore } from "../core.js";
import type { SimVm } from "./types.js";
import {
  addVolume,
  cloudinitVolid,
  findVolume,
  formatSize,
  newDiskVolid,
  parseSize,
  storageOf,
} from "./volumes.js";

const GiB = 1024 ** 3;

export function digestOf(config: Record<string, string>): string {
  const text = Object.keys(config)
    .sort()
    .map((k) => `${k}: ${config[k] ?? ""}`)
    .join("\n");
  return createHash("sha1").update(text).digest("hex");
}

export function randomMac(core: SimCore): string {
  const byte = () =>
    Math.floor(core.random() * 256)
      .toString(16)
      .toUpperCase()
      .padStart(2, "0");
  return `BC:24:11:${byte()}:${byte()}:${byte()}`;
}

/**
 * A NIC as qemu-server stores it: `<model>=<MAC>` first, then the other properties. Clients may
 * write the model and MAC as keys (`model=virtio,bridge=vmbr0,macaddr=…`, as the bpg provider
 * does) or leave the MAC out (`virtio,bridge=vmbr0`): Proxmox fills in a MAC either way.
 */
export function withMac(core: SimCore, net: string, forceNew = false): string {
  let model: string | undefined;
  let mac: string | undefined;
  const rest: string[] = [];
  net.split(",").forEach((part, i) => {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (i === 0 && (NET_MODELS as readonly string[]).includes(key)) [model, mac] = [key, value];
    else if (key === "model" && value) model = value;
    else if (key === "macaddr" && value) mac = value;
    else if (part !== "") rest.push(part);
  });
  if (!model || !(NET_MODELS as readonly string[]).includes(model)) return net;
  return [`${model}=${mac && !forceNew ? mac : randomMac(core)}`, ...rest].join(",");
}

export function splitDisk(value: string): { file: string; opts: Record<string, string> } {
  const [file = "", ...rest] = value.split(",");
  const opts: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq > 0) opts[part.slice(0, eq)] = part.slice(eq + 1);
  }
  if (file.startsWith("file=")) return { file: file.slice(5), opts };
  return { file, opts };
}

export function joinDisk(file: string, opts: Record<string, string>): string {
  return [file, ...Object.entries(opts).map(([k, v]) => `${k}=${v}`)].join(",");
}

/** Config as GET returns it: numbers for integer/boolean keys, the password hidden, plus digest. */
export function configForApi(config: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(config)) {
    const base = k.replace(/\d+$/, "[n]");
    out[k] =
      numericConfigKeys.has(k) || numericConfigKeys.has(base)
        ? Number(v)
        : k === "cipassword"
          ? "**********"
          : v;
  }
  out.digest = digestOf(config);
  return out;
}

/** Tags are lower-cased, de-duplicated, sorted and joined with `;`. */
export function normaliseTags(tags: string): string {
  return [
    ...new Set(
      tags
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map((t) => t.toLowerCase()),
    ),
  ]
    .sort()
    .join(";");
}

/**
 * Allocates the volume a drive option asks for: `STORAGE:cloudinit`, `STORAGE:SIZE_GiB`,
 * `STORAGE:0,import-from=VOLID`, or an existing volume/`none`/ISO left as it is. Returns the
 * final option value and log lines.
 */
export function allocateDrive(
  core: SimCore,
  vm: SimVm,
  key: string,
  value: string,
  log: (l: string) => void,
): string {
  const { file, opts } = splitDisk(value);
  const state = core.state;
  if (file === "none" || file === "cdrom" || opts.media === "cdrom" || !file.includes(":"))
    return value;
  const [storageId = "", rest = ""] = file.split(":");
  if (rest === "cloudinit") {
    const storage = storageOf(state, storageId);
    if (!storage.content.includes("images"))
      throw die(`storage '${storageId}' does not support content-type 'images'`);
    const volid = cloudinitVolid(storage, vm.vmid);
    if (!findVolume(state, volid, vm.node))
      addVolume(state, {
        volid,
        storage: storageId,
        ...(storage.shared ? {} : { node: vm.node }),
        vmid: vm.vmid,
        content: "images",
        format: storage.fileBased ? "qcow2" : "raw",
        size: 4 * 1024 * 1024,
      });
    log(`${key}: successfully created disk '${volid},media=cdrom'`);
    return `${volid},media=cdrom`;
  }
  if (/^\d+(\.\d+)?$/.test(rest)) {
    const storage = storageOf(state, storageId);
    if (!storage.content.includes("images"))
      throw die(`storage '${storageId}' does not support content-type 'images'`);
    let size = Number(rest) * GiB;
    let hostPath: string | undefined;
    const importFrom = opts["import-from"];
    if (importFrom) {
      const source = findVolume(state, importFrom, vm.node);
      if (!source) throw die(`import-from: volume '${importFrom}' does not exist`);
      size = source.size;
      hostPath = source.hostPath;
      delete opts["import-from"];
    }
    const volid = newDiskVolid(state, storage, vm.node, vm.vmid);
    addVolume(state, {
      volid,
      storage: storageId,
      ...(storage.shared ? {} : { node: vm.node }),
      vmid: vm.vmid,
      content: "images",
      format: storage.fileBased ? "qcow2" : "raw",
      size,
      ...(hostPath ? { hostPath } : {}),
    });
    log(`${key}: successfully created disk '${volid},size=${formatSize(size)}'`);
    return joinDisk(volid, { ...opts, size: formatSize(size) });
  }
  const existing = findVolume(state, file, vm.node);
  if (existing && opts.size === undefined && DISK_KEY.test(key) && existing.content === "images")
    return joinDisk(file, { ...opts, size: formatSize(existing.size) });
  return value;
}

export function newSmbios(): string {
  return `uuid=${randomUUID()}`;
}

export function diskSize(value: string): number | undefined {
  const size = splitDisk(value).opts.size;
  return size ? parseSize(size) : undefined;
}
