import { describe, expect, it, test } from "vitest";
import { ansibleEnv, ansiblePlaybookArgs, keyscanArgs } from "../../../actions/lib/kubeadm/argv.js";
import { renderInventory } from "../../../actions/lib/kubeadm/inventory.js";
import { planBootstrap } from "../../../actions/lib/kubeadm/plan.js";
import { mergeRecaps, parseRecap, recapTotals } from "../../../actions/lib/kubeadm/recap.js";
import { joinSecretValues, newJoinSecrets } from "../../../actions/lib/kubeadm/secrets.js";
import { cp, factsOf, ha, SEEDED, worker } from "./fixtures.js";

describe("ansible-playbook argv", () => {
  const base = {
    ansibleDir: "/repo/ansible",
    playbook: "site.yml",
    inventoryFile: "/tmp/run/inventory.json",
    varsFile: "/tmp/run/vars.json",
    privateKeyFile: "/tmp/run/id",
    user: "ubuntu",
  };
  test.each([
    { name: "apply", run: base, tail: ["--forks", "10", "/repo/ansible/site.yml"] },
    {
      name: "plan",
      run: { ...base, check: true },
      tail: ["--forks", "10", "--check", "--diff", "/repo/ansible/site.yml"],
    },
    {
      name: "removals, 3 forks, verbose",
      run: { ...base, playbook: "removals.yml", forks: 3, verbose: true },
      tail: ["--forks", "3", "-v", "/repo/ansible/removals.yml"],
    },
  ])("$name", ({ run, tail }) => {
    const args = ansiblePlaybookArgs(run);
    expect(args.slice(0, 8)).toEqual([
      "--inventory",
      "/tmp/run/inventory.json",
      "--user",
      "ubuntu",
      "--private-key",
      "/tmp/run/id",
      "--extra-vars",
      "@/tmp/run/vars.json",
    ]);
    expect(args.slice(8)).toEqual(tail);
  });

  it("never puts join material on the command line", () => {
    const args = ansiblePlaybookArgs(base).join(" ");
    for (const s of joinSecretValues(SEEDED)) expect(args).not.toContain(s);
  });

  it("pins known_hosts with strict checking", () => {
    const env = ansibleEnv({
      base: {},
      ansibleDir: "/repo/ansible",
      knownHostsFile: "/tmp/kh",
      timingFile: "/tmp/t",
      tmpDir: "/tmp/x",
    });
    expect(env.ANSIBLE_SSH_ARGS).toContain("-o UserKnownHostsFile=/tmp/kh");
    expect(env.ANSIBLE_SSH_ARGS).toContain("-o StrictHostKeyChecking=yes");
    expect(env.ANSIBLE_HOST_KEY_CHECKING).toBe("True");
    expect(env.ANSIBLE_CONFIG).toBe("/repo/ansible/ansible.cfg");
    expect(keyscanArgs(["10.0.20.11"])).toEqual(["-T", "5", "-t", "ed25519,ecdsa", "10.0.20.11"]);
  });
});

describe("inventory", () => {
  it("puts every host with its address and the plan's steps into groups", () => {
    const nodes = [...ha(), worker(4, { pool: "gpu", labels: { gpu: "true" } })];
    const plan = planBootstrap({ desired: nodes, facts: factsOf(nodes, []), version: "1.36.3" });
    const inv = renderInventory({ nodes, plan, user: "ubuntu" }) as {
      all: {
        hosts: Record<string, Record<string, unknown>>;
        children: Record<string, { hosts: Record<string, object> }>;
      };
    };
    expect(inv.all.hosts["demo-cp-1"]).toMatchObject({
      ansible_host: "10.0.20.11",
      node_role: "control-plane",
      ansible_become: true,
    });
    const group = (g: string) => Object.keys(inv.all.children[g]?.hosts ?? {});
    expect(group("control_plane")).toEqual(["demo-cp-1", "demo-cp-2", "demo-cp-3"]);
    expect(group("kubeadm_init")).toEqual(["demo-cp-1"]);
    expect(group("operator")).toEqual(["demo-cp-1"]);
    expect(group("join_control_plane")).toEqual(["demo-cp-2", "demo-cp-3"]);
    expect(group("join_worker")).toEqual([
      "demo-general-1",
      "demo-general-2",
      "demo-general-3",
      "demo-general-4",
    ]);
    expect(group("pool_gpu")).toEqual(["demo-general-4"]);
    expect(group("remove_node")).toEqual([]);
  });

  it("root needs no become; leaving nodes are in the inventory for their removal", () => {
    const plan = {
      ...planBootstrap({
        desired: [cp(1)],
        facts: factsOf([cp(1)], ["demo-cp-1"]),
        version: "1.36.3",
      }),
      removals: [{ name: "demo-general-1", role: "worker" as const, etcdMember: false }],
    };
    const inv = renderInventory({ nodes: [cp(1)], plan, user: "root", leaving: [worker(1)] }) as {
      all: {
        hosts: Record<string, Record<string, unknown>>;
        children: Record<string, { hosts: Record<string, object> }>;
      };
    };
    expect(inv.all.hosts["demo-cp-1"]?.ansible_become).toBe(false);
    expect(Object.keys(inv.all.children.remove_node?.hosts ?? {})).toEqual(["demo-general-1"]);
    expect(Object.keys(inv.all.hosts)).toContain("demo-general-1");
  });
});

describe("recap", () => {
  const output = [
    "TASK [kubeadm_join : Run kubeadm join] ****",
    "changed: [demo-general-1]",
    "",
    "PLAY RECAP *********************************************************************",
    "demo-cp-1                  : ok=21   changed=4    unreachable=0    failed=0    skipped=7    rescued=0    ignored=0",
    "demo-general-1             : ok=9    changed=3    unreachable=0    failed=1    skipped=2    rescued=0    ignored=0",
    "demo-general-2             : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0",
    "",
  ].join("\n");
  it("parses each host's counts", () => {
    const hosts = parseRecap(output);
    expect(hosts).toHaveLength(3);
    expect(hosts[0]).toEqual({
      host: "demo-cp-1",
      ok: 21,
      changed: 4,
      unreachable: 0,
      failed: 0,
      skipped: 7,
      rescued: 0,
      ignored: 0,
    });
    expect(hosts[2]?.unreachable).toBe(1);
    expect(recapTotals(hosts)).toMatchObject({ changed: 7, failed: 1, unreachable: 1 });
  });
  it("takes the last recap and merges runs", () => {
    const twice = `PLAY RECAP ***\nx : ok=1 changed=1 unreachable=0 failed=0\n\n${output}`;
    expect(parseRecap(twice).map((h) => h.host)).toEqual([
      "demo-cp-1",
      "demo-general-1",
      "demo-general-2",
    ]);
    expect(parseRecap("no recap here")).toEqual([]);
    const merged = mergeRecaps(parseRecap(output), parseRecap(output));
    expect(merged[0]?.changed).toBe(8);
  });
});

describe("join material", () => {
  it("is fresh, well-formed and fully masked", () => {
    const a = newJoinSecrets();
    const b = newJoinSecrets();
    expect(a.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(a.certificateKey).toMatch(/^[a-f0-9]{64}$/);
    expect(a.token).not.toBe(b.token);
    expect(joinSecretValues(a)).toEqual([a.token, a.token.split(".")[1], a.certificateKey]);
  });
});
