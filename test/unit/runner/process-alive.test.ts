import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { processAlive } from "../../../local/runner/process-alive.js";
import { processStartTime, sameProcessAlive } from "../../../sim/guests/identity.js";

const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
};

/**
 * A real zombie: bash starts a short `sleep` in the background and then becomes a long `sleep`,
 * which never waits for it — so the short one exits (after the exec, so bash cannot collect it)
 * and stays listed (state Z) until the long one ends. That is what a SIGKILLed
 * pve-sim looks like until init collects it; `npm run lab -- --down` right after such a kill took
 * it for alive and reaped nothing (the lab suite's killed-run test).
 */
describe("a process that has exited but is not yet collected", () => {
  it("is not alive, though kill(0) and its start time still answer", async () => {
    const parent = spawn("bash", ["-c", "sleep 0.3 & echo $!; exec sleep 5"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const pid = Number(
        await new Promise<string>((resolve) =>
          parent.stdout.once("data", (d: Buffer) => resolve(d.toString().trim())),
        ),
      );
      for (let i = 0; i < 100 && state(pid) !== "Z"; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(state(pid)).toBe("Z");
      expect(() => process.kill(pid, 0)).not.toThrow();
      const started = processStartTime(pid);
      expect(started).toBeDefined();
      expect(processAlive(pid)).toBe(false);
      expect(sameProcessAlive(pid, started!)).toBe(false);
      // and a running one is alive
      expect(processAlive(parent.pid!)).toBe(true);
      expect(sameProcessAlive(parent.pid!, processStartTime(parent.pid!)!)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("a pid that no longer exists is not alive", () => {
    expect(processAlive(2 ** 22 + 1)).toBe(false);
    expect(sameProcessAlive(2 ** 22 + 1, "1")).toBe(false);
  });
});
