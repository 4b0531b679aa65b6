/**
 * The built-in Proxmox VE roles and their privileges (PVE 8/9), written for pve-sim from the
 * Proxmox documentation of `pveum role list`.
 */
const VM_ALL = [
  "VM.Allocate",
  "VM.Audit",
  "VM.Backup",
  "VM.Clone",
  "VM.Config.CDROM",
  "VM.Config.CPU",
  "VM.Config.Cloudinit",
  "VM.Config.Disk",
  "VM.Config.HWType",
  "VM.Config.Memory",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.Console",
  "VM.GuestAgent.Audit",
  "VM.GuestAgent.FileRead",
  "VM.GuestAgent.FileSystemMgmt",
  "VM.GuestAgent.FileWrite",
  "VM.GuestAgent.Unrestricted",
  "VM.Migrate",
  "VM.PowerMgmt",
  "VM.Replicate",
  "VM.Snapshot",
  "VM.Snapshot.Rollback",
];
const DATASTORE_ALL = [
  "Datastore.Allocate",
  "Datastore.AllocateSpace",
  "Datastore.AllocateTemplate",
  "Datastore.Audit",
];
const SYS_ALL = [
  "Sys.AccessNetwork",
  "Sys.Audit",
  "Sys.Console",
  "Sys.Incoming",
  "Sys.Modify",
  "Sys.PowerMgmt",
  "Sys.Syslog",
];
const OTHERS = [
  "Group.Allocate",
  "Mapping.Audit",
  "Mapping.Modify",
  "Mapping.Use",
  "Permissions.Modify",
  "Pool.Allocate",
  "Pool.Audit",
  "Realm.Allocate",
  "Realm.AllocateUser",
  "SDN.Allocate",
  "SDN.Audit",
  "SDN.Use",
  "User.Modify",
];

export const ALL_PRIVILEGES = [...VM_ALL, ...DATASTORE_ALL, ...SYS_ALL, ...OTHERS].sort();

export const BUILTIN_ROLES: Record<string, string[]> = {
  Administrator: ALL_PRIVILEGES,
  NoAccess: [],
  PVEAdmin: ALL_PRIVILEGES.filter((p) => p !== "Permissions.Modify" && p !== "Realm.Allocate"),
  PVEAuditor: [
    "Datastore.Audit",
    "Mapping.Audit",
    "Pool.Audit",
    "SDN.Audit",
    "Sys.Audit",
    "VM.Audit",
    "VM.GuestAgent.Audit",
  ],
  PVEDatastoreAdmin: DATASTORE_ALL,
  PVEDatastoreUser: ["Datastore.AllocateSpace", "Datastore.Audit"],
  PVEPoolAdmin: ["Pool.Allocate", "Pool.Audit"],
  PVEPoolUser: ["Pool.Audit"],
  PVESDNAdmin: ["SDN.Allocate", "SDN.Audit"],
  PVESDNUser: ["SDN.Audit", "SDN.Use"],
  PVESysAdmin: [
    "Sys.Audit",
    "Sys.Console",
    "Sys.Syslog",
    "Sys.AccessNetwork",
    "Sys.Modify",
    "Sys.PowerMgmt",
    "Permissions.Modify",
  ],
  PVETemplateUser: ["VM.Audit", "VM.Clone"],
  PVEUserAdmin: ["Group.Allocate", "Realm.AllocateUser", "User.Modify"],
  PVEVMAdmin: VM_ALL,
  PVEVMUser: [
    "VM.Audit",
    "VM.Backup",
    "VM.Config.CDROM",
    "VM.Config.Cloudinit",
    "VM.Console",
    "VM.GuestAgent.Audit",
    "VM.PowerMgmt",
  ],
};
