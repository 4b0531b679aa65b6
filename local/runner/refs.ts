import path from "node:path";

/**
 * What a `uses:` points at, locally. This checkout stands in for `<owner>/pve-kube@<ref>` at any
 * owner and ref: the local runner exists to run pve-kube's own actions and workflows.
 */
export type StepUses =
  | { kind: "local-action"; dir: string; display: string }
  | { kind: "checkout"; display: string }
  | { kind: "unsupported"; display: string; reason: string };

export type WorkflowUses =
  | { kind: "local-workflow"; file: string; display: string }
  | { kind: "unsupported"; display: string; reason: string };

export const SUPPORTED_STEP_USES =
  "this repository's actions (./<path> or <owner>/pve-kube/<path>@<ref>), actions/checkout@<any ref>, and run: steps";

export const SUPPORTED_WORKFLOW_USES =
  "./<path>.yml or <owner>/pve-kube/<path>.yml@<ref> (mapped to this checkout)";

function inside(root: string, relative: string): string | undefined {
  const resolved = path.resolve(root, relative);
  return resolved === root || resolved.startsWith(root + path.sep) ? resolved : undefined;
}

/** `owner/repo/sub/path@ref` → its parts, or undefined. */
function splitRemote(
  uses: string,
): { owner: string; repo: string; subpath: string; ref: string } | undefined {
  const at = uses.lastIndexOf("@");
  if (at <= 0) return undefined;
  const [owner, repo, ...rest] = uses.slice(0, at).split("/");
  if (!owner || !repo) return undefined;
  return { owner, repo, subpath: rest.join("/"), ref: uses.slice(at + 1) };
}

export function classifyStepUses(
  uses: string,
  checkout: string,
  repositoryName = "pve-kube",
): StepUses {
  const display = uses;
  if (uses.startsWith("docker://"))
    return {
      kind: "unsupported",
      display,
      reason: "docker actions need Docker, which the local runner does not use",
    };
  if (uses.startsWith("./") || uses === ".") {
    const dir = inside(checkout, uses);
    if (!dir) return { kind: "unsupported", display, reason: "the path leaves the checkout" };
    return { kind: "local-action", dir, display };
  }
  const remote = splitRemote(uses);
  if (!remote)
    return {
      kind: "unsupported",
      display,
      reason: "not a valid reference (expected owner/repo[/path]@ref or ./path)",
    };
  if (
    remote.owner.toLowerCase() === "actions" &&
    remote.repo.toLowerCase() === "checkout" &&
    remote.subpath === ""
  )
    return { kind: "checkout", display };
  if (remote.repo.toLowerCase() === repositoryName.toLowerCase()) {
    const dir = remote.subpath ? inside(checkout, remote.subpath) : undefined;
    if (!dir)
      return {
        kind: "unsupported",
        display,
        reason: `only actions in subfolders of ${repositoryName} are mapped to this checkout`,
      };
    return { kind: "local-action", dir, display };
  }
  return {
    kind: "unsupported",
    display,
    reason: `${remote.owner}/${remote.repo} is a third-party action`,
  };
}

export function classifyWorkflowUses(
  uses: string,
  checkout: string,
  repositoryName = "pve-kube",
): WorkflowUses {
  const display = uses;
  if (uses.startsWith("./")) {
    const file = inside(checkout, uses);
    return file
      ? { kind: "local-workflow", file, display }
      : { kind: "unsupported", display, reason: "the path leaves the checkout" };
  }
  const remote = splitRemote(uses);
  if (remote && remote.repo.toLowerCase() === repositoryName.toLowerCase() && remote.subpath) {
    const file = inside(checkout, remote.subpath);
    if (file) return { kind: "local-workflow", file, display };
  }
  return {
    kind: "unsupported",
    display,
    reason: remote
      ? `${remote.owner}/${remote.repo} is another repository`
      : "not a valid reusable workflow reference",
  };
}
