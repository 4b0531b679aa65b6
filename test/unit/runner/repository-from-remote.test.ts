import { describe, expect, it } from "vitest";
import { repositoryFromRemote } from "../../../local/runner/context.js";

describe("repositoryFromRemote: GITHUB_REPOSITORY from the checkout's origin", () => {
  it.each([
    ["https://github.com/pve-kube/pve-kube.git", "pve-kube/pve-kube"],
    ["git@github.com:pve-kube/pve-kube.git", "pve-kube/pve-kube"],
    ["https://github.com/owner/repo/", "owner/repo"],
  ])("%s → %s", (url, repository) => {
    expect(repositoryFromRemote(url)).toBe(repository);
  });

  it.each(["/work/main/.", "/work/main", "../main", "file:///work/main"])(
    "a local folder (%s) names no repository",
    (url) => {
      expect(repositoryFromRemote(url)).toBeUndefined();
    },
  );
});
