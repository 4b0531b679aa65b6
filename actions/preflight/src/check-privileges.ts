import type { ClusterPlan } from "../../lib/config/index.js";
import {
  effectivePermissions,
  formatPaths,
  fullGrantCommands,
  grantPaths,
  missingPrivileges,
  permissionPaths,
  PVE_KUBE_ROLE,
  requiredPrivileges,
  shellQuote,
  type PrivilegeRequirement,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import { describeError, fail, pass, type CheckOutcome } from "./outcome.js";

/** What the whole run touches, from the plan. */
export function privilegeScopeOf(
  plan: ClusterPlan,
  proxmoxMajor: number,
): Parameters<typeof requiredPrivileges>[0] {
  return {
    vmids: plan.vms.map((vm) => vm.vmid),
    migratedVmids: plan.vms.filter((vm) => vm.node !== plan.template.node).map((vm) => vm.vmid),
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
 * privilege is its own row (the exact paths, why it is needed, and the pveum commands that grant
 * it); a last row gives the complete role setup.
 */
export async function checkPrivileges(
  client: ProxmoxClient,
  plan: ClusterPlan,
  proxmoxMajor: number,
): Promise<{ outcomes: CheckOutcome[]; missing: PrivilegeRequirement[] }> {
  const requirements = requiredPrivileges(privilegeScopeOf(plan, proxmoxMajor));
  let missing: PrivilegeRequirement[];
  try {
    missing = missingPrivileges(
      requirements,
      await effectivePermissions(client, permissionPaths(requirements)),
    );
  } catch (error) {
    const { detail, fix } = describeError(error);
    return {
      outcomes: [fail("token privileges", `cannot read the token's permissions: ${detail}`, fix)],
      missing: [],
    };
  }
  const tokenId = client.endpoint.tokenId;
  const paths = [...new Set(requirements.map((r) => r.path))];
  if (missing.length === 0) {
    return {
      outcomes: [
        pass(
          "token privileges",
          `all ${requirements.length} required privileges present on ${paths.length} paths`,
        ),
      ],
      missing,
    };
  }
  const byPrivilege = new Map<string, PrivilegeRequirement[]>();
  for (const m of missing)
    byPrivilege.set(m.privilege, [...(byPrivilege.get(m.privilege) ?? []), m]);
  const outcomes = [...byPrivilege].map(([privilege, reqs]) => {
    const exact = reqs.map((r) => r.path);
    const alternatives = reqs[0]?.alternatives ?? [];
    return fail(
      `privilege ${privilege}`,
      `the token ${tokenId} lacks ${privilege} on ${formatPaths(exact)}, needed to ${reqs[0]?.why ?? "run pve-kube"}` +
        (alternatives.length
          ? ` (or ${alternatives.map((a) => `${a.privileges.join("+")} on ${a.path}`).join(", or ")})`
          : ""),
      `add it to the token's role and grant that on ${grantPaths(exact).join(", ")}: \`pveum role modify ${PVE_KUBE_ROLE} --append 1 --privs ${privilege}\`, then ` +
        grantPaths(exact)
          .map(
            (p) =>
              `\`pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(tokenId)} --roles ${PVE_KUBE_ROLE}\``,
          )
          .join(", ") +
        " (the last row creates the role)",
    );
  });
  const allPrivileges = requirements.map((r) => r.privilege);
  outcomes.push(
    fail(
      "token privileges",
      `${byPrivilege.size} of ${new Set(allPrivileges).size} required privileges are missing (${[...byPrivilege.keys()].join(", ")})`,
      `set the token up once with every privilege pve-kube needs: ${fullGrantCommands(
        tokenId,
        allPrivileges,
        grantPaths(paths),
      )
        .map((c) => `\`${c}\``)
        .join(
          "; ",
        )} — the user lines matter for a privilege-separated token, which only keeps what its user also has`,
    ),
  );
  return { outcomes, missing };
}
