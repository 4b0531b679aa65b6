import { createHash } from "node:crypto";
import type { ClusterPlan } from "../../lib/config/index.js";
import { fail, pass, type CheckOutcome } from "./outcome.js";

/**
 * Gates that need no Proxmox: who may run the privileged phases where. They run first, so a
 * dispatch with a missing approval gate or on the wrong runner stops before anything changes.
 */

/** Labels a pve-kube runner carries (runner-setup registers them) unless it declares others. */
export const DEFAULT_EXPECTED_LABELS = ["self-hosted", "proxmox"];

/** Labels of GitHub's own hosted images: a job there must never hold the Proxmox token. */
const GITHUB_HOSTED_LABEL = /^(ubuntu|windows|macos)-/;

/**
 * The jobs that change Proxmox run in the named GitHub environment, whose required reviewers are
 * the approval gate. An empty name would run them with no environment at all — no approval, and
 * the environment's secrets replaced by whatever the caller passed — so it is refused.
 */
export function checkEnvironment(environment: string | undefined): CheckOutcome {
  const name = "protected environment";
  const value = (environment ?? "").trim();
  if (value === "")
    return fail(
      name,
      "no environment given: the jobs that change Proxmox would run without an approval gate",
      "pass environment: (e.g. production), create that environment with required reviewers, and keep the write token (PROXMOX_TOKEN_SECRET) as a secret of that environment only",
    );
  return pass(
    name,
    `the jobs that change Proxmox run in '${value}' (its required reviewers approve them; the write token should be one of its secrets)`,
  );
}

/**
 * The runner this job landed on, and the labels every privileged job of the workflow asks for.
 * GitHub dispatches a job only to a runner holding every label of runs-on, so the labels must
 * name a pve-kube runner: `self-hosted` and every label the runner declares it is for
 * (`PVE_KUBE_RUNNER_LABELS` in the runner's .env, written by whoever administers the runner —
 * not something a caller can set), `proxmox` by default. A GitHub-hosted runner is refused.
 */
export function checkRunner(
  labelsJson: string | undefined,
  env: NodeJS.ProcessEnv,
): CheckOutcome[] {
  const name = "runner";
  const fix =
    "run the privileged jobs on the self-hosted pve-kube runner: runner-labels must include self-hosted and the runner's declared labels (runner-setup registers self-hosted,linux,x64,proxmox)";
  if (env.RUNNER_ENVIRONMENT === "github-hosted")
    return [
      fail(
        name,
        "this job runs on a GitHub-hosted runner (RUNNER_ENVIRONMENT=github-hosted); the Proxmox token must only reach the self-hosted runner",
        fix,
      ),
    ];
  if (labelsJson === undefined || labelsJson.trim() === "")
    return [pass(name, `self-hosted runner ${env.RUNNER_NAME ?? "(unnamed)"}; labels not checked`)];
  let labels: string[];
  try {
    const parsed: unknown = JSON.parse(labelsJson);
    if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === "string")) throw new Error();
    labels = parsed;
  } catch {
    return [
      fail(
        name,
        `runner-labels is not a JSON array of labels: ${labelsJson}`,
        `give it as runs-on takes it, e.g. '["self-hosted", "linux", "x64", "proxmox"]'`,
      ),
    ];
  }
  const hosted = labels.filter((l) => GITHUB_HOSTED_LABEL.test(l));
  const declared = (env.PVE_KUBE_RUNNER_LABELS ?? "")
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  const expected = [
    ...new Set(["self-hosted", ...(declared.length ? declared : DEFAULT_EXPECTED_LABELS)]),
  ];
  const absent = expected.filter((l) => !labels.includes(l));
  if (hosted.length > 0 || absent.length > 0) {
    return [
      fail(
        name,
        `runner-labels ${JSON.stringify(labels)} ${hosted.length ? `name GitHub-hosted runners (${hosted.join(", ")})` : `lack ${absent.join(", ")}`}: the privileged jobs could land on a runner that is not the pve-kube runner (expected ${expected.join(", ")}${declared.length ? ", as this runner declares in PVE_KUBE_RUNNER_LABELS" : ""})`,
        fix,
      ),
    ];
  }
  return [
    pass(
      name,
      `self-hosted runner ${env.RUNNER_NAME ?? "(unnamed)"}; every privileged job asks for ${expected.join(", ")}`,
    ),
  ];
}

/**
 * The cluster's identity for concurrency groups: its name and the Proxmox endpoint cluster.yaml
 * commits (a URL override may only be a loopback tunnel to it), so two deploys of one cluster
 * share a group whatever ref, cluster-file path or caller workflow started them.
 */
export function clusterIdentity(plan: Pick<ClusterPlan, "cluster" | "proxmox">): string {
  const endpoint = new URL(plan.proxmox.endpoint);
  const digest = createHash("sha256")
    .update(`${plan.cluster}\n${endpoint.protocol}//${endpoint.host}`)
    .digest("hex")
    .slice(0, 16);
  return `${plan.cluster}-${digest}`;
}
