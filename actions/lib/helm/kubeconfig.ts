/**
 * The secret values inside a kubeconfig, one by one: a runner masks a registered secret only where
 * it appears whole, and a kubeconfig spans many lines, so each credential is masked on its own.
 */
export function kubeconfigSecretValues(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const match =
      /^\s*(client-key-data|client-certificate-data|token|password):\s*["']?([^"'\s]+)/.exec(line);
    if (match?.[2]) out.push(match[2]);
  }
  return out;
}
