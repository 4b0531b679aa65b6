import { describe, expect, it } from "vitest";
import { archiveName, parseBuildImagesArgs, versionAndBin } from "../../tools/lab/build-images.js";
import { controlPlaneImages, repositoryPath } from "../../tools/lab/images.js";

// What `kubeadm config images list --kubernetes-version v1.36.3` prints (notes/lab.md).
const kubeadmList = [
  "registry.k8s.io/kube-apiserver:v1.36.3",
  "registry.k8s.io/kube-controller-manager:v1.36.3",
  "registry.k8s.io/kube-scheduler:v1.36.3",
  "registry.k8s.io/kube-proxy:v1.36.3",
  "registry.k8s.io/coredns/coredns:v1.14.2",
  "registry.k8s.io/pause:3.10.2",
  "registry.k8s.io/etcd:3.6.8-0",
  "",
];
const inputs = {
  kubeadmList,
  kubernetesVersion: "1.36.3",
  kubernetesBin: "/c/k8s/bin",
  etcd: { version: "3.6.8", bin: "/c/etcd/bin" },
  coredns: { version: "1.14.2", bin: "/c/coredns/bin" },
  pause: { version: "3.10.2", bin: "/c/pause/bin" },
  iptablesUserland: [
    { from: "/root/usr/sbin/xtables-nft-multi", to: "/usr/sbin/xtables-nft-multi" },
  ],
};

describe("controlPlaneImages", () => {
  const images = controlPlaneImages(inputs);
  const byName = (name: string) => images.find((i) => i.name === name)!;

  it("makes one image per name kubeadm lists, under exactly that name", () => {
    expect(images.map((i) => i.name)).toEqual(kubeadmList.filter(Boolean));
  });

  it("puts the control-plane binaries on PATH, where kubeadm's manifests call them bare", () => {
    const apiserver = byName("registry.k8s.io/kube-apiserver:v1.36.3");
    expect(apiserver.layer).toEqual([
      { from: "/c/k8s/bin/kube-apiserver", to: "/usr/local/bin/kube-apiserver" },
    ]);
    expect(apiserver.env?.[0]).toMatch(/^PATH=.*:\/usr\/local\/bin:/);
    expect(byName("registry.k8s.io/etcd:3.6.8-0").layer.map((l) => l.to)).toEqual([
      "/usr/local/bin/etcd",
      "/usr/local/bin/etcdctl",
    ]);
  });

  it("gives CoreDNS its entrypoint (kubeadm passes only args) and kube-proxy an iptables userland", () => {
    expect(byName("registry.k8s.io/coredns/coredns:v1.14.2").entrypoint).toEqual(["/coredns"]);
    expect(byName("registry.k8s.io/pause:3.10.2").entrypoint).toEqual(["/pause"]);
    const proxy = byName("registry.k8s.io/kube-proxy:v1.36.3");
    expect(proxy.layer.map((l) => l.to)).toContain("/usr/sbin/xtables-nft-multi");
  });

  it("refuses a tag kubeadm asks for that the pins do not build", () => {
    expect(() =>
      controlPlaneImages({ ...inputs, coredns: { version: "1.14.1", bin: "/c" } }),
    ).toThrow(/coredns:v1.14.2, but lab.coredns builds tag v1.14.1/);
    expect(() => controlPlaneImages({ ...inputs, kubernetesVersion: "1.36.1" })).toThrow(
      /change the pin/,
    );
    expect(() =>
      controlPlaneImages({ ...inputs, kubeadmList: ["registry.k8s.io/something-new:v1"] }),
    ).toThrow(/does not know how to make/);
  });
});

describe("build-images arguments", () => {
  it("parses the full argv and names archives after repository and tag", () => {
    const args = parseBuildImagesArgs([
      "--",
      ...["--kubeadm-list", "l.txt", "--kubernetes-version", "v1.36.3", "--kubernetes-bin", "/k"],
      ...["--etcd", "3.6.8:/e", "--coredns", "1.14.2:/c", "--pause", "3.10.2:/p"],
      ...["--rootfs", "/r", "--out", "/o"],
    ]);
    expect(args.kubernetesVersion).toBe("1.36.3");
    expect(versionAndBin(args.etcd)).toEqual({ version: "3.6.8", bin: "/e" });
    expect(archiveName("registry.k8s.io/coredns/coredns:v1.14.2")).toBe(
      "coredns_coredns-v1.14.2.tar",
    );
    expect(repositoryPath("registry.k8s.io/etcd:3.6.8-0")).toBe("etcd");
  });

  it("names a missing argument", () => {
    expect(() => parseBuildImagesArgs(["--out", "/o"])).toThrow(/--kubeadm-list is required/);
    expect(() => versionAndBin("/no/version")).toThrow(/VERSION:DIR/);
  });
});
