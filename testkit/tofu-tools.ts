import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoPath } from "./repo.js";

export interface TofuTools {
  tofu: string;
  cliConfig: string;
  /** the filesystem mirror the CLI config points OpenTofu at */
  mirror: string;
  provider: string;
}

/**
 * The OpenTofu and bpg provider built by test/tools/install-opentofu.sh at the versions.json
 * pins, or undefined — with a loud message. Tests use `requireTofu()`: a missing tool fails them.
 */
export function locateTofu(): TofuTools | undefined {
  const pins = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as {
    opentofu: { version: string };
    bpgProvider: { version: string };
  };
  const cache = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
    "pve-kube",
    "tools",
  );
  const tofu = path.join(cache, `opentofu-${pins.opentofu.version}`, "tofu");
  const cliConfig = path.join(cache, "tofurc");
  const mirror = path.join(cache, "tofu-mirror");
  const v = pins.bpgProvider.version;
  const provider = path.join(
    mirror,
    "registry.opentofu.org",
    "bpg",
    "proxmox",
    v,
    "linux_amd64",
    `terraform-provider-proxmox_v${v}`,
  );
  const missing = [tofu, cliConfig, provider].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    console.warn(
      `\n*** SKIPPED: OpenTofu ${pins.opentofu.version} / bpg provider ${v} not installed (missing ${missing.join(", ")}).\n*** Run: bash test/tools/install-opentofu.sh (builds both from the Go module proxy)\n`,
    );
    return undefined;
  }
  return { tofu, cliConfig, mirror, provider };
}

/**
 * The tools, or an error that fails the test: `npm test` builds them (test/tools/install.sh), so a
 * test that needs them and does not find them has not done its work and must not pass.
 */
export function requireTofu(): TofuTools {
  const tools = locateTofu();
  if (!tools)
    throw new Error(
      "OpenTofu / the bpg provider are not installed: run bash test/tools/install-opentofu.sh (npm test does)",
    );
  return tools;
}
