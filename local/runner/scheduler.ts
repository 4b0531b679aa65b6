/**
 * Scheduling primitives: a counting semaphore (bounded parallel jobs, matrix max-parallel) and a
 * keyed mutex (jobs of one concurrency group run one after another).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`a semaphore needs a positive limit, got ${limit}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs fn after every earlier holder of the key; `onWait` is told when it has to wait. */
  async run<T>(key: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
    const previous = this.tails.get(key);
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.tails.set(key, tail);
    if (previous) {
      onWait?.();
      await previous;
    }
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
