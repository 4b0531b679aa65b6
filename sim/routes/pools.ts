import { bool, str, type ParamSpec } from "../api/param-types.js";
import { ALL_USERS, check, perm } from "../access/checks.js";
import type { Route, RouteContext } from "../api/route.js";
import { die } from "../http/pve-error.js";

const poolid: ParamSpec = { type: "string", pattern: /^[A-Za-z0-9_-]+$/ };

function pool(ctx: RouteContext, id: string) {
  const p = ctx.core.state.pools.find((x) => x.poolid === id);
  if (!p) throw die(`pool '${id}' does not exist`);
  return p;
}

function members(ctx: RouteContext, id: string) {
  const p = pool(ctx, id);
  return {
    poolid: p.poolid,
    ...(p.comment ? { comment: p.comment } : {}),
    members: [
      ...p.vmids.map((vmid) => {
        const vm = ctx.core.findVm(vmid);
        return {
          id: `qemu/${vmid}`,
          type: "qemu",
          vmid,
          node: vm?.node ?? "",
          name: vm?.config.name ?? "",
          status: vm?.status ?? "unknown",
          template: vm?.config.template === "1" ? 1 : 0,
        };
      }),
      ...p.storages.map((s) => ({
        id: `storage/${ctx.core.state.nodes[0]?.name ?? ""}/${s}`,
        type: "storage",
        storage: s,
      })),
    ],
  };
}

function update(ctx: RouteContext, id: string): null {
  const p = pool(ctx, id);
  if (ctx.params.comment !== undefined) p.comment = ctx.params.comment;
  const remove = ctx.params.delete === "1";
  for (const vmid of (ctx.params.vms ?? "")
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number)) {
    if (remove) p.vmids = p.vmids.filter((v) => v !== vmid);
    else {
      if (!ctx.core.findVm(vmid)) throw die(`VM ${vmid} does not exist`);
      const other = ctx.core.state.pools.find((x) => x !== p && x.vmids.includes(vmid));
      if (other && ctx.params["allow-move"] !== "1")
        throw die(`VM ${vmid} belongs already to pool '${other.poolid}'`);
      if (other) other.vmids = other.vmids.filter((v) => v !== vmid);
      if (!p.vmids.includes(vmid)) p.vmids.push(vmid);
    }
  }
  for (const s of (ctx.params.storage ?? "").split(/[,;\s]+/).filter(Boolean)) {
    p.storages = remove ? p.storages.filter((x) => x !== s) : [...new Set([...p.storages, s])];
  }
  return null;
}

/** Both the query form (DELETE /pools?poolid=) and the legacy path form remove an empty pool. */
function removePool(ctx: RouteContext): null {
  const p = pool(ctx, ctx.params.poolid ?? "");
  if (p.vmids.length || p.storages.length) throw die("pool is not empty");
  ctx.core.state.pools = ctx.core.state.pools.filter((x) => x !== p);
  return null;
}

const updateParams = { comment: str, vms: str, storage: str, delete: bool, "allow-move": bool };

const POOL_ALLOCATE = check(perm("/pool/{poolid}", ["Pool.Allocate"]));

export const poolRoutes: Route[] = [
  {
    method: "GET",
    path: "/pools",
    params: {
      poolid: { ...poolid, optional: true },
      type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] },
    },
    // filtered by Pool.Audit; with poolid, Proxmox (9.1) shows the pool without checking
    permissions: ALL_USERS,
    handler(ctx) {
      const list = ctx.core.state.pools.filter((p) => ctx.has(`/pool/${p.poolid}`, "Pool.Audit"));
      if (ctx.params.poolid) {
        const m = members(ctx, ctx.params.poolid);
        return [
          {
            ...m,
            members: m.members.filter((x) => !ctx.params.type || x.type === ctx.params.type),
          },
        ];
      }
      return list.map((p) => ({ poolid: p.poolid, ...(p.comment ? { comment: p.comment } : {}) }));
    },
  },
  {
    method: "POST",
    path: "/pools",
    params: { poolid, comment: str },
    permissions: POOL_ALLOCATE,
    handler(ctx) {
      if (ctx.core.state.pools.some((p) => p.poolid === ctx.params.poolid))
        throw die(`pool '${ctx.params.poolid ?? ""}' already exists`);
      ctx.core.state.pools.push({
        poolid: ctx.params.poolid ?? "",
        ...(ctx.params.comment ? { comment: ctx.params.comment } : {}),
        vmids: [],
        storages: [],
      });
      return null;
    },
  },
  {
    method: "PUT",
    path: "/pools",
    params: { poolid, ...updateParams },
    permissions: POOL_ALLOCATE,
    handler: (ctx) => update(ctx, ctx.params.poolid ?? ""),
  },
  {
    method: "DELETE",
    path: "/pools",
    params: { poolid },
    permissions: POOL_ALLOCATE,
    handler: removePool,
  },
  {
    method: "GET",
    path: "/pools/{poolid}",
    params: { poolid, type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] } },
    permissions: check(perm("/pool/{poolid}", ["Pool.Audit"])),
    handler: (ctx) => members(ctx, ctx.params.poolid ?? ""),
  },
  {
    method: "PUT",
    path: "/pools/{poolid}",
    params: { poolid, ...updateParams },
    permissions: POOL_ALLOCATE,
    handler: (ctx) => update(ctx, ctx.params.poolid ?? ""),
  },
  {
    method: "DELETE",
    path: "/pools/{poolid}",
    params: { poolid },
    permissions: POOL_ALLOCATE,
    handler: removePool,
  },
];
