import { createHash } from "node:crypto";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";
import { processAlive } from "./process-alive.js";

/**
 * The workflow-level `concurrency:` group across local runs: a lock file per group holding the
 * owner's pid. A second run of the same group waits until the first ends (a lock left by a dead
 * process is taken over). cancel-in-progress is not applied: a local run never kills another.
 */
const POLL_MS = 500;

export interface GroupLockOptions {
  signal?: AbortSignal;
  onWait?: (holder: number) => void;
}

export async function acquireGroupLock(
  dir: string,
  group: string,
  options: GroupLockOptions = {},
): Promise<() => void> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(
    dir,
    `${createHash("sha256").update(group).digest("hex").slice(0, 24)}.lock`,
  );
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeFileSync(fd, JSON.stringify({ pid: process.pid, group, token }));
      closeSync(fd);
      return () => {
        try {
          const held = JSON.parse(readFileSync(file, "utf8")) as { token?: string };
          if (held.token === token) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = 0;
    try {
      holder = (JSON.parse(readFileSync(file, "utf8")) as { pid?: number }).pid ?? 0;
    } catch {
      // being written or removed right now: try again
    }
    if (holder > 0 && !processAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told && holder > 0) {
      options.onWait?.(holder);
      told = true;
    }
    if (options.signal?.aborted)
      throw new Error(`cancelled while waiting for concurrency group '${group}'`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
