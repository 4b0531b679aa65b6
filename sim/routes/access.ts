import { randomUUID } from "node:crypto";
import { bool, str, type ParamSpec } from "../api/param-types.js";
import type { Route, RouteContext } from "../api/route.js";
import { effectivePrivileges } from "../access/privileges.js";
import { die, PveError } from "../http/pve-error.js";

const userid: ParamSpec = { type: "string", pattern: /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+$/, format: "pve-userid" };
const tokenid: ParamSpec = { type: "string", pattern: /^[A-Za-z][A-Za-z0-9.\-_]+$/, format: "pve-tokenid" };

function userOf(ctx: RouteContext, id: string) {
  const user = ctx.core.state.users.find((u) => u.userid === id);
  if (!user) throw die(`no such user ('${id}')`);
  return user;
}

/** Every path the caller's privileges could differ on. */
function knownPaths(ctx: RouteContext): string[] {
  const s = ctx.core.state;
  return ["/", "/access", "/nodes", "/pool", "/sdn", "/storage", "/vms", ...s.nodes.map((n) => `/nodes/${n.name}`), ...s.storages.map((x) => `/storage/${x.id}`), ...s.pools.map((p) => `/pool/${p.poolid}`), ...s.vms.map((v) => `/vms/${v.vmid}`), ...s.acls.map((a) => a.path)];
}

export const accessRoutes: Route[] = [
  { method: "GET", path: "/access/ticket", params: {}, public: true, handler: () => null },
  {
    method: "POST",
    path: "/access/ticket",
    params: { username: { type: "string", maxLength: 64 }, password: { type: "string" }, realm: str, otp: str, path: str, privs: str, "new-format": bool, "tfa-challenge": str },
    public: true,
    handler(ctx) {
      const name = ctx.params.username ?? "";
      const id = name.includes("@") ? name : `${name}@${ctx.params.realm ?? "pam"}`;
      const user = ctx.core.state.users.find((u) => u.userid === id);
      if (!user?.enable || !user.password || user.password !== ctx.params.password) throw new PveError(401, "authentication failure");
      const { ticket, csrf } = ctx.tickets.issue(id);
      return { username: id, ticket, CSRFPreventionToken: csrf, clustername: ctx.core.state.clusterName, cap: {} };
    },
  },
  { method: "GET", path: "/access/domains", params: {}, public: true, handler: () => [{ realm: "pam", type: "pam", comment: "Linux PAM standard authentication" }, { realm: "pve", type: "pve", comment: "Proxmox VE authentication server" }] },
  {
    method: "GET",
    path: "/access/users",
    params: { enabled: bool, full: bool },
    handler: (ctx) => ctx.core.state.users.filter((u) => ctx.has(`/access/users/${u.userid}`, "User.Modify") || u.userid === ctx.who.userid || ctx.has("/access", "Sys.Audit")).map((u) => ({ userid: u.userid, enable: u.enable ? 1 : 0, ...(ctx.params.full === "1" ? { tokens: Object.entries(u.tokens).map(([t, v]) => ({ tokenid: t, privsep: v.privsep ? 1 : 0 })) } : {}) })),
  },
  {
    method: "POST",
    path: "/access/users",
    params: { userid, password: str, comment: str, email: str, enable: bool, expire: { type: "integer", optional: true, minimum: 0 }, firstname: str, lastname: str, groups: str, keys: str },
    handler(ctx) {
      ctx.require("/access", "User.Modify");
      const id = ctx.params.userid ?? "";
      if (ctx.core.state.users.some((u) => u.userid === id)) throw die(`create user failed: user '${id}' already exists`);
      ctx.core.state.users.push({ userid: id, enable: ctx.params.enable !== "0", ...(ctx.params.password ? { password: ctx.params.password } : {}), tokens: {} });
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}",
    params: { userid },
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      if (u.userid !== ctx.who.userid) ctx.require(`/access/users/${u.userid}`, "User.Modify", "Sys.Audit");
      return { userid: u.userid, enable: u.enable ? 1 : 0, tokens: Object.fromEntries(Object.entries(u.tokens).map(([t, v]) => [t, { privsep: v.privsep ? 1 : 0 }])) };
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      const t = u.tokens[ctx.params.tokenid ?? ""];
      if (!t) throw die(`no such token '${ctx.params.tokenid ?? ""}' for user '${u.userid}'`);
      return { privsep: t.privsep ? 1 : 0, ...(t.comment ? { comment: t.comment } : {}), expire: 0 };
    },
  },
  {
    method: "POST",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid, privsep: bool, comment: str, expire: { type: "integer", optional: true, minimum: 0 } },
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      if (u.userid !== ctx.who.userid || ctx.who.tokenid) ctx.require(`/access/users/${u.userid}`, "User.Modify");
      const name = ctx.params.tokenid ?? "";
      if (u.tokens[name]) throw die(`Token already exists.`);
      const secret = randomUUID();
      u.tokens[name] = { secret, privsep: ctx.params.privsep !== "0", ...(ctx.params.comment ? { comment: ctx.params.comment } : {}) };
      return { "full-tokenid": `${u.userid}!${name}`, info: { privsep: u.tokens[name]?.privsep ? 1 : 0 }, value: secret };
    },
  },
  {
    method: "DELETE",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      ctx.require(`/access/users/${u.userid}`, "User.Modify");
      delete u.tokens[ctx.params.tokenid ?? ""];
      ctx.core.state.acls = ctx.core.state.acls.filter((a) => a.ugid !== `${u.userid}!${ctx.params.tokenid ?? ""}`);
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/acl",
    params: {},
    handler: (ctx) => ctx.core.state.acls.filter((a) => ctx.has(a.path, "Permissions.Modify") || ctx.has(a.path, "Sys.Audit")).map((a) => ({ path: a.path, ugid: a.ugid, type: a.type, roleid: a.roleid, propagate: a.propagate ? 1 : 0 })),
  },
  {
    method: "PUT",
    path: "/access/acl",
    params: { path: { type: "string" }, roles: { type: "string" }, users: str, groups: str, tokens: str, propagate: bool, delete: bool },
    handler(ctx) {
      const p = ctx.params;
      const path = p.path ?? "/";
      ctx.require(path, "Permissions.Modify");
      const roles = (p.roles ?? "").split(/[,;\s]+/).filter(Boolean);
      for (const r of roles) if (!ctx.core.state.roles[r]) throw die(`role '${r}' does not exist`);
      const subjects = [
        ...(p.users ?? "").split(/[,;\s]+/).filter(Boolean).map((u) => ({ ugid: u, type: "user" as const })),
        ...(p.tokens ?? "").split(/[,;\s]+/).filter(Boolean).map((t) => ({ ugid: t, type: "token" as const })),
        ...(p.groups ?? "").split(/[,;\s]+/).filter(Boolean).map((g) => ({ ugid: g, type: "group" as const })),
      ];
      for (const s of subjects) {
        for (const roleid of roles) {
          ctx.core.state.acls = ctx.core.state.acls.filter((a) => !(a.path === path && a.ugid === s.ugid && a.roleid === roleid));
          if (p.delete !== "1") ctx.core.state.acls.push({ path, ugid: s.ugid, type: s.type, roleid, propagate: p.propagate !== "0" });
        }
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/roles",
    params: {},
    handler: (ctx) => Object.entries(ctx.core.state.roles).map(([roleid, privs]) => ({ roleid, privs: privs.join(","), special: ["Administrator", "NoAccess", "PVEAdmin", "PVEAuditor", "PVEDatastoreAdmin", "PVEDatastoreUser", "PVEPoolAdmin", "PVEPoolUser", "PVESDNAdmin", "PVESDNUser", "PVESysAdmin", "PVETemplateUser", "PVEUserAdmin", "PVEVMAdmin", "PVEVMUser"].includes(roleid) ? 1 : 0 })),
  },
  {
    method: "POST",
    path: "/access/roles",
    params: { roleid: { type: "string", pattern: /^[A-Za-z0-9.\-_]+$/ }, privs: str },
    handler(ctx) {
      ctx.require("/access", "Sys.Modify");
      const id = ctx.params.roleid ?? "";
      if (ctx.core.state.roles[id]) throw die(`role '${id}' already exists`);
      ctx.core.state.roles[id] = (ctx.params.privs ?? "").split(/[,;\s]+/).filter(Boolean);
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/permissions",
    params: { path: str, userid: str },
    handler(ctx) {
      const target = ctx.params.userid;
      let who = ctx.who;
      if (target && target !== (ctx.who.tokenid ?? ctx.who.userid)) {
        ctx.require("/access", "Sys.Audit");
        who = target.includes("!") ? { userid: target.split("!")[0] ?? "", tokenid: target } : { userid: target };
      }
      const paths = ctx.params.path ? [ctx.params.path] : [...new Set(knownPaths(ctx))];
      const out: Record<string, Record<string, number>> = {};
      for (const path of paths) {
        const privs = effectivePrivileges(ctx.core.state, who, path);
        if (privs.size > 0 || ctx.params.path) out[path] = Object.fromEntries([...privs].sort().map((p) => [p, 1]));
      }
      return out;
    },
  },
];
