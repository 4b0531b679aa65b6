import path from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root, for tests that read repository files. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoPath = (...parts: string[]) => path.join(repoRoot, ...parts);
