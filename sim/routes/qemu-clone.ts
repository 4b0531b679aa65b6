import { DISK_KEY } from "../api/qemu-params.js";
import { bool, node, optional, storageId, str, vmid, type ParamSpec } from "../api/param-types.js";
import { and, check, or, perm } from "../access/checks.js";
import type { Route } from "../api/route.js";
import { TASK_DURATIONS_MS } from "../core.js";
import { die, PveError } from "../http/pve-error.js";
import type { SimVm, SimVolume } from "../model/types.js";
import {
  cloudinitVolid,
  findVolume,
  formatSize,
  newDiskVolid,
  parseSize,
  storageOf,
  addVolume,
} from "../model/volumes.js";
import { joinDisk, newSmbios, splitDisk, withMac } from "../model/vm-config.js";
import { startVmTask } from "./vm-task.js";
import type { StorageOp } from "../core.js";
import { STORAGE_LOCK_HOLD_MS, storageLockName } from "../model/storage-lock.js";
import { refuseSkiplockUnlessRoot } from "./skiplock.js";

const GiB = 1024 ** 3;
/** qemu-server's CLOUDINIT_DISK_SIZE */
const CLOUDINIT_DISK_SIZE = 4 * 1024 ** 2;
const bus = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name}${i}`);
const RESIZABLE_DISKS = [
  ...bus("ide", 4),
  ...bus("sata", 6),
  ...bus("scsi", 31),
  ...bus("virtio", 16),
  "efidisk0",
  "tpmstate0",
];

function diskEntries(vm: SimVm): [string, string][] {
  return Object.entries(vm.config).filter(
    ([k, v]) =>
      DISK_KEY.test(k) &&
      !k.startsWith("unused") &&
      v !== "none" &&
      !/^(none|cdrom)(,|$)/.test(v) &&
      !(v.includes("media=cdrom") && !v.includes("cloudinit")),
  );
}

function linkedVolid(base: SimVolume, newid: number, n: number, fileBased: boolean): string {
  const baseName = base.volid.split(":")[1] ?? "";
  if (!fileBased) return `${base.storage}:${baseName}/vm-${newid}-disk-${n}`;
  return `${base.storage}:${baseName}/${newid}/vm-${newid}-disk-${n}.qcow2`;
}

export const qemuCloneRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/clone",
    params: {
      node,
      vmid,
      newid: vmid,
      name: str,
      description: str,
      pool: str,
      full: bool,
      storage: optional(storageId),
      format: {
        type: "string",
        optional: true,
        enum: ["raw", "qcow2", "vmdk"],
      } satisfies ParamSpec,
      target: optional(node),
      snapname: str,
      bwlimit: { type: "integer", optional: true, minimum: 0 },
    },
    proxied: true,
    // VM.Clone on the source and VM.Allocate on the new VM or its pool; storage rights in the handler
    permissions: check(
      and(
        perm("/vms/{vmid}", ["VM.Clone"]),
        or(
          perm("/vms/{newid}", ["VM.Allocate"]),
          perm("/pool/{pool}", ["VM.Allocate"], { requireParam: "pool" }),
        ),
      ),
    ),
    handler(ctx) {
      const { core, params: p } = ctx;
      const source = core.vm(p.node ?? "", Number(p.vmid));
      const newid = Number(p.newid);
      const targetNode = p.target ?? source.node;
      if (p.storage) ctx.require(`/storage/${p.storage}`, "Datastore.AllocateSpace");
      if (p.storage && !storageOf(core.state, p.storage).content.includes("images")) {
        throw new PveError(400, "Parameter verification failed.", {
          storage: `storage '${p.storage}' does not support vm images`,
        });
      }
      // qemu-server checks the pool before it clones anything (check_pool_exist)
      if (p.pool && !core.state.pools.some((x) => x.poolid === p.pool))
        throw die(`pool '${p.pool}' does not exist`);
      core.node(targetNode);
      const isTemplate = source.config.template === "1";
      const full = p.full !== undefined ? p.full === "1" : !isTemplate;
      if (!full && (p.storage || p.format))
        throw die(`parameter '${p.storage ? "storage" : "format"}' not allowed for linked clones`);
      const disks = diskEntries(source);
      if (!full) {
        for (const [key, value] of disks) {
          if (!value.includes("cloudinit") && !isTemplate)
            throw die(
              `Linked clone feature is not supported for '${splitDisk(value).file}' (${key})`,
            );
        }
      }
      if (targetNode !== source.node) {
        for (const [, value] of disks) {
          const storage = storageOf(core.state, splitDisk(value).file.split(":")[0] ?? "");
          if (!storage.shared && !(full && p.storage && storageOf(core.state, p.storage).shared)) {
            throw die(`can't clone VM to node '${targetNode}' (VM uses local storage)`);
          }
        }
      }
      const existing = core.findVm(newid);
      if (existing)
        throw die(
          existing.node === targetNode
            ? `unable to create VM ${newid}: config file already exists`
            : `unable to create VM ${newid} - VM ${newid} already exists on node '${existing.node}'`,
        );
      const clone: SimVm = {
        vmid: newid,
        node: targetNode,
        config: { lock: "clone" },
        pending: {},
        pendingDelete: [],
        status: "stopped",
      };
      core.state.vms.push(clone);
      const totalGiB =
        disks.reduce((n, [, v]) => n + (parseSize(splitDisk(v).opts.size ?? "0") ?? 0), 0) / GiB;
      const duration = full
        ? (TASK_DURATIONS_MS.qmclonefull ?? 10000) + 1000 * totalGiB
        : (TASK_DURATIONS_MS.qmclone ?? 2000);
      // each drive is cloned under its storage's lock: a linked clone's snapshot of the base disk,
      // a full clone's and the cloud-init drive's allocation (the copy itself runs unlocked)
      const storageOps: StorageOp[] = [];
      for (const [, value] of [...disks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const base = findVolume(core.state, splitDisk(value).file, source.node);
        if (!base) continue;
        const storage = storageOf(core.state, full ? (p.storage ?? base.storage) : base.storage);
        const linked = !full && !value.includes("cloudinit");
        storageOps.push({
          lock: storageLockName(storage, targetNode),
          holdMs: linked ? STORAGE_LOCK_HOLD_MS.linkedClone : STORAGE_LOCK_HOLD_MS.alloc,
        });
      }
      return startVmTask(ctx, source, "qmclone", {
        durationMs: duration,
        faultable: "lock",
        storageOps,
        storageErrorPrefix: "clone failed: ",
        run(log) {
          const config: Record<string, string> = {};
          for (const [key, value] of Object.entries(source.config)) {
            if (
              key === "template" ||
              key === "lock" ||
              key.startsWith("unused") ||
              key === "parent"
            )
              continue;
            config[key] = value;
          }
          for (const key of Object.keys(config))
            if (/^net\d+$/.test(key)) config[key] = withMac(core, config[key] ?? "", true);
          config.smbios1 = newSmbios();
          if (config.vmgenid) config.vmgenid = crypto.randomUUID();
          config.name = p.name ?? `Copy-of-VM-${source.config.name ?? source.vmid}`;
          if (p.description !== undefined) config.description = p.description;
          let n = 0;
          // qemu-server clones the drives in sorted key order (efidisk0, ide2, scsi0, …)
          for (const [key, value] of [...disks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            const { file, opts } = splitDisk(value);
            const base = findVolume(core.state, file, source.node);
            if (!base) throw new Error(`clone failed: volume '${file}' does not exist`);
            const cloudinit = value.includes("cloudinit");
            // a cloud-init drive is never linked: clone_disk allocates a fresh vm-<newid>-cloudinit
            // (on `storage` for a full clone) and copies nothing, the drive is regenerated at start
            const copy = full || cloudinit;
            const storage = storageOf(
              core.state,
              full ? (p.storage ?? base.storage) : base.storage,
            );
            const nodeOf = storage.shared ? {} : { node: targetNode };
            log(`create ${copy ? "full" : "linked"} clone of drive ${key} (${file})`);
            if (cloudinit) {
              const volid = cloudinitVolid(storage, newid);
              addVolume(core.state, {
                volid,
                storage: storage.id,
                ...nodeOf,
                vmid: newid,
                content: "images",
                format: storage.fileBased ? "qcow2" : "raw",
                size: CLOUDINIT_DISK_SIZE,
              });
              log(`allocated target volume '${volid}'`);
              config[key] = joinDisk(volid, opts);
              continue;
            }
            const volid = full
              ? newDiskVolid(core.state, storage, targetNode, newid)
              : linkedVolid(base, newid, n, storage.fileBased);
            n++;
            addVolume(core.state, {
              volid,
              storage: storage.id,
              ...nodeOf,
              vmid: newid,
              content: "images",
              format: p.format ?? base.format,
              size: base.size,
              ...(full ? {} : { parent: base.volid }),
              // with guests both kinds of clone boot from the same read-only image (below an overlay)
              ...(base.hostPath ? { hostPath: base.hostPath } : {}),
            });
            config[key] = joinDisk(volid, { ...opts, size: formatSize(base.size) });
            if (full) {
              log(`allocated target volume '${volid}'`);
              log(`transferred ${formatSize(base.size)} of ${formatSize(base.size)} (100.00%)`);
            }
          }
          clone.config = config;
          if (p.pool) core.state.pools.find((x) => x.poolid === p.pool)?.vmids.push(newid);
        },
        onFail() {
          core.state.volumes = core.state.volumes.filter((v) => v.vmid !== newid);
          core.state.vms = core.state.vms.filter((v) => v !== clone);
        },
      });
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/template",
    params: { node, vmid, disk: str },
    proxied: true,
    permissions: check(perm("/vms/{vmid}", ["VM.Allocate"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.lock) throw die(`VM is locked (${vm.config.lock})`);
      if (vm.config.template === "1") throw die("you can't convert a template to a template");
      if (vm.status === "running") throw die("you can't convert a VM to template if VM is running");
      return startVmTask(ctx, vm, "qmtemplate", {
        run() {
          for (const [key, value] of diskEntries(vm)) {
            if (value.includes("cloudinit")) continue;
            const { file, opts } = splitDisk(value);
            const volume = findVolume(core.state, file, vm.node);
            if (!volume) continue;
            const renamed = file.replace(`vm-${vm.vmid}-disk-`, `base-${vm.vmid}-disk-`);
            volume.volid = renamed;
            vm.config[key] = joinDisk(renamed, opts);
          }
          vm.config.template = "1";
        },
      });
    },
  },
  {
    method: "PUT",
    path: "/nodes/{node}/qemu/{vmid}/resize",
    params: {
      node,
      vmid,
      disk: { type: "string", enum: RESIZABLE_DISKS },
      size: { type: "string", pattern: /^\+?\d+(\.\d+)?[KMGT]?$/ },
      digest: str,
      skiplock: bool,
    },
    permissions: check(perm("/vms/{vmid}", ["VM.Config.Disk"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      refuseSkiplockUnlessRoot(ctx);
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.lock && p.skiplock !== "1") throw die(`VM is locked (${vm.config.lock})`);
      const key = p.disk ?? "";
      return startVmTask(ctx, vm, "resize", {
        run() {
          const value = vm.config[key];
          if (!value) throw new Error(`disk '${key}' does not exist`);
          if (value.includes("media=cdrom")) throw new Error("you can't resize a cdrom");
          const { file, opts } = splitDisk(value);
          const volume = findVolume(core.state, file, vm.node);
          const current = volume?.size ?? parseSize(opts.size ?? "0") ?? 0;
          const text = p.size ?? "";
          const amount = parseSize(text.replace(/^\+/, "")) ?? 0;
          const wanted = text.startsWith("+") ? current + amount : amount;
          if (wanted < current) throw new Error("shrinking disks is not supported");
          if (volume) volume.size = wanted;
          vm.config[key] = joinDisk(file, { ...opts, size: formatSize(wanted) });
        },
      });
    },
  },
];
