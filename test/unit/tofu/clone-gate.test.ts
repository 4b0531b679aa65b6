import { describe, expect, it } from "vitest";
import { CloneGate, cloneGateSummary } from "../../../actions/lib/tofu/clone-gate.js";

const json = (data: unknown) => Buffer.from(JSON.stringify({ data }));
const upid = (n: number) => `UPID:pve1:0000000${n}:00100000:66F1A2B3:qmclone:9000:root@pam!tf:`;
const statusPath = (n: number) =>
  `/api2/json/nodes/pve1/tasks/${encodeURIComponent(upid(n))}/status`;

describe("the clone gate", () => {
  it("recognises the clone call and its source, and nothing else", () => {
    expect(CloneGate.sourceOf("POST", "/api2/json/nodes/pve1/qemu/9000/clone")).toBe("pve1/9000");
    expect(CloneGate.sourceOf("GET", "/api2/json/nodes/pve1/qemu/9000/clone")).toBeUndefined();
    expect(CloneGate.sourceOf("POST", "/api2/json/nodes/pve1/qemu/9000/config")).toBeUndefined();
  });

  it("admits two clones of a source at once; the third waits until a running clone task is seen stopped", async () => {
    const gate = new CloneGate(2);
    const admitted: number[] = [];
    const ask = (n: number) => gate.admit("pve1/9000").then(() => admitted.push(n));
    await ask(1);
    await ask(2);
    const third = ask(3);
    const otherSource = gate.admit("pve1/9001").then(() => admitted.push(99));
    await otherSource;
    gate.dispatched("pve1/9000", 200, json(upid(1)));
    gate.dispatched("pve1/9000", 200, json(upid(2)));
    // a running status frees nothing
    gate.observe("GET", statusPath(1), 200, json({ status: "running" }));
    await new Promise((r) => setTimeout(r, 5));
    expect(admitted).toEqual([1, 2, 99]);
    gate.observe("GET", statusPath(1), 200, json({ status: "stopped", exitstatus: "OK" }));
    await third;
    expect(admitted).toEqual([1, 2, 99, 3]);
    expect(gate.stats).toMatchObject({ clones: 4, held: 1 });
    expect(cloneGateSummary(gate.stats, 2)).toMatch(
      /^Proxmox clones: 1 of 4 waited for a slot \(at most 2 clones of one template at once/,
    );
    gate.close();
  });

  it("frees the slot at once when the clone call is refused (no task to wait for)", async () => {
    const gate = new CloneGate(1);
    await gate.admit("pve1/9000");
    const second = gate.admit("pve1/9000");
    gate.dispatched("pve1/9000", 500, Buffer.from('{"data":null,"message":"VM is locked"}'));
    await second;
    expect(gate.stats.held).toBe(1);
    gate.close();
  });
});
