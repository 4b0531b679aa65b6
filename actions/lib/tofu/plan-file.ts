import { createHash } from "node:crypto";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { openBytes, sealBytes, sealedValueSchema } from "../state/seal.js";

/** SHA-256 (hex) of a binary plan file: what a reviewer approves and apply verifies. */
export function planSha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const FORMAT = "pve-kube/tofu-plan";

/**
 * The stored form of a reviewed plan: the binary plan sealed with AES-256-GCM under the
 * `state-key` secret (it holds the configuration and a state snapshot), its SHA-256, and what it
 * was made for. The cluster uid and the hash are part of the authenticated context, so a sealed
 * plan copied to another cluster or paired with another hash does not open.
 */
export const sealedPlanSchema = z
  .object({
    kind: z.literal(FORMAT),
    version: z.literal(1),
    cluster: z.string(),
    clusterUid: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    destroy: z.boolean(),
    createdAt: z.string(),
    tool: z.string(),
    plan: sealedValueSchema,
  })
  .strict();
export type SealedPlan = z.infer<typeof sealedPlanSchema>;

function context(cluster: string, uid: string, sha256: string): string {
  return `${cluster}/${uid}/tofu-provision/plan/${sha256}`;
}

export function sealPlan(
  bytes: Uint8Array,
  stateKey: string,
  meta: { cluster: string; clusterUid: string; destroy: boolean; tool: string; now?: Date },
): SealedPlan {
  const sha256 = planSha256(bytes);
  return {
    kind: FORMAT,
    version: 1,
    cluster: meta.cluster,
    clusterUid: meta.clusterUid,
    sha256,
    destroy: meta.destroy,
    createdAt: (meta.now ?? new Date()).toISOString(),
    tool: meta.tool,
    plan: sealBytes(bytes, stateKey, context(meta.cluster, meta.clusterUid, sha256)),
  };
}

/**
 * Opens a stored plan and proves it is the reviewed one: the document belongs to this cluster,
 * the decrypted bytes hash to the SHA-256 the reviewer saw (`expectedSha256`), and to the hash
 * recorded beside them.
 */
export function openPlan(
  json: string,
  stateKey: string,
  expect: { cluster: string; clusterUid: string; expectedSha256: string; source: string },
): Buffer {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigurationError(
      `${expect.source} is not a pve-kube plan (not JSON)`,
      "run the plan job again",
    );
  }
  const parsed = sealedPlanSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigurationError(
      `${expect.source} is not a pve-kube plan (${parsed.error.issues[0]?.message ?? "invalid"})`,
      "run the plan job again",
    );
  const doc = parsed.data;
  const expected = expect.expectedSha256.trim().toLowerCase();
  if (doc.cluster !== expect.cluster || doc.clusterUid !== expect.clusterUid) {
    throw new ConfigurationError(
      `${expect.source} was made for cluster ${doc.cluster} (uid ${doc.clusterUid}), not ${expect.cluster} (uid ${expect.clusterUid})`,
      "apply the plan of this cluster",
    );
  }
  if (doc.sha256 !== expected) {
    throw new ConfigurationError(
      `${expect.source} holds plan ${doc.sha256}, not the reviewed plan ${expected}`,
      "a newer plan replaced the reviewed one: review the new plan, or re-run the plan job and approve its hash",
    );
  }
  const bytes = openBytes(doc.plan, stateKey, context(doc.cluster, doc.clusterUid, doc.sha256));
  const actual = planSha256(bytes);
  if (actual !== expected)
    throw new ConfigurationError(
      `${expect.source} decrypts to plan ${actual}, not the reviewed ${expected}`,
      "the artifact was altered: run the plan job again",
    );
  return bytes;
}
