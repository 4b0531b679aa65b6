/**
 * The `pveum` commands that grant what a token lacks. Pure string builders, so the exact advice a
 * person copies into a Proxmox shell is table-tested.
 */

/** The custom role pve-kube suggests: holds exactly the privileges a run needs. */
export const PVE_KUBE_ROLE = "PVEKube";

export interface MissingGrant {
  /** ACL path, e.g. `/vms/9000`, `/storage/local-lvm`, `/` */
  path: string;
  privileges: readonly string[];
}

/** Single-quotes a value for a POSIX shell when it needs it (token ids contain `!`). */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `root@pam!pve-kube` → `root@pam` */
export function tokenUser(tokenId: string): string {
  const bang = tokenId.indexOf("!");
  return bang > 0 ? tokenId.slice(0, bang) : tokenId;
}

/** The commands that create (or extend) the role and grant it on every path, in order. */
export function grantCommands(
  tokenId: string,
  missing: readonly MissingGrant[],
  role = PVE_KUBE_ROLE,
): string[] {
  const privileges = [...new Set(missing.flatMap((m) => m.privileges))].sort();
  const paths = [...new Set(missing.map((m) => m.path))].sort();
  const privs = shellQuote(privileges.join(","));
  return [
    `pveum role add ${role} --privs ${privs}`,
    ...paths.map(
      (p) => `pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(tokenId)} --roles ${role}`,
    ),
  ];
}

/** Human advice: the commands, plus the two notes people trip over (existing role, privilege separation). */
export function grantAdvice(
  tokenId: string,
  missing: readonly MissingGrant[],
  role = PVE_KUBE_ROLE,
): string {
  const privileges = [...new Set(missing.flatMap((m) => m.privileges))].sort();
  const paths = [...new Set(missing.map((m) => m.path))].sort();
  const commands = grantCommands(tokenId, missing, role);
  const user = tokenUser(tokenId);
  return (
    `grant it on the Proxmox host: \`${commands.join("` then `")}\`` +
    ` (if the role ${role} already exists, use \`pveum role modify ${role} --append 1 --privs ${shellQuote(privileges.join(","))}\` instead of \`role add\`;` +
    ` a privilege-separated token only keeps what its user also has, so the user may need it too: \`${paths
      .map((p) => `pveum acl modify ${shellQuote(p)} --users ${shellQuote(user)} --roles ${role}`)
      .join("` and `")}\`)`
  );
}

/**
 * Where to grant so one ACL covers a set of exact paths: every `/vms/<id>` collapses to `/vms`
 * (an ACL there propagates to all VMs — how most operators grant it); other paths stay.
 */
export function grantPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => (/^\/vms\/\d+$/.test(p) ? "/vms" : p)))].sort();
}

/** `a, b, c, … (12 paths)` — readable even for many VMIDs. */
export function formatPaths(paths: readonly string[], max = 4): string {
  if (paths.length <= max) return paths.join(", ");
  return `${paths.slice(0, max).join(", ")}, … (${paths.length} paths)`;
}

/**
 * The complete setup for a token that lacks privileges: one role with every privilege the run
 * needs, granted to the token (and, for a privilege-separated token, its user) on the paths.
 */
export function fullGrantCommands(
  tokenId: string,
  allPrivileges: readonly string[],
  paths: readonly string[],
  role = PVE_KUBE_ROLE,
): string[] {
  const privs = shellQuote([...new Set(allPrivileges)].sort().join(","));
  const user = tokenUser(tokenId);
  return [
    `pveum role add ${role} --privs ${privs}`,
    ...paths.flatMap((p) => [
      `pveum acl modify ${shellQuote(p)} --users ${shellQuote(user)} --roles ${role}`,
      `pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(tokenId)} --roles ${role}`,
    ]),
  ];
}
