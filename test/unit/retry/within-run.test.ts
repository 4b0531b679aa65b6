import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { CommandError } from "../../../actions/lib/errors.js";
import {
  NeedsReviewError,
  errorLine,
  retriesOf,
  retryWithinRun,
  tofuTransientReason,
  type RetryRecord,
} from "../../../actions/lib/retry/index.js";
import { changesOutsideReviewed } from "../../../actions/lib/tofu/plan-subset.js";
import type { PlanJson } from "../../../actions/lib/tofu/plan-json.js";

const rule = { maxAttempts: 3, transientReason: tofuTransientReason };
const lockTimeout = new Error(
  "Error: error waiting for VM clone: task failed: clone failed: cfs-lock 'storage-shared' error: got lock request timeout",
);

describe("retryWithinRun", () => {
  it("retries a transient failure once the next attempt is prepared, and records why and what it cost", async () => {
    const logger = memoryLogger();
    let t = 0;
    const seen: (string | undefined)[] = [];
    const result = await retryWithinRun({
      rule,
      what: "tofu apply",
      logger,
      now: () => (t += 1000),
      prepare: (attempt) => Promise.resolve({ next: `plan-${attempt}` }),
      attempt: (n, next) => {
        seen.push(next);
        if (n === 1) return Promise.reject(lockTimeout);
        return Promise.resolve("applied");
      },
    });
    expect(result.value).toBe("applied");
    expect(seen).toEqual([undefined, "plan-2"]);
    expect(result.retries).toEqual([
      {
        step: "tofu apply",
        attempt: 1,
        reason: "Proxmox lock timeout",
        error: lockTimeout.message,
        costMs: 1000,
      },
    ]);
    expect(logger.lines.join("\n")).toContain(
      "tofu apply: attempt 1 of 3 failed on a transient error (Proxmox lock timeout",
    );
  });

  it("fails at once on an error that is not transient", async () => {
    let attempts = 0;
    await expect(
      retryWithinRun({
        rule,
        what: "tofu apply",
        logger: memoryLogger(),
        prepare: () => Promise.resolve({ next: 1 }),
        attempt: () => {
          attempts++;
          return Promise.reject(new Error("Error: invalid value for cores"));
        },
      }),
    ).rejects.toThrow("invalid value for cores");
    expect(attempts).toBe(1);
  });

  it("stops and asks for review when the next attempt would do something the review did not cover", async () => {
    const failure = retryWithinRun({
      rule,
      what: "tofu apply",
      logger: memoryLogger(),
      prepare: () => Promise.resolve({ stop: 'node["x"]: delete is not in the reviewed plan' }),
      attempt: () => Promise.reject(lockTimeout),
    });
    await expect(failure).rejects.toBeInstanceOf(NeedsReviewError);
    await expect(failure).rejects.toThrow(
      /was not retried: node\["x"\]: delete is not in the reviewed plan/,
    );
  });

  it("pauses as the rule says before the next attempt, counts the pause in the cost, and reports each retry as it happens", async () => {
    let t = 0;
    const slept: number[] = [];
    const seen: RetryRecord[] = [];
    const logger = memoryLogger();
    const result = await retryWithinRun({
      rule: { ...rule, pauseMs: (n) => n * 1500 },
      what: "helm upgrade cilium",
      logger,
      now: () => t,
      sleep: (ms) => {
        slept.push(ms);
        t += ms;
        return Promise.resolve();
      },
      onRetry: (r) => seen.push(r),
      prepare: () => Promise.resolve({ next: undefined }),
      attempt: (n) => {
        t += 100;
        return n < 3 ? Promise.reject(lockTimeout) : Promise.resolve(n);
      },
    });
    expect(result.value).toBe(3);
    expect(slept).toEqual([1500, 3000]);
    expect(result.retries.map((r) => [r.attempt, r.costMs])).toEqual([
      [1, 1600],
      [2, 3100],
    ]);
    expect(seen).toEqual(result.retries);
    expect(logger.lines.join("\n")).toContain("trying again within this run in 1.5 s");
  });

  it("hands the retries made before to the error that ends the step (retriesOf)", async () => {
    const failure = retryWithinRun({
      rule,
      what: "tofu apply",
      logger: memoryLogger(),
      prepare: () => Promise.resolve({ next: 1 }),
      attempt: (n) =>
        Promise.reject(n === 1 ? lockTimeout : new Error("Error: invalid value for cores")),
    });
    const error = await failure.catch((e: unknown) => e);
    expect((error as Error).message).toContain("invalid value for cores");
    expect(retriesOf(error).map((r) => r.reason)).toEqual(["Proxmox lock timeout"]);
    expect(retriesOf(new Error("plain"))).toEqual([]);
  });

  it("a prepare that fails ends the step with its error and the retries so far", async () => {
    const failure = retryWithinRun({
      rule,
      what: "tofu apply",
      logger: memoryLogger(),
      prepare: () => Promise.reject(new Error("re-plan failed: HTTP 403")),
      attempt: () => Promise.reject(lockTimeout),
    });
    const error = await failure.catch((e: unknown) => e);
    expect((error as Error).message).toBe("re-plan failed: HTTP 403");
    expect(retriesOf(error)).toHaveLength(1);
  });

  it("is bounded: after maxAttempts the last error is the run's", async () => {
    let attempts = 0;
    await expect(
      retryWithinRun({
        rule,
        what: "tofu apply",
        logger: memoryLogger(),
        prepare: () => Promise.resolve({ next: 1 }),
        attempt: () => {
          attempts++;
          return Promise.reject(lockTimeout);
        },
      }),
    ).rejects.toThrow("got lock request timeout");
    expect(attempts).toBe(3);
  });
});

const vm = (name: string, cores: number) => ({ name, cores, vm_id: 1001 });
const plan = (
  changes: { address: string; actions: string[]; after: unknown; after_unknown?: unknown }[],
): PlanJson => ({
  format_version: "1.2",
  resource_changes: changes.map((c) => ({
    address: c.address,
    type: "proxmox_virtual_environment_vm",
    name: "node",
    change: { actions: c.actions, after: c.after, after_unknown: c.after_unknown ?? {} },
  })),
});

describe("changesOutsideReviewed", () => {
  const reviewed = plan([
    { address: 'node["a"]', actions: ["create"], after: vm("a", 2), after_unknown: { id: true } },
    { address: 'node["b"]', actions: ["create"], after: vm("b", 2) },
    { address: 'node["c"]', actions: ["update"], after: vm("c", 4) },
  ]);

  it("accepts a plan that only finishes the reviewed one (a half-made VM replaced, the rest not yet done)", () => {
    const replanned = plan([
      { address: 'node["a"]', actions: ["delete", "create"], after: { ...vm("a", 2), id: "101" } },
      { address: 'node["c"]', actions: ["update"], after: vm("c", 4) },
      { address: 'node["b"]', actions: ["no-op"], after: vm("b", 9) },
    ]);
    expect(changesOutsideReviewed(reviewed, replanned)).toEqual([]);
  });

  it("refuses a new address, a new action, or other target values", () => {
    const replanned = plan([
      { address: 'node["d"]', actions: ["create"], after: vm("d", 2) },
      { address: 'node["c"]', actions: ["delete", "create"], after: vm("c", 4) },
      { address: 'node["b"]', actions: ["create"], after: vm("b", 8) },
    ]);
    expect(changesOutsideReviewed(reviewed, replanned)).toEqual([
      'node["d"]: create is not in the reviewed plan',
      'node["c"]: delete+create, the reviewed plan had update',
      'node["b"]: cores differ from the reviewed plan',
    ]);
  });
});

describe("errorLine: what a retry record and log say went wrong", () => {
  it.each([
    [new Error("Error: invalid value\nat line 3"), "Error: invalid value"],
    [
      new CommandError(
        "/home/runner/tools/tofu apply -no-color /tmp/runner/plan.tfplan",
        1,
        [
          "╷",
          "│ Error: error waiting for VM clone: All attempts fail:",
          "│ #1: task failed: clone failed: cfs-lock 'storage-shared' error: got lock request timeout",
          "│ ",
          '│   with proxmox_virtual_environment_vm.node["demo-cp-1"],',
          "╵",
        ].join("\n"),
      ),
      "Error: error waiting for VM clone: All attempts fail: #1: task failed: clone failed: cfs-lock 'storage-shared' error: got lock request timeout",
    ],
    [
      new CommandError("ssh host true", 255, "kex_exchange_identification: Connection closed"),
      "kex_exchange_identification: Connection closed",
    ],
    [new CommandError("tool", 1, ""), "tool exited with code 1"],
    ["a thrown string", "a thrown string"],
  ])("%#", (error, line) => {
    expect(errorLine(error)).toBe(line);
  });
});
