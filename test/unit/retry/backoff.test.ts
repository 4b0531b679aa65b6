import { describe, expect, it } from "vitest";
import { jitteredBackoff } from "../../../actions/lib/retry/index.js";

describe("jitteredBackoff: half fixed, half random, doubling up to the cap", () => {
  it.each([
    // attempt, random, pause
    [1, 0, 1000],
    [1, 0.999, 1999],
    [2, 0, 2000],
    [2, 0.5, 3000],
    [3, 0, 4000],
    [4, 0, 4000],
    [4, 0.999, 7996],
    [9, 0.25, 5000],
  ])("attempt %d with random %d pauses %d ms", (attempt, r, pause) => {
    const pauseMs = jitteredBackoff({ baseMs: 2000, maxMs: 8000, random: () => r });
    expect(pauseMs(attempt)).toBe(pause);
  });

  it("spreads parallel retries of the same attempt apart", () => {
    const pauseMs = jitteredBackoff({ baseMs: 2000, maxMs: 8000 });
    const pauses = new Set(Array.from({ length: 50 }, () => pauseMs(2)));
    expect(pauses.size).toBeGreaterThan(10);
    for (const p of pauses) expect(p).toBeGreaterThanOrEqual(2000);
    for (const p of pauses) expect(p).toBeLessThanOrEqual(4000);
  });
});
