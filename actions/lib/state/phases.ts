import { z } from "zod";
import { sealedValueSchema } from "./seal.js";

/** The pipeline, in order. Each phase is one action and one job of the deploy workflow. */
export const PHASES = [
  "preflight",
  "build-template",
  "tofu-provision",
  "kubeadm-bootstrap",
  "install-cilium",
  "deploy-services",
  "verify",
] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The phases this version of pve-kube ships an action and a deploy job for; the others are on the
 * roadmap, and reports list them as "to come" instead of "not run".
 */
export const AVAILABLE_PHASES: readonly Phase[] = [
  "preflight",
  "build-template",
  "tofu-provision",
  "kubeadm-bootstrap",
  "install-cilium",
  "deploy-services",
  "verify",
];

/** Which earlier phase a phase cannot run without (for the "run job X first" message). */
export const PHASE_NEEDS: Record<Phase, Phase[]> = {
  preflight: [],
  "build-template": ["preflight"],
  "tofu-provision": ["build-template"],
  "kubeadm-bootstrap": ["tofu-provision"],
  "install-cilium": ["kubeadm-bootstrap"],
  "deploy-services": ["install-cilium"],
  verify: ["deploy-services"],
};

const inventoryVm = z
  .object({
    name: z.string(),
    vmid: z.number().int(),
    node: z.string(),
    role: z.enum(["control-plane", "worker"]),
    pool: z.string().optional(),
    ip: z.string(),
  })
  .strict();

/**
 * One retry made within a run (actions/lib/retry's RetryRecord), as every phase records it: one
 * schema, because the rule writes `step` for every caller — kubeadm-bootstrap's own copy lacked it
 * and refused its own state with retries on read.
 */
const retryRecordSchema = z
  .object({
    step: z.string().optional(),
    attempt: z.number(),
    reason: z.string(),
    error: z.string(),
    costMs: z.number(),
  })
  .strict();

/** Phase-specific outputs. Secret fields are sealed values, never plain strings. */
export const phaseOutputSchemas = {
  preflight: z
    .object({
      proxmoxVersion: z.string(),
      checks: z.array(
        z
          .object({
            check: z.string(),
            result: z.enum(["pass", "warn", "fail", "skipped"]),
            detail: z.string(),
          })
          .strict(),
      ),
    })
    .strict(),
  "build-template": z
    .object({
      templateVmid: z.number().int(),
      node: z.string(),
      fingerprint: z.string(),
      built: z.boolean(),
      simulatedSteps: z.array(z.string()),
    })
    .strict(),
  "tofu-provision": z
    .object({
      inventory: z.array(inventoryVm),
      planSha256: z.string().optional(),
      applied: z.boolean(),
      counts: z
        .object({ create: z.number(), update: z.number(), replace: z.number(), delete: z.number() })
        .strict(),
      /** plans and applies retried within the run after transient failures (actions/lib/retry) */
      retries: z.array(retryRecordSchema).optional(),
    })
    .strict(),
  "kubeadm-bootstrap": z
    .object({
      mode: z.enum(["apply", "plan", "prepare-removals"]),
      kubernetesVersion: z.string(),
      controlPlaneEndpoint: z.string(),
      endpointProvider: z.enum(["kube-vip", "keepalived"]),
      nodeProfile: z.enum(["production", "lab-nspawn"]),
      /** sealed admin kubeconfig (apply mode; absent when this run did not reach the cluster) */
      kubeconfig: sealedValueSchema.optional(),
      joinMaterial: sealedValueSchema.optional(),
      /** the SSH host keys pinned in this run (public; later jobs pin the same keys) */
      knownHosts: z.string(),
      /** kubeadm's own time on the critical path vs the phase's wall time (runs that init or join) */
      criticalPath: z
        .object({
          initSeconds: z.number(),
          controlPlaneJoinSeconds: z.array(z.number()),
          slowestWorkerJoinSeconds: z.number(),
          totalSeconds: z.number(),
          phaseSeconds: z.number(),
          ratio: z.number(),
        })
        .strict()
        .optional(),
      plan: z.record(z.string(), z.unknown()),
      /** site.yml runs retried within the run after transient failures (actions/lib/kubeadm/retry.ts) */
      retries: z.array(retryRecordSchema).optional(),
      nodes: z.array(z.object({ name: z.string(), role: z.string(), action: z.string() }).strict()),
      recap: z.array(
        z
          .object({
            host: z.string(),
            ok: z.number(),
            changed: z.number(),
            unreachable: z.number(),
            failed: z.number(),
            skipped: z.number(),
            seconds: z.number(),
          })
          .strict(),
      ),
    })
    .strict(),
  "install-cilium": z
    .object({
      mode: z.enum(["apply", "plan"]),
      release: z.string(),
      /** the chart repository and name, or the local chart path */
      chart: z.string(),
      version: z.string(),
      /** sha256 (16 hex) of the merged values' canonical JSON: equal hashes, no upgrade */
      valuesHash: z.string(),
      action: z.enum(["install", "upgrade", "none", "unknown"]),
      changed: z.boolean(),
      revision: z.number().int().optional(),
      nodeProfile: z.enum(["production", "lab-nspawn"]),
      waitSeconds: z.number().optional(),
      /** the merged values handed to Helm (no secrets: cluster.yaml and manifests only) */
      values: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  "deploy-services": z
    .object({
      mode: z.enum(["apply", "plan"]),
      /** apply: something was installed, upgraded, created or labelled; plan: something would be */
      changed: z.boolean(),
      releases: z.array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            namespace: z.string(),
            chart: z.string(),
            version: z.string(),
            /** sha256 (16 hex) of the merged values' canonical JSON (no secrets: those are Secrets) */
            valuesHash: z.string(),
            action: z.enum(["install", "upgrade", "none", "unknown"]),
            changed: z.boolean(),
            revision: z.number().int().optional(),
            status: z.enum(["ready", "not ready", "planned"]),
          })
          .strict(),
      ),
      objects: z.array(
        z
          .object({
            id: z.string(),
            names: z.array(z.string()),
            action: z.enum(["change", "none", "unknown"]),
          })
          .strict(),
      ),
      nodeLabels: z
        .array(z.object({ node: z.string(), labels: z.record(z.string(), z.string()) }).strict())
        .optional(),
    })
    .strict(),
  verify: z
    .object({
      checks: z.array(
        z.object({ check: z.string(), ok: z.boolean(), detail: z.string() }).strict(),
      ),
    })
    .strict(),
} satisfies Record<Phase, z.ZodType>;

export type PhaseOutputs<P extends Phase> = z.infer<(typeof phaseOutputSchemas)[P]>;
