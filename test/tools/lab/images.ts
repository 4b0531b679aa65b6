import { lstat, readFile, readdir, realpath } from "node:fs/promises";
import { join, posix, relative } from "node:path";
import { type ImageSpec, type LayerSource, IMAGE_PATH, referenceTag } from "./oci-archive.js";

/**
 * Which image the lab assembles for each name `kubeadm config images list` prints, from which
 * locally built binaries. Names are taken from kubeadm itself, so they are exactly what kubeadm
 * and the kubelet will ask containerd for; a tag that differs from our pin is a build error, not a
 * silently wrong image.
 */
export interface ImageInputs {
  /** kubeadm config images list --kubernetes-version v<version>, one name a line */
  kubeadmList: string[];
  kubernetesVersion: string;
  kubernetesBin: string;
  etcd: { version: string; bin: string };
  coredns: { version: string; bin: string };
  pause: { version: string; bin: string };
  /** files of the Debian root file system that give kube-proxy its iptables userland */
  iptablesUserland: LayerSource[];
}

const KUBE_COMPONENTS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kube-proxy",
] as const;

function expectTag(name: string, expected: string, pin: string): void {
  const tag = referenceTag(name);
  if (tag !== expected) {
    throw new Error(
      `kubeadm asks for ${name}, but ${pin} builds tag ${expected}: change the pin in versions.json`,
    );
  }
}

/** Repository name without registry and tag: "coredns/coredns" of registry.k8s.io/coredns/coredns:v1. */
export function repositoryPath(name: string): string {
  const withoutTag = name.slice(0, name.lastIndexOf(":"));
  return withoutTag.split("/").slice(1).join("/");
}

export function controlPlaneImages(inputs: ImageInputs): ImageSpec[] {
  const names = inputs.kubeadmList.map((line) => line.trim()).filter(Boolean);
  return names.map((name): ImageSpec => {
    const repository = repositoryPath(name);
    const component = KUBE_COMPONENTS.find((c) => repository === c);
    if (component) {
      expectTag(name, `v${inputs.kubernetesVersion}`, "kubernetes");
      const binary = {
        from: join(inputs.kubernetesBin, component),
        to: `/usr/local/bin/${component}`,
      };
      return {
        name,
        entrypoint: [`/usr/local/bin/${component}`],
        env: [IMAGE_PATH],
        // kube-proxy programs the node's iptables with the userland tools it runs
        layer: component === "kube-proxy" ? [binary, ...inputs.iptablesUserland] : [binary],
      };
    }
    switch (repository) {
      case "etcd":
        // kubeadm's tag is the etcd version plus an image revision ("3.6.8-0")
        if (!referenceTag(name).startsWith(`${inputs.etcd.version}-`)) {
          expectTag(name, `${inputs.etcd.version}-0`, "lab.etcd");
        }
        return {
          name,
          entrypoint: ["/usr/local/bin/etcd"],
          env: [IMAGE_PATH],
          layer: [
            { from: join(inputs.etcd.bin, "etcd"), to: "/usr/local/bin/etcd" },
            { from: join(inputs.etcd.bin, "etcdctl"), to: "/usr/local/bin/etcdctl" },
          ],
        };
      case "coredns/coredns":
        expectTag(name, `v${inputs.coredns.version}`, "lab.coredns");
        // kubeadm's Deployment passes only args: the image must know its binary
        return {
          name,
          entrypoint: ["/coredns"],
          env: [IMAGE_PATH],
          layer: [{ from: join(inputs.coredns.bin, "coredns"), to: "/coredns" }],
        };
      case "pause":
        expectTag(name, inputs.pause.version, "lab.pause");
        return {
          name,
          entrypoint: ["/pause"],
          env: [IMAGE_PATH],
          layer: [{ from: join(inputs.pause.bin, "pause"), to: "/pause" }],
        };
      default:
        throw new Error(
          `kubeadm lists ${name}, which the lab image build does not know how to make`,
        );
    }
  });
}

/** Debian packages whose files make a working iptables (nft and legacy) for kube-proxy. */
export const IPTABLES_PACKAGES = [
  "libc6",
  "iptables",
  "libip4tc2",
  "libip6tc2",
  "libxtables12",
  "libmnl0",
  "libnftnl11",
  "libnfnetlink0",
  "libnetfilter-conntrack3",
  "conntrack",
];

/**
 * The files of `packages` in a Debian root file system, from dpkg's own lists (no chroot), with
 * paths resolved through usrmerge's /lib -> usr/lib links so a layer never holds a directory where
 * the image has a link; plus the alternatives links that make `iptables` a command, and the
 * top-level usrmerge links themselves.
 */
export async function debianUserland(root: string, packages: string[]): Promise<LayerSource[]> {
  const realRoot = await realpath(root);
  const sources = new Map<string, LayerSource>();
  const add = async (path: string) => {
    const host = join(root, path);
    let info;
    try {
      info = await lstat(host);
    } catch {
      return; // dpkg lists diversions and files removed later (docs); not needed
    }
    if (info.isDirectory()) return;
    const parent = await realpath(join(host, ".."));
    const inImage = `/${posix.join(relative(realRoot, parent), posix.basename(path))}`;
    sources.set(inImage, { from: host, to: inImage });
  };
  for (const pkg of packages) {
    const listFile = join(root, "var/lib/dpkg/info", `${pkg}.list`);
    const alternatives = join(root, "var/lib/dpkg/info", `${pkg}:amd64.list`);
    const text = await readFile(listFile, "utf8").catch(() => readFile(alternatives, "utf8"));
    for (const line of text.split("\n")) {
      if (line.startsWith("/usr/share/doc") || line.startsWith("/usr/share/man")) continue;
      if (line) await add(line);
    }
  }
  for (const name of await readdir(join(root, "etc/alternatives"))) {
    if (/tables/.test(name)) await add(`/etc/alternatives/${name}`);
  }
  for (const name of await readdir(join(root, "usr/sbin"))) {
    if (/tables/.test(name)) await add(`/usr/sbin/${name}`);
  }
  const top: LayerSource[] = [];
  for (const link of ["bin", "sbin", "lib", "lib64"]) {
    const info = await lstat(join(root, link)).catch(() => null);
    if (info?.isSymbolicLink()) top.push({ from: join(root, link), to: `/${link}` });
  }
  return [...top, ...[...sources.values()].sort((a, b) => (a.to < b.to ? -1 : 1))];
}
