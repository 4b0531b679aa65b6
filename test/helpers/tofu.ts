import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoPath } from "./repo.js";

export interface TofuTools {
  tofu: string;
  cliConfig: string;
}

/** The OpenTofu and bpg provider built by test/tools/install-opentofu.sh, or undefined (loudly). */
export function locateTofu(): TofuTools | undefined {
  const pins = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as { opentofu: { version: string } };
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pve-kube", "tools");
  const tofu = path.join(cache, `opentofu-${pins.opentofu.version}`, "tofu");
  const cliConfig = path.join(cache, "tofurc");
  if (!existsSync(tofu) || !existsSync(cliConfig)) {
    console.warn(`\n*** SKIPPED: OpenTofu is not installed at ${tofu}.\n*** Run: bash test/tools/install-opentofu.sh (builds it and the bpg provider from the Go module proxy)\n`);
    return undefined;
  }
  return { tofu, cliConfig };
}
