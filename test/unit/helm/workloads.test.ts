import { describe, expect, test } from "vitest";
import { CILIUM_WORKLOADS } from "../../../actions/lib/cilium/release.js";
import {
  eventLines,
  notReadyPods,
  notReadyReport,
  workloadStatus,
} from "../../../actions/lib/helm/workloads.js";

const [agent, operator] = CILIUM_WORKLOADS as [
  (typeof CILIUM_WORKLOADS)[number],
  (typeof CILIUM_WORKLOADS)[number],
];

const ds = (status: Record<string, number>, generation = 2) => ({
  kind: "DaemonSet",
  metadata: { name: "cilium", generation },
  status,
});
const deploy = (replicas: number, status: Record<string, number>, generation = 1) => ({
  kind: "Deployment",
  metadata: { name: "cilium-operator", generation },
  spec: { replicas },
  status,
});

describe("workloadStatus", () => {
  test.each<[string, typeof agent, unknown, boolean, string]>([
    [
      "agent on every node",
      agent,
      ds({
        desiredNumberScheduled: 3,
        numberReady: 3,
        updatedNumberScheduled: 3,
        observedGeneration: 2,
      }),
      true,
      "3/3 ready, 3/3 updated",
    ],
    [
      "agent scheduled nowhere yet",
      agent,
      ds({ observedGeneration: 2 }),
      false,
      "0/0 ready, 0/0 updated",
    ],
    [
      "agent rolling out",
      agent,
      ds({
        desiredNumberScheduled: 3,
        numberReady: 3,
        updatedNumberScheduled: 1,
        observedGeneration: 2,
      }),
      false,
      "3/3 ready, 1/3 updated",
    ],
    [
      "agent change not observed",
      agent,
      ds({
        desiredNumberScheduled: 1,
        numberReady: 1,
        updatedNumberScheduled: 1,
        observedGeneration: 1,
      }),
      false,
      "1/1 ready, 1/1 updated, change not observed yet",
    ],
    ["agent DaemonSet absent", agent, undefined, false, "not created yet"],
    [
      "operator ready",
      operator,
      deploy(2, { readyReplicas: 2, updatedReplicas: 2, observedGeneration: 1 }),
      true,
      "2/2 ready, 2/2 updated",
    ],
    [
      "operator with no status yet",
      operator,
      deploy(1, {}),
      false,
      "0/1 ready, 0/1 updated, change not observed yet",
    ],
    [
      "operator half ready",
      operator,
      deploy(2, { readyReplicas: 1, updatedReplicas: 2, observedGeneration: 1 }),
      false,
      "1/2 ready, 2/2 updated",
    ],
  ])("%s", (_name, ref, json, ready, detail) => {
    expect(workloadStatus(ref, json)).toEqual({ ref, ready, detail });
  });
});

const podJson = {
  items: [
    {
      metadata: { name: "cilium-ready" },
      spec: { nodeName: "cp-1" },
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    },
    {
      metadata: { name: "cilium-crash" },
      spec: { nodeName: "cp-2" },
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False", reason: "ContainersNotReady" }],
        initContainerStatuses: [
          {
            name: "config",
            ready: true,
            restartCount: 0,
            state: { terminated: { reason: "Completed", exitCode: 0 } },
          },
        ],
        containerStatuses: [
          {
            name: "cilium-agent",
            ready: false,
            restartCount: 4,
            state: {
              waiting: {
                reason: "CrashLoopBackOff",
                message: "back-off 1m20s restarting failed container",
              },
            },
            lastState: { terminated: { reason: "Error", exitCode: 1 } },
          },
        ],
      },
    },
    {
      metadata: { name: "cilium-operator-pending" },
      status: {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
          },
        ],
      },
    },
    {
      metadata: { name: "cilium-init" },
      spec: { nodeName: "w-1" },
      status: {
        phase: "Pending",
        conditions: [{ type: "Ready", status: "False" }],
        initContainerStatuses: [
          {
            name: "mount-cgroup",
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: "ErrImageNeverPull",
                message:
                  'Container image "quay.io/cilium/cilium:v1.20.2" is not present with pull policy of Never',
              },
            },
          },
        ],
      },
    },
  ],
};

describe("notReadyPods: each pod that is not Ready, and why", () => {
  test("crash loops, unschedulable pods and missing images, with their nodes", () => {
    expect(notReadyPods(podJson)).toEqual([
      {
        pod: "cilium-crash",
        node: "cp-2",
        phase: "Running",
        reasons: [
          "cilium-agent: waiting CrashLoopBackOff — back-off 1m20s restarting failed container",
          "cilium-agent: 4 restarts, last terminated Error (exit 1)",
        ],
      },
      {
        pod: "cilium-operator-pending",
        phase: "Pending",
        reasons: [
          "not scheduled: Unschedulable 0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
        ],
      },
      {
        pod: "cilium-init",
        node: "w-1",
        phase: "Pending",
        reasons: [
          'mount-cgroup: waiting ErrImageNeverPull — Container image "quay.io/cilium/cilium:v1.20.2" is not present with pull policy of Never',
        ],
      },
    ]);
  });

  test("a pod without any status yet still names itself", () => {
    expect(notReadyPods({ items: [{ metadata: { name: "p" } }] })).toEqual([
      { pod: "p", phase: "Unknown", reasons: ["no container status yet"] },
    ]);
  });
});

describe("eventLines", () => {
  test("the last events, oldest first, repeated ones counted", () => {
    const events = {
      items: [
        {
          type: "Warning",
          reason: "BackOff",
          message: "Back-off restarting failed container",
          count: 7,
          lastTimestamp: "2026-12-07T10:05:00Z",
        },
        {
          type: "Normal",
          reason: "Scheduled",
          message: "Successfully assigned kube-system/cilium-crash to cp-2",
          eventTime: "2026-12-07T10:00:00.000000Z",
          lastTimestamp: null,
        },
        {
          type: "Normal",
          reason: "Pulled",
          message: "Container image already present on machine ",
          lastTimestamp: "2026-12-07T10:01:00Z",
        },
      ],
    };
    expect(eventLines(events)).toEqual([
      "Normal Scheduled: Successfully assigned kube-system/cilium-crash to cp-2",
      "Normal Pulled: Container image already present on machine",
      "Warning BackOff (×7): Back-off restarting failed container",
    ]);
    expect(eventLines(events, 1)).toEqual([
      "Warning BackOff (×7): Back-off restarting failed container",
    ]);
  });
});

describe("notReadyReport", () => {
  test("names the workloads, the pods, the reasons, events and log lines", () => {
    const report = notReadyReport({
      release: "cilium",
      timeoutSeconds: 300,
      workloads: [
        workloadStatus(
          agent,
          ds({
            desiredNumberScheduled: 2,
            numberReady: 1,
            updatedNumberScheduled: 2,
            observedGeneration: 2,
          }),
        ),
        workloadStatus(
          operator,
          deploy(1, { readyReplicas: 1, updatedReplicas: 1, observedGeneration: 1 }),
        ),
      ],
      pods: [
        {
          pod: "cilium-crash",
          node: "cp-2",
          phase: "Running",
          reasons: ["cilium-agent: waiting CrashLoopBackOff"],
          events: ["Warning BackOff (×7): Back-off restarting failed container"],
          logTail: [
            '[pod/cilium-crash/cilium-agent] level=fatal msg="bpf() failed: operation not permitted"',
          ],
        },
      ],
    });
    expect(report).toBe(
      [
        "cilium not ready after 300 s: DaemonSet kube-system/cilium (1/2 ready, 2/2 updated)",
        "  pod cilium-crash on cp-2 (Running):",
        "    - cilium-agent: waiting CrashLoopBackOff",
        "    events:",
        "      Warning BackOff (×7): Back-off restarting failed container",
        "    last log lines:",
        '      [pod/cilium-crash/cilium-agent] level=fatal msg="bpf() failed: operation not permitted"',
      ].join("\n"),
    );
  });
});
