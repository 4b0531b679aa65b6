import { BUILTIN_ROLES } from "./roles.js";
import type { SimState } from "./types.js";

const GiB = 1024 ** 3;

export interface SeedOptions {
  nodes: string[];
  rootTokenSecret: string;
  rootPassword: string;
}

/**
 * A fresh cluster: nodes with CPU/RAM, `local` (dir: iso, vztmpl, backup, import — the storage.cfg
 * the Proxmox VE 9 installer writes for an LVM-thin install) and `local-lvm` (lvmthin: images,
 * rootdir) on every node, a `shared` NFS storage (images, import, iso), a VLAN-aware
 * vmbr0, root@pam with the API token `root@pam!pve-kube` (not privilege-separated).
 */
export function seedState(options: SeedOptions): SimState {
  return {
    clusterName: "pve-sim",
    nodes: options.nodes.map((name) => ({
      name,
      online: true,
      maxcpu: 32,
      maxmem: 128 * GiB,
      maxdisk: 100 * GiB,
      bridges: [{ iface: "vmbr0", vlanAware: true, cidr: "10.0.20.2/24" }],
    })),
    storages: [
      {
        id: "local",
        type: "dir",
        content: ["iso", "vztmpl", "backup", "import"],
        shared: false,
        total: 100 * GiB,
        fileBased: true,
        path: "/var/lib/vz",
      },
      {
        id: "local-lvm",
        type: "lvmthin",
        content: ["images", "rootdir"],
        shared: false,
        total: 1024 * GiB,
        fileBased: false,
        vgname: "pve",
      },
      {
        id: "shared",
        type: "nfs",
        content: ["images", "import", "iso"],
        shared: true,
        total: 4096 * GiB,
        fileBased: true,
        path: "/mnt/pve/shared",
      },
    ],
    volumes: [],
    vms: [],
    tasks: [],
    users: [
      {
        userid: "root@pam",
        enable: true,
        password: options.rootPassword,
        tokens: {
          "pve-kube": {
            secret: options.rootTokenSecret,
            privsep: false,
            comment: "pve-sim root token",
          },
        },
      },
    ],
    roles: structuredClone(BUILTIN_ROLES),
    groups: [],
    acls: [],
    pools: [],
    ha: [],
    remoteFiles: {},
    nextPid: 0x1000,
  };
}
