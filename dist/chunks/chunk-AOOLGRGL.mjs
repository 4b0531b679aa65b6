import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/proxmox/pveum.ts
var PVE_KUBE_ROLE = "PVEKube";
function shellQuote(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
__name(shellQuote, "shellQuote");
function tokenUser(tokenId) {
  const bang = tokenId.indexOf("!");
  return bang > 0 ? tokenId.slice(0, bang) : tokenId;
}
__name(tokenUser, "tokenUser");
function grantCommands(tokenId, missing, role = PVE_KUBE_ROLE) {
  const privileges = [...new Set(missing.flatMap((m) => m.privileges))].sort();
  const paths = [...new Set(missing.map((m) => m.path))].sort();
  const privs = shellQuote(privileges.join(","));
  return [
    `pveum role add ${role} --privs ${privs}`,
    ...paths.map(
      (p) => `pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(tokenId)} --roles ${role}`
    )
  ];
}
__name(grantCommands, "grantCommands");
function grantAdvice(tokenId, missing, role = PVE_KUBE_ROLE) {
  const privileges = [...new Set(missing.flatMap((m) => m.privileges))].sort();
  const paths = [...new Set(missing.map((m) => m.path))].sort();
  const commands = grantCommands(tokenId, missing, role);
  const user = tokenUser(tokenId);
  return `grant it on the Proxmox host: \`${commands.join("` then `")}\` (if the role ${role} already exists, use \`pveum role modify ${role} --append 1 --privs ${shellQuote(privileges.join(","))}\` instead of \`role add\`; a privilege-separated token only keeps what its user also has, so the user may need it too: \`${paths.map((p) => `pveum acl modify ${shellQuote(p)} --users ${shellQuote(user)} --roles ${role}`).join("` and `")}\`)`;
}
__name(grantAdvice, "grantAdvice");
function formatPaths(paths, max = 4) {
  if (paths.length <= max) return paths.join(", ");
  return `${paths.slice(0, max).join(", ")}, \u2026 (${paths.length} paths)`;
}
__name(formatPaths, "formatPaths");
function fullGrantCommands(tokenId, allPrivileges, paths, role = PVE_KUBE_ROLE) {
  const privs = shellQuote([...new Set(allPrivileges)].sort().join(","));
  const user = tokenUser(tokenId);
  return [
    `pveum role add ${role} --privs ${privs}`,
    ...paths.flatMap((p) => [
      `pveum acl modify ${shellQuote(p)} --users ${shellQuote(user)} --roles ${role}`,
      `pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(tokenId)} --roles ${role}`
    ])
  ];
}
__name(fullGrantCommands, "fullGrantCommands");

// actions/lib/proxmox/privileges.ts
function vmPrivileges(major) {
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
    major >= 9 ? ["VM.GuestAgent.Audit", "read VM IP addresses from the guest agent"] : ["VM.Monitor", "read VM IP addresses from the guest agent"]
  ];
}
__name(vmPrivileges, "vmPrivileges");
function privilegeScopeOf(plan, proxmoxMajor) {
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
    ...plan.network.vlan !== void 0 ? { vlan: plan.network.vlan } : {},
    ...plan.proxmox.pool ? { pool: plan.proxmox.pool } : {},
    downloadUrl: plan.template.source === "download-url",
    proxmoxMajor
  };
}
__name(privilegeScopeOf, "privilegeScopeOf");
function requiredPrivileges(scope) {
  const out = [];
  const add = /* @__PURE__ */ __name((path, privilege, why, alternatives) => {
    if (!out.some((r) => r.path === path && r.privilege === privilege))
      out.push({ path, privilege, why, ...alternatives ? { alternatives } : {} });
  }, "add");
  const vmPath = /* @__PURE__ */ __name((vmid) => scope.pool ? `/pool/${scope.pool}` : `/vms/${vmid}`, "vmPath");
  for (const vmid of [.../* @__PURE__ */ new Set([scope.templateVmid, ...scope.vmids])].sort((a, b) => a - b)) {
    for (const [privilege, why] of vmPrivileges(scope.proxmoxMajor))
      add(vmPath(vmid), privilege, why);
  }
  add(vmPath(scope.templateVmid), "VM.Clone", "clone the cluster VMs from the template");
  for (const vmid of [...new Set(scope.migratedVmids ?? [])].sort((a, b) => a - b)) {
    add(
      vmPath(vmid),
      "VM.Migrate",
      "move the clone from the template's node to its own node (template on local storage)"
    );
  }
  for (const storage of /* @__PURE__ */ new Set([scope.diskStorage, scope.templateStorage])) {
    add(
      `/storage/${storage}`,
      "Datastore.AllocateSpace",
      "allocate VM disks and cloud-init drives"
    );
    add(`/storage/${storage}`, "Datastore.Audit", "read storage status and free space");
  }
  add(
    `/storage/${scope.imageStorage}`,
    "Datastore.AllocateTemplate",
    scope.downloadUrl ? "let Proxmox download the cloud image" : "upload the customised cloud image"
  );
  add(`/storage/${scope.imageStorage}`, "Datastore.Audit", "find an already imported cloud image");
  for (const node of /* @__PURE__ */ new Set([scope.templateNode, ...scope.nodes]))
    add(`/nodes/${node}`, "Sys.Audit", "read node CPU, memory and the status of tasks");
  if (scope.downloadUrl) {
    add(
      `/nodes/${scope.templateNode}`,
      "Sys.AccessNetwork",
      "let the node download the cloud image (download-url)",
      [{ path: "/", privileges: ["Sys.Audit", "Sys.Modify"] }]
    );
  }
  const sdnPath = `/sdn/zones/localnetwork/${scope.bridge}${scope.vlan !== void 0 ? `/${scope.vlan}` : ""}`;
  add(
    sdnPath,
    "SDN.Use",
    `attach VM network cards to ${scope.bridge}${scope.vlan !== void 0 ? ` (VLAN ${scope.vlan})` : ""}`
  );
  if (scope.pool) {
    add(`/pool/${scope.pool}`, "Pool.Audit", "read the resource pool");
    add(`/pool/${scope.pool}`, "Pool.Allocate", "add the cluster VMs to the resource pool");
  }
  return out;
}
__name(requiredPrivileges, "requiredPrivileges");
function tokenSetup(scope, access) {
  const requirements = access === "write" ? requiredPrivileges(scope) : readOnlyRequirements(scope);
  return {
    role: TOKEN_ROLES[access].role,
    requirements,
    privileges: [...new Set(requirements.map((r) => r.privilege))].sort(),
    paths: [...new Set(requirements.map((r) => r.path))].sort()
  };
}
__name(tokenSetup, "tokenSetup");
var TOKEN_AUDIT_PATH = "/access";
function missingPrivileges(requirements, effective) {
  const has = /* @__PURE__ */ __name((path, privilege) => effective[path]?.[privilege] !== void 0, "has");
  return requirements.filter(
    (r) => !has(r.path, r.privilege) && !(r.alternatives ?? []).some((alt) => alt.privileges.every((p) => has(alt.path, p)))
  );
}
__name(missingPrivileges, "missingPrivileges");
function permissionPaths(requirements) {
  return [
    ...new Set(requirements.flatMap((r) => [r.path, ...(r.alternatives ?? []).map((a) => a.path)]))
  ];
}
__name(permissionPaths, "permissionPaths");
function pveKubeRolePrivileges(proxmoxMajor = 9) {
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
    proxmoxMajor
  });
  return [...new Set(everything.map((r) => r.privilege))].sort();
}
__name(pveKubeRolePrivileges, "pveKubeRolePrivileges");
var PVE_KUBE_READ_ONLY_ROLE = "PVEKubeReadOnly";
function isReadOnlyPrivilege(privilege) {
  return /\.Audit$/.test(privilege);
}
__name(isReadOnlyPrivilege, "isReadOnlyPrivilege");
function readOnlyRequirements(scope) {
  const all = requiredPrivileges({ ...scope, downloadUrl: false });
  const reads = all.filter((r) => isReadOnlyPrivilege(r.privilege));
  const diskReads = all.filter((r) => r.privilege === "VM.Config.Disk").map((r) => ({ ...r, why: PLAN_DISK_READ }));
  return [...reads, ...diskReads];
}
__name(readOnlyRequirements, "readOnlyRequirements");
var PLAN_DISK_READ = "read the format of each VM disk: Proxmox shows a VM's disk volume only to holders of VM.Config.Disk on that VM (the bpg provider reads it on every refresh)";
var PLAN_TOKEN_WRITE_EXCEPTIONS = ["VM.Config.Disk"];
function pveKubeReadOnlyRolePrivileges(proxmoxMajor = 9) {
  return pveKubeRolePrivileges(proxmoxMajor).filter(
    (p) => isReadOnlyPrivilege(p) || PLAN_TOKEN_WRITE_EXCEPTIONS.includes(p)
  );
}
__name(pveKubeReadOnlyRolePrivileges, "pveKubeReadOnlyRolePrivileges");
var BROAD_PATHS = ["/", "/vms", "/storage", "/nodes", "/pool", "/access", "/sdn"];
function excessPrivileges(requirements, effective, allowed = () => true) {
  const needed = /* @__PURE__ */ new Map();
  const need = /* @__PURE__ */ __name((path, privilege) => needed.set(path, /* @__PURE__ */ new Set([...needed.get(path) ?? [], privilege])), "need");
  for (const r of requirements) {
    need(r.path, r.privilege);
    for (const alt of r.alternatives ?? []) for (const p of alt.privileges) need(alt.path, p);
  }
  const paths = Object.keys(effective).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const reported = /* @__PURE__ */ new Map();
  const out = [];
  for (const path of paths) {
    const fromAbove = new Set(
      [...reported].filter(([p]) => isAncestor(p, path)).flatMap(([, privs]) => [...privs])
    );
    const privileges = Object.keys(effective[path] ?? {}).filter((p) => !(needed.get(path)?.has(p) === true && allowed(p)) && !fromAbove.has(p)).sort();
    if (privileges.length === 0) continue;
    reported.set(path, new Set(privileges));
    out.push({ path, privileges });
  }
  return out;
}
__name(excessPrivileges, "excessPrivileges");
var depth = /* @__PURE__ */ __name((path) => path === "/" ? 0 : path.split("/").length - 1, "depth");
var isAncestor = /* @__PURE__ */ __name((parent, child) => parent !== child && (parent === "/" || child.startsWith(`${parent}/`)), "isAncestor");
var TOKEN_ROLES = {
  write: { role: PVE_KUBE_ROLE, privileges: pveKubeRolePrivileges },
  "read-only": { role: PVE_KUBE_READ_ONLY_ROLE, privileges: pveKubeReadOnlyRolePrivileges }
};

export {
  shellQuote,
  grantAdvice,
  formatPaths,
  fullGrantCommands,
  privilegeScopeOf,
  tokenSetup,
  TOKEN_AUDIT_PATH,
  missingPrivileges,
  permissionPaths,
  PVE_KUBE_READ_ONLY_ROLE,
  isReadOnlyPrivilege,
  PLAN_TOKEN_WRITE_EXCEPTIONS,
  BROAD_PATHS,
  excessPrivileges,
  TOKEN_ROLES
};
