import { bool, node, str, type ParamSpec } from "../api/param-types.js";
import type { Route } from "../api/route.js";
import { ALL_USERS, check, perm } from "../access/checks.js";
import { PveError } from "../http/pve-error.js";
import { WithExtra } from "../http/respond.js";
import type { Identity } from "../core.js";
import type { SimTask } from "../model/types.js";

const upid: ParamSpec = { type: "string", maxLength: 256 };

/** Proxmox's check_task_user: a token owns only its own tasks, a user also those of its tokens. */
function ownsTask(task: SimTask, who: Identity): boolean {
  const caller = who.tokenid ?? who.userid;
  if (task.tokenid) return caller === `${task.user}!${task.tokenid}` || caller === task.user;
  return caller === task.user;
}

/** Someone else's task needs `privilege` on its node (Sys.Audit to read, Sys.Modify to stop). */
function findTask(
  ctx: Parameters<Route["handler"]>[0],
  privilege: "Sys.Audit" | "Sys.Modify" = "Sys.Audit",
) {
  const task = ctx.core.state.tasks.find(
    (t) => t.upid === ctx.params.upid && t.node === ctx.params.node,
  );
  if (!task) throw new PveError(400, "Parameter verification failed.", { upid: "no such task" });
  if (!ownsTask(task, ctx.who)) ctx.require(`/nodes/${task.node}`, privilege);
  return task;
}

export const nodeRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes",
    params: {},
    permissions: ALL_USERS,
    handler: (ctx) =>
      ctx.core.state.nodes.map((n) => {
        const online = n.online && !ctx.core.isOffline(n.name);
        return {
          id: `node/${n.name}`,
          type: "node",
          node: n.name,
          status: online ? "online" : "offline",
          ...(online
            ? {
                cpu: 0.05,
                maxcpu: n.maxcpu,
                mem: 8 * 1024 ** 3,
                maxmem: n.maxmem,
                disk: 10 * 1024 ** 3,
                maxdisk: n.maxdisk,
                uptime: 86400,
              }
            : {}),
          level: "",
          ssl_fingerprint: ctx.core.certFingerprint,
        };
      }),
  },
  {
    method: "GET",
    path: "/nodes/{node}/status",
    params: { node },
    proxied: true,
    permissions: check(perm("/nodes/{node}", ["Sys.Audit"])),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      return {
        cpu: 0.05,
        cpuinfo: {
          cpus: n.maxcpu,
          cores: n.maxcpu / 2,
          sockets: 1,
          model: "pve-sim virtual CPU",
          mhz: "2400.000",
          hvm: "1",
        },
        memory: { total: n.maxmem, used: 8 * 1024 ** 3, free: n.maxmem - 8 * 1024 ** 3 },
        rootfs: {
          total: n.maxdisk,
          used: 10 * 1024 ** 3,
          avail: n.maxdisk - 10 * 1024 ** 3,
          free: n.maxdisk - 10 * 1024 ** 3,
        },
        uptime: 86400,
        pveversion: "pve-manager/9.1.1/42f0a1c6d3e59b27",
        kversion: "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 x86_64",
        loadavg: ["0.10", "0.12", "0.09"],
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/network",
    params: {
      node,
      type: {
        type: "string",
        optional: true,
        enum: [
          "bridge",
          "bond",
          "eth",
          "alias",
          "vlan",
          "fabric",
          "OVSBridge",
          "OVSBond",
          "OVSPort",
          "OVSIntPort",
          "vnet",
          "any_bridge",
          "any_local_bridge",
          "include_sdn",
        ],
      },
    },
    proxied: true,
    // Proxmox lets every authenticated user list a node's interfaces
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const type = ctx.params.type;
      const bridges = n.bridges.map((b) => ({
        iface: b.iface,
        type: "bridge",
        active: 1,
        autostart: 1,
        bridge_ports: "eno1",
        bridge_stp: "off",
        bridge_fd: "0",
        ...(b.vlanAware ? { bridge_vlan_aware: 1 } : {}),
        ...(b.cidr
          ? {
              cidr: b.cidr,
              address: b.cidr.split("/")[0],
              netmask: b.cidr.split("/")[1],
              method: "static",
            }
          : { method: "manual" }),
        families: ["inet"],
        priority: 3,
      }));
      const eth = [
        {
          iface: "eno1",
          type: "eth",
          active: 1,
          autostart: 0,
          method: "manual",
          families: ["inet"],
          priority: 1,
        },
      ];
      if (type === "bridge" || type === "any_bridge" || type === "any_local_bridge") return bridges;
      if (type === "eth") return eth;
      return [...eth, ...bridges];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks",
    permissions: ALL_USERS,
    params: {
      node,
      errors: bool,
      limit: { type: "integer", optional: true, minimum: 0 },
      start: { type: "integer", optional: true, minimum: 0 },
      userfilter: str,
      typefilter: str,
      vmid: { type: "integer", optional: true, minimum: 100 },
      source: { type: "string", optional: true, enum: ["archive", "active", "all"] },
      since: { type: "integer", optional: true },
      until: { type: "integer", optional: true },
      statusfilter: str,
    },
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const p = ctx.params;
      let tasks = ctx.core.state.tasks.filter((t) => t.node === n.name);
      if (!ctx.has(`/nodes/${n.name}`, "Sys.Audit"))
        tasks = tasks.filter((t) => ownsTask(t, ctx.who));
      if (p.typefilter) tasks = tasks.filter((t) => t.type === p.typefilter);
      if (p.vmid) tasks = tasks.filter((t) => t.id === p.vmid);
      if (p.errors === "1") tasks = tasks.filter((t) => t.exitstatus && t.exitstatus !== "OK");
      if (p.source === "active") tasks = tasks.filter((t) => t.status === "running");
      const start = Number(p.start ?? 0);
      const limit = Number(p.limit ?? 50);
      return [...tasks]
        .reverse()
        .slice(start, start + limit)
        .map((t) => ({
          upid: t.upid,
          node: t.node,
          pid: t.pid,
          pstart: t.pstart,
          starttime: t.starttime,
          type: t.type,
          id: t.id,
          user: t.user,
          ...(t.endtime ? { endtime: t.endtime, status: t.exitstatus } : {}),
        }));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/status",
    params: { node, upid },
    permissions: ALL_USERS,
    handler(ctx) {
      const t = findTask(ctx);
      return {
        upid: t.upid,
        node: t.node,
        pid: t.pid,
        pstart: t.pstart,
        starttime: t.starttime,
        type: t.type,
        id: t.id,
        user: t.user,
        ...(t.tokenid ? { tokenid: t.tokenid } : {}),
        status: t.status,
        ...(t.status === "stopped" ? { exitstatus: t.exitstatus } : {}),
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/log",
    permissions: ALL_USERS,
    params: {
      node,
      upid,
      start: { type: "integer", optional: true, minimum: 0 },
      limit: { type: "integer", optional: true, minimum: 0 },
      download: bool,
    },
    handler(ctx) {
      const t = findTask(ctx);
      const start = Number(ctx.params.start ?? 0);
      const limit = Number(ctx.params.limit ?? 50);
      const lines = t.log.length ? t.log : ["no content"];
      return new WithExtra(
        lines.slice(start, start + limit).map((text, i) => ({ n: start + i + 1, t: text })),
        { total: lines.length },
      );
    },
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/tasks/{upid}",
    params: { node, upid },
    permissions: ALL_USERS,
    handler(ctx) {
      const t = findTask(ctx, "Sys.Modify");
      if (t.status === "running") {
        t.status = "stopped";
        t.endedMs = Date.now();
        t.endtime = Math.floor(t.endedMs / 1000);
        t.log.push("received interrupt", "TASK ERROR: interrupted by signal");
        t.exitstatus = "interrupted by signal";
      }
      return null;
    },
  },
];
