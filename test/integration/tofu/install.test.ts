import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  goPlatform,
  locateTofu as locateTool,
  releaseFileNames,
} from "../../../actions/lib/tofu/install.js";
import { versions } from "../../../actions/lib/versions.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";

const tools = requireTofu();
const run = promisify(execFile);

/**
 * The action's OpenTofu installer with @actions/tool-cache against a release server on loopback
 * that serves the real tofu binary packed as the release's .tar.gz, with its SHA256SUMS.
 */
describe("OpenTofu release install", () => {
  const version = versions.opentofu.version;
  const files = releaseFileNames(version, goPlatform());
  let root: string;
  let server: http.Server;
  let base: string;
  let zip: Buffer; // the .tar.gz archive
  let sums: string;
  const hits: string[] = [];
  const saved = {
    RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE,
    RUNNER_TEMP: process.env.RUNNER_TEMP,
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-tofu-install-"));
    const stage = path.join(root, "stage");
    await mkdir(stage);
    await copyFile(tools.tofu, path.join(stage, "tofu"));
    await run("tar", ["-czf", path.join(root, files.archive), "-C", stage, "tofu"]);
    zip = await readFile(path.join(root, files.archive));
    sums = `${createHash("sha256").update(zip).digest("hex")}  ${files.archive}\n${"0".repeat(64)}  tofu_${version}_linux_amd64.zip\n`;
    server = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      const body =
        req.url === `/v${version}/${files.archive}`
          ? zip
          : req.url === `/v${version}/${files.sums}`
            ? Buffer.from(sums)
            : undefined;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Length": body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.RUNNER_TEMP = path.join(root, "temp");
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(root, { recursive: true, force: true });
  });

  const fresh = async (name: string) => {
    process.env.RUNNER_TOOL_CACHE = path.join(root, name);
    await mkdir(process.env.RUNNER_TOOL_CACHE, { recursive: true });
    return { PATH: "/usr/bin:/bin", RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE };
  };

  it("downloads the release, checks it against SHA256SUMS, caches it, and finds it in the tool cache next time", async () => {
    const env = await fresh("cache-1");
    const logger = memoryLogger();
    const first = await locateTool({
      binary: "tofu",
      version,
      logger,
      env,
      download: { baseUrl: base },
    });
    expect(first).toMatchObject({ source: "downloaded", version });
    expect(logger.lines).toContain(
      `${files.archive}: SHA-256 ${createHash("sha256").update(zip).digest("hex")} verified against ${files.sums}`,
    );
    const { stdout } = await run(first.path, ["version"]);
    expect(stdout).toContain(`OpenTofu v${version}`);

    const before = hits.length;
    const second = await locateTool({
      binary: "tofu",
      version,
      logger,
      env,
      download: { baseUrl: base },
    });
    expect(second).toMatchObject({ source: "tool-cache", path: first.path });
    // no pin for the platform here: the cached archive is re-checked against the release's list
    expect(hits.slice(before)).toEqual([`/v${version}/${files.sums}`]);
  });

  it("compares the downloaded archive with the real versions.json pin of that very archive", async () => {
    // the release server serves a source build, so the real pin (of the official tar.gz) must
    // refuse it — naming the .tar.gz, the artifact the pin is for
    const env = await fresh("cache-real-pin");
    const real = (versions.opentofu as unknown as { sha256: Record<string, string> }).sha256;
    await expect(
      locateTool({
        binary: "tofu",
        version,
        logger: memoryLogger(),
        env,
        download: { baseUrl: base, sha256: real },
      }),
    ).rejects.toThrow(
      `the downloaded tofu_${version}_linux_amd64.tar.gz has SHA-256 ${createHash("sha256").update(zip).digest("hex")}, expected ${real.linux_amd64} (versions.json)`,
    );
    // and the same archive pinned the way versions.json pins installs
    const pinned = { linux_amd64: createHash("sha256").update(zip).digest("hex") };
    const logger = memoryLogger();
    expect(
      await locateTool({
        binary: "tofu",
        version,
        logger,
        env,
        download: { baseUrl: base, sha256: pinned },
      }),
    ).toMatchObject({ source: "downloaded" });
    expect(logger.lines).toContain(
      `tofu_${version}_linux_amd64.tar.gz: SHA-256 ${pinned.linux_amd64} verified against versions.json`,
    );
  });

  it("re-verifies a tool-cache hit and refuses a replaced binary", async () => {
    const env = await fresh("cache-tamper");
    const pinned = { linux_amd64: createHash("sha256").update(zip).digest("hex") };
    const first = await locateTool({
      binary: "tofu",
      version,
      logger: memoryLogger(),
      env,
      download: { baseUrl: base, sha256: pinned },
    });
    const logger = memoryLogger();
    await expect(
      locateTool({ binary: "tofu", version, logger, env, download: { sha256: pinned } }),
    ).resolves.toMatchObject({ source: "tool-cache" });
    expect(logger.lines.some((l) => l.includes("verified against versions.json"))).toBe(true);
    // anything running as the runner user can plant another tofu in the tool cache
    await writeFile(first.path, "#!/bin/sh\necho planted\n");
    await expect(
      locateTool({ binary: "tofu", version, logger, env, download: { sha256: pinned } }),
    ).rejects.toThrow(/is not the binary of its verified release/);
    // a pin that no longer matches the kept archive (versions.json moved on) is refused too
    await expect(
      locateTool({
        binary: "tofu",
        version,
        logger,
        env,
        download: { sha256: { linux_amd64: "a".repeat(64) } },
      }),
    ).rejects.toThrow(/comes from an archive with SHA-256 [0-9a-f]{64}, not a{64}/);
  });

  it("a checksum pinned in versions.json wins over SHA256SUMS, and a mismatch installs nothing", async () => {
    const env = await fresh("cache-2");
    const { os: goOs, arch } = goPlatform();
    await expect(
      locateTool({
        binary: "tofu",
        version,
        logger: memoryLogger(),
        env,
        download: { baseUrl: base, sha256: { [`${goOs}_${arch}`]: "f".repeat(64) } },
      }),
    ).rejects.toThrow(
      /has SHA-256 [0-9a-f]{64}, expected f{64} \(versions.json\); refusing to install it/,
    );
    await expect(
      locateTool({
        binary: "tofu",
        version,
        logger: memoryLogger(),
        env,
        download: { allow: false },
      }),
    ).rejects.toThrow(/OpenTofu .* is not installed on this runner/);
  });

  it("an archive that does not match the release's SHA256SUMS is refused and not cached", async () => {
    const env = await fresh("cache-3");
    const good = sums;
    sums = sums.replace(/^[0-9a-f]{64}/, "e".repeat(64));
    try {
      await expect(
        locateTool({
          binary: "tofu",
          version,
          logger: memoryLogger(),
          env,
          download: { baseUrl: base },
        }),
      ).rejects.toThrow(`expected ${"e".repeat(64)} (${files.sums}); refusing to install it`);
      expect(existsSync(path.join(env.RUNNER_TOOL_CACHE, "opentofu"))).toBe(false);
      sums = sums.replace(files.archive, "other.zip");
      await expect(
        locateTool({
          binary: "tofu",
          version,
          logger: memoryLogger(),
          env,
          download: { baseUrl: base },
        }),
      ).rejects.toThrow(`lists no checksum for ${files.archive}`);
    } finally {
      sums = good;
    }
  });

  it("uses tofu from PATH only at the pinned version, and names a wrong tofu-path", async () => {
    // a CLI config that does not exist makes tofu print a warning before its JSON: still read right
    const env = {
      PATH: `${path.dirname(tools.tofu)}:/usr/bin:/bin`,
      TF_CLI_CONFIG_FILE: path.join(root, "missing.tfrc"),
    };
    expect(
      await locateTool({
        binary: "tofu",
        version,
        logger: memoryLogger(),
        env,
        download: { allow: false },
      }),
    ).toMatchObject({ source: "PATH", path: tools.tofu });
    const logger = memoryLogger();
    await expect(
      locateTool({ binary: "tofu", version: "1.9.0", logger, env, download: { allow: false } }),
    ).rejects.toThrow(/not installed/);
    expect(logger.lines).toContain(
      `${tools.tofu} is OpenTofu ${version}, not the pinned 1.9.0: not used`,
    );
    await expect(
      locateTool({ binary: "tofu", version: "1.9.0", toolPath: tools.tofu, logger, env }),
    ).rejects.toThrow(`is OpenTofu ${version}, but pve-kube pins 1.9.0`);
    await writeFile(path.join(root, "not-executable"), "");
    await expect(
      locateTool({
        binary: "tofu",
        version,
        toolPath: path.join(root, "not-executable"),
        logger,
        env,
      }),
    ).rejects.toThrow(/does not exist or is not executable/);
    await expect(
      locateTool({ binary: "terraform", version, logger, env: { PATH: "/nonexistent" } }),
    ).rejects.toThrow(/terraform was chosen .* not on PATH/);
  });
});
