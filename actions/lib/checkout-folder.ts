import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A folder of the pve-kube checkout an action runs from (terraform/, ansible/), found by walking up
 * from the calling module until `<folder>/<marker>` exists. The walk makes it independent of where
 * the code sits: actions/<name>/src/*.ts in tests, dist/actions/*.mjs or dist/chunks/*.mjs in the
 * bundle (a fixed "../../.." would break whenever the bundle layout changes).
 */
export function checkoutFolder(moduleUrl: string, folder: string, marker: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(path.join(dir, folder, marker))) return path.join(dir, folder);
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find pve-kube's ${folder}/ (with ${marker}) above ${moduleUrl}`);
    }
    dir = parent;
  }
}
