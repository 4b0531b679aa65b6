import { DISK_KEY, qemuConfigParams } from "../api/qemu-params.js";
import { bool, node, str, vmid, type ParamSpecs } from "../api/param-types.js";
import { ALL_USERS, check, perm } from "../access/checks.js";
import type { Route } from "../api/route.js";
import { die } from "../http/pve-error.js";
import type { SimVm } from "../model/types.js";
import {
  allocateDrive,
  diskSize,
  newSmbios,
  normaliseTags,
  splitDisk,
  withMac,
} from "../model/vm-config.js";
import { removeVolume } from "../model/volumes.js";
import { requireDriveStorage } from "./qemu-config.js";
import { startVmTask } from "./vm-task.js";
import { refuseSkiplockUnlessRoot } from "./skiplock.js";

const createParams: ParamSpecs = {
  node,
  vmid,
  ...qemuConfigParams,
  pool: str,
  start: bool,
  unique: bool,
  storage: str,
  archive: str,
  force: bool,
  "live-restore": bool,
  bwlimit: { type: "integer", optional: true, minimum: 0 },
  "import-working-storage": str,
};
delete createParams.delete;

export function vmSummary(vm: SimVm) {
  const maxdisk = Object.entries(vm.config)
    .filter(([k, v]) => DISK_KEY.test(k) && !k.startsWith("unused") && !v.includes("media=cdrom"))
    .reduce((n, [, v]) => n + (diskSize(v) ?? 0), 0);
  const memory = Number((vm.config.memory ?? "512").replace(/^current=/, ""));
  return {
    vmid: vm.vmid,
    name: vm.config.name ?? `VM ${vm.vmid}`,
    status: vm.status,
    maxmem: memory * 1024 * 1024,
    maxdisk,
    cpus: Number(vm.config.cores ?? 1) * Number(vm.config.sockets ?? 1),
    uptime: vm.startedAt ? Math.floor((Date.now() - vm.startedAt) / 1000) : 0,
    mem: vm.status === "running" ? Math.floor(memory * 1024 * 1024 * 0.4) : 0,
    cpu: vm.status === "running" ? 0.02 : 0,
    disk: 0,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
    ...(vm.config.template === "1" ? { template: 1 } : {}),
    ...(vm.config.tags ? { tags: vm.config.tags } : {}),
    ...(vm.config.lock ? { lock: vm.config.lock } : {}),
  };
}

export const qemuLifecycleRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu",
    params: { node, full: bool },
    // the list holds only VMs with VM.Audit
    permissions: ALL_USERS,
    handler(ctx) {
      const nodeName = ctx.params.node ?? "";
      ctx.core.node(nodeName);
      return ctx.core.state.vms
        .filter((v) => v.node === nodeName && ctx.has(`/vms/${v.vmid}`, "VM.Audit"))
        .map(vmSummary);
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}",
    params: { node, vmid },
    permissions: ALL_USERS,
    handler(ctx) {
      ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      return [
        "config",
        "pending",
        "status",
        "agent",
        "clone",
        "template",
        "resize",
        "cloudinit",
      ].map((subdir) => ({ subdir }));
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu",
    params: createParams,
    // VM.Allocate, storage and SDN rights are checked in the handler, as Proxmox does
    permissions: ALL_USERS,
    handler(ctx) {
      const { core, params: p } = ctx;
      const nodeName = p.node ?? "";
      core.node(nodeName);
      const id = Number(p.vmid);
      ctx.require(p.pool ? `/pool/${p.pool}` : `/vms/${id}`, "VM.Allocate");
      for (const [k, v] of Object.entries(p)) {
        if (DISK_KEY.test(k)) requireDriveStorage(ctx, v);
        if (/^net\d+$/.test(k)) {
          const bridge = /bridge=([^,]+)/.exec(v)?.[1];
          if (bridge) ctx.require(`/sdn/zones/localnetwork/${bridge}`, "SDN.Use");
        }
      }
      const existing = core.findVm(id);
      if (existing)
        throw die(`unable to create VM ${id} - VM ${id} already exists on node '${existing.node}'`);
      if (p.pool && !core.state.pools.some((x) => x.poolid === p.pool))
        throw die(`no such pool '${p.pool}'`);
      const vm: SimVm = {
        vmid: id,
        node: nodeName,
        config: { lock: "create" },
        pending: {},
        pendingDelete: [],
        status: "stopped",
      };
      core.state.vms.push(vm);
      const skip = new Set([
        "node",
        "vmid",
        "pool",
        "start",
        "unique",
        "storage",
        "archive",
        "force",
        "live-restore",
        "bwlimit",
        "import-working-storage",
      ]);
      const options = Object.entries(p).filter(([k]) => !skip.has(k));
      const hasImport = options.some(([, v]) => v.includes("import-from="));
      return startVmTask(ctx, { node: nodeName, vmid: id }, "qmcreate", {
        // without an import the create only writes a config file
        durationMs: hasImport ? undefined : 1000,
        faultable: "storage",
        run(log) {
          const config: Record<string, string> = {};
          for (const [key, raw] of options) {
            let value = raw;
            if (key === "tags") value = normaliseTags(raw);
            if (/^net\d+$/.test(key)) value = withMac(core, raw);
            if (DISK_KEY.test(key)) value = allocateDrive(core, vm, key, raw, log);
            config[key] = value;
          }
          config.smbios1 ??= newSmbios();
          config.vmgenid ??= crypto.randomUUID();
          config.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
          vm.config = config;
          if (p.pool) core.state.pools.find((x) => x.poolid === p.pool)?.vmids.push(id);
          if (p.start === "1") {
            vm.status = "running";
            vm.startedAt = Date.now();
          }
        },
        onFail() {
          core.state.volumes = core.state.volumes.filter((v) => v.vmid !== id);
          core.state.vms = core.state.vms.filter((v) => v !== vm);
        },
      });
    },
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/qemu/{vmid}",
    params: { node, vmid, purge: bool, "destroy-unreferenced-disks": bool, skiplock: bool },
    proxied: true,
    permissions: check(perm("/vms/{vmid}", ["VM.Allocate"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      refuseSkiplockUnlessRoot(ctx);
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.protection === "1")
        throw die(`can't remove VM ${vm.vmid} - protection mode enabled`);
      const sid = `vm:${vm.vmid}`;
      if (core.state.ha.some((h) => h.sid === sid) && p.purge !== "1")
        throw die(
          `unable to remove VM ${vm.vmid} - used in HA resources and purge parameter not set.`,
        );
      if (vm.status === "running") throw die(`VM ${vm.vmid} is running - destroy failed`);
      return startVmTask(ctx, vm, "qmdestroy", {
        faultable: "lock",
        async run(log) {
          if (vm.config.lock && p.skiplock !== "1")
            throw new Error(`VM is locked (${vm.config.lock})`);
          const own = Object.entries(vm.config)
            .filter(([k]) => DISK_KEY.test(k))
            .map(([, v]) => splitDisk(v).file);
          const volumes = core.state.volumes.filter(
            (v) => v.vmid === vm.vmid && (v.node === undefined || v.node === vm.node),
          );
          for (const volume of volumes) {
            const clones = core.state.volumes.filter((v) => v.parent === volume.volid);
            if (clones.length > 0)
              throw new Error(`base volume '${volume.volid}' is still in use by linked cloned VM`);
          }
          for (const volume of volumes) {
            if (own.includes(volume.volid) || p["destroy-unreferenced-disks"] !== "0") {
              removeVolume(core.state, volume.volid, vm.node);
              log(`Removing image: 100% complete...done.`);
            }
          }
          // with guests: the VM's disk layer (overlay upper dir, /var/lib/containerd) goes too
          await core.guests?.destroy(vm.vmid);
          core.state.vms = core.state.vms.filter((v) => v !== vm);
          for (const pool of core.state.pools)
            pool.vmids = pool.vmids.filter((id) => id !== vm.vmid);
          core.state.acls = core.state.acls.filter((a) => a.path !== `/vms/${vm.vmid}`);
          if (p.purge === "1") core.state.ha = core.state.ha.filter((h) => h.sid !== sid);
        },
      });
    },
  },
];
