import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { TofuRunner } from "../../../actions/lib/tofu/runner.js";
import { cliConfigText, tofuProcessEnv } from "../../../actions/lib/tofu/tool-env.js";

describe("tofuProcessEnv", () => {
  it.each([
    [{ PATH: "/bin" }, []],
    [{ PATH: "/bin", TF_LOG: "TRACE" }, ["TF_LOG"]],
    [
      { TF_LOG_PROVIDER: "DEBUG", TF_LOG_CORE: "DEBUG", TF_LOG_PATH: "/tmp/tf.log" },
      ["TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"],
    ],
    // an empty value turns nothing on, so it is not reported (and still removed)
    [{ TF_LOG: "" }, []],
  ])("%j drops %j", (input: NodeJS.ProcessEnv, dropped: string[]) => {
    const out = tofuProcessEnv(input);
    expect(out.dropped).toEqual(dropped);
    for (const name of ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"])
      expect(out.env).not.toHaveProperty(name);
    expect(out.env).toMatchObject({ TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
    expect(input).not.toHaveProperty("TF_IN_AUTOMATION");
  });

  it("passes only the allow-listed part of the runner's environment, then what the action sets", () => {
    expect(
      tofuProcessEnv(
        {
          PATH: "/bin",
          HOME: "/home/runner",
          LC_ALL: "C.UTF-8",
          SSL_CERT_FILE: "/etc/ssl/ca.pem",
          "INPUT_STATE-KEY": "sealing-key",
          "INPUT_PROXMOX-TOKEN-SECRET": "token-secret",
          ACTIONS_RUNTIME_TOKEN: "runtime",
          GITHUB_TOKEN: "ghs_x",
          TF_CLI_CONFIG_FILE: "/root/.terraformrc",
          TF_CLI_ARGS_apply: "-auto-approve -target=x",
          TF_VAR_cluster: "someone-else",
          TF_TOKEN_app_terraform_io: "t",
          PROXMOX_TOKEN_SECRET: "token-secret",
        },
        { PROXMOX_VE_API_TOKEN: "x", TF_CLI_CONFIG_FILE: "/run/pve-kube.tofurc" },
      ).env,
    ).toEqual({
      PATH: "/bin",
      HOME: "/home/runner",
      LC_ALL: "C.UTF-8",
      SSL_CERT_FILE: "/etc/ssl/ca.pem",
      PROXMOX_VE_API_TOKEN: "x",
      TF_CLI_CONFIG_FILE: "/run/pve-kube.tofurc",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
    });
  });

  it("a real OpenTofu process started by TofuRunner sees no input, runtime token or inherited CLI config", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tofu-env-"));
    // stands in for the tofu binary: a real process that writes the environment it was given
    const fakeTofu = path.join(dir, "tofu");
    await writeFile(fakeTofu, `#!/bin/sh\nenv > "${dir}/seen-env"\n`);
    await chmod(fakeTofu, 0o755);
    const runner = new TofuRunner({
      tool: fakeTofu,
      dir,
      logger: memoryLogger(),
      env: {
        ...process.env,
        "INPUT_STATE-KEY": "sealing-key-value",
        "INPUT_PROXMOX-TOKEN-SECRET": "token-secret-value",
        ACTIONS_RUNTIME_TOKEN: "runtime-token-value",
        ACTIONS_RESULTS_URL: "http://127.0.0.1:1/",
        TF_CLI_CONFIG_FILE: "/root/.terraformrc",
      },
      set: { TF_CLI_CONFIG_FILE: path.join(dir, "pve-kube.tofurc"), PROXMOX_VE_API_TOKEN: "t" },
      secrets: [],
    });
    await runner.init({ lockfileReadonly: true, backendConfig: [] });
    const seen = Object.fromEntries(
      (await readFile(path.join(dir, "seen-env"), "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const text = JSON.stringify(seen);
    for (const value of ["sealing-key-value", "token-secret-value", "runtime-token-value"])
      expect(text).not.toContain(value);
    expect(Object.keys(seen).filter((k) => /^(INPUT_|ACTIONS_|GITHUB_)/.test(k))).toEqual([]);
    expect(seen.TF_CLI_CONFIG_FILE).toBe(path.join(dir, "pve-kube.tofurc"));
  });
});

describe("cliConfigText", () => {
  it("names only the given mirror, and nothing without one", () => {
    expect(cliConfigText({})).not.toMatch(/provider_installation|dev_overrides/);
    const text = cliConfigText({ providerMirror: "/opt/mirror" });
    expect(text).toContain('path = "/opt/mirror"');
    expect(text).not.toMatch(/dev_overrides|network_mirror|direct/);
  });
});
