import { check, perm } from "../access/checks.js";
import { DISK_KEY } from "../api/qemu-params.js";
import { bool, node, optional, storageId, vmid } from "../api/param-types.js";
import type { Route } from "../api/route.js";
import { TASK_DURATIONS_MS } from "../core.js";
import { die } from "../http/pve-error.js";
import type { SimState, SimVm } from "../model/types.js";
import { findVolume, formatSize, newDiskVolid, storageOf } from "../model/volumes.js";
import { joinDisk, splitDisk } from "../model/vm-config.js";
import { startVmTask } from "./vm-task.js";

const GiB = 1024 ** 3;

/** The disks of a VM that live on storage local to its node — the ones a migration copies. */
function localDisks(state: SimState, vm: SimVm): [key: string, value: string][] {
  return Object.entries(vm.config).filter(([key, value]) => {
    if (!DISK_KEY.test(key) || key.startsWith("unused") || /^(none|cdrom)(,|$)/.test(value))
      return false;
    const file = splitDisk(value).file;
    if (!file.includes(":")) return false;
    return !storageOf(state, file.split(":")[0] ?? "").shared;
  });
}

/**
 * Offline migration (`qm migrate <vmid> <target>`): the bpg provider uses it to place a clone of
 * a template on local storage onto another node (clone on the template's node, then migrate).
 * Local disks are copied; a linked clone arrives as a full volume, since its base image stays
 * behind on the source node.
 */
export const qemuMigrateRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/migrate",
    params: {
      node,
      vmid,
      target: node,
      online: bool,
      force: bool,
      "with-local-disks": bool,
      targetstorage: optional(storageId),
      bwlimit: { type: "integer", optional: true, minimum: 0 },
    },
    permissions: check(perm("/vms/{vmid}", ["VM.Migrate"])),
    proxied: true,
    handler(ctx) {
      const { core, params: p } = ctx;
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      ctx.require(`/vms/${vm.vmid}`, "VM.Migrate");
      const target = p.target ?? "";
      if (target === vm.node) throw die("target is local node.");
      core.node(target);
      if (vm.config.lock) throw die(`VM is locked (${vm.config.lock})`);
      if (vm.status === "running" && p.online !== "1")
        throw die("can't migrate running VM without --online");
      const targetStorage = p.targetstorage ? storageOf(core.state, p.targetstorage) : undefined;
      if (targetStorage) ctx.require(`/storage/${targetStorage.id}`, "Datastore.AllocateSpace");
      const disks = localDisks(core.state, vm);
      const bytes = disks.reduce(
        (n, [, value]) => n + (findVolume(core.state, splitDisk(value).file, vm.node)?.size ?? 0),
        0,
      );
      const source = vm.node;
      vm.config.lock = "migrate";
      // the task runs on the source node: read it before the VM moves
      return startVmTask(ctx, { node: source, vmid: vm.vmid }, "qmigrate", {
        durationMs: (TASK_DURATIONS_MS.qmigrate ?? 3000) + (1000 * bytes) / GiB / 4,
        faultable: "lock",
        startLog: [
          `starting migration of VM ${vm.vmid} to node '${target}'`,
          ...disks.map(([key, value]) => `found local disk '${splitDisk(value).file}' (${key})`),
        ],
        run(log) {
          for (const [key, value] of disks) {
            const { file, opts } = splitDisk(value);
            const volume = findVolume(core.state, file, source);
            if (!volume) throw new Error(`migration aborted: volume '${file}' does not exist`);
            const storage = targetStorage ?? storageOf(core.state, volume.storage);
            // the volume keeps its own name (a linked clone's loses its base-…/ prefix) unless taken
            const leaf = file.split(/[:/]/).pop() ?? "";
            const sameName = storage.fileBased
              ? `${storage.id}:${vm.vmid}/${leaf}`
              : `${storage.id}:${leaf}`;
            const taken = core.state.volumes.some(
              (v) => v.volid === sameName && (storage.shared || v.node === target),
            );
            const moved = taken ? newDiskVolid(core.state, storage, target, vm.vmid) : sameName;
            volume.volid = moved;
            volume.storage = storage.id;
            volume.node = target;
            delete volume.parent;
            vm.config[key] = joinDisk(moved, opts);
            log(
              `copying local disk '${file}' to '${moved}' on ${target}: transferred ${formatSize(volume.size)}`,
            );
          }
          vm.node = target;
          delete vm.config.lock;
          log("migration finished successfully");
        },
        onFail() {
          delete vm.config.lock;
        },
      });
    },
  },
];
