import { FIELD_MANAGER } from "./objects.js";

/**
 * kubectl server-side apply of pve-kube's own objects, read from stdin (Secrets never touch the
 * disk or the command line). `diff` first: exit 0 = nothing to change, 1 = a change; so a
 * cluster that already has the objects gets no write.
 */
export function kubectlDiffArgs(kubeconfig: string): string[] {
  return serverSideFromStdin("diff", kubeconfig);
}

export function kubectlApplyArgs(kubeconfig: string): string[] {
  return serverSideFromStdin("apply", kubeconfig);
}

function serverSideFromStdin(verb: "diff" | "apply", kubeconfig: string): string[] {
  return [
    verb,
    "--server-side",
    `--field-manager=${FIELD_MANAGER}`,
    "--force-conflicts",
    "-f",
    "-",
    "--kubeconfig",
    kubeconfig,
  ];
}

export function kubectlGetNodesArgs(kubeconfig: string): string[] {
  return ["get", "nodes", "--output", "json", "--kubeconfig", kubeconfig];
}

/** After its Secret changed, a release's pods read the new one only when restarted. */
export function rolloutRestartArgs(
  kubeconfig: string,
  namespace: string,
  workload: { kind: string; name: string },
): string[] {
  return [
    "rollout",
    "restart",
    `${workload.kind.toLowerCase()}/${workload.name}`,
    "--namespace",
    namespace,
    "--kubeconfig",
    kubeconfig,
  ];
}
