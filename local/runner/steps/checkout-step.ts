import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { emptyFiles } from "./execute.js";
import type { StepExecution, StepHost } from "./execute.js";

/**
 * `actions/checkout@<any>`: the checkout this runner runs from IS the repository. When the
 * workspace is that checkout (the default), checkout is a no-op. With --workdir the workspace is
 * elsewhere, and checkout copies the checkout's files there (the files git tracks plus untracked
 * ones it does not ignore, so node_modules and .local-run stay behind), into `with: path` if set.
 */
const SKIP_WITHOUT_GIT = new Set([".git", "node_modules", ".local-run"]);

/** Files to copy, relative to the checkout. */
export function checkoutFiles(checkout: string): string[] {
  try {
    const listed = execFileSync(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      {
        cwd: checkout,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    // tracked files deleted in the working tree are still listed
    return listed.split("\0").filter((f) => f !== "" && existsSync(path.join(checkout, f)));
  } catch {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(checkout, dir), { withFileTypes: true })) {
        if (SKIP_WITHOUT_GIT.has(entry.name)) continue;
        const relative = dir ? path.join(dir, entry.name) : entry.name;
        if (entry.isDirectory()) walk(relative);
        else files.push(relative);
      }
    };
    walk("");
    return files;
  }
}

export interface CheckoutSpec {
  checkout: string;
  inputs: Record<string, string>;
}

export function runCheckoutStep(host: StepHost, spec: CheckoutSpec): StepExecution {
  const target = path.resolve(host.workspace, spec.inputs.path ?? "");
  if (!isInside(host.workspace, target)) {
    // actions/checkout: "Repository path '…' is not under '…'"
    return {
      ok: false,
      error: `path '${spec.inputs.path ?? ""}' is not under the workspace ${host.workspace}`,
      files: emptyFiles(),
    };
  }
  const ignored = Object.keys(spec.inputs).filter((k) => k !== "path");
  if (ignored.length > 0)
    host.log.output(
      host.job,
      `inputs ignored locally: ${ignored.join(", ")} (the checkout is used as it is)`,
      0,
    );
  if (target === path.resolve(spec.checkout)) {
    host.log.output(
      host.job,
      `the workspace is the checkout (${spec.checkout}); nothing to copy`,
      0,
    );
    return { ok: true, files: emptyFiles() };
  }
  const relativeToTarget = path.relative(target, spec.checkout);
  if (relativeToTarget === "" || !relativeToTarget.startsWith("..")) {
    return {
      ok: false,
      error: `cannot check out into ${target}: it contains the checkout itself`,
      files: emptyFiles(),
    };
  }
  const files = checkoutFiles(spec.checkout);
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    cpSync(path.join(spec.checkout, file), path.join(target, file), {
      force: true,
      recursive: false,
      dereference: false,
    });
  }
  host.log.output(host.job, `copied ${files.length} files of ${spec.checkout} to ${target}`, 0);
  return { ok: true, files: emptyFiles() };
}

/** `target` is the workspace or below it (after resolving `..`). */
export function isInside(workspace: string, target: string): boolean {
  const relative = path.relative(path.resolve(workspace), path.resolve(target));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
