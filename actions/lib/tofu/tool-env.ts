import { writeFile } from "node:fs/promises";
import path from "node:path";

/** Debug logging of OpenTofu and providers prints request bodies and headers, token included. */
export const DEBUG_LOG_VARS = ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"] as const;

/**
 * What OpenTofu and the provider may see of the runner's environment: enough to find programs,
 * a home, a temp dir, the locale, the system trust store and a proxy. Everything else — the
 * action's inputs (`INPUT_STATE-KEY`, `INPUT_PROXMOX-TOKEN-SECRET`), the runner's
 * `ACTIONS_RUNTIME_TOKEN`, `GITHUB_TOKEN`, an inherited `TF_CLI_CONFIG_FILE`, `TF_CLI_ARGS*`,
 * `TF_VAR_*`, `TF_TOKEN_*`, `TF_DATA_DIR`, debug logging — is left behind; the values OpenTofu
 * needs are set explicitly by the caller.
 */
const INHERITED = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
]);
const inherited = (name: string) => INHERITED.has(name) || name.startsWith("LC_");

/**
 * The environment every OpenTofu process runs with: the allow-listed part of the runner's
 * environment, then `explicit` (credentials, the action's CLI configuration, the relay), non
 * interactive. `dropped` names debug-logging variables that were set (for one warning).
 */
export function tofuProcessEnv(
  env: NodeJS.ProcessEnv,
  explicit: Record<string, string> = {},
): {
  env: NodeJS.ProcessEnv;
  dropped: string[];
} {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && inherited(name)) out[name] = value;
  Object.assign(out, explicit, { TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
  const dropped = DEBUG_LOG_VARS.filter((name) => env[name] || explicit[name]);
  for (const name of DEBUG_LOG_VARS) delete out[name];
  return { env: out, dropped };
}

/**
 * The action's own OpenTofu CLI configuration. With TF_CLI_CONFIG_FILE pointing at it, OpenTofu
 * reads neither ~/.tofurc, ~/.terraformrc nor the *.tfrc files of its configuration directory,
 * so nothing planted on a persistent runner (`dev_overrides`, another mirror, credentials
 * helpers) can replace the lock-verified provider. The only provider source besides the
 * registry is the mirror the workflow names (`provider-mirror`; then every provider comes from it);
 * in `lock-file: verify` mode its packages must still match the committed hashes.
 */
export function cliConfigText(options: { providerMirror?: string | undefined }): string {
  if (!options.providerMirror)
    return "# pve-kube: no provider mirror; providers come from the registry\n";
  return [
    "# written by pve-kube tofu-provision for this run",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path = ${JSON.stringify(options.providerMirror)}`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export async function writeCliConfig(
  dir: string,
  options: { providerMirror?: string | undefined },
): Promise<string> {
  const file = path.join(dir, "pve-kube.tofurc");
  await writeFile(file, cliConfigText(options), { mode: 0o600 });
  return file;
}
