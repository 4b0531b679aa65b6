/** Absolute path of the repository root, for tests that read repository files. */
export { repoPath, repoRoot } from "../../testkit/repo.js";
