import { qemuConfigParams, DISK_KEY } from "../api/qemu-params.js";
import { bool, node, str, vmid, type ParamSpecs } from "../api/param-types.js";
import { check, perm } from "../access/checks.js";
import type { Route, RouteContext } from "../api/route.js";
import type { SimCore, StorageOp } from "../core.js";
import { STORAGE_LOCK_HOLD_MS, storageLockName } from "../model/storage-lock.js";
import { die, PveError } from "../http/pve-error.js";
import {
  allocateDrive,
  configForApi,
  digestOf,
  normaliseTags,
  splitDisk,
  withMac,
} from "../model/vm-config.js";
import type { SimVm } from "../model/types.js";
import { removeVolume } from "../model/volumes.js";
import { startVmTask } from "./vm-task.js";
import { refuseSkiplockUnlessRoot } from "./skiplock.js";

const CONTROL = new Set([
  "node",
  "vmid",
  "digest",
  "delete",
  "revert",
  "skiplock",
  "force",
  "background_delay",
]);
/** Options a running VM takes at once; everything else waits in `pending` until the next start. */
const HOTPLUG =
  /^(name|description|tags|onboot|protection|net\d+|scsi\d+|virtio\d+|unused\d+|lock|startup|agent)$/;

function privilegesFor(key: string): string {
  if (/^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$/.test(key))
    return key.startsWith("ide") ? "VM.Config.CDROM|VM.Config.Disk" : "VM.Config.Disk";
  if (/^net\d+$/.test(key)) return "VM.Config.Network";
  if (
    /^(ipconfig\d+|ciuser|cipassword|sshkeys|nameserver|searchdomain|citype|ciupgrade|cicustom)$/.test(
      key,
    )
  )
    return "VM.Config.Cloudinit";
  if (/^(cores|sockets|cpu|cpulimit|cpuunits|vcpus|numa|affinity)$/.test(key))
    return "VM.Config.CPU";
  if (/^(memory|balloon|shares)$/.test(key)) return "VM.Config.Memory";
  if (
    /^(machine|bios|scsihw|vga|serial\d+|usb\d+|hostpci\d+|audio0|rng0|tablet|keyboard|kvm|acpi|boot|bootdisk|arch|ostype)$/.test(
      key,
    )
  )
    return "VM.Config.HWType|VM.Config.Options";
  return "VM.Config.Options";
}

/** Applies a config change (PUT sync, POST async share this): digest, delete, drives, pending. */
export function applyConfigChange(
  core: SimCore,
  ctx: RouteContext,
  vm: SimVm,
  log: (l: string) => void,
): void {
  const p = ctx.params;
  if (p.digest && p.digest !== digestOf(vm.config))
    throw die("checksum mismatch (file change by other user?)");
  if (vm.config.lock && p.skiplock !== "1") throw die(`VM is locked (${vm.config.lock})`);
  const changes = Object.entries(p).filter(([k]) => !CONTROL.has(k));
  const deletes = (p.delete ?? "").split(/[,;\s]+/).filter(Boolean);
  if (changes.length === 0 && deletes.length === 0 && !p.revert) throw die("no options specified");
  for (const [key] of changes) ctx.require(`/vms/${vm.vmid}`, ...privilegesFor(key).split("|"));
  for (const key of deletes) ctx.require(`/vms/${vm.vmid}`, ...privilegesFor(key).split("|"));
  const running = vm.status === "running";
  for (const key of deletes) {
    if (vm.config[key] === undefined && vm.pending[key] === undefined) {
      log(`WARN: cannot delete '${key}' - not set in current configuration!`);
      continue;
    }
    if (running && !HOTPLUG.test(key)) {
      vm.pendingDelete.push(key);
      continue;
    }
    dropKey(core, vm, key, p.force === "1");
  }
  for (const [key, raw] of changes) {
    let value = raw;
    if (key === "tags") value = normaliseTags(raw);
    if (/^net\d+$/.test(key)) value = withMac(core, raw);
    if (DISK_KEY.test(key) && key !== "unused0") {
      requireDriveStorage(ctx, value);
      if (vm.config[key] && vm.config[key] !== value && !running)
        detachIfReplaced(core, vm, key, value);
      value = allocateDrive(core, vm, key, value, log);
    }
    if (running && !HOTPLUG.test(key)) vm.pending[key] = value;
    else vm.config[key] = value;
  }
}

/**
 * A drive value that allocates a new volume: `STORAGE:cloudinit` or `STORAGE:SIZE` — given as
 * the bare first value or as `file=…` (the bpg provider sends `file=local-lvm:cloudinit,…`).
 */
const NEW_VOLUME = /^([^:]+):(cloudinit|\d+(\.\d+)?)$/;

/**
 * The storage-locked operations a config change makes: a new drive (`STORAGE:cloudinit`,
 * `STORAGE:SIZE`) is allocated, a deleted cloud-init drive freed — each under its storage's lock.
 */
export function configStorageOps(
  core: SimCore,
  vm: SimVm,
  params: Record<string, string | undefined>,
): StorageOp[] {
  const ops: StorageOp[] = [];
  const storageNamed = (id: string) => core.state.storages.find((s) => s.id === id);
  for (const key of (params.delete ?? "").split(/[,;\s]+/).filter(Boolean)) {
    const volid = (vm.config[key] ?? "").split(",")[0] ?? "";
    const storage = volid.includes("cloudinit")
      ? storageNamed(volid.split(":")[0] ?? "")
      : undefined;
    if (storage)
      ops.push({ lock: storageLockName(storage, vm.node), holdMs: STORAGE_LOCK_HOLD_MS.free });
  }
  for (const [key, value] of Object.entries(params)) {
    if (CONTROL.has(key) || !DISK_KEY.test(key) || value === undefined) continue;
    const m = NEW_VOLUME.exec(splitDisk(value).file);
    const storage = m?.[1] ? storageNamed(m[1]) : undefined;
    if (storage)
      ops.push({ lock: storageLockName(storage, vm.node), holdMs: STORAGE_LOCK_HOLD_MS.alloc });
  }
  return ops;
}

/**
 * Allocating a new volume needs Datastore.AllocateSpace on its storage, and a new disk
 * (`STORAGE:SIZE`) a storage with the `images` content type (qemu-server check_storage_access).
 */
export function requireDriveStorage(ctx: RouteContext, value: string): void {
  const m = NEW_VOLUME.exec(splitDisk(value).file);
  if (!m?.[1]) return;
  ctx.require(`/storage/${m[1]}`, "Datastore.AllocateSpace");
  const storage = ctx.core.state.storages.find((s) => s.id === m[1]);
  if (m[2] !== "cloudinit" && storage && !storage.content.includes("images")) {
    throw new PveError(400, "Parameter verification failed.", {
      storage: `storage '${storage.id}' does not support vm images`,
    });
  }
}

function dropKey(core: SimCore, vm: SimVm, key: string, force: boolean): void {
  const value = vm.config[key];
  delete vm.config[key];
  delete vm.pending[key];
  if (!value || !DISK_KEY.test(key)) return;
  const volid = value.split(",")[0] ?? "";
  if (volid.includes("cloudinit") || force || key.startsWith("unused")) {
    removeVolume(core.state, volid, vm.node);
    return;
  }
  if (value.includes("media=cdrom")) return;
  for (let n = 0; ; n++) {
    if (vm.config[`unused${n}`] === undefined) {
      vm.config[`unused${n}`] = volid;
      return;
    }
  }
}

function detachIfReplaced(core: SimCore, vm: SimVm, key: string, next: string): void {
  const current = (vm.config[key] ?? "").split(",")[0];
  const wanted = next.split(",")[0];
  if (current && wanted && current !== wanted && /:(cloudinit|\d+)$/.test(wanted))
    dropKey(core, vm, key, false);
}

const configParams: ParamSpecs = {
  node,
  vmid,
  ...qemuConfigParams,
  delete: str,
  digest: { type: "string", optional: true, maxLength: 64 },
  force: bool,
  revert: str,
  skiplock: bool,
};

/** Some VM.Config.* privilege gets a caller in; each option then needs its own (applyConfigChange). */
const ANY_CONFIG_PRIVILEGE = check(
  perm(
    "/vms/{vmid}",
    [
      "VM.Config.Disk",
      "VM.Config.CDROM",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Config.Cloudinit",
    ],
    { any: true },
  ),
);

export const qemuConfigRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: { node, vmid, current: bool, snapshot: str },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const merged =
        ctx.params.current === "1" ? { ...vm.config } : { ...vm.config, ...vm.pending };
      if (ctx.params.current !== "1") for (const k of vm.pendingDelete) delete merged[k];
      const out = configForApi(merged);
      out.digest = digestOf(vm.config);
      return out;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/pending",
    params: { node, vmid },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const keys = new Set([
        ...Object.keys(vm.config),
        ...Object.keys(vm.pending),
        ...vm.pendingDelete,
      ]);
      return [...keys].sort().map((key) => ({
        key,
        ...(vm.config[key] !== undefined ? { value: vm.config[key] } : {}),
        ...(vm.pending[key] !== undefined ? { pending: vm.pending[key] } : {}),
        ...(vm.pendingDelete.includes(key) ? { delete: 1 } : {}),
      }));
    },
  },
  {
    method: "PUT",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: configParams,
    permissions: ANY_CONFIG_PRIVILEGE,
    async handler(ctx) {
      refuseSkiplockUnlessRoot(ctx);
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      // synchronous: the answer comes once the drives' storage locks were had (or timed out)
      await ctx.core.withStorageOps(configStorageOps(ctx.core, vm, ctx.params));
      const warnings: string[] = [];
      applyConfigChange(ctx.core, ctx, vm, (l) => warnings.push(l));
      return null;
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: {
      ...configParams,
      background_delay: { type: "integer", optional: true, minimum: 1, maximum: 30 },
    },
    permissions: ANY_CONFIG_PRIVILEGE,
    handler(ctx) {
      refuseSkiplockUnlessRoot(ctx);
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      if (ctx.params.digest && ctx.params.digest !== digestOf(vm.config))
        throw die("checksum mismatch (file change by other user?)");
      if (vm.config.lock && ctx.params.skiplock !== "1")
        throw die(`VM is locked (${vm.config.lock})`);
      return startVmTask(ctx, vm, "qmconfig", {
        faultable: "lock",
        storageOps: configStorageOps(ctx.core, vm, ctx.params),
        run: (log) => applyConfigChange(ctx.core, ctx, vm, log),
      });
    },
  },
];
