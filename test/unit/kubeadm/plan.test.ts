import { describe, expect, it, test } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  planBootstrap,
  planIsNoop,
  planRemovals,
  quorum,
} from "../../../actions/lib/kubeadm/plan.js";
import { cp, factsOf, ha, worker } from "./fixtures.js";

describe("planBootstrap", () => {
  it("initialises the first control plane of a new cluster, joins control planes one by one and workers together", () => {
    const plan = planBootstrap({ desired: ha(), facts: factsOf(ha(), []), version: "1.36.3" });
    expect(plan.init).toBe("demo-cp-1");
    expect(plan.operator).toBe("demo-cp-1");
    expect(plan.controlPlaneJoins).toEqual(["demo-cp-2", "demo-cp-3"]);
    expect(plan.workerJoins).toEqual(["demo-general-1", "demo-general-2", "demo-general-3"]);
    expect(plan.upgrade).toBeUndefined();
  });

  it("is a no-op on a healthy cluster: never re-initialises, joins nobody", () => {
    const names = ha().map((n) => n.name);
    const plan = planBootstrap({ desired: ha(), facts: factsOf(ha(), names), version: "1.36.3" });
    expect(plan.init).toBeUndefined();
    expect(planIsNoop(plan)).toBe(true);
    expect(plan.members).toEqual(names);
  });

  it("joins only a new worker", () => {
    const desired = [...ha(), worker(4)];
    const plan = planBootstrap({
      desired,
      facts: factsOf(
        desired,
        ha().map((n) => n.name),
      ),
      version: "1.36.3",
    });
    expect(plan.init).toBeUndefined();
    expect(plan.controlPlaneJoins).toEqual([]);
    expect(plan.workerJoins).toEqual(["demo-general-4"]);
  });

  it("never re-initialises when only some nodes joined (an interrupted first run)", () => {
    const plan = planBootstrap({
      desired: ha(),
      facts: factsOf(ha(), ["demo-cp-1", "demo-cp-2"]),
      version: "1.36.3",
    });
    expect(plan.init).toBeUndefined();
    expect(plan.controlPlaneJoins).toEqual(["demo-cp-3"]);
  });

  it("picks an initialised control plane as operator even when cp-1 is new", () => {
    const facts = factsOf(ha(), ["demo-cp-2", "demo-cp-3"]);
    const plan = planBootstrap({ desired: ha(), facts, version: "1.36.3" });
    expect(plan.operator).toBe("demo-cp-2");
    expect(plan.controlPlaneJoins).toEqual(["demo-cp-1"]);
  });

  it("refuses to plan when a node does not answer over SSH", () => {
    const facts = factsOf(ha(), []);
    facts.hosts[4]!.reachable = false;
    expect(() => planBootstrap({ desired: ha(), facts, version: "1.36.3" })).toThrow(
      /cannot reach demo-general-2/,
    );
  });

  it("lists registered nodes cluster.yaml no longer names as strays", () => {
    const all = [...ha(), worker(9)];
    const facts = factsOf(
      all,
      all.map((n) => n.name),
    );
    facts.hosts.pop();
    const plan = planBootstrap({ desired: ha(), facts, version: "1.36.3" });
    expect(plan.strays).toEqual(["demo-general-9"]);
  });
});

describe("planRemovals: scale-down order and quorum", () => {
  const three = [cp(1), cp(2), cp(3)];
  const five = [cp(1), cp(2), cp(3), cp(4), cp(5)];
  test.each([
    {
      name: "one worker",
      present: [...three, worker(1), worker(2)],
      desired: [...three, worker(1)],
      order: ["demo-general-2"],
    },
    {
      name: "workers before control planes, newest control plane first",
      present: [...five, worker(1), worker(2)],
      desired: [cp(1), cp(2), cp(3), worker(1)],
      order: ["demo-general-2", "demo-cp-5", "demo-cp-4"],
    },
    { name: "nothing", present: [...three, worker(1)], desired: [...three, worker(1)], order: [] },
  ])("$name", ({ present, desired, order }) => {
    const removals = planRemovals(present, desired);
    expect(removals.map((r) => r.name)).toEqual(order);
    for (const r of removals) expect(r.etcdMember).toBe(r.role === "control-plane");
  });

  test.each([
    {
      name: "3 → 1 control planes (2 of 3 leave: below quorum 2)",
      present: three,
      desired: [cp(1)],
      message: /below etcd's quorum of 2/,
    },
    {
      name: "5 → 1 control planes",
      present: five,
      desired: [cp(1)],
      message: /below etcd's quorum of 3/,
    },
    {
      name: "the last control plane",
      present: [cp(1)],
      desired: [cp(2)],
      message: /removes every control plane/,
    },
  ])("refuses $name before any change", ({ present, desired, message }) => {
    expect(() => planRemovals(present, desired)).toThrow(ConfigurationError);
    expect(() => planRemovals(present, desired)).toThrow(message);
  });

  test.each([
    [1, 1],
    [3, 2],
    [5, 3],
  ])("quorum of %i members is %i", (members, q) => expect(quorum(members)).toBe(q));

  it("allows 5 → 3 (two of five leave, three keep quorum)", () => {
    expect(planRemovals(five, three).map((r) => r.name)).toEqual(["demo-cp-5", "demo-cp-4"]);
  });
});

describe("upgrades", () => {
  const names = ha().map((n) => n.name);
  it("upgrades node by node: apply on the operator, node on the other control planes, then workers", () => {
    const plan = planBootstrap({
      desired: ha(),
      facts: factsOf(ha(), names, "v1.36.1"),
      version: "1.36.3",
    });
    expect(plan.upgrade?.from).toBe("v1.36.1");
    expect(plan.upgrade?.to).toBe("v1.36.3");
    expect(plan.upgrade?.steps).toEqual([
      { name: "demo-cp-1", role: "control-plane", command: "apply" },
      { name: "demo-cp-2", role: "control-plane", command: "node" },
      { name: "demo-cp-3", role: "control-plane", command: "node" },
      { name: "demo-general-1", role: "worker", command: "node" },
      { name: "demo-general-2", role: "worker", command: "node" },
      { name: "demo-general-3", role: "worker", command: "node" },
    ]);
  });

  it("resumes an interrupted upgrade with the nodes still on the old version", () => {
    const facts = factsOf(ha(), names, "v1.36.3", {
      "demo-general-2": "v1.36.1",
      "demo-general-3": "v1.36.1",
    });
    const plan = planBootstrap({ desired: ha(), facts, version: "1.36.3" });
    expect(plan.upgrade?.steps.map((s) => `${s.name}:${s.command}`)).toEqual([
      "demo-general-2:node",
      "demo-general-3:node",
    ]);
  });

  test.each([
    { from: "v1.36.3", to: "1.36.1", message: /cannot downgrade/ },
    { from: "v1.35.2", to: "1.36.3", message: null },
    { from: "v1.34.2", to: "1.36.3", message: /skips a minor release/ },
    { from: "v1.36.3", to: "2.0.0", message: /skips a minor release/ },
  ])("$from → $to", ({ from, to, message }) => {
    const run = () =>
      planBootstrap({ desired: ha(), facts: factsOf(ha(), names, from), version: to });
    if (message) expect(run).toThrow(message);
    else expect(run().upgrade?.steps[0]?.command).toBe("apply");
  });
});
