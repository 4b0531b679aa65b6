import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { repoPath } from "../../helpers/repo.js";
import { describe, expect, it } from "vitest";
import {
  criticalPath,
  INIT_TASK,
  JOIN_TASK,
  type TaskTiming,
} from "../../../actions/lib/kubeadm/critical-path.js";

describe("kubeadm's critical path", () => {
  const roles = new Map<string, "control-plane" | "worker">([
    ["cp-1", "control-plane"],
    ["cp-2", "control-plane"],
    ["cp-3", "control-plane"],
    ["w-1", "worker"],
    ["w-2", "worker"],
  ]);
  it("is init + the serial control-plane joins + the slowest parallel worker join", () => {
    const tasks: TaskTiming[] = [
      ["cp-1", "Write the kubeadm init configuration", 0.4, "ok"],
      ["cp-1", INIT_TASK, 9.2, "changed"],
      ["cp-2", JOIN_TASK, 20.5, "changed"],
      ["cp-3", JOIN_TASK, 19.5, "changed"],
      ["w-1", JOIN_TASK, 6.0, "changed"],
      ["w-2", JOIN_TASK, 7.5, "changed"],
      // a node already joined: `creates:` answered ok without running kubeadm
      ["w-3", JOIN_TASK, 0.1, "ok"],
    ];
    expect(criticalPath(tasks, roles)).toEqual({
      initSeconds: 9.2,
      controlPlaneJoinSeconds: [20.5, 19.5],
      slowestWorkerJoinSeconds: 7.5,
      totalSeconds: 56.7,
    });
  });
  it("recognises the tasks under the names Ansible's callbacks see: `<role> : <task>`", () => {
    // Task.get_name() prefixes a role's tasks; the first real lab run printed no critical path
    const tasks: TaskTiming[] = [
      ["cp-1", `kubeadm_init : ${INIT_TASK}`, 13.1, "changed"],
      ["cp-2", `kubeadm_join : ${JOIN_TASK}`, 40.2, "changed"],
      ["w-1", `kubeadm_join : ${JOIN_TASK}`, 11.0, "changed"],
      ["w-2", `kubeadm_join : Wait until the cluster lists this node`, 30, "ok"],
    ];
    expect(criticalPath(tasks, roles)).toEqual({
      initSeconds: 13.1,
      controlPlaneJoinSeconds: [40.2],
      slowestWorkerJoinSeconds: 11,
      totalSeconds: 64.3,
    });
  });
  it("is absent for a run that neither initialised nor joined", () => {
    expect(criticalPath([["cp-1", "Read the swap", 0.1, "ok"]], roles)).toBeUndefined();
  });

  it("looks for task names the roles really have (a renamed task made init count 0 s on the lab)", () => {
    const names = (role: string) =>
      (
        parseYaml(
          readFileSync(repoPath("ansible", "roles", role, "tasks", "main.yml"), "utf8"),
        ) as unknown[]
      ).flatMap(function walk(task: unknown): string[] {
        const t = task as { name?: string; block?: unknown[] };
        return [...(t.name ? [t.name] : []), ...(t.block ?? []).flatMap(walk)];
      });
    expect(names("kubeadm_init")).toContain(INIT_TASK);
    expect(names("kubeadm_join")).toContain(JOIN_TASK);
  });
});
