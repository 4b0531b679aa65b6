import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { IPTABLES_PACKAGES, controlPlaneImages, debianUserland, repositoryPath } from "./images.js";
import { referenceTag, writeOciArchive } from "./oci-archive.js";

/**
 * Writes the control-plane images of one Kubernetes version as OCI archives into --out, one per
 * name kubeadm lists, plus images.json (name, archive, digests) for the image manifest.
 *
 *   vite-node test/tools/lab/build-images-main.ts -- --kubeadm-list list.txt --kubernetes-version 1.36.3 \
 *     --kubernetes-bin DIR --etcd VERSION:DIR --coredns VERSION:DIR --pause VERSION:DIR \
 *     --rootfs DIR --out DIR
 */
export interface BuildImagesArgs {
  kubeadmList: string;
  kubernetesVersion: string;
  kubernetesBin: string;
  etcd: string;
  coredns: string;
  pause: string;
  rootfs: string;
  out: string;
}

export function parseBuildImagesArgs(argv: string[]): BuildImagesArgs {
  const names = [
    "kubeadm-list",
    "kubernetes-version",
    "kubernetes-bin",
    "etcd",
    "coredns",
    "pause",
    "rootfs",
    "out",
  ] as const;
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: Object.fromEntries(names.map((n) => [n, { type: "string" }])) as Record<
      (typeof names)[number],
      { type: "string" }
    >,
    strict: true,
  });
  for (const name of names) {
    if (!values[name]) throw new Error(`build-images: --${name} is required`);
  }
  return {
    kubeadmList: values["kubeadm-list"]!,
    kubernetesVersion: values["kubernetes-version"]!.replace(/^v/, ""),
    kubernetesBin: values["kubernetes-bin"]!,
    etcd: values.etcd!,
    coredns: values.coredns!,
    pause: values.pause!,
    rootfs: values.rootfs!,
    out: values.out!,
  };
}

/** "3.6.8:/cache/etcd-3.6.8/bin" -> { version, bin } */
export function versionAndBin(value: string): { version: string; bin: string } {
  const colon = value.indexOf(":");
  if (colon < 1) throw new Error(`expected VERSION:DIR, got ${value}`);
  return { version: value.slice(0, colon), bin: value.slice(colon + 1) };
}

/** The archive's file name: repository path and tag, e.g. coredns_coredns-v1.14.2.tar */
export function archiveName(name: string): string {
  return `${repositoryPath(name).replaceAll("/", "_")}-${referenceTag(name)}.tar`;
}

export async function buildImages(argv: string[]): Promise<void> {
  const args = parseBuildImagesArgs(argv);
  const specs = controlPlaneImages({
    kubeadmList: (await readFile(args.kubeadmList, "utf8")).split("\n"),
    kubernetesVersion: args.kubernetesVersion,
    kubernetesBin: args.kubernetesBin,
    etcd: versionAndBin(args.etcd),
    coredns: versionAndBin(args.coredns),
    pause: versionAndBin(args.pause),
    iptablesUserland: await debianUserland(args.rootfs, IPTABLES_PACKAGES),
  });
  await mkdir(args.out, { recursive: true });
  const written = [];
  for (const spec of specs) {
    const started = Date.now();
    const image = await writeOciArchive(spec, join(args.out, archiveName(spec.name)));
    console.log(
      `test/tools: lab: image ${spec.name} (${(image.layer.size / 2 ** 20).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    written.push({
      name: image.name,
      archive: archiveName(spec.name),
      manifestDigest: image.manifest.digest,
      layerSize: image.layer.size,
    });
  }
  await writeFile(join(args.out, "images.json"), `${JSON.stringify(written, null, 2)}\n`);
}
