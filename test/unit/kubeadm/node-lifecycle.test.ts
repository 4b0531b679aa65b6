import { describe, expect, it } from "vitest";
import { parseEtcdMembers, parseFacts } from "../../../actions/lib/kubeadm/facts.js";
import { renderInventory } from "../../../actions/lib/kubeadm/inventory.js";
import {
  MANAGED_LABELS_ANNOTATION,
  MANAGED_TAINTS_ANNOTATION,
  nodeMetadataChange,
  nodeMetadataCommands,
} from "../../../actions/lib/kubeadm/node-metadata.js";
import { planBootstrap, planIsNoop } from "../../../actions/lib/kubeadm/plan.js";
import type { EtcdMember, Facts } from "../../../actions/lib/kubeadm/types.js";
import { cp, factsOf, ha, worker } from "./fixtures.js";

const names = ha().map((n) => n.name);
const member = (
  name: string,
  ip: string,
  healthy: boolean,
  id = "8e9e05c52164694d",
): EtcdMember => ({
  id,
  name,
  peerURLs: [`https://${ip}:2380`],
  clientURLs: [`https://${ip}:2379`],
  healthy,
});
const withEtcd = (facts: Facts, members: EtcdMember[]): Facts => ({
  ...facts,
  cluster: { ...facts.cluster!, etcdMembers: members },
});
const liveEtcd = () =>
  [1, 2, 3].map((n) => member(`demo-cp-${n}`, `10.0.20.${10 + n}`, true, `a${n}`));

describe("pool labels and taints reach existing nodes", () => {
  it("a changed pool taint and label are applied to a member, a dropped one removed", () => {
    const facts = factsOf(ha(), names);
    // the pool now wants gpu=true:NoSchedule and tier=batch instead of its old label
    const changed = worker(1, { labels: { tier: "batch" }, taints: ["gpu=true:NoSchedule"] });
    const plan = planBootstrap({
      desired: [...ha().filter((n) => n.name !== "demo-general-1"), changed],
      facts,
      version: "1.36.3",
    });
    expect(planIsNoop(plan)).toBe(false);
    expect(plan.nodeMetadata).toEqual([
      {
        node: "demo-general-1",
        setLabels: { tier: "batch" },
        removeLabels: ["node.pve-kube.dev/pool"],
        addTaints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
        removeTaints: [],
        annotations: {
          [MANAGED_LABELS_ANNOTATION]: "tier",
          [MANAGED_TAINTS_ANNOTATION]: "gpu:NoSchedule",
        },
      },
    ]);
    expect(nodeMetadataCommands(plan.nodeMetadata![0]!).map((c) => c.slice(3))).toEqual([
      ["label", "node", "demo-general-1", "--overwrite", "tier=batch", "node.pve-kube.dev/pool-"],
      ["taint", "node", "demo-general-1", "--overwrite", "gpu=true:NoSchedule"],
      [
        "annotate",
        "node",
        "demo-general-1",
        "--overwrite",
        `${MANAGED_LABELS_ANNOTATION}=tier`,
        `${MANAGED_TAINTS_ANNOTATION}=gpu:NoSchedule`,
      ],
    ]);
  });

  it("a taint the pool dropped is removed; one someone else set stays", () => {
    const tainted = worker(1, { taints: ["gpu=true:NoSchedule"] });
    const facts = factsOf([tainted], [tainted.name]);
    const node = facts.cluster!.nodes[0]!;
    node.taints = [...node.taints!, { key: "maintenance", effect: "NoExecute" }];
    const change = nodeMetadataChange(worker(1), node);
    expect(change?.removeTaints).toEqual([{ key: "gpu", value: "true", effect: "NoSchedule" }]);
    expect(nodeMetadataCommands(change!)[0]?.slice(3)).toEqual([
      "taint",
      "node",
      "demo-general-1",
      "--overwrite",
      "gpu:NoSchedule-",
    ]);
  });

  it("a joining worker gets its labels and the annotations (its taints come with registration)", () => {
    const change = nodeMetadataChange(worker(4, { taints: ["a=b:NoSchedule"] }), undefined);
    expect(change).toMatchObject({
      setLabels: { "node.pve-kube.dev/pool": "general" },
      addTaints: [],
      removeTaints: [],
    });
  });

  it("control planes keep kubeadm's own labels and taints", () => {
    expect(nodeMetadataChange(cp(1), undefined)).toBeUndefined();
  });
});

describe("machines that are gone or rebuilt", () => {
  it("removes the dead etcd member and Node object of a control plane destroyed out of band", () => {
    const desired = ha().filter((n) => n.name !== "demo-cp-3");
    const facts = withEtcd(factsOf(ha(), names), [
      ...liveEtcd().slice(0, 2),
      member("demo-cp-3", "10.0.20.13", false, "dead3"),
    ]);
    // the facts run only reaches the VMs that exist
    facts.hosts = facts.hosts.filter((h) => h.name !== "demo-cp-3");
    const plan = planBootstrap({ desired, facts, version: "1.36.3", cluster: "demo" });
    expect(plan.forget).toEqual({
      nodes: ["demo-cp-3"],
      etcdMembers: [{ id: "dead3", name: "demo-cp-3" }],
      leftAlone: [],
    });
    const inv = renderInventory({ nodes: desired, plan, user: "root" }) as {
      all: { children: Record<string, { hosts: object }> };
    };
    expect(Object.keys(inv.all.children.forget!.hosts)).toEqual(["demo-cp-1"]);
  });

  it("joins a rebuilt control plane again after removing its stale member and Node object", () => {
    const facts = withEtcd(factsOf(ha(), names), [
      ...liveEtcd().slice(0, 2),
      member("demo-cp-3", "10.0.20.13", false, "old3"),
    ]);
    facts.hosts = facts.hosts.map((h) =>
      h.name === "demo-cp-3" ? { ...h, kubeletConfigured: false, adminConf: false } : h,
    );
    const plan = planBootstrap({ desired: ha(), facts, version: "1.36.3", cluster: "demo" });
    expect(plan.controlPlaneJoins).toEqual(["demo-cp-3"]);
    expect(plan.forget?.etcdMembers).toEqual([{ id: "old3", name: "demo-cp-3" }]);
    expect(plan.forget?.nodes).toEqual(["demo-cp-3"]);
  });

  it("never removes a member that answers, and refuses one that is no VM of the cluster", () => {
    const facts = withEtcd(factsOf(ha(), names), [
      ...liveEtcd(),
      member("someone-else", "10.0.20.99", true, "f00"),
    ]);
    expect(() =>
      planBootstrap({ desired: ha(), facts, version: "1.36.3", cluster: "demo" }),
    ).toThrow(/etcd has members that answer but are no VM of this cluster: someone-else f00/);
  });

  it("leaves a healthy cluster alone and names registered nodes it does not own", () => {
    const facts = withEtcd(factsOf(ha(), names), liveEtcd());
    facts.cluster!.nodes.push({
      name: "hand-made",
      kubeletVersion: "v1.36.3",
      ready: true,
      controlPlane: false,
    });
    const plan = planBootstrap({ desired: ha(), facts, version: "1.36.3", cluster: "demo" });
    expect(planIsNoop(plan)).toBe(true);
    expect(plan.forget?.leftAlone).toEqual(["hand-made"]);
  });
});

describe("facts", () => {
  it("reads etcd's member list (hex ids as text) and health, as Ansible hands them over", () => {
    const members = parseEtcdMembers(
      JSON.stringify({
        header: { cluster_id: "cdf818194e3a8c32" },
        members: [
          {
            ID: "8e9e05c52164694d",
            name: "demo-cp-1",
            peerURLs: ["https://10.0.20.11:2380"],
            clientURLs: ["https://10.0.20.11:2379"],
          },
          { ID: "91bc3c398fb3c146", name: "", peerURLs: ["https://10.0.20.13:2380"] },
        ],
      }),
      JSON.stringify([{ endpoint: "https://10.0.20.11:2379", health: true, took: "1ms" }]),
    );
    expect(members).toEqual([
      {
        id: "8e9e05c52164694d",
        name: "demo-cp-1",
        peerURLs: ["https://10.0.20.11:2380"],
        clientURLs: ["https://10.0.20.11:2379"],
        healthy: true,
      },
      {
        id: "91bc3c398fb3c146",
        name: "",
        peerURLs: ["https://10.0.20.13:2380"],
        clientURLs: [],
        healthy: false,
      },
    ]);
  });

  it("takes the Node objects' labels, annotations and taints, and etcd given as data", () => {
    const facts = parseFacts(
      JSON.stringify([
        {
          name: "demo-cp-1",
          kubelet_conf: "True",
          admin_conf: true,
          kubeadm_version: "v1.36.3",
          addresses: [],
          nodes: {
            items: [
              {
                metadata: { name: "demo-general-1", labels: { a: "b" }, annotations: { c: "d" } },
                spec: { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] },
                status: { nodeInfo: { kubeletVersion: "v1.36.3" }, conditions: [] },
              },
            ],
          },
          cluster_configuration: "kubernetesVersion: v1.36.3\n",
          etcd_members: {
            members: [
              {
                ID: "a1",
                name: "demo-cp-1",
                peerURLs: [],
                clientURLs: ["https://10.0.20.11:2379"],
              },
            ],
          },
          etcd_health: "",
        },
      ]),
      [{ name: "demo-cp-1", ip: "10.0.20.11" }],
    );
    expect(facts.cluster?.nodes[0]).toMatchObject({
      labels: { a: "b" },
      annotations: { c: "d" },
      taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
    });
    expect(facts.cluster?.etcdMembers).toEqual([
      {
        id: "a1",
        name: "demo-cp-1",
        peerURLs: [],
        clientURLs: ["https://10.0.20.11:2379"],
        healthy: false,
      },
    ]);
  });
});
