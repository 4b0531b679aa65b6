import type { Identity } from "../core.js";
import { PveError } from "../http/pve-error.js";
import type { SimState } from "../model/types.js";
import { privilegesOn } from "./privileges.js";

/**
 * The permission tests Proxmox declares on an API method (`permissions => { check => [...] }`),
 * as pve-sim's own typed values. pveproxy runs them after parameter verification and before the
 * handler; the handler may check more (what the method's description says).
 */
export type PermCheck =
  /** every privilege in `privs` on `path` (`any`: one of them); `{param}` in the path is substituted */
  | { test: "perm"; path: string; privs: string[]; any?: boolean; requireParam?: string }
  | { test: "and"; checks: PermCheck[] }
  | { test: "or"; checks: PermCheck[] }
  /** `self`: the caller is the user in `userid` (a token is not); else `Realm.AllocateUser` on its realm */
  | { test: "userid-param"; sub: "self" | "Realm.AllocateUser" }
  /** one of `privs` on `/access/groups`, or on a group of user `userid` / on every group in `groups` */
  | { test: "userid-group"; privs: string[]; groupsParam?: "create" | "update" }
  /** Permissions.Modify on the path (or the object's allocate privilege for /storage, /vms, /pool) */
  | { test: "perm-modify"; path: string };

export type RoutePermissions =
  /** any authenticated caller; the handler filters or checks more itself */
  | { user: "all" }
  /** no authentication at all (`/access/ticket`, `/access/domains`) */
  | { user: "world" }
  | { check: PermCheck };

export const ALL_USERS: RoutePermissions = { user: "all" };

export const perm = (
  path: string,
  privs: string[],
  options: { any?: boolean; requireParam?: string } = {},
): PermCheck => ({ test: "perm", path, privs, ...options });
export const and = (...checks: PermCheck[]): PermCheck => ({ test: "and", checks });
export const or = (...checks: PermCheck[]): PermCheck => ({ test: "or", checks });
export const check = (c: PermCheck): RoutePermissions => ({ check: c });

type Params = Record<string, string | undefined>;

const denied = (what?: string) =>
  new PveError(403, what ? `Permission check failed (${what})` : "Permission check failed");

/** Proxmox's normalize_path: collapse `//`, drop a trailing `/`, make it absolute. */
export function normalizeAclPath(path: string): string {
  const collapsed = path.replace(/\/+/g, "/").replace(/\/$/, "");
  return collapsed.startsWith("/") ? collapsed || "/" : `/${collapsed}`;
}

function fill(template: string, params: Params): string {
  return normalizeAclPath(
    template.replace(/\{([^}]+)\}/g, (_m, name: string) => params[name] ?? ""),
  );
}

/** The name the checks see: a token acts as `user@realm!token`, a ticket as `user@realm`. */
const authName = (who: Identity) => who.tokenid ?? who.userid;

function holds(
  state: SimState,
  who: Identity,
  path: string,
  privs: string[],
  any: boolean,
): string | undefined {
  const have = privilegesOn(state, who, path);
  if (any) return privs.some((p) => have.has(p)) ? undefined : `${path}, ${privs.join("|")}`;
  const missing = privs.find((p) => !have.has(p));
  return missing === undefined ? undefined : `${path}, ${missing}`;
}

function groupsWith(state: SimState, who: Identity, privs: string[]) {
  return state.groups.filter(
    (g) => holds(state, who, `/access/groups/${g.groupid}`, privs, true) === undefined,
  );
}

/** Proxmox's check_perm_modify. */
export function canModifyPermissions(state: SimState, who: Identity, path: string): boolean {
  const privs = ["Permissions.Modify"];
  if (/^\/storage\/.+/.test(path)) privs.push("Datastore.Allocate");
  else if (/^\/vms\/.+/.test(path)) privs.push("VM.Allocate");
  else if (/^\/pool\/.+/.test(path)) privs.push("Pool.Allocate");
  return holds(state, who, path, privs, true) === undefined;
}

/** Runs one test; returns false (noerr) or throws the 403 Proxmox would raise. */
function run(
  state: SimState,
  who: Identity,
  c: PermCheck,
  params: Params,
  noerr: boolean,
): boolean {
  const fail = (what?: string): false => {
    if (noerr) return false;
    throw denied(what);
  };
  switch (c.test) {
    case "and":
      // like exec_api2_perm_check: sub-tests of an `and` raise their own error
      for (const sub of c.checks) run(state, who, sub, params, false);
      return true;
    case "or":
      for (const sub of c.checks) if (run(state, who, sub, params, true)) return true;
      return fail();
    case "perm": {
      if (c.requireParam && params[c.requireParam] === undefined) return fail();
      const problem = holds(state, who, fill(c.path, params), c.privs, c.any ?? false);
      return problem === undefined ? true : fail(problem);
    }
    case "perm-modify":
      return (
        canModifyPermissions(state, who, fill(c.path, params)) ||
        fail(`${fill(c.path, params)}, Permissions.Modify`)
      );
    case "userid-param": {
      const userid = params.userid ?? "";
      if (c.sub === "self") {
        if (!state.users.some((u) => u.userid === userid)) {
          if (noerr) return false;
          throw new PveError(500, `no such user ('${userid}')`);
        }
        return authName(who) === userid || fail();
      }
      const realm = userid.split("@")[1] ?? "";
      const problem = holds(state, who, `/access/realm/${realm}`, ["Realm.AllocateUser"], false);
      return problem === undefined ? true : fail(problem);
    }
    case "userid-group": {
      const userid = params.userid ?? "";
      const existingUser = c.groupsParam !== "create";
      if (existingUser && !state.users.some((u) => u.userid === userid)) {
        if (noerr) return false;
        throw new PveError(500, `no such user ('${userid}')`);
      }
      if (holds(state, who, "/access/groups", c.privs, true) === undefined) return true;
      const allowed = groupsWith(state, who, c.privs);
      if (c.groupsParam) {
        const wanted = (params.groups ?? "").split(/[,;\s]+/).filter(Boolean);
        if (wanted.length === 0) throw denied(`/access/groups, ${c.privs.join("|")}`);
        for (const g of wanted)
          if (!allowed.some((a) => a.groupid === g))
            throw denied(`/access/groups/${g}, ${c.privs.join("|")}`);
      }
      if (existingUser && !allowed.some((g) => g.members.includes(userid))) return fail();
      return true;
    }
  }
}

/** check_api2_permissions: world, then root@pam (a ticket, not a token), then `all`, then the check. */
export function enforcePermissions(
  state: SimState,
  who: Identity | undefined,
  permissions: RoutePermissions,
  params: Params,
): void {
  if ("user" in permissions && permissions.user === "world") return;
  if (!who) throw denied("user != null");
  if (authName(who) === "root@pam") return;
  if ("user" in permissions) return;
  run(state, who, permissions.check, params, false);
}
