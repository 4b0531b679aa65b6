/** Debug logging of OpenTofu and providers prints request bodies and headers, token included. */
export const DEBUG_LOG_VARS = ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"] as const;

/**
 * The environment every OpenTofu process runs with: the given one without debug logging (which
 * would print the token or write it to TF_LOG_PATH), non-interactive. `dropped` names what was
 * removed, for one warning.
 */
export function tofuProcessEnv(env: NodeJS.ProcessEnv): {
  env: NodeJS.ProcessEnv;
  dropped: string[];
} {
  const out: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const dropped = DEBUG_LOG_VARS.filter((name) => out[name]);
  for (const name of DEBUG_LOG_VARS) delete out[name];
  return { env: out, dropped };
}
