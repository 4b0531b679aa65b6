import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createPhaseState,
  finishedPhaseState,
  parsePhaseState,
  phaseArtifactName,
  StepTimer,
} from "../../../actions/lib/state/phase-state.js";
import { sealSecret } from "../../../actions/lib/state/seal.js";

const key = randomBytes(32).toString("base64");

function bootstrapState() {
  return createPhaseState({
    cluster: "demo",
    clusterUid: "0123456789ab",
    phase: "kubeadm-bootstrap",
    status: "succeeded",
    startedAt: "2026-11-25T07:00:00.000Z",
    finishedAt: "2026-11-25T07:05:00.000Z",
    timings: [{ step: "kubeadm init", ms: 1200 }],
    outputs: {
      mode: "apply",
      kubernetesVersion: "1.36.3",
      controlPlaneEndpoint: "10.0.20.5:6443",
      endpointProvider: "kube-vip",
      nodeProfile: "production",
      kubeconfig: sealSecret("super-secret-kubeconfig", key, "demo/kubeadm-bootstrap/kubeconfig"),
      knownHosts: "10.0.20.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleHostKey\n",
      plan: { init: "demo-cp-1" },
      nodes: [{ name: "demo-cp-1", role: "control-plane", action: "init" }],
      recap: [
        {
          host: "demo-cp-1",
          ok: 20,
          changed: 5,
          unreachable: 0,
          failed: 0,
          skipped: 3,
          seconds: 12.5,
        },
      ],
    },
  });
}

describe("phase state", () => {
  it("names artifacts pve-kube-<cluster>-<phase>", () => {
    expect(phaseArtifactName("demo", "tofu-provision")).toBe("pve-kube-demo-tofu-provision");
  });

  it("round-trips through JSON with the secret sealed", () => {
    const state = bootstrapState();
    const json = JSON.stringify(state);
    expect(json).not.toContain("super-secret-kubeconfig");
    expect(parsePhaseState(json, "kubeadm-bootstrap", "test")).toEqual(state);
  });

  it("round-trips kubeadm-bootstrap's retries as the within-run rule records them (with their step)", () => {
    const state = bootstrapState();
    const retry = {
      step: "ansible-playbook site.yml",
      attempt: 1,
      reason: "SSH connection dropped",
      error: "UNREACHABLE! => demo-cp-2",
      costMs: 4200,
    };
    const withRetries = { ...state, outputs: { ...state.outputs, retries: [retry] } };
    expect(parsePhaseState(JSON.stringify(withRetries), "kubeadm-bootstrap", "test")).toEqual(
      withRetries,
    );
  });

  it("refuses a plain-text secret where a sealed value belongs", () => {
    const raw = JSON.parse(JSON.stringify(bootstrapState())) as {
      outputs: { kubeconfig: unknown };
    };
    raw.outputs.kubeconfig = "apiVersion: v1";
    expect(() => parsePhaseState(JSON.stringify(raw), "kubeadm-bootstrap", "artifact x")).toThrow(
      /artifact x is not a valid kubeadm-bootstrap state \(outputs.kubeconfig|kubeconfig/,
    );
  });

  it("refuses state of a newer format version", () => {
    const raw = { ...JSON.parse(JSON.stringify(bootstrapState())), version: 99 } as unknown;
    expect(() => parsePhaseState(JSON.stringify(raw), "kubeadm-bootstrap", "artifact x")).toThrow(
      /state version 99, newer than this pve-kube understands/,
    );
  });

  it("refuses the state of another phase", () => {
    expect(() => parsePhaseState(JSON.stringify(bootstrapState()), "verify", "artifact x")).toThrow(
      /holds the state of phase 'kubeadm-bootstrap', not 'verify'/,
    );
  });

  it("refuses broken JSON with a hint", () => {
    expect(() => parsePhaseState("{", "preflight", "artifact x")).toThrow(
      /artifact x is not valid JSON — re-run the preflight phase/,
    );
  });

  it("records step timings, also when a step fails", async () => {
    const timer = new StepTimer();
    await timer.time("ok", () => Promise.resolve(1));
    await expect(
      timer.time("fails", () => Promise.reject(new Error("boom")), { simulated: true }),
    ).rejects.toThrow("boom");
    expect(timer.timings.map((t) => [t.step, t.simulated ?? false])).toEqual([
      ["ok", false],
      ["fails", true],
    ]);
  });
});

describe("finishedPhaseState", () => {
  const outputs = {
    templateVmid: 9000,
    node: "pve1",
    fingerprint: "f".repeat(64),
    built: false,
    simulatedSteps: [],
  };
  const fields = {
    phase: "build-template" as const,
    status: "succeeded" as const,
    startedAt: "2026-11-25T07:00:00.000Z",
    timings: [],
    outputs,
  };

  it("takes the identity from the plan, the run id from GITHUB_RUN_ID, and finishes now", () => {
    const before = Date.now();
    const state = finishedPhaseState(
      { cluster: "demo", uid: "0123456789ab" },
      { GITHUB_RUN_ID: "42" },
      fields,
    );
    expect(state).toMatchObject({
      kind: "pve-kube/phase-state",
      cluster: "demo",
      clusterUid: "0123456789ab",
      runId: "42",
      ...fields,
    });
    expect(Date.parse(state.finishedAt)).toBeGreaterThanOrEqual(before - 1);
  });

  it("has no run id outside a workflow run", () => {
    expect(
      finishedPhaseState({ cluster: "demo", uid: "0123456789ab" }, {}, fields),
    ).not.toHaveProperty("runId");
  });
});
