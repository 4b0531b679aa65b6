import type { Identity } from "../core.js";
import type { SimState } from "../model/types.js";
import { ALL_PRIVILEGES } from "../model/roles.js";

/** `/vms/100` → [`/vms/100`, `/vms`, `/`] */
function withParents(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push(`/${parts.slice(0, i).join("/")}`);
  return out;
}

/**
 * Privileges an ACL subject (a user or a token) holds on `path`: the most specific path with an
 * entry for the subject wins; entries on parents count only when they propagate (as in Proxmox).
 * A VM also inherits from `/pool/<pool>` when it is a pool member.
 */
function subjectPrivileges(state: SimState, ugid: string, path: string): Set<string> {
  const candidates = withParents(path);
  const vmMatch = /^\/vms\/(\d+)$/.exec(path);
  if (vmMatch) {
    const pool = state.pools.find((p) => p.vmids.includes(Number(vmMatch[1])));
    if (pool) candidates.splice(1, 0, `/pool/${pool.poolid}`);
  }
  for (const candidate of candidates) {
    const entries = state.acls.filter((a) => a.ugid === ugid && a.path === candidate && (candidate === path || a.propagate));
    if (entries.length > 0) return new Set(entries.flatMap((e) => state.roles[e.roleid] ?? []));
  }
  return new Set();
}

export function effectivePrivileges(state: SimState, who: Identity, path: string): Set<string> {
  if (who.userid === "root@pam") {
    if (!who.tokenid) return new Set(ALL_PRIVILEGES);
    const token = tokenOf(state, who.tokenid);
    return token?.privsep ? subjectPrivileges(state, who.tokenid, path) : new Set(ALL_PRIVILEGES);
  }
  const userPrivs = subjectPrivileges(state, who.userid, path);
  if (!who.tokenid) return userPrivs;
  const token = tokenOf(state, who.tokenid);
  if (!token?.privsep) return userPrivs;
  const tokenPrivs = subjectPrivileges(state, who.tokenid, path);
  return new Set([...userPrivs].filter((p) => tokenPrivs.has(p)));
}

export function tokenOf(state: SimState, tokenid: string) {
  const [userid, name] = tokenid.split("!");
  return state.users.find((u) => u.userid === userid)?.tokens[name ?? ""];
}
