import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClusterConfig, type LoadedConfig } from "../../../actions/lib/config/index.js";
import {
  canonicalJson,
  kubernetesMinor,
  parseBuildMarker,
  parseFingerprint,
  recipeFingerprint,
  recipeTag,
  templateDescription,
  templateRecipe,
  virtCustomizeArgs,
  type CustomizeRecipe,
} from "../../../actions/lib/template/index.js";
import { repoPath } from "../../helpers/repo.js";

const file = repoPath("workflows-examples", "clusters", "ha", "cluster.yaml");
const text = readFileSync(file, "utf8");
const load = (edit: (t: string) => string = (t) => t): LoadedConfig =>
  parseClusterConfig(edit(text), file);

describe("recipe fingerprint", () => {
  const base = recipeFingerprint(templateRecipe(load(), { simulated: false }));

  it("is stable for the same config and independent of key order", () => {
    expect(recipeFingerprint(templateRecipe(load(), { simulated: false }))).toBe(base);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [
      "the Kubernetes version",
      (t: string) => t.replace("kubernetes:\n", "kubernetes:\n  version: 1.35.4\n"),
    ],
    ["the BIOS", (t: string) => t.replace("  node: pve1\n", "  node: pve1\n  bios: ovmf\n")],
    [
      "the template storage",
      (t: string) => t.replace("  node: pve1\n", "  node: pve1\n  storage: shared\n"),
    ],
    [
      "an extra package",
      (t: string) =>
        t.replace("  node: pve1\n", "  node: pve1\n  customisation:\n    packages: [nfs-common]\n"),
    ],
    [
      "the image source",
      (t: string) => t.replace("  node: pve1\n", "  node: pve1\n  source: download-url\n"),
    ],
  ])("changes with %s", (_what, edit) => {
    expect(recipeFingerprint(templateRecipe(load(edit), { simulated: false }))).not.toBe(base);
  });

  it("does not change with things clones override (VM counts, addresses)", () => {
    const edited = load((t) =>
      t
        .replace("    count: 3\n    cores: 4", "    count: 5\n    cores: 4")
        .replace("start: 10.0.20.11", "start: 10.0.20.31"),
    );
    expect(recipeFingerprint(templateRecipe(edited, { simulated: false }))).toBe(base);
  });

  it("a simulated customisation is never the same template as a real one", () => {
    expect(recipeFingerprint(templateRecipe(load(), { simulated: true }))).not.toBe(base);
  });

  it("makes a Proxmox-valid tag", () => {
    expect(recipeTag(base)).toMatch(/^pve-kube-recipe-[0-9a-f]{16}$/);
    expect(recipeTag(base)).toMatch(/^[a-z0-9_][a-z0-9_\-+.]*$/);
  });
});

describe("template description", () => {
  const recipe = templateRecipe(load(), { simulated: true });
  const fp = recipeFingerprint(recipe);
  it("carries the fingerprint and, while building, the builder marker", () => {
    const text = templateDescription(recipe, fp, "demo", {
      runId: "42-1",
      startedAt: "2026-11-25T07:00:00.000Z",
    });
    expect(parseFingerprint(text)).toBe(fp);
    expect(parseBuildMarker(text)).toEqual({
      runId: "42-1",
      startedAt: "2026-11-25T07:00:00.000Z",
    });
    expect(text).toContain("SIMULATED");
    expect(parseBuildMarker(templateDescription(recipe, fp, "demo"))).toBeUndefined();
  });
});

describe("virtCustomizeArgs", () => {
  const recipe: CustomizeRecipe = {
    kubernetesVersion: "1.36.3",
    kubernetesRepo: "https://pkgs.k8s.io/core:/stable:/v1.36/deb/",
    packages: ["containerd", "qemu-guest-agent"],
    kernelModules: ["overlay", "br_netfilter"],
    sysctls: { "net.ipv4.ip_forward": "1" },
  };
  const args = virtCustomizeArgs(recipe, "/tmp/work/noble-abc.qcow2");
  const after = (flag: string, match: (v: string) => boolean = () => true) => {
    const values = args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ""] : []));
    return values.find(match);
  };

  it.each([
    ["--add", "/tmp/work/noble-abc.qcow2"],
    ["--format", "qcow2"],
    ["--install", "containerd,qemu-guest-agent,kubelet=1.36.3-*,kubeadm=1.36.3-*,kubectl=1.36.3-*"],
    ["--truncate", "/etc/machine-id"],
  ])("%s %s", (flag, value) => {
    expect(after(flag)).toBe(value);
  });

  it.each([
    [
      "/etc/apt/sources.list.d/kubernetes.list:deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /\n",
    ],
    ["/etc/modules-load.d/pve-kube.conf:overlay\nbr_netfilter\n"],
    ["/etc/sysctl.d/99-pve-kube.conf:net.ipv4.ip_forward = 1\n"],
  ])("--write %j", (value) => {
    expect(args).toContain(value);
  });

  it.each([
    ["apt-mark hold kubelet kubeadm kubectl"],
    ["cloud-init clean --logs --seed"],
    ["rm -f /etc/ssh/ssh_host_*"],
  ])("--run-command %j", (cmd) => {
    expect(after("--run-command", (v) => v === cmd)).toBe(cmd);
  });

  it("adds the repository before installing and cleans identities after", () => {
    const index = (v: string) => args.findIndex((a) => a.includes(v));
    expect(index("kubernetes.list")).toBeLessThan(index("kubeadm=1.36.3"));
    expect(index("kubeadm=1.36.3")).toBeLessThan(index("cloud-init clean"));
    expect(index("cloud-init clean")).toBeLessThan(args.indexOf("/etc/machine-id"));
  });

  it("is an argv array: no element is a shell line that would need the image path quoted", () => {
    const spaced = virtCustomizeArgs(recipe, "/tmp/with space/img.qcow2");
    expect(spaced[spaced.indexOf("--add") + 1]).toBe("/tmp/with space/img.qcow2");
  });

  it("sets the format before the disk it applies to", () => {
    expect(args.indexOf("--format")).toBeLessThan(args.indexOf("--add"));
  });

  it.each([
    ["1.36.3", "1.36"],
    ["v1.35.0", "1.35"],
  ])("kubernetesMinor(%s) = %s", (v, minor) => expect(kubernetesMinor(v)).toBe(minor));
});
