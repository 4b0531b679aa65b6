import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoPath } from "../../helpers/repo.js";

// The lab image's build and guest scripts run unattended (npm test, first boot of every guest):
// shellcheck at style severity, as runner-setup's are.
const scripts = [
  ...readdirSync(repoPath("test", "tools", "lab"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sh"))
    .map((f) => repoPath("test", "tools", "lab", f)),
  repoPath("test", "tools", "install-lab-image.sh"),
];

describe("lab image scripts", () => {
  test("include the build and the guest's boot scripts", () => {
    expect(scripts.map((s) => s.split("/").pop())).toEqual(
      expect.arrayContaining(["build-image.sh", "guest-setup.sh", "import-images.sh"]),
    );
  });

  test.each(scripts)("%s passes shellcheck at style severity", (file) => {
    const r = spawnSync("shellcheck", ["--severity=style", "--external-sources", file], {
      encoding: "utf8",
    });
    if (r.error)
      throw new Error(`shellcheck is not installed (npm test installs it): ${r.error.message}`);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
