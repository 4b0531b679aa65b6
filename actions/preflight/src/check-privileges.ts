import type { ClusterPlan } from "../../lib/config/index.js";
import {
  BROAD_PATHS,
  effectivePermissions,
  excessPrivileges,
  formatPaths,
  fullGrantCommands,
  isReadOnlyPrivilege,
  PLAN_TOKEN_WRITE_EXCEPTIONS,
  missingPrivileges,
  permissionPaths,
  privilegeScopeOf,
  PVE_KUBE_READ_ONLY_ROLE,
  shellQuote,
  TOKEN_AUDIT_PATH,
  tokenSetup,
  type EffectivePermissions,
  type ExcessGrant,
  type PrivilegeRequirement,
  type PrivilegeScope,
  type ProxmoxClient,
  type TokenAccess,
} from "../../lib/proxmox/index.js";
import { describeError, fail, pass, warn, type CheckOutcome } from "./outcome.js";

export interface PrivilegeCheckOptions {
  /**
   * write: the token changes Proxmox (deploy, destroy) and must hold every privilege a run needs.
   * read-only: the token of preflight, plan and drift, which must hold the reads and no privilege
   * that changes anything — so a pull request's plan cannot change Proxmox whatever it runs.
   */
  access: TokenAccess;
  /**
   * The write token's id (not its secret): with a read-only token, preflight reads the write
   * token's permissions (Sys.Audit on /access) and checks them too, before anyone approves a job.
   */
  writeTokenId?: string;
}

/** One token's privileges against what it is for: rows for what is missing and what is too much. */
interface TokenCheck {
  tokenId: string;
  access: TokenAccess;
  /** checked through another token: only the permissions read differ */
  viaUserid: boolean;
  label: string;
}

/**
 * Every privilege the run needs, checked with the token's effective permissions, and what the
 * token holds beyond that on the broad paths (`/`, `/vms`, `/storage`, …). Each missing privilege
 * is its own row (the exact paths, why it is needed, and the pveum commands that grant it); a
 * last row gives the complete, scoped role setup. A write token with more than needed is a
 * warning with the commands that narrow it; a read-only token holding any write privilege fails.
 */
export async function checkPrivileges(
  client: ProxmoxClient,
  plan: ClusterPlan,
  proxmoxMajor: number,
  options: PrivilegeCheckOptions = { access: "write" },
): Promise<{ outcomes: CheckOutcome[]; missing: PrivilegeRequirement[] }> {
  const scope = privilegeScopeOf(plan, proxmoxMajor);
  const own = await checkToken(client, scope, {
    tokenId: client.endpoint.tokenId,
    access: options.access,
    viaUserid: false,
    label: options.access === "read-only" ? "read-only token" : "token",
  });
  if (options.access === "write" || !options.writeTokenId) return own;
  const write = await checkToken(client, scope, {
    tokenId: options.writeTokenId,
    access: "write",
    viaUserid: true,
    label: "write token",
  });
  return { outcomes: [...own.outcomes, ...write.outcomes], missing: [...own.missing] };
}

async function checkToken(
  client: ProxmoxClient,
  scope: PrivilegeScope,
  token: TokenCheck,
): Promise<{ outcomes: CheckOutcome[]; missing: PrivilegeRequirement[] }> {
  const scoped = tokenSetup(scope, token.access);
  const { requirements, role, paths } = scoped;
  const name = `${token.label} privileges`;
  let effective: EffectivePermissions;
  try {
    effective = await effectivePermissions(
      client,
      [...new Set([...permissionPaths(requirements), ...BROAD_PATHS])],
      token.viaUserid ? token.tokenId : undefined,
    );
  } catch (error) {
    const { detail, fix } = describeError(error);
    if (token.viaUserid) {
      return {
        outcomes: [
          warn(
            name,
            `cannot read the permissions of the write token ${token.tokenId}: ${detail}`,
            `let the read-only token read them (Sys.Audit on ${TOKEN_AUDIT_PATH}, part of ${PVE_KUBE_READ_ONLY_ROLE}): \`pveum acl modify ${TOKEN_AUDIT_PATH} --tokens ${shellQuote(client.endpoint.tokenId)} --roles ${PVE_KUBE_READ_ONLY_ROLE}\` (and the same with --users for its user)`,
          ),
        ],
        missing: [],
      };
    }
    return {
      outcomes: [fail(name, `cannot read the token's permissions: ${detail}`, fix)],
      missing: [],
    };
  }
  const missing = missingPrivileges(requirements, effective);
  const setup = () =>
    fullGrantCommands(token.tokenId, scoped.privileges, paths, role)
      .map((c) => `\`${c}\``)
      .join("; ");
  const outcomes: CheckOutcome[] = [];
  if (missing.length === 0) {
    outcomes.push(
      pass(name, `all ${requirements.length} required privileges present on ${paths.length} paths`),
    );
  } else {
    outcomes.push(...missingRows(token, role, missing));
    const missingNames = [...new Set(missing.map((m) => m.privilege))];
    outcomes.push(
      fail(
        name,
        `${missingNames.length} of ${scoped.privileges.length} required privileges are missing (${missingNames.join(", ")})`,
        `set the token up once with every privilege it needs, granted only where it is needed: ${setup()} — the user lines matter for a privilege-separated token, which only keeps what its user also has`,
      ),
    );
  }
  // one role granted on a few scoped paths holds all its privileges on each of them — that is
  // the least a role can be; too much is a grant on a path whose subtree reaches everything
  const excess = excessPrivileges(
    requirements,
    token.access === "write"
      ? Object.fromEntries(Object.entries(effective).filter(([p]) => BROAD_PATHS.includes(p)))
      : effective,
  );
  const harmful =
    token.access === "read-only"
      ? excess
          .map((e) => ({
            ...e,
            privileges: e.privileges.filter(
              (p) =>
                !isReadOnlyPrivilege(p) &&
                // VM.Config.Disk (the role carries it for reading disks) means nothing on a
                // storage, node or SDN path; on a path reaching other VMs it is a write
                !(PLAN_TOKEN_WRITE_EXCEPTIONS.includes(p) && !reachesVms(e.path)),
            ),
          }))
          .filter((e) => e.privileges.length > 0)
      : excess;
  if (harmful.length > 0) {
    const detail =
      token.access === "read-only"
        ? `the token ${token.tokenId} can change Proxmox: it holds ${describeExcess(harmful)}; a plan or drift check with it could change what it only should read`
        : `the token ${token.tokenId} holds more than pve-kube needs: ${describeExcess(harmful)}`;
    const fix =
      `remove the broader grants (\`pveum acl list\` shows them; e.g. ${harmful
        .map(
          (e) =>
            `\`pveum acl delete ${shellQuote(e.path)} --tokens ${shellQuote(token.tokenId)} --roles <role>\``,
        )
        .join(", ")}), then grant ${role} only where it is needed: ${setup()}` +
      (scope.pool
        ? ""
        : " — with proxmox.pool in cluster.yaml, one grant on /pool/<pool> covers every VM");
    outcomes.push(
      token.access === "read-only"
        ? fail(`${token.label} is read-only`, detail, fix)
        : warn(`${token.label} scope`, detail, fix),
    );
  } else if (token.access === "read-only") {
    outcomes.push(
      pass(
        `${token.label} is read-only`,
        "only reads on every path checked — and VM.Config.Disk on the cluster's VMs, which Proxmox requires to read their disks (it allocates nothing without Datastore.AllocateSpace)",
      ),
    );
  }
  return { outcomes, missing };
}

const reachesVms = (path: string) =>
  path === "/" || path === "/vms" || path === "/pool" || /^\/(vms|pool)\//.test(path);

function describeExcess(excess: readonly ExcessGrant[]): string {
  return excess
    .map(
      (e) =>
        `${e.privileges.slice(0, 5).join(", ")}${e.privileges.length > 5 ? ` and ${e.privileges.length - 5} more` : ""} on ${e.path}`,
    )
    .join("; ");
}

function missingRows(
  token: TokenCheck,
  role: string,
  missing: readonly PrivilegeRequirement[],
): CheckOutcome[] {
  const byPrivilege = new Map<string, PrivilegeRequirement[]>();
  for (const m of missing)
    byPrivilege.set(m.privilege, [...(byPrivilege.get(m.privilege) ?? []), m]);
  const subject = token.label === "token" ? "the token" : `the ${token.label}`;
  return [...byPrivilege].map(([privilege, reqs]) => {
    const exact = [...new Set(reqs.map((r) => r.path))];
    const alternatives = reqs[0]?.alternatives ?? [];
    return fail(
      `${token.label === "token" ? "" : `${token.label}: `}privilege ${privilege}`,
      `${subject} ${token.tokenId} lacks ${privilege} on ${formatPaths(exact)}, needed to ${reqs[0]?.why ?? "run pve-kube"}` +
        (alternatives.length
          ? ` (or ${alternatives.map((a) => `${a.privileges.join("+")} on ${a.path}`).join(", or ")})`
          : ""),
      `add it to the token's role and grant that on ${exact.join(", ")}: \`pveum role modify ${role} --append 1 --privs ${privilege}\`, then ` +
        exact
          .map(
            (p) =>
              `\`pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(token.tokenId)} --roles ${role}\``,
          )
          .join(", ") +
        " (the last row creates the role)",
    );
  });
}
