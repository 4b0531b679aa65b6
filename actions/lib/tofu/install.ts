import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, constants, copyFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigurationError, getErrorMessage } from "../errors.js";
import { runTool } from "../exec.js";
import { tofuProcessEnv } from "./tool-env.js";
import type { Logger } from "../logger.js";
import { tofuArgs } from "./args.js";

export type TofuBinary = "tofu" | "terraform";

export interface LocatedTool {
  binary: TofuBinary;
  path: string;
  version: string;
  /** where it came from, for the summary */
  source: "input" | "tool-cache" | "PATH" | "downloaded";
}

export interface LocateOptions {
  binary: TofuBinary;
  /** the pinned OpenTofu version (versions.json); Terraform is used at whatever version is found */
  version: string;
  /** an explicit binary path (the `tofu-path` input) */
  toolPath?: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** release download; the default is OpenTofu's GitHub releases */
  download?: { baseUrl?: string; allow?: boolean; sha256?: Record<string, string> };
}

const TOOL_CACHE_NAME = "opentofu";
const RELEASES = "https://github.com/opentofu/opentofu/releases/download";

/** Go's names for the runner's platform, as release file names use them. */
export function goPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): { os: string; arch: string } {
  const goArch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };
  const goOs: Record<string, string> = {
    linux: "linux",
    darwin: "darwin",
    win32: "windows",
    freebsd: "freebsd",
  };
  return { os: goOs[platform] ?? platform, arch: goArch[arch] ?? arch };
}

/**
 * The release files the installer reads: the `.tar.gz` archive — the artifact versions.json pins
 * (`opentofu.sha256.<os>_<arch>` is the SHA-256 of exactly this file) — and the checksum list.
 */
export function releaseFileNames(
  version: string,
  platform = goPlatform(),
): { archive: string; sums: string } {
  return {
    archive: `tofu_${version}_${platform.os}_${platform.arch}.tar.gz`,
    sums: `tofu_${version}_SHA256SUMS`,
  };
}

/** The verified release archive kept beside the binary in the tool cache, to re-verify it. */
const CACHED_ARCHIVE = "release.tar.gz";

// @actions/tool-cache loads when the runner's tool cache is looked at, not when the action starts
const loadToolCache = () => import("@actions/tool-cache");

/**
 * Finds the tool without a wrapper (its stdout and exit codes reach us unchanged): an explicit
 * path, then the runner's tool cache, then PATH, and — for OpenTofu only — downloads the pinned
 * official release into the tool cache after checking its SHA-256. A binary of the wrong version
 * is never used silently.
 */
export async function locateTofu(options: LocateOptions): Promise<LocatedTool> {
  const { binary, logger } = options;
  if (options.toolPath) {
    const version = await toolVersion(options.toolPath, logger, options.env);
    assertVersion(binary, version, options.version, `the tofu-path input (${options.toolPath})`);
    return { binary, path: options.toolPath, version, source: "input" };
  }
  if (binary === "tofu" && (options.env ?? process.env).RUNNER_TOOL_CACHE) {
    const tc = await loadToolCache();
    const dir = tc.find(TOOL_CACHE_NAME, options.version);
    if (dir) {
      await verifyCachedTofu(dir, options);
      return {
        binary,
        path: path.join(dir, "tofu"),
        version: options.version,
        source: "tool-cache",
      };
    }
  }
  const onPath = await whichIn(options.env ?? process.env, binary);
  if (onPath) {
    const version = await toolVersion(onPath, logger, options.env);
    if (binary === "terraform" || version === options.version)
      return { binary, path: onPath, version, source: "PATH" };
    logger.info(`${onPath} is OpenTofu ${version}, not the pinned ${options.version}: not used`);
  }
  if (binary === "terraform") {
    throw new ConfigurationError(
      "terraform was chosen (binary: terraform) but is not on PATH",
      "install Terraform on the runner (runner-setup), set tofu-path, or use binary: tofu",
    );
  }
  if (options.download?.allow === false) {
    throw new ConfigurationError(
      `OpenTofu ${options.version} is not installed on this runner`,
      "run runner-setup, put tofu on PATH, or allow the download",
    );
  }
  return downloadTofu(options);
}

async function downloadTofu(options: LocateOptions): Promise<LocatedTool> {
  const { logger, version } = options;
  const files = releaseFileNames(version, goPlatform());
  const url = `${releaseBase(options)}/v${version}/${files.archive}`;
  logger.info(`downloading OpenTofu ${version} from ${url}`);
  const tc = await loadToolCache();
  const archive = await tc.downloadTool(url);
  const { sha256: expected, from } = await expectedSha256(options);
  const actual = await sha256File(archive);
  if (actual !== expected) {
    throw new Error(
      `the downloaded ${files.archive} has SHA-256 ${actual}, expected ${expected} (${from}); refusing to install it`,
    );
  }
  logger.info(`${files.archive}: SHA-256 ${actual} verified against ${from}`);
  const dir = await tc.extractTar(archive);
  await copyFile(archive, path.join(dir, CACHED_ARCHIVE));
  const cached = await tc.cacheDir(dir, TOOL_CACHE_NAME, version);
  const tool = path.join(cached, "tofu");
  const reported = await toolVersion(tool, logger, options.env);
  assertVersion("tofu", reported, version, url);
  return { binary: "tofu", path: tool, version: reported, source: "downloaded" };
}

function releaseBase(options: LocateOptions): string {
  return (options.download?.baseUrl ?? RELEASES).replace(/\/$/, "");
}

/** The archive's SHA-256: pinned in versions.json, else from the release's own checksum list. */
async function expectedSha256(options: LocateOptions): Promise<{ sha256: string; from: string }> {
  const platform = goPlatform();
  const files = releaseFileNames(options.version, platform);
  const pinned = options.download?.sha256?.[`${platform.os}_${platform.arch}`];
  if (pinned) return { sha256: pinned, from: "versions.json" };
  const tc = await loadToolCache();
  const sums = await tc.downloadTool(`${releaseBase(options)}/v${options.version}/${files.sums}`);
  const listed = parseSha256Sums(await readText(sums))[files.archive];
  if (!listed)
    throw new Error(
      `${files.sums} of OpenTofu ${options.version} lists no checksum for ${files.archive}`,
    );
  return { sha256: listed, from: files.sums };
}

/**
 * A tool-cache hit is verified again before use: on a persistent runner anything running as the
 * runner user can replace the cached binary. The archive kept beside it must still hash to the
 * pin, and the binary must be byte for byte the one inside that archive.
 */
async function verifyCachedTofu(dir: string, options: LocateOptions): Promise<void> {
  const where = `the tool cache's OpenTofu ${options.version} (${dir})`;
  const fix = `delete ${dir} and run again: the pinned release is then downloaded and verified`;
  const archive = path.join(dir, CACHED_ARCHIVE);
  const { sha256: expected, from } = await expectedSha256(options);
  const actual = await sha256File(archive).catch(() => undefined);
  if (actual !== expected) {
    throw new ConfigurationError(
      actual === undefined
        ? `${where} has no release archive to verify it against`
        : `${where} comes from an archive with SHA-256 ${actual}, not ${expected} (${from})`,
      fix,
    );
  }
  const tc = await loadToolCache();
  const unpacked = await tc.extractTar(archive);
  try {
    const [fromArchive, inCache] = await Promise.all([
      sha256File(path.join(unpacked, "tofu")),
      sha256File(path.join(dir, "tofu")),
    ]);
    if (fromArchive !== inCache)
      throw new ConfigurationError(`${where} is not the binary of its verified release`, fix);
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
  options.logger.info(`${where}: verified against ${from}`);
}

/** The first executable `binary` on the PATH of `env` (the environment the tool will run with). */
export async function whichIn(env: NodeJS.ProcessEnv, binary: string): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `sha256  file` lines (coreutils format, optional `*` for binary mode). */
export function parseSha256Sums(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function readText(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The version a binary reports through `version -json` (both tools print `terraform_version`).
 * Warnings (e.g. about a missing CLI config file) may come first on stdout, so the JSON object is
 * taken from where it starts.
 */
export async function toolVersion(
  tool: string,
  logger: Logger,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  try {
    await access(tool, constants.X_OK);
  } catch {
    throw new ConfigurationError(
      `${tool} does not exist or is not executable`,
      "point tofu-path at the tofu (or terraform) binary",
    );
  }
  // without debug logging, like every OpenTofu process (a TF_LOG_PATH file would be written even here)
  const result = await runTool(tool, tofuArgs({ command: "version" }), {
    logger: { ...logger, info: (m: string) => logger.debug(m) },
    // an empty CLI configuration: a planted ~/.tofurc has no say, not even here
    env: tofuProcessEnv(env ?? process.env, { TF_CLI_CONFIG_FILE: "/dev/null" }).env,
  });
  const start = result.stdout.search(/^\{/m);
  try {
    const parsed = JSON.parse(start >= 0 ? result.stdout.slice(start) : result.stdout) as {
      terraform_version?: unknown;
    };
    if (typeof parsed.terraform_version === "string") return parsed.terraform_version;
  } catch (error) {
    logger.debug(`version -json: ${getErrorMessage(error)}`);
  }
  throw new Error(
    `${tool} version -json printed no version${os.EOL}${result.stdout.slice(0, 500)}`,
  );
}

function assertVersion(binary: TofuBinary, actual: string, pinned: string, where: string): void {
  if (binary === "tofu" && actual !== pinned) {
    throw new ConfigurationError(
      `${where} is OpenTofu ${actual}, but pve-kube pins ${pinned} (versions.json)`,
      `install OpenTofu ${pinned}, or leave tofu-path empty to let the action install it`,
    );
  }
}
