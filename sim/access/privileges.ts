import type { Identity } from "../core.js";
import type { SimAcl, SimState } from "../model/types.js";
import { ALL_PRIVILEGES } from "../model/roles.js";

/** role → propagate flag, as Proxmox's AccessControl::roles returns it */
type RoleSet = Map<string, boolean>;

/** `/vms/100` → [`/`, `/vms`, `/vms/100`] (root first, the way Proxmox walks the ACL tree) */
function pathChain(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return Array.from({ length: parts.length + 1 }, (_, i) => `/${parts.slice(0, i).join("/")}`);
}

function applicable(entries: SimAcl[], final: boolean): RoleSet | undefined {
  const roles: RoleSet = new Map();
  for (const e of entries) if (final || e.propagate) roles.set(e.roleid, e.propagate);
  return roles.size > 0 ? roles : undefined;
}

/**
 * Roles of a user or a privilege-separated token on `path`, walked from `/` down to the path like
 * Proxmox does it: on every level an entry that applies (on the path itself, or propagating from
 * a parent) replaces what the levels above gave; on one level a token's or user's own entries
 * win over the entries of the user's groups (which are merged). NoAccess anywhere in the result
 * leaves only NoAccess. Pools are not considered here.
 */
function rolesOn(state: SimState, subject: string, isToken: boolean, path: string): RoleSet {
  const groups = isToken
    ? []
    : state.groups.filter((g) => g.members.includes(subject)).map((g) => g.groupid);
  const chain = pathChain(path);
  let roles: RoleSet = new Map();
  for (const [i, level] of chain.entries()) {
    const final = i === chain.length - 1;
    const here = state.acls.filter((a) => a.path === level);
    const own = applicable(
      here.filter((a) => a.type !== "group" && a.ugid === subject),
      final,
    );
    const viaGroups = own
      ? undefined
      : applicable(
          here.filter((a) => a.type === "group" && groups.includes(a.ugid)),
          final,
        );
    roles = own ?? viaGroups ?? roles;
  }
  if (roles.has("NoAccess")) return new Map([["NoAccess", roles.get("NoAccess") ?? false]]);
  return roles;
}

/**
 * Roles inherited from pool membership: a VM or storage in pool P gets the roles held on
 * `/pool/P`, never propagating, and only where the regular ACLs did not set the role already;
 * NoAccess on the path wins over the pool, NoAccess on the pool wins over the path's roles.
 */
function withPoolRoles(
  state: SimState,
  subject: string,
  isToken: boolean,
  path: string,
  roles: RoleSet,
): RoleSet {
  const vm = /^\/vms\/(\d+)$/.exec(path);
  const storage = /^\/storage\/([^/]+)$/.exec(path);
  const pools = state.pools.filter((p) =>
    vm ? p.vmids.includes(Number(vm[1])) : storage ? p.storages.includes(storage[1] ?? "") : false,
  );
  if (pools.length === 0 || roles.has("NoAccess")) return roles;
  const poolRoles = new Set(
    pools.flatMap((p) => [...rolesOn(state, subject, isToken, `/pool/${p.poolid}`).keys()]),
  );
  if (poolRoles.has("NoAccess")) return new Map([["NoAccess", false]]);
  const merged = new Map(roles);
  for (const role of poolRoles) if (!merged.has(role)) merged.set(role, false);
  return merged;
}

/** privilege → propagate flag for one ACL subject (user or privilege-separated token) */
function subjectPrivileges(
  state: SimState,
  subject: string,
  isToken: boolean,
  path: string,
): Map<string, boolean> {
  const roles = withPoolRoles(
    state,
    subject,
    isToken,
    path,
    rolesOn(state, subject, isToken, path),
  );
  const privs = new Map<string, boolean>();
  for (const [role, propagate] of roles) {
    for (const p of state.roles[role] ?? []) privs.set(p, (privs.get(p) ?? false) || propagate);
  }
  return privs;
}

/**
 * What Proxmox's RPCEnvironment::permissions returns: every privilege the caller holds on
 * `path`, with its propagate flag. root@pam holds everything; a token without privilege
 * separation holds its user's privileges; a privilege-separated token holds the intersection of
 * its own and its user's (propagating only where both do).
 */
export function privilegesWithPropagation(
  state: SimState,
  who: Identity,
  path: string,
): Map<string, boolean> {
  if (who.userid === "root@pam" && !who.tokenid)
    return new Map(ALL_PRIVILEGES.map((p) => [p, true]));
  const user =
    who.userid === "root@pam"
      ? new Map(ALL_PRIVILEGES.map((p) => [p, true]))
      : subjectPrivileges(state, who.userid, false, path);
  if (!who.tokenid) return user;
  const token = tokenOf(state, who.tokenid);
  if (!token) return new Map();
  if (!token.privsep) return user;
  const own = subjectPrivileges(state, who.tokenid, true, path);
  const both = new Map<string, boolean>();
  for (const [p, propagate] of own)
    if (user.has(p)) both.set(p, propagate && (user.get(p) ?? false));
  return both;
}

export function privilegesOn(state: SimState, who: Identity, path: string): Set<string> {
  return new Set(privilegesWithPropagation(state, who, path).keys());
}

export function tokenOf(state: SimState, tokenid: string) {
  const [userid, name] = tokenid.split("!");
  return state.users.find((u) => u.userid === userid)?.tokens[name ?? ""];
}
