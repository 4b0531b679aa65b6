/**
 * The time kubeadm itself spent on the critical path of a bootstrap run: `kubeadm init`, then the
 * control-plane joins one after another, then the slowest of the parallel worker joins. The
 * phase's own wall time against it is the orchestration overhead (SSH, Ansible, facts, waiting
 * for the API), reported as a ratio measured in one run (bench/ and the job summary).
 */
export interface CriticalPath {
  initSeconds: number;
  controlPlaneJoinSeconds: number[];
  slowestWorkerJoinSeconds: number;
  totalSeconds: number;
}

/** The timing callback's task rows: [host, task name, seconds, ok|changed|failed|skipped|unreachable]. */
export type TaskTiming = [string, string, number, string];

export const INIT_TASK = "Run kubeadm init";
export const JOIN_TASK = "Run kubeadm join";

/** Ansible names a role's task `<role> : <name>` (Task.get_name); a bare name is accepted too. */
const isTask = (name: string, task: string) => name === task || name.endsWith(` : ${task}`);

export function criticalPath(
  tasks: TaskTiming[],
  roles: Map<string, "control-plane" | "worker">,
): CriticalPath | undefined {
  // only runs that did the work: a `creates:` that found the node done reports ok, not changed
  const ok = tasks.filter(([, , , status]) => status === "changed");
  const init = ok.filter(([, name]) => isTask(name, INIT_TASK)).map(([, , s]) => s);
  const joins = ok.filter(([, name]) => isTask(name, JOIN_TASK));
  const cpJoins = joins.filter(([host]) => roles.get(host) === "control-plane").map(([, , s]) => s);
  const workerJoins = joins.filter(([host]) => roles.get(host) === "worker").map(([, , s]) => s);
  if (init.length + joins.length === 0) return undefined;
  const initSeconds = init.reduce((a, b) => a + b, 0);
  const slowest = workerJoins.length > 0 ? Math.max(...workerJoins) : 0;
  const total = initSeconds + cpJoins.reduce((a, b) => a + b, 0) + slowest;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    initSeconds: round(initSeconds),
    controlPlaneJoinSeconds: cpJoins.map(round),
    slowestWorkerJoinSeconds: round(slowest),
    totalSeconds: round(total),
  };
}
