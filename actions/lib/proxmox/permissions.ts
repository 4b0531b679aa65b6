import type { ProxmoxClient } from "./client.js";
import type { EffectivePermissions } from "./privileges.js";

/**
 * The token's effective privileges on each path, exactly as Proxmox computes them
 * (`GET /access/permissions?path=…`: ACL inheritance, roles, privilege separation and pools
 * included), so pve-kube never re-implements Proxmox's permission logic.
 */
export async function effectivePermissions(
  client: ProxmoxClient,
  paths: readonly string[],
  /** another user or token (needs Sys.Audit on /access); default the caller itself */
  userid?: string,
): Promise<EffectivePermissions> {
  const result: EffectivePermissions = {};
  for (const path of paths) {
    const answer = (await client.api.access.permissions.$get({
      path,
      ...(userid ? { userid } : {}),
    })) as EffectivePermissions | null;
    result[path] = answer?.[path] ?? {};
  }
  return result;
}
