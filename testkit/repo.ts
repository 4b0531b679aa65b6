import path from "node:path";
import { fileURLToPath } from "node:url";

// testkit/ is shared by test/ and bench/, so it finds the repository itself (bench never imports test/)
/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoPath = (...parts: string[]) => path.join(repoRoot, ...parts);
