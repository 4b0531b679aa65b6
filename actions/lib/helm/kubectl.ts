import type { WorkloadRef } from "./workloads.js";

/** kubectl reads the release waits use, as argv arrays (read-only: get, logs). */

function kc(kubeconfig: string, namespace: string): string[] {
  return ["--kubeconfig", kubeconfig, "--namespace", namespace];
}

/** The workload as JSON; exit 1 with NotFound when it does not exist (the caller allows it). */
export function getWorkloadArgs(kubeconfig: string, ref: WorkloadRef): string[] {
  return [
    "get",
    ref.kind.toLowerCase(),
    ref.name,
    ...kc(kubeconfig, ref.namespace),
    "--output",
    "json",
  ];
}

export function getPodsArgs(kubeconfig: string, ref: WorkloadRef): string[] {
  return [
    "get",
    "pods",
    ...kc(kubeconfig, ref.namespace),
    "--selector",
    ref.podSelector,
    "--output",
    "json",
  ];
}

export function getPodEventsArgs(kubeconfig: string, namespace: string, pod: string): string[] {
  return [
    "get",
    "events",
    ...kc(kubeconfig, namespace),
    "--field-selector",
    `involvedObject.kind=Pod,involvedObject.name=${pod}`,
    "--output",
    "json",
  ];
}

/** The last lines of every container of a pod (init containers included), each line prefixed. */
export function podLogsArgs(
  kubeconfig: string,
  namespace: string,
  pod: string,
  tail: number,
  previous = false,
): string[] {
  return [
    "logs",
    pod,
    ...kc(kubeconfig, namespace),
    "--all-containers",
    "--prefix",
    `--tail=${tail}`,
    ...(previous ? ["--previous"] : []),
  ];
}
