import type { ClusterPlan } from "../../lib/config/index.js";
import {
  effectivePermissions,
  grantAdvice,
  missingPrivileges,
  permissionPaths,
  requiredPrivileges,
  type PrivilegeRequirement,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import { describeError, fail, pass, type CheckOutcome } from "./outcome.js";

/** What the whole run touches, from the plan. */
export function privilegeScopeOf(plan: ClusterPlan, proxmoxMajor: number): Parameters<typeof requiredPrivileges>[0] {
  return {
    vmids: plan.vms.map((vm) => vm.vmid),
    templateVmid: plan.template.vmid,
    nodes: [...new Set(plan.vms.map((vm) => vm.node))],
    templateNode: plan.template.node,
    diskStorage: plan.proxmox.diskStorage,
    templateStorage: plan.template.storage,
    imageStorage: plan.proxmox.imageStorage,
    bridge: plan.network.bridge,
    ...(plan.network.vlan !== undefined ? { vlan: plan.network.vlan } : {}),
    ...(plan.proxmox.pool ? { pool: plan.proxmox.pool } : {}),
    downloadUrl: plan.template.source === "download-url",
    proxmoxMajor,
  };
}

/**
 * Every privilege the run needs, checked with the token's effective permissions. Each missing
 * one is its own row (privilege, path, why, and the pveum commands that grant it).
 */
export async function checkPrivileges(client: ProxmoxClient, plan: ClusterPlan, proxmoxMajor: number): Promise<{ outcomes: CheckOutcome[]; missing: PrivilegeRequirement[] }> {
  const requirements = requiredPrivileges(privilegeScopeOf(plan, proxmoxMajor));
  let missing: PrivilegeRequirement[];
  try {
    missing = missingPrivileges(requirements, await effectivePermissions(client, permissionPaths(requirements)));
  } catch (error) {
    const { detail, fix } = describeError(error);
    return { outcomes: [fail("token privileges", `cannot read the token's permissions: ${detail}`, fix)], missing: [] };
  }
  const tokenId = client.endpoint.tokenId;
  if (missing.length === 0) {
    const paths = new Set(requirements.map((r) => r.path)).size;
    return { outcomes: [pass("token privileges", `all ${requirements.length} required privileges present on ${paths} paths`)], missing };
  }
  const outcomes = missing.map((m) =>
    fail(
      `privilege ${m.privilege} on ${m.path}`,
      `the token ${tokenId} lacks ${m.privilege} on ${m.path}, needed to ${m.why}` +
        (m.alternatives?.length ? ` (or ${m.alternatives.map((a) => `${a.privileges.join("+")} on ${a.path}`).join(", or ")})` : ""),
      grantAdvice(tokenId, [{ path: m.path, privileges: [m.privilege] }]),
    ),
  );
  if (missing.length > 1) {
    outcomes.push(
      fail(
        "token privileges",
        `${missing.length} of ${requirements.length} required privileges are missing`,
        `grant them all at once: ${grantAdvice(
          tokenId,
          missing.map((m) => ({ path: m.path, privileges: [m.privilege] })),
        )}`,
      ),
    );
  }
  return { outcomes, missing };
}
