/**
 * At most `limit` concurrent runs per key. Clones are limited per (node, storage): Proxmox takes
 * a storage lock per allocation and times out after a second, so a burst of parallel clones on
 * one storage mostly produces `can't lock file … got timeout` failures.
 */
export class KeyedLimiter {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`limiter needs a limit ≥ 1, got ${limit}`);
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key) ?? { active: 0, waiting: [] };
    this.slots.set(key, slot);
    if (slot.active >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    slot.active++;
    try {
      return await fn();
    } finally {
      slot.active--;
      const next = slot.waiting.shift();
      if (next) next();
      else if (slot.active === 0) this.slots.delete(key);
    }
  }

  /** runs in progress for a key (for tests and progress messages) */
  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
