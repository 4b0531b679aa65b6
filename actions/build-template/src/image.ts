import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import { runTool } from "../../lib/exec.js";
import type { Logger } from "../../lib/logger.js";
import { stateMac, verifyStateMac, type StepTimer } from "../../lib/state/index.js";
import { virtCustomizeArgs, type TemplateRecipe } from "../../lib/template/index.js";
export { assertVirtCustomize } from "../../lib/template/index.js";
import { baseImageKey, customisedImageKey, type ImageCache } from "./image-cache.js";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Downloads `url` to `file`, hashing while writing; the file only appears under its final name
 * when the checksum matches, so an interrupted or wrong download is never mistaken for the image.
 */
export async function downloadVerified(
  url: string,
  sha256: string,
  file: string,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  logger.info(`downloading ${url}`);
  const response = await fetchImpl(url).catch((error: unknown) => {
    throw new ConfigurationError(
      `cannot download the cloud image ${url}: ${getErrorMessage(error)}`,
      "check template.image.url and that the runner can reach it",
    );
  });
  if (!response.ok || !response.body) {
    throw new ConfigurationError(
      `cannot download the cloud image ${url}: HTTP ${response.status}`,
      "check template.image.url (use a dated release URL, not a moving 'current' link)",
    );
  }
  const partial = `${file}.partial`;
  const hash = createHash("sha256");
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      tee,
      createWriteStream(partial),
    );
    const actual = hash.digest("hex");
    if (actual !== sha256) {
      throw new ConfigurationError(
        `the cloud image ${url} has sha256 ${actual}, but cluster.yaml pins ${sha256}`,
        "use the checksum from the image's SHA256SUMS file, and a dated release URL whose content cannot change",
      );
    }
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

export interface PreparedImage {
  file: string;
  fileName: string;
  sha256: string;
  simulated: boolean;
}

export interface ImageDeps {
  workDir: string;
  cache: ImageCache;
  logger: Logger;
  timer: StepTimer;
  fetchImpl?: typeof fetch;
  /** runs virt-customize; injectable so a test can use a stand-in binary on PATH */
  runCustomize?: (args: string[]) => Promise<void>;
  /**
   * The state-key: a customised image records a MAC of its SHA-256 under it (`<image>.mac`, cached
   * with it), and one found in the work dir or restored from the cache is used only when that MAC
   * verifies. Without it, nothing found is trusted and the image is made again.
   */
  stateKey?: string | undefined;
}

const IMAGE_MAC = "template-image";
const macFileOf = (file: string) => `${file}.mac`;
const macInput = (fingerprint: string, sha256: string) => `${fingerprint}:${sha256}`;

/**
 * The SHA-256 of a customised image found on the runner, when its MAC proves a job holding the
 * state-key made it for this recipe; otherwise it is deleted and undefined is returned. Anyone
 * who can write the Actions cache (or the runner's work dir) could else choose every node's root
 * file system.
 */
async function trustedImage(
  file: string,
  fingerprint: string,
  deps: Pick<ImageDeps, "stateKey" | "logger">,
  where: string,
): Promise<string | undefined> {
  const sha256 = await sha256File(file);
  const mac = (await readFile(macFileOf(file), "utf8").catch(() => "")).trim();
  if (deps.stateKey && verifyStateMac(macInput(fingerprint, sha256), mac, deps.stateKey, IMAGE_MAC))
    return sha256;
  deps.logger.warning(
    deps.stateKey
      ? `the customised image ${where} (${path.basename(file)}) carries no valid MAC under the state-key: not used, made again`
      : `no state-key: the customised image ${where} cannot be verified, so it is made again (pass state-key to reuse cached images)`,
  );
  await rm(file, { force: true });
  await rm(macFileOf(file), { force: true });
  return undefined;
}

async function recordMac(file: string, fingerprint: string, deps: Pick<ImageDeps, "stateKey">) {
  if (!deps.stateKey) return;
  const mac = stateMac(macInput(fingerprint, await sha256File(file)), deps.stateKey, IMAGE_MAC);
  await writeFile(macFileOf(file), `${mac}\n`, { mode: 0o600 });
}

/** The name the customised image gets in Proxmox's import storage: base name + recipe. */
export function customisedFileName(baseFileName: string, fingerprint: string): string {
  return `${baseFileName.replace(/\.(qcow2|img|raw)$/, "")}-${fingerprint.slice(0, 16)}.qcow2`;
}

/**
 * The customised image for upload: from the cache if this exact recipe was built before, else
 * base image (cache or verified download) → copy → virt-customize; in the embedded demo only
 * (simulate-customize), a placeholder with both steps marked simulated.
 */
export async function prepareCustomisedImage(
  recipe: TemplateRecipe,
  fingerprint: string,
  baseFileName: string,
  deps: ImageDeps,
): Promise<PreparedImage> {
  const { workDir, cache, logger, timer } = deps;
  await mkdir(workDir, { recursive: true });
  const fileName = customisedFileName(baseFileName, fingerprint);
  const file = path.join(workDir, fileName);
  const customKey = customisedImageKey(recipe.image.sha256, fingerprint);
  const found =
    ((await exists(file)) && (await trustedImage(file, fingerprint, deps, "in the work dir"))) ||
    ((await cache.restore(file, customKey)) &&
      (await trustedImage(file, fingerprint, deps, "from the Actions cache")));
  if (found) {
    logger.info(
      `customised image for recipe ${fingerprint.slice(0, 16)} found and verified: ${fileName}`,
    );
    return { file, fileName, sha256: found, simulated: recipe.simulated };
  }

  if (recipe.simulated) {
    await timer.time("base image", () => writeSimulatedImage(file, recipe, fingerprint), {
      simulated: true,
    });
    await timer.time("virt-customize", () => Promise.resolve(), { simulated: true });
    logger.warning(
      `SIMULATED: the base image was not downloaded and virt-customize did not run (simulate-customize: true, embedded demo only); ${fileName} is a placeholder`,
    );
    await recordMac(file, fingerprint, deps);
    return { file, fileName, sha256: await sha256File(file), simulated: true };
  }

  const url = recipe.image.url;
  // a pre-built image is uploaded as it is (prebuilt.ts); only cloud-image recipes come here
  if (!url) throw new Error(`recipe ${fingerprint} has no cloud image URL to download`);
  const base = path.join(workDir, `base-${recipe.image.sha256.slice(0, 16)}.img`);
  await timer.time("base image", async () => {
    if ((await exists(base)) && (await sha256File(base)) === recipe.image.sha256) return;
    if (
      (await cache.restore(base, baseImageKey(recipe.image.sha256))) &&
      (await sha256File(base)) === recipe.image.sha256
    )
      return;
    await downloadVerified(url, recipe.image.sha256, base, logger, deps.fetchImpl);
    await cache.save(base, baseImageKey(recipe.image.sha256));
  });

  const working = `${file}.partial`;
  await copyFile(base, working);
  try {
    const customize = recipe.customize;
    // only upload recipes are prepared here, and those always carry their customisation
    if (!customize)
      throw new Error(
        `recipe ${fingerprint} has nothing to customise: only upload recipes are prepared on the runner`,
      );
    await timer.time("virt-customize", async () => {
      const args = virtCustomizeArgs(customize, working);
      await (deps.runCustomize ?? ((a) => runCustomize(a, logger)))(args);
    });
    await rename(working, file);
  } finally {
    await rm(working, { force: true });
  }
  await recordMac(file, fingerprint, deps);
  await cache.save(file, customKey);
  return { file, fileName, sha256: await sha256File(file), simulated: recipe.simulated };
}

/**
 * The embedded demo cannot download a 600 MB cloud image (no internet) nor boot one (no KVM), and
 * pve-sim never reads disk contents. It gets a small deterministic stand-in that says what it is,
 * so a re-run uploads nothing new and nobody can mistake it for an image.
 */
async function writeSimulatedImage(
  file: string,
  recipe: TemplateRecipe,
  fingerprint: string,
): Promise<void> {
  const text = [
    "pve-kube SIMULATED template image (embedded demo only; not bootable)",
    `recipe ${fingerprint}`,
    `stands in for ${recipe.image.url ?? "?"} (sha256 ${recipe.image.sha256}), customised by virt-customize`,
    "",
  ].join("\n");
  await writeFile(`${file}.partial`, text, { mode: 0o644 });
  await rename(`${file}.partial`, file);
}

async function runCustomize(args: string[], logger: Logger): Promise<void> {
  // libguestfs uses the kernel in /boot and may need a direct backend on CI runners
  await runTool("virt-customize", args, {
    logger,
    streamOutput: true,
    timeoutMs: 60 * 60_000,
    env: { ...process.env, LIBGUESTFS_BACKEND: process.env.LIBGUESTFS_BACKEND ?? "direct" },
  });
}
