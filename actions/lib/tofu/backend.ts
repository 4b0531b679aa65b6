import { ConfigurationError } from "../errors.js";

/**
 * Where the OpenTofu state lives. terraform/ declares `backend "local" {}`; another backend type
 * is selected by an override file in the working copy (`backend_override.tf`, merged by OpenTofu
 * over the module) and configured with `-backend-config` entries, so credentials stay in the
 * environment (AWS_*, PG_CONN_STR, TF_HTTP_PASSWORD) and never in a committed file.
 *
 * Workflow artifacts are deliberately not a backend: they have no locking (two runs would both
 * write), no consistency (a re-run reads whatever artifact it finds, not the latest state) and a
 * retention limit (state deleted after 90 days orphans every VM).
 */
export const BACKENDS = ["local", "s3", "pg", "http"] as const;
export type BackendKind = (typeof BACKENDS)[number];

/** The override file for a non-local backend; undefined for the module's own local backend. */
export function backendOverrideFile(kind: BackendKind): string | undefined {
  if (kind === "local") return undefined;
  return `# written by pve-kube tofu-provision: selects the ${kind} backend; settings come from -backend-config\nterraform {\n  backend "${kind}" {}\n}\n`;
}

/**
 * The `-backend-config` entries: each is `key=value` or a path to a backend config file. The
 * local backend gets a default state path outside the checkout (a checkout is cleaned between
 * jobs) unless one is given.
 */
export function backendConfigEntries(
  kind: BackendKind,
  entries: readonly string[],
  defaultLocalPath: string,
): string[] {
  for (const entry of entries) {
    if (/^\s*(password|secret_key|access_key|conn_str|token)\s*=/i.test(entry)) {
      throw new ConfigurationError(
        `backend-config entry '${entry.split("=")[0]?.trim() ?? entry}' carries a credential`,
        "pass backend credentials through the backend's environment variables (AWS_SECRET_ACCESS_KEY, PG_CONN_STR, TF_HTTP_PASSWORD) from secrets, never as inputs that reach the command line",
      );
    }
  }
  if (kind === "local" && !entries.some((e) => /^\s*path\s*=/.test(e)))
    return [`path=${defaultLocalPath}`, ...entries];
  return [...entries];
}
