/**
 * Clones are admitted to Proxmox a few at a time per source, so its storage lock is never a race.
 *
 * Proxmox runs every volume allocation under one lock per storage (a file lock per node for a
 * local storage, one cluster-wide lock for a shared one) and gives up after 10 s (`can't lock file
 * '/var/lock/pve-manager/pve-storage-<id>' - got timeout`, `cfs-lock 'storage-<id>' error: got
 * lock request timeout`). OpenTofu starts every VM of a plan at once (up to `-parallelism`), so a
 * plan of 25 clones of one template puts 25 clone tasks on one storage lock together: the ones at
 * the back of the queue time out — the bpg provider's best-known failure. All linked clones of one
 * template allocate on the template's storage, so the source VM is the lock domain.
 *
 * The relay sits between the provider and Proxmox and sees both the clone call (its answer is the
 * task's UPID) and the provider's polls of that task's status (every second), so it can hold a
 * clone call until fewer than `perSource` clones of the same source are running — without a
 * single extra API call. Queued clone calls wait here, where nothing times out, instead of in
 * Proxmox's lock queue. Two at a time keeps the lock busy while one clone does its unlocked part
 * and the provider's next poll comes, and keeps any wait on the lock to about one other clone's
 * hold time plus a few config allocations (pve-sim's model: 1.5 s + ~1 s), far below 10 s.
 */
export const CLONES_PER_SOURCE = 2;
/** a clone whose end the relay never sees (the provider stopped polling) frees its slot after this */
const FORGET_AFTER_MS = 10 * 60_000;

const CLONE_PATH = /^\/api2\/json\/nodes\/([^/]+)\/qemu\/(\d+)\/clone\/?$/;
const TASK_STATUS_PATH = /^\/api2\/json\/nodes\/[^/]+\/tasks\/([^/]+)\/status\/?$/;

export interface CloneGateStats {
  /** clone calls that had to wait for a slot */
  held: number;
  /** the longest such wait, ms */
  longestWaitMs: number;
  /** clone calls in all */
  clones: number;
}

export class CloneGate {
  readonly stats: CloneGateStats = { held: 0, longestWaitMs: 0, clones: 0 };
  /** per source: slots in use (a clone being dispatched or a task running) */
  private readonly inUse = new Map<string, number>();
  private readonly queues = new Map<string, (() => void)[]>();
  /** running clone task → its source */
  private readonly tasks = new Map<string, { source: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly perSource = CLONES_PER_SOURCE,
    private readonly now: () => number = Date.now,
  ) {}

  /** `node/vmid` of the source when this request is a clone call, else undefined. */
  static sourceOf(method: string, path: string): string | undefined {
    if (method !== "POST") return undefined;
    const m = CLONE_PATH.exec(path);
    return m ? `${m[1]}/${m[2]}` : undefined;
  }

  /** Waits for a slot of `source`. */
  async admit(source: string): Promise<void> {
    this.stats.clones++;
    const used = this.inUse.get(source) ?? 0;
    if (used < this.perSource) {
      this.inUse.set(source, used + 1);
      return;
    }
    this.stats.held++;
    const since = this.now();
    await new Promise<void>((resolve) => {
      const queue = this.queues.get(source) ?? [];
      queue.push(resolve);
      this.queues.set(source, queue);
    });
    this.stats.longestWaitMs = Math.max(this.stats.longestWaitMs, this.now() - since);
  }

  /**
   * The clone call was answered: a UPID keeps the slot until the task is seen stopped; anything
   * else (a refusal, a network error) frees it at once.
   */
  dispatched(source: string, status: number, body: Buffer | undefined): void {
    const upid = status === 200 ? upidOf(body) : undefined;
    if (!upid) {
      this.release(source);
      return;
    }
    const timer = setTimeout(() => this.finished(upid), FORGET_AFTER_MS);
    timer.unref();
    this.tasks.set(upid, { source, timer });
  }

  /** Looks at a task-status answer the provider asked for: a stopped clone task frees its slot. */
  observe(method: string, path: string, status: number, body: Buffer): void {
    if (method !== "GET" || status !== 200 || this.tasks.size === 0) return;
    const m = TASK_STATUS_PATH.exec(path);
    if (!m?.[1]) return;
    const upid = safeDecode(m[1]);
    if (!this.tasks.has(upid)) return;
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { data?: { status?: string } };
      if (parsed.data?.status === "stopped") this.finished(upid);
    } catch {
      // not JSON: nothing learnt
    }
  }

  private finished(upid: string): void {
    const task = this.tasks.get(upid);
    if (!task) return;
    clearTimeout(task.timer);
    this.tasks.delete(upid);
    this.release(task.source);
  }

  private release(source: string): void {
    const next = this.queues.get(source)?.shift();
    if (next) {
      next(); // the slot passes on
      return;
    }
    this.inUse.set(source, Math.max(0, (this.inUse.get(source) ?? 1) - 1));
  }

  /** Frees every timer (the relay closes). */
  close(): void {
    for (const { timer } of this.tasks.values()) clearTimeout(timer);
    this.tasks.clear();
    for (const queue of this.queues.values()) for (const resolve of queue.splice(0)) resolve();
  }
}

function upidOf(body: Buffer | undefined): string | undefined {
  try {
    const data = (JSON.parse(body?.toString("utf8") ?? "") as { data?: unknown }).data;
    return typeof data === "string" && data.startsWith("UPID:") ? data : undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One log line when the gate held clones, else undefined. */
export function cloneGateSummary(
  stats: CloneGateStats,
  perSource = CLONES_PER_SOURCE,
): string | undefined {
  if (stats.held === 0) return undefined;
  return `Proxmox clones: ${stats.held} of ${stats.clones} waited for a slot (at most ${perSource} clones of one template at once, so its storage lock is never a race; longest wait ${(stats.longestWaitMs / 1000).toFixed(1)} s)`;
}
