import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createPhaseState,
  defaultArtifactStore,
  downloadPhaseState,
  uploadPhaseState,
} from "../../../actions/lib/state/index.js";
import { useResultsService } from "./job.js";

// defaultArtifactStore() is what actionDeps hands every action: a store that imports
// @actions/artifact only when state first moves (the client is 3 MB of the bundle, and an action
// that fails on its inputs never needs it). The lazy store must behave as the client itself.

const { job, service } = useResultsService();

describe("defaultArtifactStore", () => {
  it("moves phase state through the local results service, loading the client on first use", async () => {
    const state = createPhaseState({
      cluster: "demo",
      clusterUid: "0123456789ab",
      phase: "build-template",
      status: "succeeded",
      startedAt: "2026-12-07T07:00:00.000Z",
      finishedAt: "2026-12-07T07:02:00.000Z",
      runId: "run-lazy",
      timings: [],
      outputs: {
        templateVmid: 9000,
        node: "pve1",
        fingerprint: "f".repeat(64),
        built: true,
        simulatedSteps: [],
      },
    });
    const name = await job("run-lazy", "build-template").run(() =>
      uploadPhaseState(state, defaultArtifactStore(), memoryLogger()),
    );
    const read = await job("run-lazy", "tofu-provision").run(() =>
      downloadPhaseState("demo", "build-template", defaultArtifactStore()),
    );
    expect(read).toEqual(state);
    expect(
      service()
        .artifacts()
        .filter((a) => a.name === name),
    ).toHaveLength(1);
  });
});
