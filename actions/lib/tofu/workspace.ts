import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError } from "../errors.js";
import { backendOverrideFile, type BackendKind } from "./backend.js";
import type { TofuVars } from "./var-file.js";

export const LOCK_FILE = ".terraform.lock.hcl";
export const VAR_FILE = "cluster.tfvars.json";

export type LockFileMode = "verify" | "regenerate";

export interface PreparedWorkspace {
  dir: string;
  varFile: string;
  /** the lock file the run starts from (undefined when regenerated) */
  lockFile?: string;
}

/**
 * A private working copy of the root module for one cluster: the module's .tf files, its lock
 * file (or none, when the operator regenerates it for locally built providers), the var file and
 * the backend override. The checkout is never written to, and files from an earlier run are
 * replaced, except `.terraform/` (providers already installed) and local state, which is kept
 * outside this directory anyway.
 */
export async function prepareWorkspace(options: {
  moduleDir: string;
  dir: string;
  vars: TofuVars;
  backend: BackendKind;
  lockFileMode: LockFileMode;
}): Promise<PreparedWorkspace> {
  const { moduleDir, dir } = options;
  let entries: string[];
  try {
    entries = await readdir(moduleDir);
  } catch {
    throw new ConfigurationError(
      `the OpenTofu module directory ${moduleDir} does not exist`,
      "leave the module input empty to use pve-kube's terraform/, or point it at a copy of it",
    );
  }
  const tfFiles = entries.filter((f) => f.endsWith(".tf") || f.endsWith(".tofu"));
  if (tfFiles.length === 0)
    throw new ConfigurationError(
      `${moduleDir} holds no .tf files`,
      "point the module input at pve-kube's terraform/ directory",
    );
  await mkdir(dir, { recursive: true });
  for (const old of await readdir(dir)) {
    if (old.endsWith(".tf") || old.endsWith(".tofu") || old === VAR_FILE || old === LOCK_FILE)
      await rm(path.join(dir, old), { force: true });
  }
  for (const f of tfFiles) await copyFile(path.join(moduleDir, f), path.join(dir, f));

  let lockFile: string | undefined;
  if (options.lockFileMode === "verify") {
    try {
      lockFile = await readFile(path.join(moduleDir, LOCK_FILE), "utf8");
    } catch {
      throw new ConfigurationError(
        `${path.join(moduleDir, LOCK_FILE)} is missing`,
        "commit the module's lock file (tofu providers lock -platform=linux_amd64), or set lock-file: regenerate",
      );
    }
    await writeFile(path.join(dir, LOCK_FILE), lockFile);
  }
  const override = backendOverrideFile(options.backend);
  if (override) await writeFile(path.join(dir, "backend_override.tf"), override);
  const varFile = path.join(dir, VAR_FILE);
  await writeFile(varFile, `${JSON.stringify(options.vars, null, 2)}\n`);
  return { dir, varFile, ...(lockFile !== undefined ? { lockFile } : {}) };
}
