import type { ClusterPlan } from "../config/index.js";
import { PVE_KUBE_ROLE } from "./pveum.js";

/**
 * Every privilege a whole pve-kube run needs (preflight → build-template → tofu-provision → …
 * → destroy), with the ACL path Proxmox checks it on and why. Preflight asks Proxmox for the
 * token's effective permissions on each path and names each missing one.
 * Sources: the `permissions` of each API method pve-kube and the bpg provider call
 * (pve-manager / qemu-server API schema).
 */
export interface PrivilegeRequirement {
  path: string;
  privilege: string;
  why: string;
  /** other ways to satisfy it (Proxmox accepts any one of the alternatives) */
  alternatives?: { path: string; privileges: string[] }[];
}

export interface PrivilegeScope {
  /** every VMID the run creates or manages (cluster VMs, template VMID) */
  vmids: readonly number[];
  /**
   * VMs placed on another node than the template's: with the template's disk on local storage the
   * bpg provider clones them on the template's node and then migrates them (VM.Migrate)
   */
  migratedVmids?: readonly number[];
  /** the template VMID (VM.Clone is checked on it) */
  templateVmid: number;
  /** nodes the run places VMs on */
  nodes: readonly string[];
  templateNode: string;
  diskStorage: string;
  templateStorage: string;
  imageStorage: string;
  bridge: string;
  vlan?: number;
  pool?: string;
  /** download-url lets Proxmox fetch the image itself (needs network access on the node) */
  downloadUrl: boolean;
  /** Proxmox VE major version: 8 reads the guest agent with VM.Monitor, 9 with VM.GuestAgent.Audit */
  proxmoxMajor: number;
}

/** VM privileges on every managed VMID: create/destroy, configure, start/stop, read. */
function vmPrivileges(major: number): [string, string][] {
  return [
    ["VM.Allocate", "create, convert to template and destroy VMs"],
    ["VM.Audit", "read VM configuration and status"],
    ["VM.Config.Disk", "attach, import and resize disks"],
    ["VM.Config.CDROM", "attach the cloud-init drive"],
    ["VM.Config.CPU", "set cores and CPU type"],
    ["VM.Config.Memory", "set memory"],
    ["VM.Config.Network", "attach the network card"],
    ["VM.Config.HWType", "set machine, BIOS, serial console and SCSI controller"],
    ["VM.Config.Options", "set name, tags, description, agent and boot options"],
    ["VM.Config.Cloudinit", "set cloud-init user, keys and static IPs"],
    ["VM.PowerMgmt", "start, shut down and stop VMs"],
    major >= 9
      ? ["VM.GuestAgent.Audit", "read VM IP addresses from the guest agent"]
      : ["VM.Monitor", "read VM IP addresses from the guest agent"],
  ];
}

/** What the whole run touches, from the plan. */
export function privilegeScopeOf(plan: ClusterPlan, proxmoxMajor: number): PrivilegeScope {
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

export function requiredPrivileges(scope: PrivilegeScope): PrivilegeRequirement[] {
  const out: PrivilegeRequirement[] = [];
  const add = (
    path: string,
    privilege: string,
    why: string,
    alternatives?: PrivilegeRequirement["alternatives"],
  ) => {
    if (!out.some((r) => r.path === path && r.privilege === privilege))
      out.push({ path, privilege, why, ...(alternatives ? { alternatives } : {}) });
  };
  // with a pool, every VM of the run (the template too) is created into it and inherits the
  // roles held on /pool/<pool>, as Proxmox does for pool members: one scoped grant covers them
  const vmPath = (vmid: number) => (scope.pool ? `/pool/${scope.pool}` : `/vms/${vmid}`);
  for (const vmid of [...new Set([scope.templateVmid, ...scope.vmids])].sort((a, b) => a - b)) {
    for (const [privilege, why] of vmPrivileges(scope.proxmoxMajor))
      add(vmPath(vmid), privilege, why);
  }
  add(vmPath(scope.templateVmid), "VM.Clone", "clone the cluster VMs from the template");
  for (const vmid of [...new Set(scope.migratedVmids ?? [])].sort((a, b) => a - b)) {
    add(
      vmPath(vmid),
      "VM.Migrate",
      "move the clone from the template's node to its own node (template on local storage)",
    );
  }
  for (const storage of new Set([scope.diskStorage, scope.templateStorage])) {
    add(
      `/storage/${storage}`,
      "Datastore.AllocateSpace",
      "allocate VM disks and cloud-init drives",
    );
    add(`/storage/${storage}`, "Datastore.Audit", "read storage status and free space");
  }
  add(
    `/storage/${scope.imageStorage}`,
    "Datastore.AllocateTemplate",
    scope.downloadUrl
      ? "let Proxmox download the cloud image"
      : "upload the customised cloud image",
  );
  add(`/storage/${scope.imageStorage}`, "Datastore.Audit", "find an already imported cloud image");
  for (const node of new Set([scope.templateNode, ...scope.nodes]))
    add(`/nodes/${node}`, "Sys.Audit", "read node CPU, memory and the status of tasks");
  if (scope.downloadUrl) {
    add(
      `/nodes/${scope.templateNode}`,
      "Sys.AccessNetwork",
      "let the node download the cloud image (download-url)",
      [{ path: "/", privileges: ["Sys.Audit", "Sys.Modify"] }],
    );
  }
  const sdnPath = `/sdn/zones/localnetwork/${scope.bridge}${scope.vlan !== undefined ? `/${scope.vlan}` : ""}`;
  add(
    sdnPath,
    "SDN.Use",
    `attach VM network cards to ${scope.bridge}${scope.vlan !== undefined ? ` (VLAN ${scope.vlan})` : ""}`,
  );
  if (scope.pool) {
    add(`/pool/${scope.pool}`, "Pool.Audit", "read the resource pool");
    add(`/pool/${scope.pool}`, "Pool.Allocate", "add the cluster VMs to the resource pool");
  }
  return out;
}

/**
 * What a token is for. write: it changes Proxmox (deploy, destroy). read-only: the token of
 * preflight, plan and drift, which reads only.
 */
export type TokenAccess = "write" | "read-only";

/**
 * The scoped setup of one cluster's token: its role, the privileges the run needs and the ACL
 * paths to grant the role on — exactly the paths of the requirements, never a parent of them
 * (`/pool/<pool>`, each storage, each node, the bridge's SDN path; `/vms/<id>` per VM without a
 * pool). Preflight prints it as `pveum` commands; the embedded demo and the lab grant it so.
 */
export interface TokenSetup {
  role: string;
  requirements: PrivilegeRequirement[];
  /** every privilege the requirements name, sorted */
  privileges: string[];
  /** every ACL path the requirements name, sorted */
  paths: string[];
}

export function tokenSetup(scope: PrivilegeScope, access: TokenAccess): TokenSetup {
  const requirements = access === "write" ? requiredPrivileges(scope) : readOnlyRequirements(scope);
  return {
    role: TOKEN_ROLES[access].role,
    requirements,
    privileges: [...new Set(requirements.map((r) => r.privilege))].sort(),
    paths: [...new Set(requirements.map((r) => r.path))].sort(),
  };
}

/**
 * Where a read-only token needs Sys.Audit to read the write token's permissions (preflight's
 * `write-token-id`): Proxmox shows another user's or token's permissions only to holders of
 * Sys.Audit on `/access`.
 */
export const TOKEN_AUDIT_PATH = "/access";

/** Privileges by path, as Proxmox's permissions API answers them. */
export type EffectivePermissions = Record<string, Record<string, number>>;

export type MissingPrivilege = PrivilegeRequirement;

/** The requirements that none of the permission sets satisfy. Pure, for tests and the report. */
export function missingPrivileges(
  requirements: readonly PrivilegeRequirement[],
  effective: EffectivePermissions,
): MissingPrivilege[] {
  const has = (path: string, privilege: string) => effective[path]?.[privilege] !== undefined;
  return requirements.filter(
    (r) =>
      !has(r.path, r.privilege) &&
      !(r.alternatives ?? []).some((alt) => alt.privileges.every((p) => has(alt.path, p))),
  );
}

/** Every ACL path whose effective permissions must be read. */
export function permissionPaths(requirements: readonly PrivilegeRequirement[]): string[] {
  return [
    ...new Set(requirements.flatMap((r) => [r.path, ...(r.alternatives ?? []).map((a) => a.path)])),
  ];
}

/**
 * The privileges of the PVEKube role docs/proxmox-client.md recommends: everything any pve-kube
 * run may need (download-url, migration to other nodes, a pool), granted on the scoped paths.
 */
export function pveKubeRolePrivileges(proxmoxMajor = 9): string[] {
  const everything = requiredPrivileges({
    vmids: [100],
    migratedVmids: [100],
    templateVmid: 101,
    nodes: ["node"],
    templateNode: "node",
    diskStorage: "storage",
    templateStorage: "storage",
    imageStorage: "storage",
    bridge: "bridge",
    pool: "pool",
    downloadUrl: true,
    proxmoxMajor,
  });
  return [...new Set(everything.map((r) => r.privilege))].sort();
}

/** The role pve-kube suggests for the token of preflight, plan and drift: reads only. */
export const PVE_KUBE_READ_ONLY_ROLE = "PVEKubeReadOnly";

/**
 * A privilege that only reads (`*.Audit`: VM.Audit, Datastore.Audit, Sys.Audit, Pool.Audit,
 * SDN.Audit, VM.GuestAgent.Audit, …). Everything else can change something — VM.Monitor too,
 * which reaches the QEMU monitor.
 */
export function isReadOnlyPrivilege(privilege: string): boolean {
  return /\.Audit$/.test(privilege);
}

/**
 * What a plan, a drift check or preflight needs: the read privileges of the same requirements
 * (derived from requiredPrivileges, so the two roles cannot drift apart).
 */
export function readOnlyRequirements(scope: PrivilegeScope): PrivilegeRequirement[] {
  const all = requiredPrivileges({ ...scope, downloadUrl: false });
  const reads = all.filter((r) => isReadOnlyPrivilege(r.privilege));
  // the one exception, forced by Proxmox: showing a VM disk's volume (GET storage content, which
  // the bpg provider does on every refresh for disks whose config has no format=) requires
  // VM.Config.Disk on the VM owning it (PVE::Storage::check_volume_access) — no audit privilege
  // will do. Without Datastore.AllocateSpace it cannot allocate, resize or import anything.
  const diskReads = all
    .filter((r) => r.privilege === "VM.Config.Disk")
    .map((r) => ({ ...r, why: PLAN_DISK_READ }));
  return [...reads, ...diskReads];
}

const PLAN_DISK_READ =
  "read the format of each VM disk: Proxmox shows a VM's disk volume only to holders of VM.Config.Disk on that VM (the bpg provider reads it on every refresh)";

/**
 * Privileges a plan token may hold although they are not `*.Audit`: VM.Config.Disk, which Proxmox
 * requires to read a VM disk's volume (see readOnlyRequirements); only on the VM paths.
 */
export const PLAN_TOKEN_WRITE_EXCEPTIONS = ["VM.Config.Disk"];

/**
 * The privileges of the PVEKubeReadOnly role: the read half of PVEKube's, derived from it, plus
 * VM.Config.Disk (which Proxmox requires to read a VM disk's volume; readOnlyRequirements).
 */
export function pveKubeReadOnlyRolePrivileges(proxmoxMajor = 9): string[] {
  return pveKubeRolePrivileges(proxmoxMajor).filter(
    (p) => isReadOnlyPrivilege(p) || PLAN_TOKEN_WRITE_EXCEPTIONS.includes(p),
  );
}

/**
 * Paths looked at for privileges the run does not need there: the roots whose grants reach every
 * VM, storage, node, pool, user or SDN object (a grant on `/` is the usual over-grant).
 */
export const BROAD_PATHS = ["/", "/vms", "/storage", "/nodes", "/pool", "/access", "/sdn"];

export interface ExcessGrant {
  path: string;
  /** privileges held on `path` that no requirement needs there */
  privileges: string[];
}

/**
 * Privileges the token holds beyond what the requirements need, per path: on a broad path every
 * privilege not required on that exact path is excess; a privilege already excess on a parent
 * path is reported there only (a grant on `/` shows up once, not on every path below it).
 * `allowed` narrows what is acceptable at all (a read-only token: reads only). Pure.
 */
export function excessPrivileges(
  requirements: readonly PrivilegeRequirement[],
  effective: EffectivePermissions,
  allowed: (privilege: string) => boolean = () => true,
): ExcessGrant[] {
  const needed = new Map<string, Set<string>>();
  const need = (path: string, privilege: string) =>
    needed.set(path, new Set([...(needed.get(path) ?? []), privilege]));
  for (const r of requirements) {
    need(r.path, r.privilege);
    for (const alt of r.alternatives ?? []) for (const p of alt.privileges) need(alt.path, p);
  }
  const paths = Object.keys(effective).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const reported = new Map<string, Set<string>>();
  const out: ExcessGrant[] = [];
  for (const path of paths) {
    const fromAbove = new Set(
      [...reported].filter(([p]) => isAncestor(p, path)).flatMap(([, privs]) => [...privs]),
    );
    const privileges = Object.keys(effective[path] ?? {})
      .filter((p) => !(needed.get(path)?.has(p) === true && allowed(p)) && !fromAbove.has(p))
      .sort();
    if (privileges.length === 0) continue;
    reported.set(path, new Set(privileges));
    out.push({ path, privileges });
  }
  return out;
}

const depth = (path: string) => (path === "/" ? 0 : path.split("/").length - 1);
const isAncestor = (parent: string, child: string) =>
  parent !== child && (parent === "/" || child.startsWith(`${parent}/`));

/**
 * The role of each kind of token, with the privileges docs/proxmox-client.md gives it: one role
 * for every cluster (PVEKube holds what any run may need), granted on each cluster's paths.
 */
export const TOKEN_ROLES: Record<
  TokenAccess,
  { role: string; privileges: (proxmoxMajor: number) => string[] }
> = {
  write: { role: PVE_KUBE_ROLE, privileges: pveKubeRolePrivileges },
  "read-only": { role: PVE_KUBE_READ_ONLY_ROLE, privileges: pveKubeReadOnlyRolePrivileges },
};
