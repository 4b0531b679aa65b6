import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile, rename } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { parseClusterConfig, type LoadedConfig } from "../../../actions/lib/config/index.js";
import type { LabPaths } from "./paths.js";

/**
 * The lab's cluster profile: the `ha` example (3 control planes + 3 workers over pve1..pve3),
 * adapted to what the lab can run on one 2-core / 24 GiB machine. It is generated from the
 * example on every `pve-kube lab` (never hand-edited), so it follows the example when that
 * changes; only the fields below differ, each for the reason given next to it.
 */

/** The example the lab deploys. */
export const LAB_BASE_EXAMPLE = "workflows-examples/clusters/ha/cluster.yaml";

export interface LabProfileOptions {
  /** the public key (OpenSSH format) of the lab's own key pair */
  sshPublicKey: string;
  /** the Proxmox API the lab's pve-sim serves (overridden by the proxmox-url input anyway) */
  endpoint?: string;
  /** this lab instance's cluster uid (labClusterUid); without it the example's default applies */
  uid?: string;
}

/**
 * The cluster uid of this lab instance: made at random by its first run, kept in
 * `.local-run/lab/cluster-uid` until `--down`. A fresh lab is a new cluster — new machines with new
 * SSH host keys — while the local runner's Actions cache (`.local-run/results`, shared by every
 * run of the checkout) outlives `--down`: under the default uid (a hash of name and endpoint) the
 * next lab would meet the host keys the last one pinned and be refused as "changed".
 */
export async function labClusterUid(paths: LabPaths): Promise<string> {
  if (existsSync(paths.clusterUid)) {
    const uid = (await readFile(paths.clusterUid, "utf8")).trim();
    if (/^[a-z0-9]{6,32}$/.test(uid)) return uid;
  }
  await mkdir(paths.root, { recursive: true, mode: 0o700 });
  const uid = `lab${randomBytes(5).toString("hex")}`;
  await writeFile(paths.clusterUid, `${uid}\n`, { mode: 0o600 });
  return uid;
}

/** Sizes: 3 × 2 GiB + 3 × 1 GiB = 9 GiB committed of 24 GiB; a control plane uses ~1.1 GB. */
export const LAB_SIZES = {
  controlPlane: { cores: 2, memoryMiB: 2048, diskGiB: 16 },
  worker: { cores: 1, memoryMiB: 1024, diskGiB: 16 },
} as const;

/** The cluster's name in the lab; its VMs are lab-cp-1..3 and lab-general-1..3. */
export const LAB_CLUSTER = "lab";

/**
 * Everything differing from the example, as [path, value, why]. The why becomes a comment in the
 * generated file, so whoever reads it sees why the lab is not the example verbatim.
 */
function labOverrides(options: LabProfileOptions): [string[], unknown, string][] {
  return [
    [
      ["metadata", "name"],
      LAB_CLUSTER,
      "the lab's own cluster: its VMs never collide with npm start's",
    ],
    ...(options.uid
      ? [
          [
            ["metadata", "uid"],
            options.uid,
            "this lab instance's identity (.local-run/lab/cluster-uid, new after --down): host keys pinned by an earlier lab are not this one's",
          ] as [string[], unknown, string],
        ]
      : []),
    [["proxmox", "pool"], "k8s-lab", "the lab cluster's own resource pool"],
    [
      ["proxmox", "endpoint"],
      options.endpoint ?? "https://127.0.0.1:8006",
      "the lab's pve-sim (pve-kube lab passes its URL as the proxmox-url input)",
    ],
    [
      ["controlPlane", "endpoint", "provider"],
      "keepalived",
      "keepalived + HAProxy hold the VIP: kube-vip cannot be built here (its module is not served by the Go module proxy)",
    ],
    [["controlPlane", "cores"], LAB_SIZES.controlPlane.cores, "kubeadm's minimum"],
    [
      ["controlPlane", "memoryMiB"],
      LAB_SIZES.controlPlane.memoryMiB,
      "kubeadm's minimum; a lab control plane uses about 1.1 GB",
    ],
    [
      ["controlPlane", "diskGiB"],
      LAB_SIZES.controlPlane.diskGiB,
      "a copy-on-write layer over the lab image",
    ],
    [["workerPools", 0, "cores"], LAB_SIZES.worker.cores, "six guests share two host cores"],
    [["workerPools", 0, "memoryMiB"], LAB_SIZES.worker.memoryMiB, "an idle worker uses ~20 MB"],
    [
      ["workerPools", 0, "diskGiB"],
      LAB_SIZES.worker.diskGiB,
      "a copy-on-write layer over the lab image",
    ],
    [["ssh", "user"], "debian", "the lab image is Debian (cloud-init creates this user)"],
    [
      ["ssh", "publicKeys"],
      [options.sshPublicKey],
      "the lab's own key pair (private key in .local-run/lab/ssh/, passed as SSH_PRIVATE_KEY)",
    ],
  ].map(([p, v, why]) => [p as string[], v, why as string]);
}

/**
 * The lab profile's cluster.yaml text: the example with the lab's overrides, each commented.
 */
export function labProfileYaml(exampleText: string, options: LabProfileOptions): string {
  // the example's own header describes the example; the lab's header replaces it
  const doc = parseDocument(exampleText.replace(/^(#[^\n]*\n)+/, ""));
  for (const [fieldPath, value, why] of labOverrides(options)) {
    doc.setIn(fieldPath, doc.createNode(value));
    const target = doc.getIn(fieldPath, true) as
      { comment?: string; commentBefore?: string; items?: unknown[] } | undefined;
    if (!target || typeof target !== "object") continue;
    // a scalar takes the reason at the end of its line, a list above its first item
    if (Array.isArray(target.items)) target.commentBefore = ` lab: ${why}`;
    else target.comment = ` lab: ${why}`;
  }
  doc.commentBefore = [
    " yaml-language-server: $schema=../../schema/cluster.schema.json",
    "",
    " GENERATED by `pve-kube lab` from workflows-examples/clusters/ha/cluster.yaml — do not edit:",
    " every run writes it again. The lab's differences are commented `lab:` below; change them in",
    " cli/src/lab/profile.ts.",
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}

/** Writes the profile into the lab's state dir (atomically) and validates it like preflight would. */
export async function writeLabProfile(
  checkout: string,
  file: string,
  options: LabProfileOptions,
): Promise<LoadedConfig> {
  const example = await readFile(path.join(checkout, LAB_BASE_EXAMPLE), "utf8");
  const text = labProfileYaml(example, options);
  const loaded = parseClusterConfig(text, path.relative(checkout, file), checkout);
  await writeFile(`${file}.partial`, text, { mode: 0o600 });
  await rename(`${file}.partial`, file);
  return loaded;
}
