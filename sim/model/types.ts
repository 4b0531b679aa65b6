/** pve-sim's in-memory model of a Proxmox VE cluster. Plain data, so it can be snapshotted and persisted. */
export interface SimNode {
  name: string;
  online: boolean;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  bridges: { iface: string; vlanAware: boolean; cidr?: string }[];
}

export interface SimStorage {
  id: string;
  type: "dir" | "lvmthin" | "nfs" | "rbd" | "zfspool";
  content: string[];
  shared: boolean;
  total: number;
  /** file-based storages can hold iso/import/snippets */
  fileBased: boolean;
  /** directory of a file-based storage (`/var/lib/vz`, `/mnt/pve/<id>`) */
  path?: string;
  /** volume group of an LVM storage (`pve`) */
  vgname?: string;
  /** fault injection: probability that a file lock on this storage times out */
  overloaded?: number;
}

export interface SimVolume {
  volid: string;
  storage: string;
  /** node holding it for local storage; undefined on shared storage */
  node?: string;
  vmid?: number;
  content: "images" | "import" | "iso" | "vztmpl" | "snippets" | "backup";
  format: string;
  size: number;
  ctime: number;
  /** base volume of a linked clone */
  parent?: string;
  /**
   * the host file holding the volume's bytes (an uploaded or registered image; with guests, a
   * disk imported from an ext4 image boots from it). Disks made from it keep the same path.
   */
  hostPath?: string;
}

export interface SimVm {
  vmid: number;
  node: string;
  config: Record<string, string>;
  pending: Record<string, string>;
  pendingDelete: string[];
  status: "running" | "stopped";
  startedAt?: number;
  /** when the guest agent answers (ms epoch) */
  agentReadyAt?: number;
  pool?: string;
}

export interface SimTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime?: number;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status: "running" | "stopped";
  exitstatus?: string;
  log: string[];
  /** wall-clock ms, for the admin task timeline */
  startedMs: number;
  endedMs?: number;
}

export interface SimUser {
  userid: string;
  enable: boolean;
  password?: string;
  tokens: Record<string, { secret: string; privsep: boolean; comment?: string }>;
}

/** A user group (`pveum group add`); ACL entries for it apply to every member. */
export interface SimGroup {
  groupid: string;
  comment?: string;
  /** user ids (`kube@pve`) */
  members: string[];
}

export interface SimAcl {
  path: string;
  /** `user@realm`, `user@realm!token` or a group id, as `GET /access/acl` shows it */
  ugid: string;
  type: "user" | "token" | "group";
  roleid: string;
  propagate: boolean;
}

export interface SimPool {
  poolid: string;
  comment?: string;
  vmids: number[];
  storages: string[];
}

export interface SimHaResource {
  sid: string;
  state: string;
  comment?: string;
  max_restart?: number;
  max_relocate?: number;
}

export interface SimState {
  clusterName: string;
  nodes: SimNode[];
  storages: SimStorage[];
  volumes: SimVolume[];
  vms: SimVm[];
  tasks: SimTask[];
  users: SimUser[];
  roles: Record<string, string[]>;
  groups: SimGroup[];
  acls: SimAcl[];
  pools: SimPool[];
  ha: SimHaResource[];
  /** files reachable by download-url / query-url-metadata (url → size, sha256); registered by admin */
  remoteFiles: Record<
    string,
    /** `path`: a host file the download "fetches" (its volume's hostPath: a lab image boots) */
    { size: number; sha256: string; sha512?: string; mimetype: string; path?: string }
  >;
  nextPid: number;
  /**
   * host files pve-sim wrote itself (uploads kept on disk, `filesDir`): each is deleted with the
   * last volume whose hostPath it is
   */
  ownedFiles?: string[];
}
