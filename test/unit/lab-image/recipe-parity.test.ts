import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { templateRecipe, virtCustomizeArgs } from "../../../actions/lib/template/index.js";
import { repoPath } from "../../helpers/repo.js";

// The lab image mirrors what build-template bakes into a production template. The files it copies
// must say what virt-customize writes for the default recipe, or the lab proves another node.
const file = repoPath("workflows-examples", "clusters", "ha", "cluster.yaml");
const recipe = templateRecipe(parseClusterConfig(readFileSync(file, "utf8"), file), {
  simulated: false,
}).customize!;
const args = virtCustomizeArgs(recipe, "/tmp/image.qcow2");
const written = (target: string) => {
  const spec = args.find((a, i) => args[i - 1] === "--write" && a.startsWith(`${target}:`));
  if (!spec) throw new Error(`virt-customize writes no ${target}`);
  return spec.slice(target.length + 1);
};
const labFile = (name: string) =>
  readFileSync(repoPath("test", "tools", "lab", "template", name), "utf8");

describe("the lab image's template recipe", () => {
  it("loads the kernel modules the production template loads", () => {
    expect(labFile("modules-load-pve-kube.conf")).toBe(
      written("/etc/modules-load.d/pve-kube.conf"),
    );
  });

  it("sets the sysctls the production template sets", () => {
    expect(labFile("sysctl-99-pve-kube.conf")).toBe(written("/etc/sysctl.d/99-pve-kube.conf"));
  });

  it("configures containerd with the systemd cgroup driver, as the production command does", () => {
    const script = readFileSync(repoPath("test", "tools", "lab", "install-recipe.sh"), "utf8");
    const production = args.find((a) => a.includes("containerd config default"));
    expect(production).toContain("s/SystemdCgroup = false/SystemdCgroup = true/");
    expect(script).toContain(
      "config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/'",
    );
    expect(args).toContain("systemctl enable containerd kubelet");
    expect(script).toMatch(/systemctl --root="\$root" enable containerd\.service kubelet\.service/);
  });

  it("keeps every lab-only difference out of the production recipe", () => {
    const production = args.join("\n");
    for (const labOnly of ["NoNewKeyring", "restrict_oom_score_adj", "pve-kube-lab", "/dev/kmsg"]) {
      expect(production).not.toContain(labOnly);
    }
  });
});
