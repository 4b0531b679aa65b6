import { afterEach, describe, expect, it } from "vitest";
import { Agent, fetch } from "undici";
import {
  FAULT_PROFILES,
  describeFaults,
  faultProfile,
  parseFaultSpec,
  startPveSim,
  type PveSim,
} from "../../../sim/index.js";

describe("fault profiles in the --faults spec", () => {
  it.each([
    ["profile=all", { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "all" }],
    ["profile=writes", { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "writes" }],
    // a key next to the profile wins, wherever it stands
    [
      "lock=0.3,profile=writes",
      { error5xx: 0.05, error596: 0.05, lockTimeout: 0.3, scope: "writes" },
    ],
    ["profile=all,drop=0.01,scope=writes", { ...FAULT_PROFILES.all, drop: 0.01, scope: "writes" }],
    ["5xx=0.1", { error5xx: 0.1 }],
  ])("%s", (spec, expected) => {
    expect(parseFaultSpec(spec)).toEqual(expected);
  });

  it.each([
    ["profile=chaos", "unknown fault profile 'chaos' (known: all, writes)"],
    ["profile=all,profile=writes", "one fault 'profile' at a time"],
    ["boom=1", "unknown fault 'boom' (known: profile, 5xx, 596"],
  ])("refuses %s", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it("hands out copies and describes them in one line", () => {
    const mine = faultProfile("writes");
    mine.lockTimeout = 1;
    expect(FAULT_PROFILES.writes.lockTimeout).toBe(0.1);
    expect(describeFaults(faultProfile("writes"))).toBe(
      "5% HTTP 500 + 5% HTTP 596 on writes, 10% lock timeouts",
    );
    expect(describeFaults(faultProfile("all"))).toBe(
      "5% HTTP 500 + 5% HTTP 596 on every request, 10% lock timeouts",
    );
  });
});

describe("a pve-sim started with a profile", () => {
  let sim: PveSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** 200 reads of /nodes and 200 pool creations; the statuses the client saw */
  async function traffic(s: PveSim): Promise<{ reads: number[]; writes: number[] }> {
    const agent = new Agent({ connect: { ca: s.certPem } });
    const headers = { Authorization: `PVEAPIToken=${s.rootToken.id}=${s.rootToken.secret}` };
    const reads: number[] = [];
    const writes: number[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        reads.push(
          (await fetch(`${s.url}/api2/json/nodes`, { headers, dispatcher: agent })).status,
        );
        const res = await fetch(`${s.url}/api2/json/pools`, {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
          body: `poolid=p${i}`,
          dispatcher: agent,
        });
        writes.push(res.status);
      }
    } finally {
      await agent.close();
    }
    return { reads, writes };
  }

  it("writes: reads always answer, about a tenth of the writes fail with 500 or 596 and change nothing", async () => {
    sim = await startPveSim({ timeScale: 0, seed: 7, faults: faultProfile("writes") });
    const { reads, writes } = await traffic(sim);
    expect(new Set(reads)).toEqual(new Set([200]));
    const failed = writes.filter((s) => s !== 200);
    expect(new Set(failed)).toEqual(new Set([500, 596]));
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.length).toBeLessThan(45);
    // a refused write was not carried out
    expect(sim.admin.snapshot().pools).toHaveLength(writes.filter((s) => s === 200).length);
  });

  it("all: reads fail too", async () => {
    sim = await startPveSim({ timeScale: 0, seed: 7, faults: faultProfile("all") });
    const { reads } = await traffic(sim);
    expect(reads.filter((s) => s !== 200).length).toBeGreaterThan(5);
  });
});
