import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ciliumImageSpecs,
  parseBuildCiliumImagesArgs,
} from "../../../test/tools/lab/build-cilium-images.js";
import { layerEntries } from "../../../test/tools/lab/oci-archive.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("the lab's Cilium images", () => {
  it("agent: the runtime without dev/proc/sys, the agent's files over it; operator: one binary; the chart's names", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "cilium-images-"));
    dirs.push(root);
    const runtime = path.join(root, "runtime");
    const agent = path.join(root, "agent");
    for (const d of ["dev", "proc", "sys", "usr/bin", "etc"])
      await mkdir(path.join(runtime, d), { recursive: true });
    await writeFile(path.join(runtime, "usr/bin/clang-19"), "clang");
    await writeFile(path.join(runtime, "etc/hostname"), "runtime");
    await mkdir(path.join(agent, "usr/bin"), { recursive: true });
    await writeFile(path.join(agent, "usr/bin/cilium-agent"), "agent");
    await writeFile(path.join(agent, "init-container.sh"), "#!/bin/sh");
    await writeFile(path.join(root, "operator"), "operator");
    const args = parseBuildCiliumImagesArgs([
      "--",
      "--version",
      "v1.20.2",
      "--runtime",
      runtime,
      "--agent-files",
      agent,
      "--operator",
      path.join(root, "operator"),
      "--out",
      path.join(root, "out"),
    ]);
    const [agentImage, operatorImage] = await ciliumImageSpecs(args);
    expect(agentImage?.name).toBe("quay.io/cilium/cilium:v1.20.2");
    expect(operatorImage?.name).toBe("quay.io/cilium/operator-generic:v1.20.2");
    const paths = (await layerEntries(agentImage!.layer)).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "usr/bin/clang-19",
        "usr/bin/cilium-agent",
        "init-container.sh",
        "etc/hostname",
      ]),
    );
    expect(paths.some((p) => /^(dev|proc|sys)(\/|$)/.test(p))).toBe(false);
    expect(agentImage?.env).toContain("HUBBLE_SERVER=unix:///var/run/cilium/hubble.sock");
    expect((await layerEntries(operatorImage!.layer)).map((e) => e.path)).toEqual([
      "usr",
      "usr/bin",
      "usr/bin/cilium-operator-generic",
    ]);
  });

  it("names a missing argument", () => {
    expect(() => parseBuildCiliumImagesArgs(["--version", "1.20.2"])).toThrow(
      /--runtime is required/,
    );
  });
});
