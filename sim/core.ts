import { die, PveError } from "./http/pve-error.js";
import { seededRandom, type FaultOptions } from "./faults.js";
import type { GuestHost } from "./guests/index.js";
import type { SimState, SimTask, SimVm } from "./model/types.js";

export interface Identity {
  userid: string;
  /** `user@realm!token` when authenticated by an API token */
  tokenid?: string;
}

export interface SimRequest {
  method: string;
  path: string;
  status: number;
  mutating: boolean;
  tokenId?: string;
  at: number;
  ms: number;
}

export interface TaskTimelineEntry {
  upid: string;
  node: string;
  type: string;
  id: string;
  startMs: number;
  endMs?: number;
  exitstatus?: string;
}

/** Realistic task durations in ms before scaling (calibrated from the research notes §8). */
export const TASK_DURATIONS_MS: Record<string, number> = {
  qmcreate: 5000,
  qmtemplate: 1000,
  qmclone: 2000,
  qmclonefull: 10000,
  qmigrate: 3000,
  resize: 1000,
  qmstart: 2000,
  qmstop: 1000,
  qmshutdown: 5000,
  qmreboot: 5000,
  qmdestroy: 2000,
  qmconfig: 500,
  download: 5000,
  imgcopy: 2000,
  agentReady: 20000,
};

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  who: Identity;
  durationMs: number;
  /**
   * runs when the task ends; throw to fail the task with that message. A promise (real work on
   * the host, e.g. booting a guest) keeps the task running until it settles.
   */
  run: (log: (line: string) => void) => void | Promise<void>;
  /** runs instead of `run`'s effects when the task fails (undo what the handler prepared) */
  onFail?: () => void;
  /** lines logged at once when the task starts */
  startLog?: string[];
  /** this task may hit an injected file-lock timeout or storage error */
  faultable?: "lock" | "storage";
}

/** The simulator's state and the machinery every route uses. */
export class SimCore {
  readonly requests: SimRequest[] = [];
  readonly random: () => number;
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** the API certificate's SHA-256 fingerprint, which `/nodes` reports as every node's `ssl_fingerprint` */
  certFingerprint = "";
  /** real guests (`startPveSim({ guests })`): a started VM with a lab image is a real machine */
  guests: GuestHost | undefined;
  /**
   * where file-based storages keep the bytes of uploaded files (uploads stream there, a disk
   * imported from one boots from it); undefined: uploads are hashed and their bytes dropped
   */
  filesDir: string | undefined;

  constructor(
    public state: SimState,
    public timeScale: number,
    public faults: FaultOptions,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  scaled(ms: number): number {
    return Math.round(ms * this.timeScale);
  }

  now(): number {
    return Date.now();
  }

  isOffline(node: string): boolean {
    return this.faults.offlineNodes?.includes(node) ?? false;
  }

  node(name: string) {
    const node = this.state.nodes.find((n) => n.name === name);
    if (!node)
      throw die(
        `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
      );
    if (this.isOffline(name))
      throw new PveError(
        595,
        "Errors during connection establishment, proxy handshake: Connection refused",
        undefined,
        true,
      );
    return node;
  }

  vm(node: string, vmid: number): SimVm {
    const vm = this.state.vms.find((v) => v.vmid === vmid);
    if (!vm || vm.node !== node)
      throw die(`Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`);
    return vm;
  }

  findVm(vmid: number): SimVm | undefined {
    return this.state.vms.find((v) => v.vmid === vmid);
  }

  upid(
    node: string,
    type: string,
    id: string,
    who: Identity,
    pid: number,
    starttime: number,
  ): string {
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");
    return `UPID:${node}:${hex(pid)}:${hex(pid * 7 + 0x100000)}:${hex(starttime)}:${type}:${id}:${who.tokenid ?? who.userid}:`;
  }

  /** Starts a worker task and returns its UPID at once, like a forked Proxmox worker. */
  startTask(spec: TaskSpec): string {
    const pid = this.state.nextPid++;
    const startedMs = this.now();
    const starttime = Math.floor(startedMs / 1000);
    const task: SimTask = {
      upid: this.upid(spec.node, spec.type, spec.id, spec.who, pid, starttime),
      node: spec.node,
      pid,
      pstart: pid * 7 + 0x100000,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.who.userid,
      ...(spec.who.tokenid ? { tokenid: spec.who.tokenid.split("!")[1] ?? "" } : {}),
      status: "running",
      log: [...(spec.startLog ?? [])],
      startedMs,
    };
    this.state.tasks.push(task);
    const finish = async () => {
      if (task.status === "stopped") return; // stopped through DELETE /tasks/{upid}
      let error: string | undefined;
      try {
        const injected = this.injectedTaskFault(spec);
        if (injected) throw new Error(injected);
        await spec.run((line) => task.log.push(line));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        spec.onFail?.();
      }
      task.status = "stopped";
      task.endedMs = this.now();
      task.endtime = Math.floor(task.endedMs / 1000);
      if (error) {
        task.log.push(`TASK ERROR: ${error}`);
        task.exitstatus = error;
      } else {
        const warnings = task.log.filter((l) => l.startsWith("WARN: ")).length;
        task.log.push(warnings ? `TASK WARNINGS: ${warnings}` : "TASK OK");
        task.exitstatus = warnings ? `WARNINGS: ${warnings}` : "OK";
      }
    };
    this.later(this.scaled(spec.durationMs), () => void finish());
    return task.upid;
  }

  private injectedTaskFault(spec: TaskSpec): string | undefined {
    if (spec.faultable === "lock" && this.random() < (this.faults.lockTimeout ?? 0)) {
      return `can't lock file '/var/lock/qemu-server/lock-${spec.id}.conf' - got timeout`;
    }
    if (spec.faultable === "storage" && this.random() < (this.faults.storageError ?? 0)) {
      return "storage error: lvcreate 'pve/vm-disk' error:   Volume group \"pve\" has insufficient free space";
    }
    return undefined;
  }

  /** Runs `fn` after `ms`; 0 still defers to the next turn so the HTTP answer goes out first. */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  timeline(): TaskTimelineEntry[] {
    return this.state.tasks.map((t) => ({
      upid: t.upid,
      node: t.node,
      type: t.type,
      id: t.id,
      startMs: t.startedMs,
      ...(t.endedMs !== undefined ? { endMs: t.endedMs } : {}),
      ...(t.exitstatus !== undefined ? { exitstatus: t.exitstatus } : {}),
    }));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
