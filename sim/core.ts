import { die, PveError } from "./http/pve-error.js";
import { seededRandom, type FaultOptions } from "./faults.js";
import type { GuestHost } from "./guests/index.js";
import type { SimState, SimTask, SimVm } from "./model/types.js";
import {
  STORAGE_LOCK_TIMEOUT_MS,
  StorageLockTable,
  type StorageLockName,
} from "./model/storage-lock.js";

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
  /**
   * the storage-locked operations the task makes, in order, at the end of its run
   * (sim/model/storage-lock.ts): it waits for each lock, and fails when a wait exceeds the timeout
   */
  storageOps?: StorageOp[];
  /** what the task's error says before a storage-lock timeout (qemu-server's clone: `clone failed: `) */
  storageErrorPrefix?: string;
}

/** One operation under a storage lock: which lock, and how long it holds it (unscaled ms). */
export interface StorageOp {
  lock: StorageLockName;
  holdMs: number;
}

/** The simulator's state and the machinery every route uses. */
export class SimCore {
  readonly requests: SimRequest[] = [];
  readonly random: () => number;
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** the API certificate's SHA-256 fingerprint, which `/nodes` reports as every node's `ssl_fingerprint` */
  certFingerprint = "";
  /** Proxmox's per-storage locks: volume allocations queue on them, long waits time out */
  readonly storageLocks = new StorageLockTable();
  /** real guests (`startPveSim({ guests })`): a started VM with a lab image is a real machine */
  guests: GuestHost | undefined;
  /**
   * where file-based storages keep the bytes of uploaded files (uploads stream there, a disk
   * imported from one boots from it); undefined: uploads are hashed and their bytes dropped
   */
  filesDir: string | undefined;
  /**
   * faults a test scripts for one request each (`sim.admin.failOnce`): the first request that
   * matches takes the fault, then it is gone — for a recovery path that dice would rarely reach
   */
  readonly scriptedFaults: ScriptedFault[] = [];

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
    const { durationMs, lockError } = this.reserveStorage(spec, startedMs);
    const finish = async () => {
      if (task.status === "stopped") return; // stopped through DELETE /tasks/{upid}
      let error: string | undefined;
      try {
        if (lockError) throw new Error(lockError);
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
    this.later(durationMs, () => void finish());
    return task.upid;
  }

  /**
   * A task's scaled duration once its storage-locked operations have queued: the unlocked part of
   * its work first, then each operation when its lock is free; a wait beyond the lock timeout ends
   * the task there with the timeout error.
   */
  private reserveStorage(
    spec: Pick<TaskSpec, "durationMs" | "storageOps" | "storageErrorPrefix">,
    startedMs: number,
  ): { durationMs: number; lockError?: string } {
    const ops = spec.storageOps ?? [];
    if (ops.length === 0) return { durationMs: this.scaled(spec.durationMs) };
    const locked = ops.reduce((n, op) => n + op.holdMs, 0);
    let cursor = startedMs + this.scaled(Math.max(0, spec.durationMs - locked));
    for (const op of ops) {
      const grant = this.acquireStorage(op, cursor);
      if (!grant.ok)
        return {
          durationMs: grant.failMs - startedMs,
          lockError: `${spec.storageErrorPrefix ?? ""}${grant.error}`,
        };
      cursor = grant.endMs;
    }
    return { durationMs: cursor - startedMs };
  }

  /** Reserves one storage-locked operation asked for at `atMs` (scaled hold and timeout). */
  acquireStorage(op: StorageOp, atMs: number) {
    this.storageLocks.prune(this.now() - this.scaled(STORAGE_LOCK_TIMEOUT_MS) * 10);
    return this.storageLocks.reserve(
      op.lock,
      atMs,
      this.scaled(op.holdMs),
      this.scaled(STORAGE_LOCK_TIMEOUT_MS),
    );
  }

  /**
   * Runs synchronous storage operations (a `PUT config` allocating a cloud-init drive) the way a
   * pvedaemon worker does: the call returns once the locks were taken and released, or fails with
   * the lock's timeout error after waiting for it.
   */
  async withStorageOps(ops: StorageOp[]): Promise<void> {
    let cursor = this.now();
    for (const op of ops) {
      const grant = this.acquireStorage(op, cursor);
      if (!grant.ok) {
        await this.sleepUntil(grant.failMs);
        throw die(grant.error);
      }
      cursor = grant.endMs;
    }
    await this.sleepUntil(cursor);
  }

  private sleepUntil(ms: number): Promise<void> {
    const wait = ms - this.now();
    if (wait <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, wait);
      this.timers.add(timer);
    });
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

/** One scripted fault: the next `method` request whose /api2/json path matches `path` answers `status`. */
export interface ScriptedFault {
  method: string;
  path: RegExp;
  status: 500 | 596;
}
