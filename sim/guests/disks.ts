import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { run, tryRun } from "./exec.js";

/** Whether a file is an ext2/3/4 file system image (superblock magic 0xEF53 at byte 1080). */
export function isExtImage(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 1080) === 2 && magic.readUInt16LE(0) === 0xef53;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether something is mounted at exactly this path (per /proc/self/mountinfo). */
export function isMounted(path: string): boolean {
  const escaped = path.replace(/ /g, "\\040");
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[4] === escaped);
}

/** The mount points under a directory, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Unmounts a mount point (and anything mounted on it twice). Lazy as a last resort: a guest
 * process that was just killed may still hold it for a moment.
 */
export async function unmount(path: string): Promise<string | undefined> {
  let failure: string | undefined;
  for (let i = 0; i < 5 && isMounted(path); i++) {
    failure = await tryRun("umount", [path]);
    if (failure) await new Promise((r) => setTimeout(r, 200));
  }
  if (isMounted(path)) failure = await tryRun("umount", ["-l", path]);
  return isMounted(path) ? (failure ?? `${path} still mounted`) : undefined;
}

/**
 * A template's disk: the lab image loop-mounted read-only, once per image and instance
 * (`<instance>/images/<hash of the path>`); every clone's overlay uses it as its lower layer.
 */
export async function mountImage(
  instanceDir: string,
  image: string,
  record: (mountPoint: string) => void,
): Promise<string> {
  const key = createHash("sha256").update(image).digest("hex").slice(0, 16);
  const mountPoint = join(instanceDir, "images", key);
  if (isMounted(mountPoint)) return mountPoint;
  mkdirSync(mountPoint, { recursive: true });
  record(mountPoint);
  // noload: a read-only mount must not replay a journal into the shared image
  await run("mount", ["-o", "loop,ro,noload", image, mountPoint]);
  return mountPoint;
}

/** A guest's root: an overlay whose upper dir holds everything the guest writes (a linked clone). */
export async function mountOverlay(
  lower: string,
  vmDir: string,
  record: (mountPoint: string) => void,
): Promise<string> {
  const upper = join(vmDir, "disk", "upper");
  const work = join(vmDir, "disk", "work");
  const root = join(vmDir, "root");
  for (const dir of [upper, work, root]) mkdirSync(dir, { recursive: true });
  if (isMounted(root)) return root;
  record(root);
  await run("mount", [
    "-t",
    "overlay",
    "pve-sim-guest",
    "-o",
    `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
    root,
  ]);
  return root;
}
