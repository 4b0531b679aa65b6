import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import {
  inLbRange,
  nodesCheck,
  systemPodsCheck,
  verifyTable,
} from "../../../actions/lib/verify/checks.js";
import { BASE_CONFIG } from "../config/base-config.js";

const { plan } = parseClusterConfig(BASE_CONFIG, "clusters/demo/cluster.yaml");
const node = (name: string, ready?: { status: string; reason?: string; message?: string }) => ({
  metadata: { name },
  status: { conditions: ready ? [{ type: "Ready", ...ready }] : [] },
});

describe("verify checks", () => {
  it("nodes Ready: every VM a Ready node, the others named with why", () => {
    const all = plan.vms.map((v) => node(v.name, { status: "True" }));
    expect(nodesCheck(plan, { items: all })).toEqual({
      check: "nodes Ready",
      ok: true,
      detail: "5/5 Ready",
    });
    const some = [
      ...all.slice(0, 3),
      node(plan.vms[3]!.name, {
        status: "False",
        reason: "KubeletNotReady",
        message: "container runtime network not ready",
      }),
    ];
    expect(nodesCheck(plan, { items: some })).toEqual({
      check: "nodes Ready",
      ok: false,
      detail: `3/5 Ready; ${plan.vms[3]!.name}: Ready=False (KubeletNotReady: container runtime network not ready); ${plan.vms[4]!.name}: not a node`,
    });
  });

  it("system pods: a finished Job pod is healthy, a crash-looping one is named with its reason, other namespaces ignored", () => {
    const pod = (name: string, ns: string, phase: string, ready: boolean, extra: object = {}) => ({
      metadata: { name, namespace: ns },
      spec: { nodeName: "demo-w-1" },
      status: {
        phase,
        conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
        ...extra,
      },
    });
    const pods = {
      items: [
        pod("coredns-1", "kube-system", "Running", true),
        pod("velero-upgrade-crds-x", "velero", "Succeeded", false),
        pod("app-1", "default", "Pending", false),
        pod("loki-0", "logging", "Running", false, {
          containerStatuses: [
            {
              name: "loki",
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: "CrashLoopBackOff" } },
            },
          ],
        }),
      ],
    };
    expect(systemPodsCheck(pods, ["kube-system", "velero", "logging"])).toEqual({
      check: "system pods healthy",
      ok: false,
      detail:
        "1 of 2 not Ready: loki-0 (Running on demo-w-1: loki: waiting CrashLoopBackOff; loki: 4 restarts)",
    });
    expect(systemPodsCheck(pods, ["kube-system"]).ok).toBe(true);
  });

  it("an address is in the pool only inside network.loadBalancerRange", () => {
    expect([
      inLbRange(plan, "10.0.20.200"),
      inLbRange(plan, "10.0.20.220"),
      inLbRange(plan, "10.0.20.221"),
    ]).toEqual([true, true, false]);
  });

  it("renders the table for the summary and the deploy report", () => {
    expect(
      verifyTable([
        { check: "nodes Ready", ok: true, detail: "5/5 Ready" },
        {
          check: "LoadBalancer address from the pool",
          ok: false,
          detail: "got no address | in 300 s",
        },
      ]),
    ).toBe(
      [
        "| check | result | detail |",
        "|---|---|---|",
        "| nodes Ready | ✅ passed | 5/5 Ready |",
        "| LoadBalancer address from the pool | ❌ failed | got no address \\| in 300 s |",
      ].join("\n"),
    );
  });
});
