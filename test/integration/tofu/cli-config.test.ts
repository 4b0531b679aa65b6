import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { TofuRunner } from "../../../actions/lib/tofu/runner.js";
import { writeCliConfig } from "../../../actions/lib/tofu/tool-env.js";
import { versions } from "../../../actions/lib/versions.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";

const tools = requireTofu();
const run = promisify(execFile);

/**
 * A persistent runner where someone planted a CLI configuration: ~/.tofurc with dev_overrides
 * for bpg/proxmox, and TF_CLI_CONFIG_FILE (this machine has one in its own environment) naming
 * another provider mirror. The real OpenTofu honours both when asked plainly; run the way
 * tofu-provision runs it, it installs the provider from the mirror the action names.
 */
describe("OpenTofu's CLI configuration is the action's own", () => {
  let root: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-cli-config-"));
    dir = path.join(root, "work");
    const home = path.join(root, "home");
    await mkdir(dir, { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(
      path.join(dir, "main.tf"),
      `terraform {\n  required_providers {\n    proxmox = {\n      source  = "bpg/proxmox"\n      version = "${versions.bpgProvider.version}"\n    }\n  }\n}\n`,
    );
    await mkdir(path.join(root, "planted-provider"));
    const planted = `provider_installation {\n  dev_overrides {\n    "bpg/proxmox" = "${path.join(root, "planted-provider")}"\n  }\n  network_mirror {\n    url = "https://127.0.0.1:9/planted/"\n  }\n}\n`;
    await writeFile(path.join(home, ".tofurc"), planted);
    await writeFile(path.join(home, ".terraformrc"), planted);
    await writeFile(path.join(root, "planted.tfrc"), planted);
    env = {
      PATH: process.env.PATH,
      HOME: home,
      TF_CLI_CONFIG_FILE: path.join(root, "planted.tfrc"),
    };
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("the planted configuration is real: plain tofu init follows it and fails", async () => {
    const attempt = run(tools.tofu, ["init", "-input=false", "-no-color"], { cwd: dir, env });
    await expect(attempt).rejects.toThrow(/127\.0\.0\.1:9|planted|development overrides/i);
  });

  it("run as tofu-provision runs it, init ignores it and takes the provider from the named mirror", async () => {
    const logger = memoryLogger();
    const runner = new TofuRunner({
      tool: tools.tofu,
      dir,
      logger,
      env,
      set: { TF_CLI_CONFIG_FILE: await writeCliConfig(dir, { providerMirror: tools.mirror }) },
      secrets: [],
    });
    await runner.init({ lockfileReadonly: false, backendConfig: [] });
    const log = logger.lines.join("\n");
    expect(log).not.toMatch(/development overrides|127\.0\.0\.1:9/i);
    expect(log).toMatch(/Installed bpg\/proxmox v0\.111\.1|Installing bpg\/proxmox/);
    expect(await runner.lockFile()).toContain(`version     = "${versions.bpgProvider.version}"`);
  });
});
