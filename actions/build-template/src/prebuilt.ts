import { closeSync, openSync, readSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { StepTimer } from "../../lib/state/index.js";
import { sha256File, type PreparedImage } from "./image.js";

/**
 * A pre-built image: a disk image an operator's own pipeline (Packer, a debootstrap script, …)
 * made and customised already. The action only checks it against its SHA-256, uploads it to the
 * image storage and imports it; nothing is downloaded or customised.
 */
export interface PrebuiltImageInput {
  /** absolute path on the runner */
  file: string;
  /** as the operator gave it (for messages) */
  given: string;
  sha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The `image-file` / `image-sha256` pair: both or neither, a well-formed checksum. */
export function prebuiltImageInput(
  file: string | undefined,
  sha256: string | undefined,
  workspace: string,
): PrebuiltImageInput | undefined {
  if (!file && !sha256) return undefined;
  if (!file)
    throw new ConfigurationError(
      "image-sha256 is set but image-file is not",
      "give the pre-built image's path as image-file, or drop image-sha256",
    );
  if (!sha256)
    throw new ConfigurationError(
      `image-file ${file} is set but image-sha256 is not`,
      "give the image's SHA-256 as image-sha256 (`sha256sum <file>`): the image is checked against it before anything changes on Proxmox",
    );
  const normalised = sha256.trim().toLowerCase();
  if (!SHA256_HEX.test(normalised))
    throw new ConfigurationError(
      `image-sha256 '${sha256}' is not a SHA-256`,
      "give the 64 hex digits `sha256sum <file>` prints",
    );
  return { file: path.resolve(workspace, file), given: file, sha256: normalised };
}

/**
 * The disk format Proxmox's import storage needs as the file extension, read from the image's
 * first bytes (a cloud image named `.img` is usually qcow2): qcow2, vmdk, else raw.
 */
export function diskFormat(file: string): "qcow2" | "vmdk" | "raw" {
  const fd = openSync(file, "r");
  try {
    const magic = Buffer.alloc(4);
    const read = readSync(fd, magic, 0, 4, 0);
    if (read === 4 && magic.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb]))) return "qcow2";
    if (read === 4 && magic.toString("latin1") === "KDMV") return "vmdk";
    return "raw";
  } finally {
    closeSync(fd);
  }
}

/** Its name in the import storage: the file's own name, the checksum, the format. */
export function prebuiltFileName(input: PrebuiltImageInput, format: string): string {
  const base = path
    .basename(input.file)
    .replace(/\.(qcow2|img|raw|vmdk)$/i, "")
    .replace(/[^a-zA-Z0-9_.-]/g, "_");
  return `${base}-${input.sha256.slice(0, 16)}.${format}`;
}

/**
 * The image's name in the import storage, read from the file; a missing file is the operator's
 * mistake. Only needed when a template is built: a run that finds the template, or a plan, does
 * not need the file at all (the recipe knows the image by its checksum).
 */
export async function prebuiltUploadName(input: PrebuiltImageInput): Promise<string> {
  const info = await stat(input.file).catch(() => undefined);
  if (!info?.isFile())
    throw new ConfigurationError(
      `image-file ${input.given}: no such file on this runner (${input.file})`,
      "give the path of the pre-built image on the runner (relative to the workspace, or absolute)",
    );
  return prebuiltFileName(input, diskFormat(input.file));
}

/**
 * Hashes the image and compares with image-sha256 — before the first change on Proxmox, so a
 * wrong or half-copied image never becomes a template. Proxmox checks the upload again.
 */
export async function verifyPrebuilt(
  input: PrebuiltImageInput,
  logger: Logger,
  timer: StepTimer,
): Promise<void> {
  await timer.time("verify image", async () => {
    const actual = await sha256File(input.file);
    if (actual !== input.sha256)
      throw new ConfigurationError(
        `image-file ${input.given} has sha256 ${actual}, not ${input.sha256} (image-sha256)`,
        "pass the checksum of exactly this file (`sha256sum` it where it was built), or the image that checksum belongs to",
      );
  });
  logger.info(`pre-built image ${input.given}: sha256 ${input.sha256} verified`);
}

/** The verified image, ready for stageByUpload. */
export function preparedPrebuilt(input: PrebuiltImageInput, fileName: string): PreparedImage {
  return { file: input.file, fileName, sha256: input.sha256, simulated: false };
}
