import { randomUUID } from "node:crypto";
import { bool, str, type ParamSpec } from "../api/param-types.js";
import type { Route, RouteContext } from "../api/route.js";
import {
  ALL_USERS,
  and,
  canModifyPermissions,
  check,
  normalizeAclPath,
  or,
  perm,
  type PermCheck,
} from "../access/checks.js";
import { privilegesOn, privilegesWithPropagation } from "../access/privileges.js";
import { die, PveError } from "../http/pve-error.js";
import type { SimGroup } from "../model/types.js";

const userid: ParamSpec = {
  type: "string",
  pattern: /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+$/,
  format: "pve-userid",
};
const tokenid: ParamSpec = {
  type: "string",
  pattern: /^[A-Za-z][A-Za-z0-9.\-_]+$/,
  format: "pve-tokenid",
};
const groupid: ParamSpec = { type: "string", pattern: /^[A-Za-z0-9.\-_]+$/, format: "pve-groupid" };
const WORLD = { user: "world" } as const;

const list = (value: string | undefined) => (value ?? "").split(/[,;\s]+/).filter(Boolean);

function userOf(ctx: RouteContext, id: string) {
  const user = ctx.core.state.users.find((u) => u.userid === id);
  if (!user) throw die(`no such user ('${id}')`);
  return user;
}

const groupsOf = (ctx: RouteContext, id: string) =>
  ctx.core.state.groups.filter((g) => g.members.includes(id)).map((g) => g.groupid);

/** The groups named in `groups=`; each must exist (`no such group 'x'`). */
function namedGroups(ctx: RouteContext, action: string): SimGroup[] {
  return list(ctx.params.groups).map((id) => {
    const group = ctx.core.state.groups.find((g) => g.groupid === id);
    if (!group) throw die(`${action}: no such group '${id}'`);
    return group;
  });
}

/** Every path the caller's privileges could differ on. */
function knownPaths(ctx: RouteContext): string[] {
  const s = ctx.core.state;
  return [
    "/",
    "/access",
    "/access/groups",
    "/nodes",
    "/pool",
    "/sdn",
    "/storage",
    "/vms",
    ...s.nodes.map((n) => `/nodes/${n.name}`),
    ...s.storages.map((x) => `/storage/${x.id}`),
    ...s.pools.map((p) => `/pool/${p.poolid}`),
    ...s.vms.map((v) => `/vms/${v.vmid}`),
    ...s.groups.map((g) => `/access/groups/${g.groupid}`),
    ...s.acls.map((a) => a.path),
  ];
}

/** The user itself, or User.Modify on /access/groups or on one of the user's groups. */
const SELF_OR_USER_MODIFY: PermCheck = or(
  { test: "userid-param", sub: "self" },
  { test: "userid-group", privs: ["User.Modify"] },
);

/**
 * Without Permissions.Modify on the path (perm-modify also lets VM.Allocate, Datastore.Allocate
 * or Pool.Allocate in), a caller may only hand out roles whose privileges it holds there itself,
 * propagating ones only if it holds them propagating.
 */
function checkDelegation(
  ctx: RouteContext,
  path: string,
  roles: string[],
  propagate: boolean,
  remove: boolean,
): void {
  const own = privilegesWithPropagation(ctx.core.state, ctx.who, path);
  if (own.has("Permissions.Modify")) return;
  const verb = remove ? "remove" : "add";
  for (const role of roles) {
    for (const priv of ctx.core.state.roles[role] ?? []) {
      if (!own.has(priv))
        throw new PveError(400, "Parameter verification failed.", {
          role: `Cannot ${verb} role '${role}' - requires 'Permissions.Modify' or superset of privileges.`,
        });
      if (propagate && !remove && own.get(priv) !== true)
        throw new PveError(400, "Parameter verification failed.", {
          role: `Cannot ${verb} role '${role}' with propagation - requires 'Permissions.Modify' or propagated superset of privileges.`,
        });
    }
    if (role === "NoAccess")
      throw new PveError(400, "Parameter verification failed.", {
        role: `Cannot ${verb} role '${role}' - requires 'Permissions.Modify'`,
      });
  }
}

export const accessRoutes: Route[] = [
  { method: "GET", path: "/access/ticket", params: {}, permissions: WORLD, handler: () => null },
  {
    method: "POST",
    path: "/access/ticket",
    params: {
      username: { type: "string", maxLength: 64 },
      password: { type: "string" },
      realm: str,
      otp: str,
      path: str,
      privs: str,
      "new-format": bool,
      "tfa-challenge": str,
    },
    permissions: WORLD,
    handler(ctx) {
      const name = ctx.params.username ?? "";
      const id = name.includes("@") ? name : `${name}@${ctx.params.realm ?? "pam"}`;
      const user = ctx.core.state.users.find((u) => u.userid === id);
      if (!user?.enable || !user.password || user.password !== ctx.params.password)
        throw new PveError(401, "authentication failure");
      const { ticket, csrf } = ctx.tickets.issue(id);
      return {
        username: id,
        ticket,
        CSRFPreventionToken: csrf,
        clustername: ctx.core.state.clusterName,
        cap: {},
      };
    },
  },
  {
    method: "GET",
    path: "/access/domains",
    params: {},
    permissions: WORLD,
    handler: () => [
      { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" },
      { realm: "pve", type: "pve", comment: "Proxmox VE authentication server" },
    ],
  },
  {
    method: "GET",
    path: "/access/users",
    params: { enabled: bool, full: bool },
    // the caller, plus everyone when it holds User.Modify or Sys.Audit on /access/groups, else the
    // members of the groups it holds one of them on
    permissions: ALL_USERS,
    handler(ctx) {
      const privs = ["User.Modify", "Sys.Audit"];
      const everyone = privs.some((p) => ctx.has("/access/groups", p));
      const allowed = new Set(
        ctx.core.state.groups
          .filter((g) => privs.some((p) => ctx.has(`/access/groups/${g.groupid}`, p)))
          .flatMap((g) => g.members),
      );
      const self = ctx.who.tokenid ?? ctx.who.userid;
      return [...ctx.core.state.users]
        .sort((a, b) => a.userid.localeCompare(b.userid))
        .filter((u) => everyone || u.userid === self || allowed.has(u.userid))
        .filter(
          (u) => ctx.params.enabled === undefined || u.enable === (ctx.params.enabled === "1"),
        )
        .map((u) => {
          const groups = groupsOf(ctx, u.userid);
          return {
            userid: u.userid,
            enable: u.enable ? 1 : 0,
            ...(groups.length ? { groups: groups.join(",") } : {}),
            ...(ctx.params.full === "1"
              ? {
                  tokens: Object.entries(u.tokens).map(([t, v]) => ({
                    tokenid: t,
                    privsep: v.privsep ? 1 : 0,
                  })),
                }
              : {}),
          };
        });
    },
  },
  {
    method: "POST",
    path: "/access/users",
    params: {
      userid,
      password: str,
      comment: str,
      email: str,
      enable: bool,
      expire: { type: "integer", optional: true, minimum: 0 },
      firstname: str,
      lastname: str,
      groups: str,
      keys: str,
    },
    // Realm.AllocateUser on the user's realm, and User.Modify on every group given (or on /access/groups)
    permissions: check(
      and(
        { test: "userid-param", sub: "Realm.AllocateUser" },
        { test: "userid-group", privs: ["User.Modify"], groupsParam: "create" },
      ),
    ),
    handler(ctx) {
      const id = ctx.params.userid ?? "";
      if (ctx.core.state.users.some((u) => u.userid === id))
        throw die(`create user failed: user '${id}' already exists`);
      const groups = namedGroups(ctx, "create user failed");
      ctx.core.state.users.push({
        userid: id,
        enable: ctx.params.enable !== "0",
        ...(ctx.params.password ? { password: ctx.params.password } : {}),
        tokens: {},
      });
      for (const g of groups) if (!g.members.includes(id)) g.members.push(id);
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}",
    params: { userid },
    permissions: check({ test: "userid-group", privs: ["User.Modify", "Sys.Audit"] }),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      return {
        userid: u.userid,
        enable: u.enable ? 1 : 0,
        groups: groupsOf(ctx, u.userid),
        tokens: Object.fromEntries(
          Object.entries(u.tokens).map(([t, v]) => [t, { privsep: v.privsep ? 1 : 0 }]),
        ),
      };
    },
  },
  {
    method: "PUT",
    path: "/access/users/{userid}",
    params: {
      userid,
      groups: str,
      append: bool,
      enable: bool,
      comment: str,
      email: str,
      firstname: str,
      lastname: str,
      expire: { type: "integer", optional: true, minimum: 0 },
      keys: str,
    },
    permissions: check({ test: "userid-group", privs: ["User.Modify"], groupsParam: "update" }),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      if (ctx.params.append === "1" && ctx.params.groups === undefined)
        throw new PveError(400, "Parameter verification failed.", {
          append: "missing property - 'groups' is required by 'append'",
        });
      if (ctx.params.enable !== undefined) u.enable = ctx.params.enable === "1";
      if (ctx.params.groups !== undefined) {
        const groups = namedGroups(ctx, "update user failed");
        // without append the list replaces every membership of the user
        if (ctx.params.append !== "1")
          for (const g of ctx.core.state.groups)
            g.members = g.members.filter((m) => m !== u.userid);
        for (const g of groups) if (!g.members.includes(u.userid)) g.members.push(u.userid);
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      const t = u.tokens[ctx.params.tokenid ?? ""];
      if (!t) throw die(`no such token '${ctx.params.tokenid ?? ""}' for user '${u.userid}'`);
      return {
        privsep: t.privsep ? 1 : 0,
        ...(t.comment ? { comment: t.comment } : {}),
        expire: 0,
      };
    },
  },
  {
    method: "POST",
    path: "/access/users/{userid}/token/{tokenid}",
    params: {
      userid,
      tokenid,
      privsep: bool,
      comment: str,
      expire: { type: "integer", optional: true, minimum: 0 },
    },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      const name = ctx.params.tokenid ?? "";
      if (u.tokens[name]) throw die(`Token already exists.`);
      const secret = randomUUID();
      u.tokens[name] = {
        secret,
        privsep: ctx.params.privsep !== "0",
        ...(ctx.params.comment ? { comment: ctx.params.comment } : {}),
      };
      return {
        "full-tokenid": `${u.userid}!${name}`,
        info: { privsep: u.tokens[name]?.privsep ? 1 : 0 },
        value: secret,
      };
    },
  },
  {
    method: "DELETE",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      delete u.tokens[ctx.params.tokenid ?? ""];
      ctx.core.state.acls = ctx.core.state.acls.filter(
        (a) => a.ugid !== `${u.userid}!${ctx.params.tokenid ?? ""}`,
      );
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/groups",
    params: {},
    // only groups the caller holds User.Modify, Sys.Audit or Group.Allocate on
    permissions: ALL_USERS,
    handler: (ctx) =>
      ctx.core.state.groups
        .filter((g) =>
          ["User.Modify", "Sys.Audit", "Group.Allocate"].some((p) =>
            ctx.has(`/access/groups/${g.groupid}`, p),
          ),
        )
        .map((g) => ({
          groupid: g.groupid,
          ...(g.comment ? { comment: g.comment } : {}),
          ...(g.members.length ? { users: [...g.members].sort().join(",") } : {}),
        })),
  },
  {
    method: "POST",
    path: "/access/groups",
    params: { groupid, comment: str },
    permissions: check(perm("/access/groups", ["Group.Allocate"])),
    handler(ctx) {
      const id = ctx.params.groupid ?? "";
      if (ctx.core.state.groups.some((g) => g.groupid === id))
        throw die(`create group failed: group '${id}' already exists`);
      ctx.core.state.groups.push({
        groupid: id,
        ...(ctx.params.comment ? { comment: ctx.params.comment } : {}),
        members: [],
      });
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/acl",
    params: {},
    // entries on paths where the caller may modify permissions, or all with Sys.Audit on /access
    permissions: ALL_USERS,
    handler(ctx) {
      const audit = ctx.has("/access", "Sys.Audit");
      return ctx.core.state.acls
        .filter((a) => audit || canModifyPermissions(ctx.core.state, ctx.who, a.path))
        .map((a) => ({
          path: a.path,
          ugid: a.ugid,
          type: a.type,
          roleid: a.roleid,
          propagate: a.propagate ? 1 : 0,
        }));
    },
  },
  {
    method: "PUT",
    path: "/access/acl",
    params: {
      path: { type: "string" },
      roles: { type: "string" },
      users: str,
      groups: str,
      tokens: str,
      propagate: bool,
      delete: bool,
    },
    permissions: check({ test: "perm-modify", path: "{path}" }),
    handler(ctx) {
      const p = ctx.params;
      const state = ctx.core.state;
      if (!p.users && !p.groups && !p.tokens) {
        const why = "either 'users', 'groups' or 'tokens' is required.";
        throw new PveError(400, "Parameter verification failed.", {
          users: why,
          groups: why,
          tokens: why,
        });
      }
      const path = normalizeAclPath(p.path ?? "/");
      const remove = p.delete === "1";
      const propagate = p.propagate !== "0";
      const roles = list(p.roles);
      for (const r of roles) if (!state.roles[r]) throw die(`role '${r}' does not exist`);
      checkDelegation(ctx, path, roles, propagate, remove);
      for (const g of list(p.groups))
        if (!state.groups.some((x) => x.groupid === g)) throw die(`group '${g}' does not exist`);
      for (const u of list(p.users))
        if (!state.users.some((x) => x.userid === u)) throw die(`user '${u}' does not exist`);
      for (const t of list(p.tokens)) {
        const [owner, name] = t.split("!");
        if (!state.users.find((x) => x.userid === owner)?.tokens[name ?? ""])
          throw die(`no such token '${name ?? ""}' for user '${owner ?? ""}'`);
      }
      const subjects = [
        ...list(p.users).map((u) => ({ ugid: u, type: "user" as const })),
        ...list(p.tokens).map((t) => ({ ugid: t, type: "token" as const })),
        ...list(p.groups).map((g) => ({ ugid: g, type: "group" as const })),
      ];
      for (const s of subjects) {
        for (const roleid of roles) {
          state.acls = state.acls.filter(
            (a) =>
              !(a.path === path && a.ugid === s.ugid && a.type === s.type && a.roleid === roleid),
          );
          if (!remove) state.acls.push({ path, ugid: s.ugid, type: s.type, roleid, propagate });
        }
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/roles",
    params: {},
    permissions: ALL_USERS,
    handler: (ctx) =>
      Object.entries(ctx.core.state.roles).map(([roleid, privs]) => ({
        roleid,
        privs: privs.join(","),
        special: [
          "Administrator",
          "NoAccess",
          "PVEAdmin",
          "PVEAuditor",
          "PVEDatastoreAdmin",
          "PVEDatastoreUser",
          "PVEPoolAdmin",
          "PVEPoolUser",
          "PVESDNAdmin",
          "PVESDNUser",
          "PVESysAdmin",
          "PVETemplateUser",
          "PVEUserAdmin",
          "PVEVMAdmin",
          "PVEVMUser",
        ].includes(roleid)
          ? 1
          : 0,
      })),
  },
  {
    method: "POST",
    path: "/access/roles",
    params: { roleid: { type: "string", pattern: /^[A-Za-z0-9.\-_]+$/ }, privs: str },
    permissions: check(perm("/access", ["Sys.Modify"])),
    handler(ctx) {
      const id = ctx.params.roleid ?? "";
      if (ctx.core.state.roles[id]) throw die(`role '${id}' already exists`);
      ctx.core.state.roles[id] = list(ctx.params.privs);
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/permissions",
    params: { path: str, userid: str },
    // one's own permissions (a user also those of its tokens); anyone else's with Sys.Audit on /access
    permissions: ALL_USERS,
    handler(ctx) {
      const target = ctx.params.userid;
      let who = ctx.who;
      const self = ctx.who.tokenid ?? ctx.who.userid;
      if (target && target !== self) {
        const ownToken = !ctx.who.tokenid && target.startsWith(`${ctx.who.userid}!`);
        if (!ownToken) ctx.require("/access", "Sys.Audit");
        who = target.includes("!")
          ? { userid: target.split("!")[0] ?? "", tokenid: target }
          : { userid: target };
      }
      const paths = ctx.params.path ? [ctx.params.path] : [...new Set(knownPaths(ctx))];
      const out: Record<string, Record<string, number>> = {};
      for (const path of paths) {
        const privs = privilegesOn(ctx.core.state, who, path);
        if (privs.size > 0 || ctx.params.path)
          out[path] = Object.fromEntries([...privs].sort().map((p) => [p, 1]));
      }
      return out;
    },
  },
];
