import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createPhaseState,
  downloadPhaseState,
  sealSecret,
  uploadPhaseState,
} from "../../../actions/lib/state/index.js";
import { useResultsService } from "./job.js";

// Phase state moving between jobs of one run exactly as deploy.yml will move it: the lead's
// transport (actions/lib/state/phase-state-artifacts.ts) with the real DefaultArtifactClient, through the
// local results service.

const { job, service } = useResultsService();
const stateKey = randomBytes(32).toString("base64");

function templateState(vmid: number) {
  return createPhaseState({
    cluster: "demo",
    clusterUid: "0123456789ab",
    phase: "build-template",
    status: "succeeded",
    startedAt: "2026-11-25T07:00:00.000Z",
    finishedAt: "2026-11-25T07:02:00.000Z",
    runId: "run-s1",
    timings: [{ step: "import disk", ms: 900, simulated: true }],
    outputs: {
      templateVmid: vmid,
      node: "pve1",
      fingerprint: "f".repeat(64),
      built: true,
      simulatedSteps: ["virt-customize"],
    },
  });
}

describe("phase state through the local results service", () => {
  it("round-trips a phase's state from one job to the next, and a re-run of the job replaces it", async () => {
    const state = templateState(9000);
    const logger = memoryLogger();
    const name = await job("run-s1", "build-template").run(() =>
      uploadPhaseState(state, new DefaultArtifactClient(), logger),
    );
    expect(name).toBe("pve-kube-demo-build-template");
    expect(logger.lines).toContain("state uploaded as artifact pve-kube-demo-build-template");

    const read = await job("run-s1", "tofu-provision").run(() =>
      downloadPhaseState("demo", "build-template", new DefaultArtifactClient()),
    );
    expect(read).toEqual(state);

    // the same job re-run in the same workflow run: the earlier artifact is replaced, not a 409
    const rerun = memoryLogger();
    await job("run-s1", "build-template-attempt-2").run(() =>
      uploadPhaseState(templateState(9001), new DefaultArtifactClient(), rerun),
    );
    expect(rerun.lines).toContain(
      "replacing the earlier pve-kube-demo-build-template artifact of this run",
    );
    const reread = await job("run-s1", "tofu-provision").run(() =>
      downloadPhaseState("demo", "build-template", new DefaultArtifactClient()),
    );
    expect(reread.outputs.templateVmid).toBe(9001);
    expect(
      service()
        .artifacts()
        .filter((a) => a.name === "pve-kube-demo-build-template" && a.runId === "run-s1"),
    ).toHaveLength(1);
  });

  it("keeps sealed secrets sealed in the stored artifact", async () => {
    const secret = "kubeconfig-with-client-key-material";
    const state = createPhaseState({
      cluster: "demo",
      clusterUid: "0123456789ab",
      phase: "kubeadm-bootstrap",
      status: "succeeded",
      startedAt: "2026-11-25T07:00:00.000Z",
      finishedAt: "2026-11-25T07:05:00.000Z",
      timings: [],
      outputs: {
        mode: "apply",
        kubernetesVersion: "1.36.3",
        controlPlaneEndpoint: "10.0.20.5:6443",
        endpointProvider: "kube-vip",
        nodeProfile: "production",
        kubeconfig: sealSecret(secret, stateKey, "demo/kubeadm-bootstrap/kubeconfig"),
        knownHosts: "",
        plan: {},
        nodes: [],
        recap: [],
      },
    });
    await job("run-s2", "kubeadm").run(() =>
      uploadPhaseState(state, new DefaultArtifactClient(), memoryLogger()),
    );
    // unpack the artifact as any later job would and scan what it holds
    const text = await job("run-s2", "cilium").run(async (j) => {
      const client = new DefaultArtifactClient();
      const { artifact } = await client.getArtifact("pve-kube-demo-kubeadm-bootstrap");
      await client.downloadArtifact(artifact.id);
      return readFile(path.join(j.workspace, "state.json"), "utf8");
    });
    expect(text).toContain('"kubeconfig"');
    expect(text).not.toContain(secret);
  });

  it("tells which job to run first when an earlier phase left no state in this run", async () => {
    await expect(
      job("run-s3", "tofu-provision").run(() =>
        downloadPhaseState("demo", "build-template", new DefaultArtifactClient()),
      ),
    ).rejects.toThrow(
      "no state of phase 'build-template' for cluster 'demo' (artifact pve-kube-demo-build-template not found in this run) — run the 'build-template' job first (add it to `needs:`), or include it in the phases to run",
    );
  });

  it("signs state under the state-key, keeps it 30 days, and a later job refuses forged, foreign or other-run state", async () => {
    const expect30 = Date.now() + 30 * 86_400_000;
    await job("run-s4", "build-template").run(() =>
      uploadPhaseState(
        { ...templateState(9000), runId: "run-s4" },
        new DefaultArtifactClient(),
        memoryLogger(),
        { stateKey },
      ),
    );
    const stored = service()
      .artifacts()
      .find((a) => a.name === "pve-kube-demo-build-template" && a.runId === "run-s4");
    expect(Math.abs(Date.parse(stored!.expiresAt!) - expect30)).toBeLessThan(3_600_000);
    const expectOk = { stateKey, clusterUid: "0123456789ab", runId: "run-s4" };
    const read = () =>
      job("run-s4", "tofu-provision").run(() =>
        downloadPhaseState("demo", "build-template", new DefaultArtifactClient(), {
          expect: expectOk,
        }),
      );
    expect((await read()).outputs.templateVmid).toBe(9000);

    // any step of the run holds the runtime token and can replace the artifact: a template of its choosing
    const forge = (state: ReturnType<typeof templateState>, options = {}) =>
      job("run-s4", "evil-step").run(() =>
        uploadPhaseState(state, new DefaultArtifactClient(), memoryLogger(), options),
      );
    await forge({ ...templateState(666), runId: "run-s4" });
    await expect(read()).rejects.toThrow(/carries no MAC: it was written without the state-key/);
    await forge(
      { ...templateState(666), runId: "run-s4" },
      { stateKey: randomBytes(32).toString("base64") },
    );
    await expect(read()).rejects.toThrow(/does not match its MAC/);
    await forge(
      { ...templateState(666), runId: "run-s4", clusterUid: "ffffffffffff" },
      { stateKey },
    );
    await expect(read()).rejects.toThrow(/belongs to cluster uid ffffffffffff, not 0123456789ab/);
    await forge({ ...templateState(666), runId: "run-s1" }, { stateKey });
    await expect(read()).rejects.toThrow(/was written by run run-s1, not this run \(run-s4\)/);
  });
});
