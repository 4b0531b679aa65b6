import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { clusterIdentity } from "../../../actions/preflight/src/check-gates.js";
import { evaluateExpression } from "../../../local/runner/expressions.js";
import { repoPath } from "../../helpers/repo.js";

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  "runs-on"?: unknown;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps?: Step[];
}
interface Workflow {
  on: { workflow_call: { secrets: Record<string, { required?: boolean }> } };
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const load = (file: string) =>
  parse(readFileSync(repoPath(".github/workflows", file), "utf8")) as Workflow;
const workflows = {
  deploy: load("deploy.yml"),
  destroy: load("destroy.yml"),
  plan: load("plan.yml"),
  drift: load("drift.yml"),
};
const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const stepsUsing = (job: Job, action: string) =>
  (job.steps ?? []).filter((s) => s.uses?.includes(`/actions/${action}@`));
/** The write token's secret, except as the fallback after the read-only one. */
const holdsWriteSecret = (job: Job) =>
  JSON.stringify(job)
    .replaceAll("secrets.PROXMOX_READONLY_TOKEN_SECRET || secrets.PROXMOX_TOKEN_SECRET", "")
    .includes("secrets.PROXMOX_TOKEN_SECRET");
const LABELS = "${{ fromJSON(inputs.runner-labels) }}";

describe("the approval gate cannot be skipped (deploy.yml, destroy.yml)", () => {
  for (const name of ["deploy", "destroy"] as const) {
    const wf = workflows[name];
    const jobs = Object.entries(wf.jobs);

    it(`${name}: a job holding the write token runs in the environment, after a gate that refuses an empty one and a foreign runner`, () => {
      const writers = jobs.filter(([, job]) => holdsWriteSecret(job));
      expect(writers.length).toBeGreaterThan(0);
      for (const [id, job] of writers) {
        expect(job.environment, id).toBe("${{ inputs.environment }}");
        expect(job["runs-on"], id).toBe(LABELS);
        const gates = needsOf(job).flatMap((n) => stepsUsing(wf.jobs[n] ?? {}, "preflight"));
        expect(gates.length, `${id} needs a preflight gate`).toBeGreaterThan(0);
        for (const gate of gates) {
          expect(gate.with?.["require-environment"], id).toBe(true);
          expect(gate.with?.environment, id).toBe("${{ inputs.environment }}");
          expect(gate.with?.["runner-labels"], id).toBe("${{ inputs.runner-labels }}");
        }
      }
    });

    it(`${name}: the write token's secret is optional, so it can be a secret of the environment only`, () => {
      expect(wf.on.workflow_call.secrets.PROXMOX_TOKEN_SECRET?.required).toBe(false);
    });
  }

  it("deploy: preflight and the plan job read with the read-only token (the write token only as a warned fallback)", () => {
    const preflight = stepsUsing(workflows.deploy.jobs.preflight!, "preflight")[0]!;
    expect(preflight.with?.["proxmox-token-secret"]).toBe(
      "${{ secrets.PROXMOX_READONLY_TOKEN_SECRET || secrets.PROXMOX_TOKEN_SECRET }}",
    );
    expect(preflight.with?.["token-access"]).toBe(
      "${{ secrets.PROXMOX_READONLY_TOKEN_ID != '' && 'read-only' || 'write' }}",
    );
    expect(String(preflight.with?.["write-token-id"])).toContain("secrets.PROXMOX_TOKEN_ID");
    const plan = stepsUsing(workflows.deploy.jobs["tofu-provision-plan"]!, "tofu-provision")[0]!;
    expect(plan.with?.["proxmox-token-secret"]).toBe(preflight.with?.["proxmox-token-secret"]);
    expect(holdsWriteSecret(workflows.deploy.jobs["tofu-provision-plan"]!)).toBe(false);
  });
});

describe("pull-request plans and drift checks get the read-only token only (plan.yml, drift.yml)", () => {
  for (const name of ["plan", "drift"] as const) {
    const wf = workflows[name];
    it(`${name}: no write token is declared or used; preflight checks the token is read-only and the runner`, () => {
      expect(readFileSync(repoPath(".github/workflows", `${name}.yml`), "utf8")).not.toMatch(
        /PROXMOX_TOKEN_/,
      );
      expect(wf.on.workflow_call.secrets.PROXMOX_READONLY_TOKEN_SECRET?.required).toBe(true);
      const selfHosted = Object.values(wf.jobs).filter((j) => j["runs-on"] === LABELS);
      for (const job of selfHosted) {
        const preflight = stepsUsing(job, "preflight");
        expect(preflight).toHaveLength(1);
        expect(preflight[0]?.with?.["token-access"]).toBe("read-only");
        expect(preflight[0]?.with?.["runner-labels"]).toBe("${{ inputs.runner-labels }}");
        // preflight comes first: nothing else reads Proxmox before the token is proven read-only
        expect(job.steps?.find((s) => s.uses?.startsWith("pve-kube/"))).toBe(preflight[0]);
        for (const step of job.steps ?? [])
          if (step.with?.["proxmox-token-secret"] !== undefined)
            expect(step.with["proxmox-token-secret"]).toBe(
              "${{ secrets.PROXMOX_READONLY_TOKEN_SECRET }}",
            );
      }
    });

    it(`${name}: tofu-provision plans without prepare-apply (no adoption into the state, no phase state)`, () => {
      const tofu = Object.values(wf.jobs).flatMap((j) => stepsUsing(j, "tofu-provision"));
      expect(tofu.length).toBeGreaterThan(0);
      for (const step of tofu) {
        expect(step.with?.mode).toBe("plan");
        expect(step.with?.["prepare-apply"]).toBeUndefined();
      }
    });
  }

  it("deploy's own plan job is the one that prepares the apply", () => {
    const plan = stepsUsing(workflows.deploy.jobs["tofu-provision-plan"]!, "tofu-provision")[0]!;
    expect(plan.with?.["prepare-apply"]).toBe(true);
  });
});

/** `pve-kube-cluster-${{ expr }}` evaluated with GitHub's expression engine, as the runner does. */
function evaluateGroup(template: string, contexts: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_m, expr: string) =>
    evaluateExpression(expr.trim(), { contexts }).coerceString(),
  );
}

describe("concurrency is keyed on the cluster's identity, not the ref or the file", () => {
  const example = readFileSync(repoPath("workflows-examples/clusters/ha/cluster.yaml"), "utf8");
  const identityOf = (yaml: string, file: string) =>
    clusterIdentity(parseClusterConfig(yaml, file).plan);
  /** every job that changes Proxmox or the cluster, and deploy's plan job (it may adopt into the state) */
  const changing = (wf: Workflow) =>
    Object.entries(wf.jobs).filter(
      ([id, job]) => job.environment !== undefined || id === "tofu-provision-plan",
    );

  it("deploy and destroy: no group on the file path; every changing job holds the identity's group, never cancelled", () => {
    for (const wf of [workflows.deploy, workflows.destroy]) {
      expect(wf.concurrency).toBeUndefined();
      for (const [id, job] of changing(wf)) {
        expect(job.concurrency?.["cancel-in-progress"], id).toBe(false);
        const from =
          /^pve-kube-cluster-\$\{\{ needs\.([\w-]+)\.outputs\.cluster-identity \}\}$/.exec(
            job.concurrency?.group ?? "",
          );
        expect(from, `${id}: ${job.concurrency?.group}`).not.toBeNull();
        const producer = wf.jobs[from![1]!]!;
        expect(needsOf(job)).toContain(from![1]);
        expect(stepsUsing(producer, "preflight")).toHaveLength(1);
        expect(String(Object.values((producer as { outputs?: object }).outputs ?? {}))).toContain(
          "outputs.cluster-identity",
        );
      }
    }
  });

  it("two deploys, or a deploy and a destroy, of one cluster from other refs, files and callers share one group; another cluster does not", () => {
    // the same cluster in two files of two repositories (one in another pool)
    const a = identityOf(example, "team-a/clusters/prod/cluster.yaml");
    const b = identityOf(example.replace("pool: k8s-demo", "pool: k8s-other"), "infra/prod.yaml");
    expect(b).toBe(a);
    const other = identityOf(
      example.replace(/endpoint: .*/, "endpoint: https://pve-other.example.lan:8006"),
      "x.yaml",
    );
    expect(other).not.toBe(a);

    const deployJob = workflows.deploy.jobs["tofu-provision-apply"]!;
    const destroyJob = workflows.destroy.jobs.destroy!;
    const group = (job: Job, producer: string, identity: string, ref: string, repo: string) =>
      evaluateGroup(job.concurrency!.group, {
        needs: { [producer]: { outputs: { "cluster-identity": identity }, result: "success" } },
        github: { ref, repository: repo, workflow_ref: `${repo}/.github/workflows/x.yml@${ref}` },
        inputs: { cluster: ref },
      });
    const fromMain = group(deployJob, "preflight", a, "refs/heads/main", "team-a/infra");
    const fromBranch = group(deployJob, "preflight", b, "refs/heads/feature", "team-a/infra");
    const destroying = group(destroyJob, "gate", a, "refs/tags/v1", "team-a/infra");
    expect(fromMain).toBe(`pve-kube-cluster-${a}`);
    expect(fromBranch).toBe(fromMain);
    expect(destroying).toBe(fromMain);
    expect(group(deployJob, "preflight", other, "refs/heads/main", "team-a/infra")).not.toBe(
      fromMain,
    );
  });

  it("plans and drift checks never join the apply group (GitHub keeps one pending run per group: a PR push must not replace a waiting deploy)", () => {
    for (const wf of [workflows.plan, workflows.drift]) {
      const groups = [
        JSON.stringify(wf.concurrency ?? ""),
        ...Object.values(wf.jobs).map((j) => JSON.stringify(j.concurrency ?? "")),
      ];
      for (const g of groups) expect(g).not.toContain("pve-kube-cluster-");
    }
  });
});
