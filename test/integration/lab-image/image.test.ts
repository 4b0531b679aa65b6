import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

// The lab image as built (test/tools/install.sh builds it before the suite; a cached run only
// prints the exports), read with debugfs: nothing is mounted, no root-only loop device needed.
// PVE_KUBE_VERSIONS_JSON: the pins file the build scripts read (versions.json unless a test or a
// trial build points them at another)
const versions = JSON.parse(
  readFileSync(process.env.PVE_KUBE_VERSIONS_JSON ?? repoPath("versions.json"), "utf8"),
) as {
  kubernetes: { default: string; upgradeFrom?: string };
  lab: { pause: string };
};
const printed = execFileSync("bash", [repoPath("test", "tools", "lab", "build-image.sh")], {
  encoding: "utf8",
});
const image = /PVE_KUBE_LAB_IMAGE=(\S+)/.exec(printed)?.[1];
const work = mkdtempSync(join(tmpdir(), "lab-image-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const debugfs = (request: string) =>
  execFileSync("debugfs", ["-R", request, image!], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
const cat = (path: string) => debugfs(`cat ${path}`);
const ls = (path: string) =>
  debugfs(`ls -p ${path}`)
    .split("\n")
    .map((line) => line.split("/")[5])
    .filter((name): name is string => !!name && name !== "." && name !== "..");
const runFromImage = (path: string, args: string[]) => {
  const file = join(work, path.replaceAll("/", "_"));
  debugfs(`dump ${path} ${file}`);
  chmodSync(file, 0o755);
  return execFileSync(file, args, { encoding: "utf8" }).trim();
};

describe("the lab image", () => {
  it("is an ext4 file system labelled pve-kube-lab whose SHA-256 file matches", () => {
    expect(image).toMatch(/pve-kube-lab\.ext4$/);
    expect(
      execFileSync("blkid", ["-o", "value", "-s", "LABEL", image!], { encoding: "utf8" }).trim(),
    ).toBe("pve-kube-lab");
    const sha = readFileSync(`${image!}.sha256`, "utf8").split(" ")[0];
    expect(printed).toContain(`PVE_KUBE_LAB_IMAGE_SHA256=${sha}`);
  });

  it("carries kubeadm, kubelet and kubectl of the default version, and the upgrade version only where asked", () => {
    const v = `v${versions.kubernetes.default}`;
    expect(runFromImage("/usr/bin/kubeadm", ["version", "-o", "short"])).toBe(v);
    expect(runFromImage("/usr/bin/kubelet", ["--version"])).toBe(`Kubernetes ${v}`);
    const manifest = JSON.parse(readFileSync(join(dirname(image!), "manifest.json"), "utf8")) as {
      kubernetes: { upgradeFrom: string | null };
    };
    // npm test's image carries the default alone; the lab's (PVE_KUBE_LAB_WITH_UPGRADE=1, as
    // scripts/lab.sh builds it) also the previous patch its upgrade proof starts from
    if (process.env.PVE_KUBE_LAB_WITH_UPGRADE === "1" && versions.kubernetes.upgradeFrom) {
      const old = `v${versions.kubernetes.upgradeFrom}`;
      expect(manifest.kubernetes.upgradeFrom).toBe(versions.kubernetes.upgradeFrom);
      expect(
        runFromImage(`/opt/pve-kube/kubernetes/${old}/kubeadm`, ["version", "-o", "short"]),
      ).toBe(old);
      expect(ls(`/opt/pve-kube/images/${old}`)).toContain("images.json");
    } else {
      expect(manifest.kubernetes.upgradeFrom).toBeNull();
      expect(ls("/opt/pve-kube/kubernetes")).toEqual([v]);
      expect(ls("/opt/pve-kube/images").sort()).toEqual(["default", v]);
    }
  });

  it("has an OCI archive for every image the default kubeadm lists, imported at boot", () => {
    const v = versions.kubernetes.default;
    const list = runFromImage("/usr/bin/kubeadm", [
      "config",
      "images",
      "list",
      "--kubernetes-version",
      `v${v}`,
    ])
      .split("\n")
      .filter(Boolean);
    const archives = JSON.parse(cat(`/opt/pve-kube/images/v${v}/images.json`)) as {
      name: string;
    }[];
    expect(archives.map((a) => a.name).sort()).toEqual([...list].sort());
    expect(cat("/etc/systemd/system/pve-kube-lab-images.service")).toContain(
      "/opt/pve-kube/images/default",
    );
  });

  it("has the production recipe with the lab profile on top, its units enabled", () => {
    const config = cat("/etc/containerd/config.toml");
    expect(config).toContain("SystemdCgroup = false");
    expect(config).toContain("NoNewKeyring = true");
    expect(config).toContain(`sandbox = 'registry.k8s.io/pause:${versions.lab.pause}'`);
    expect(cat("/lib/systemd/system/containerd.service")).toContain("OOMScoreAdjust=-999");
    expect(cat("/etc/systemd/system/containerd.service")).not.toMatch(/^(OOMScoreAdjust|Limit)/m);
    expect(cat("/lib/systemd/system/kubelet.service.d/10-kubeadm.conf")).toContain(
      "KUBELET_KUBEADM_ARGS",
    );
    expect(ls("/etc/systemd/system/multi-user.target.wants")).toEqual(
      expect.arrayContaining([
        "containerd.service",
        "kubelet.service",
        "pve-kube-lab-images.service",
      ]),
    );
    expect(ls("/etc/systemd/system/sysinit.target.wants")).toContain("pve-kube-lab-guest.service");
    expect(cat("/etc/machine-id")).toBe("");
    expect(ls("/etc/ssh").filter((f) => f.startsWith("ssh_host_"))).toEqual([]);
  });
});
