import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { archiveName } from "./build-images.js";
import { IMAGE_PATH, type ImageSpec, type LayerSource, writeOciArchive } from "./oci-archive.js";

/**
 * Writes the lab's Cilium images as OCI archives into --out, under the names the chart uses by
 * default (so the lab values change only the pull policy and drop the digests), plus images.json.
 *
 *   vite-node test/tools/lab/build-cilium-images-main.ts -- --version 1.20.2 --runtime DIR \
 *     --agent-files DIR --operator FILE --out DIR
 */
export interface BuildCiliumImagesArgs {
  version: string;
  runtime: string;
  agentFiles: string;
  operator: string;
  out: string;
}

export function parseBuildCiliumImagesArgs(argv: string[]): BuildCiliumImagesArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      version: { type: "string" },
      runtime: { type: "string" },
      "agent-files": { type: "string" },
      operator: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  const required = ["version", "runtime", "agent-files", "operator", "out"] as const;
  for (const name of required) {
    if (!values[name]) throw new Error(`build-cilium-images: --${name} is required`);
  }
  return {
    version: values.version!.replace(/^v/, ""),
    runtime: values.runtime!,
    agentFiles: values["agent-files"]!,
    operator: values.operator!,
    out: values.out!,
  };
}

/** Directories of a root file system that a container runtime provides itself, never a layer. */
const RUNTIME_PROVIDED = new Set(["dev", "proc", "sys"]);

/** Every top-level entry of `root` as a layer source at the same path in the image. */
export async function rootSources(root: string): Promise<LayerSource[]> {
  return (await readdir(root))
    .filter((name) => !RUNTIME_PROVIDED.has(name))
    .sort()
    .map((name) => ({ from: join(root, name), to: name }));
}

/** The agent image (runtime + agent files, the latter winning) and the operator image. */
export async function ciliumImageSpecs(args: BuildCiliumImagesArgs): Promise<ImageSpec[]> {
  return [
    {
      name: `quay.io/cilium/cilium:v${args.version}`,
      layer: [...(await rootSources(args.runtime)), ...(await rootSources(args.agentFiles))],
      // upstream's release image sets these; the chart gives every container its command
      env: [IMAGE_PATH, "HUBBLE_SERVER=unix:///var/run/cilium/hubble.sock", "INITSYSTEM=SYSTEMD"],
    },
    {
      name: `quay.io/cilium/operator-generic:v${args.version}`,
      layer: [{ from: args.operator, to: "usr/bin/cilium-operator-generic" }],
    },
  ];
}

export async function buildCiliumImages(argv: string[]): Promise<void> {
  const args = parseBuildCiliumImagesArgs(argv);
  await mkdir(args.out, { recursive: true });
  const written = [];
  for (const spec of await ciliumImageSpecs(args)) {
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
