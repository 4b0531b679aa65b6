import { describe, expect, it } from "vitest";
import { planBootstrap } from "../../../actions/lib/kubeadm/plan.js";
import {
  kubeadmTransientReason,
  PlaybookFailedError,
  SITE_RULE,
  stepsOutsidePlan,
} from "../../../actions/lib/kubeadm/retry.js";
import { retryWithinRun } from "../../../actions/lib/retry/within-run.js";
import { factsOf, ha, worker } from "./fixtures.js";

const recapLine = (host: string, failed: number, unreachable = 0) =>
  `${host.padEnd(26)} : ok=3    changed=1    unreachable=${unreachable}    failed=${failed}    skipped=0    rescued=0    ignored=0`;

/** A site.yml output as ansible-playbook prints it, ending in the recap. */
const output = (lines: string[], recap: string[]) =>
  [
    ...lines,
    "",
    "PLAY RECAP *********************************************************************",
    ...recap,
  ].join("\n");

describe("kubeadmTransientReason", () => {
  it("retries a node that dropped its SSH connection", () => {
    const error = new PlaybookFailedError(
      "site.yml",
      4,
      output(
        [
          'fatal: [demo-general-2]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Connection reset by peer", "unreachable": true}',
        ],
        [recapLine("demo-cp-1", 0), recapLine("demo-general-2", 0, 1)],
      ),
    );
    expect(kubeadmTransientReason(error)).toBe("a node dropped its SSH connection");
    expect(error.message).toContain("failed or unreachable: demo-general-2");
  });

  it("retries dpkg's lock and a join that timed out against the control plane", () => {
    const lock = new PlaybookFailedError(
      "site.yml",
      2,
      output(
        [
          'fatal: [demo-cp-2]: FAILED! => {"msg": "Failed to lock apt for exclusive operation: Could not get lock /var/lib/dpkg/lock-frontend"}',
        ],
        [recapLine("demo-cp-2", 1)],
      ),
    );
    expect(kubeadmTransientReason(lock)).toBe("dpkg's lock was held on the node");
    const join = new PlaybookFailedError(
      "site.yml",
      2,
      output(
        [
          'fatal: [demo-cp-3]: FAILED! => {"changed": false, "msg": "kubeadm join failed (exit 1): error execution phase control-plane-join/etcd: etcdserver: request timed out"}',
        ],
        [recapLine("demo-cp-3", 1)],
      ),
    );
    expect(kubeadmTransientReason(join)).toBe("kubeadm join timed out against the control plane");
  });

  it("fails at once on anything else: a refused join, a command that is not there, a non-playbook error", () => {
    const refused = new PlaybookFailedError(
      "site.yml",
      2,
      output(
        [
          'fatal: [demo-cp-2]: FAILED! => {"changed": false, "msg": "kubeadm join failed (exit 1): couldn\'t validate the identity of the API Server: invalid configuration"}',
        ],
        [recapLine("demo-cp-2", 1)],
      ),
    );
    expect(kubeadmTransientReason(refused)).toBeUndefined();
    expect(kubeadmTransientReason(new Error("Connection reset by peer"))).toBeUndefined();
  });
});

describe("stepsOutsidePlan", () => {
  const names = ha().map((n) => n.name);
  const fresh = planBootstrap({ desired: ha(), facts: factsOf(ha(), []), version: "1.36.3" });

  it("a re-plan after a failed attempt that only has the nodes still to do is inside the reviewed plan", () => {
    // init and the first control-plane join went through before the failure
    const after = planBootstrap({
      desired: ha(),
      facts: factsOf(ha(), ["demo-cp-1", "demo-cp-2"]),
      version: "1.36.3",
    });
    expect(after.init).toBeUndefined();
    expect(stepsOutsidePlan(fresh, after)).toEqual([]);
  });

  it("names what a re-plan would do that was not reviewed", () => {
    const healthy = planBootstrap({
      desired: ha(),
      facts: factsOf(ha(), names),
      version: "1.36.3",
    });
    const desired = [...ha(), worker(4)];
    const grown = planBootstrap({ desired, facts: factsOf(desired, names), version: "1.36.3" });
    expect(stepsOutsidePlan(healthy, grown)).toEqual(["worker join of demo-general-4"]);
    expect(stepsOutsidePlan(healthy, fresh)).toContain("kubeadm init on demo-cp-1");
  });
});

describe("site.yml under the within-run rule", () => {
  it("a transient failure is retried once the fresh plan stays inside the reviewed one, and recorded", async () => {
    const warnings: string[] = [];
    let attempts = 0;
    const { value, retries } = await retryWithinRun<string, string>({
      rule: { ...SITE_RULE, pauseMs: () => 0 },
      what: "ansible-playbook site.yml",
      logger: { warning: (m: string) => warnings.push(m), info: () => undefined },
      prepare: () => Promise.resolve({ next: "the nodes still to do" }),
      attempt: (attempt, next) => {
        attempts = attempt;
        if (attempt === 1)
          throw new PlaybookFailedError(
            "site.yml",
            4,
            output(
              ['fatal: [demo-general-1]: UNREACHABLE! => {"unreachable": true}'],
              [recapLine("demo-general-1", 0, 1)],
            ),
          );
        return Promise.resolve(next ?? "");
      },
    });
    expect(attempts).toBe(2);
    expect(value).toBe("the nodes still to do");
    expect(retries.map((r) => r.reason)).toEqual(["a node dropped its SSH connection"]);
    expect(warnings.join("\n")).toContain("trying again within this run");
  });
});
