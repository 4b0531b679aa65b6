import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AVAILABLE_PHASES } from "../../../actions/lib/state/index.js";
import { repoPath } from "../../helpers/repo.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: unknown;
  "runs-on"?: unknown;
  steps?: Step[];
}
interface Workflow {
  on: {
    workflow_dispatch: { inputs: Record<string, unknown> };
    workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> };
  };
  permissions: unknown;
  jobs: Record<string, Job>;
}

/** The safety rules of deploy.yml that actionlint does not know about, checked structurally. */
const workflow = parse(readFileSync(repoPath(".github/workflows/deploy.yml"), "utf8")) as Workflow;
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([id, job]) => (job.steps ?? []).map((step) => ({ id, step })));
/** Steps that change Proxmox or the cluster's machines (kubeadm-bootstrap joins, drains, upgrades). */
const changing = (step: Step) =>
  step.uses?.includes("/actions/build-template@") === true ||
  (step.uses?.includes("/actions/tofu-provision@") === true && step.with?.mode !== "plan") ||
  (step.uses?.includes("/actions/kubeadm-bootstrap@") === true && step.with?.mode !== "plan") ||
  (step.uses?.includes("/actions/install-cilium@") === true && step.with?.mode !== "plan") ||
  (step.uses?.includes("/actions/deploy-services@") === true && step.with?.mode !== "plan") ||
  // verify creates and deletes its test Deployment and LoadBalancer Service
  step.uses?.includes("/actions/verify@") === true;

describe("deploy.yml", () => {
  it("offers the same inputs by hand and when called, and declares the secrets", () => {
    expect(Object.keys(workflow.on.workflow_dispatch.inputs).sort()).toEqual(
      Object.keys(workflow.on.workflow_call.inputs).sort(),
    );
    expect(Object.keys(workflow.on.workflow_call.secrets)).toEqual(
      expect.arrayContaining([
        "PROXMOX_TOKEN_ID",
        "PROXMOX_TOKEN_SECRET",
        "STATE_KEY",
        "SSH_PRIVATE_KEY",
      ]),
    );
  });

  it("lets the token read the repository and nothing else", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("runs every job that changes Proxmox or the cluster in the environment, and only those", () => {
    for (const [id, job] of jobs) {
      const changes = (job.steps ?? []).some(changing);
      expect(job.environment, id).toBe(changes ? "${{ inputs.environment }}" : undefined);
    }
    expect(steps.filter(({ step }) => changing(step)).map(({ id }) => id)).toEqual([
      "build-template",
      "kubeadm-prepare-removals",
      "tofu-provision-apply",
      "kubeadm-bootstrap",
      "install-cilium",
      "deploy-services",
      "verify",
    ]);
  });

  it("drains and removes leaving nodes before OpenTofu destroys their VMs, and bootstraps after the apply", () => {
    const needs = (id: string) => {
      const job = jobs.find(([j]) => j === id)?.[1] as { needs?: string[] } | undefined;
      return job?.needs ?? [];
    };
    expect(needs("tofu-provision-apply")).toContain("kubeadm-prepare-removals");
    expect(needs("kubeadm-prepare-removals")).toContain("tofu-provision-plan");
    expect(needs("kubeadm-bootstrap")).toContain("tofu-provision-apply");
    expect(needs("install-cilium")).toContain("kubeadm-bootstrap");
    expect(needs("deploy-services")).toContain("install-cilium");
    expect(needs("verify")).toContain("deploy-services");
  });

  it("hands the add-ons' credentials to deploy-services alone, through env", () => {
    const names = [
      "PROXMOX_CSI_TOKEN_ID",
      "PROXMOX_CSI_TOKEN_SECRET",
      "VELERO_S3_ACCESS_KEY",
      "VELERO_S3_SECRET_KEY",
    ];
    expect(Object.keys(workflow.on.workflow_call.secrets)).toEqual(expect.arrayContaining(names));
    for (const [id, job] of jobs) {
      const text = JSON.stringify(job);
      for (const name of names)
        expect(text.includes(`secrets.${name}`), `${id} ${name}`).toBe(id === "deploy-services");
    }
  });

  it("has no shell steps (so no expression can reach a shell) and pins third-party actions by commit", () => {
    expect(steps.filter(({ step }) => step.run !== undefined)).toEqual([]);
    for (const { step } of steps) {
      if (step.uses?.startsWith("pve-kube/pve-kube/")) continue;
      expect(step.uses, "third-party action pinned by a full commit SHA").toMatch(/@[0-9a-f]{40}$/);
    }
  });

  it("has a job for every available phase, named so the report can match it, and a report job needing all of them", () => {
    const ids = jobs.map(([id]) => id);
    for (const phase of AVAILABLE_PHASES)
      expect(
        ids.some((id) => id === phase || id.startsWith(`${phase}-`)),
        phase,
      ).toBe(true);
    const needs = workflow.jobs.report?.needs;
    expect([...(Array.isArray(needs) ? needs : [needs])].sort()).toEqual(
      ids.filter((id) => id !== "report").sort(),
    );
  });
});
