import { openAsBlob } from "node:fs";
import { FormData } from "undici";
import type { ClusterPlan } from "../../lib/config/index.js";
import { expectUpid, settle, type ProxmoxClient } from "../../lib/proxmox/index.js";
import type { PreparedImage } from "./image.js";

/** `local:import/noble.qcow2` */
export const importVolid = (storage: string, fileName: string) => `${storage}:import/${fileName}`;

/** Whether a volume is already in the storage (a previous build, or another builder, put it there). */
export async function volumeExists(
  client: ProxmoxClient,
  node: string,
  storage: string,
  volid: string,
): Promise<boolean> {
  const content = (await client.api.nodes
    .$(node)
    .storage.$(storage)
    .content.$get({ content: "import" })) as { volid?: string }[];
  return content.some((c) => c.volid === volid);
}

/**
 * download-url: Proxmox fetches the pinned base image itself and verifies its sha256. Skipped
 * when the volume is already there; a lost answer is resolved by looking for the volume.
 */
export async function stageByDownload(client: ProxmoxClient, plan: ClusterPlan): Promise<string> {
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const { url, sha256, fileName } = plan.template.image;
  const volid = importVolid(storage, fileName);
  await settle(client, {
    what: `download ${url} to ${volid}`,
    isDone: () => volumeExists(client, node, storage, volid),
    send: async () =>
      expectUpid(
        await client.api.nodes
          .$(node)
          .storage.$(storage)
          ["download-url"].$post({
            url,
            content: "import",
            filename: fileName,
            checksum: sha256,
            "checksum-algorithm": "sha256",
          } as never),
        "download-url",
      ),
  });
  return volid;
}

/**
 * upload: the customised image goes to the import storage, with its checksum verified by
 * Proxmox. The image is prepared (downloaded, customised) only when the volume is not there yet.
 */
export async function stageByUpload(
  client: ProxmoxClient,
  plan: ClusterPlan,
  fileName: string,
  prepare: () => Promise<PreparedImage>,
): Promise<string> {
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const volid = importVolid(storage, fileName);
  let prepared: PreparedImage | undefined;
  await settle(client, {
    what: `upload ${fileName} to ${volid}`,
    isDone: () => volumeExists(client, node, storage, volid),
    send: async () => {
      prepared ??= await prepare();
      const form = new FormData();
      // pveproxy streams the upload: plain fields first, then the file, whose part must be named
      // "filename" — its filename attribute becomes the `filename` parameter
      form.append("content", "import");
      form.append("checksum", prepared.sha256);
      form.append("checksum-algorithm", "sha256");
      form.append("filename", await openAsBlob(prepared.file), prepared.fileName);
      return expectUpid(
        await client.upload(`/nodes/${node}/storage/${storage}/upload`, form),
        "upload",
      );
    },
  });
  return volid;
}
