import { bool, str, vmid, optional, type ParamSpec } from "../api/param-types.js";
import type { Route } from "../api/route.js";
import { ALL_USERS, check, perm } from "../access/checks.js";
import { die, PveError } from "../http/pve-error.js";
import { usedBytes } from "../model/volumes.js";
import { vmSummary } from "./qemu-lifecycle.js";

export const clusterRoutes: Route[] = [
  {
    method: "GET",
    path: "/version",
    params: {},
    permissions: ALL_USERS,
    // repoid: a real node reports its pve-manager commit (hex); "pve-sim" tells pve-kube's simulated
    // steps they may run here, and can never be reported by a real Proxmox
    handler: () => ({ version: "9.1.1", release: "9.1", repoid: "pve-sim" }),
  },
  {
    method: "GET",
    path: "/cluster/resources",
    params: {
      type: {
        type: "string",
        optional: true,
        enum: ["vm", "storage", "node", "sdn"],
      } satisfies ParamSpec,
    },
    permissions: ALL_USERS,
    handler(ctx) {
      const { core } = ctx;
      const type = ctx.params.type;
      const out: Record<string, unknown>[] = [];
      if (!type || type === "vm") {
        for (const vm of core.state.vms) {
          if (!ctx.has(`/vms/${vm.vmid}`, "VM.Audit")) continue;
          const pool = core.state.pools.find((p) => p.vmids.includes(vm.vmid))?.poolid;
          if (core.isOffline(vm.node)) {
            out.push({
              id: `qemu/${vm.vmid}`,
              type: "qemu",
              vmid: vm.vmid,
              node: vm.node,
              status: "unknown",
              ...(vm.config.name ? { name: vm.config.name } : {}),
              template: vm.config.template === "1" ? 1 : 0,
            });
            continue;
          }
          out.push({
            id: `qemu/${vm.vmid}`,
            type: "qemu",
            node: vm.node,
            template: vm.config.template === "1" ? 1 : 0,
            maxcpu: vmSummary(vm).cpus,
            ...vmSummary(vm),
            ...(pool ? { pool } : {}),
            ...(core.state.ha.some((h) => h.sid === `vm:${vm.vmid}`) ? { hastate: "started" } : {}),
          });
        }
      }
      if (!type || type === "node") {
        for (const node of core.state.nodes) {
          if (!ctx.has(`/nodes/${node.name}`, "Sys.Audit")) continue;
          const online = node.online && !core.isOffline(node.name);
          out.push({
            id: `node/${node.name}`,
            type: "node",
            node: node.name,
            status: online ? "online" : "offline",
            maxcpu: node.maxcpu,
            maxmem: node.maxmem,
            maxdisk: node.maxdisk,
            ...(online
              ? { cpu: 0.05, mem: 8 * 1024 ** 3, disk: 10 * 1024 ** 3, uptime: 86400 }
              : {}),
            level: "",
          });
        }
      }
      if (!type || type === "storage") {
        for (const node of core.state.nodes) {
          for (const s of core.state.storages) {
            if (
              !ctx.has(`/storage/${s.id}`, "Datastore.Audit") &&
              !ctx.has(`/storage/${s.id}`, "Datastore.AllocateSpace")
            )
              continue;
            out.push({
              id: `storage/${node.name}/${s.id}`,
              type: "storage",
              node: node.name,
              storage: s.id,
              plugintype: s.type,
              content: s.content.join(","),
              shared: s.shared ? 1 : 0,
              status: core.isOffline(node.name) ? "unknown" : "available",
              maxdisk: s.total,
              disk: usedBytes(core.state, s, node.name),
            });
          }
        }
      }
      return out;
    },
  },
  {
    method: "GET",
    path: "/cluster/nextid",
    params: { vmid: optional(vmid) },
    permissions: ALL_USERS,
    handler(ctx) {
      const taken = new Set(ctx.core.state.vms.map((v) => v.vmid));
      if (ctx.params.vmid !== undefined) {
        const id = Number(ctx.params.vmid);
        if (taken.has(id))
          throw new PveError(400, "Parameter verification failed.", {
            vmid: `VM ${id} already exists`,
          });
        return String(id);
      }
      let id = 100;
      while (taken.has(id)) id++;
      return String(id);
    },
  },
  {
    method: "GET",
    path: "/cluster/status",
    params: {},
    permissions: check(perm("/", ["Sys.Audit"])),
    handler: (ctx) => [
      {
        id: "cluster",
        type: "cluster",
        name: ctx.core.state.clusterName,
        nodes: ctx.core.state.nodes.length,
        quorate: 1,
        version: 3,
      },
      ...ctx.core.state.nodes.map((n, i) => ({
        id: `node/${n.name}`,
        type: "node",
        name: n.name,
        nodeid: i + 1,
        online: n.online && !ctx.core.isOffline(n.name) ? 1 : 0,
        local: i === 0 ? 1 : 0,
        ip: `10.0.20.${2 + i}`,
        level: "",
      })),
    ],
  },
  {
    method: "GET",
    path: "/cluster/ha/resources",
    params: { type: { type: "string", optional: true, enum: ["ct", "vm"] } satisfies ParamSpec },
    permissions: check(perm("/", ["Sys.Audit"])),
    handler(ctx) {
      return ctx.core.state.ha.map((h) => ({
        sid: h.sid,
        type: "vm",
        state: h.state,
        ...(h.comment ? { comment: h.comment } : {}),
        digest: "0",
      }));
    },
  },
  {
    method: "POST",
    path: "/cluster/ha/resources",
    params: {
      sid: { type: "string", pattern: /^((vm|ct):)?\d+$/ },
      state: {
        type: "string",
        optional: true,
        enum: ["started", "stopped", "enabled", "disabled", "ignored"],
      },
      comment: str,
      max_restart: { type: "integer", optional: true, minimum: 0, maximum: 10 },
      max_relocate: { type: "integer", optional: true, minimum: 0, maximum: 10 },
      failback: bool,
      type: { type: "string", optional: true, enum: ["ct", "vm"] },
      group: str,
    },
    permissions: check(perm("/", ["Sys.Console"])),
    handler(ctx) {
      const raw = ctx.params.sid ?? "";
      const sid = raw.includes(":") ? raw : `vm:${raw}`;
      if (ctx.core.state.ha.some((h) => h.sid === sid))
        throw die(`create resource failed: resource ID '${sid}' already defined`);
      if (!ctx.core.findVm(Number(sid.split(":")[1])))
        throw die(`unable to find VM ${sid.split(":")[1] ?? ""}`);
      ctx.core.state.ha.push({
        sid,
        state: ctx.params.state ?? "started",
        ...(ctx.params.comment ? { comment: ctx.params.comment } : {}),
      });
      return null;
    },
  },
  {
    method: "DELETE",
    path: "/cluster/ha/resources/{sid}",
    params: { sid: { type: "string" }, purge: bool },
    permissions: check(perm("/", ["Sys.Console"])),
    handler(ctx) {
      const raw = ctx.params.sid ?? "";
      const sid = raw.includes(":") ? raw : `vm:${raw}`;
      if (!ctx.core.state.ha.some((h) => h.sid === sid)) throw die(`no such resource '${sid}'`);
      ctx.core.state.ha = ctx.core.state.ha.filter((h) => h.sid !== sid);
      return null;
    },
  },
];
