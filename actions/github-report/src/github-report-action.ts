import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { actionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import { createGitHubClient, tokenLogin, type GitHubClient } from "../../lib/github/client.js";
import { fitComment } from "../../lib/github/fit-comment.js";
import { parseMarker, renderMarker, type Marker } from "../../lib/github/marker.js";
import { upsertStickyComment } from "../../lib/github/sticky-comment.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import type { ReleasePlan } from "../../lib/helm/plan.js";
import type { BootstrapPlan } from "../../lib/kubeadm/plan.js";
import type { ServicesPlan } from "../../lib/services/plan.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { readPlanSummaryFile } from "../../lib/tofu/plan-summary-file.js";
import { diffConfig } from "./config-diff.js";
import type { GitHubReportDeps } from "./deps.js";
import { driftIssue } from "./drift-issue.js";
import { readRunEvent } from "./event.js";
import { inputSchema, type GitHubReportInputs } from "./inputs.js";
import {
  controlPlaneLosses,
  cutNote,
  outdatedBanner,
  withoutBanner,
  renderPlanComment,
  failedBanner,
  type PlanCommentData,
} from "./plan-render.js";
import { reviewedDigest } from "./reviewed-digest.js";
import { verifyReviewed } from "./verify-reviewed.js";

export type { GitHubReportDeps };

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): GitHubReportDeps {
  return actionDeps(env);
}

const COMMENT_FILE = "plan-comment.md";
const META_FILE = "plan-comment.json";

interface CommentMeta {
  marker: Marker;
  data: PlanCommentData;
}

export async function run(deps: GitHubReportDeps = defaultDeps()): Promise<void> {
  const inputs = readInputs(inputSchema, inputFromEnv(deps.env));
  if (inputs["github-token"]) deps.maskSecret(inputs["github-token"]);
  if (inputs.mode === "plan-render") return planRender(inputs, deps);
  if (inputs.mode === "verify-reviewed") return verifyReviewed(inputs, deps);
  const client = openClient(inputs, deps);
  if (inputs.mode === "plan-comment") return planComment(inputs, deps, client);
  return driftIssue(inputs, deps, client);
}

function openClient(inputs: GitHubReportInputs, deps: GitHubReportDeps): GitHubClient {
  const token = inputs["github-token"];
  if (!token)
    throw new ConfigurationError(
      `${inputs.mode} needs a GitHub token and github-token is empty`,
      "pass github-token: ${{ github.token }} (the default) and grant the job the permission it needs",
    );
  return (
    deps.openClient?.(token) ??
    createGitHubClient({
      token,
      ...(deps.env.GITHUB_API_URL ? { apiUrl: deps.env.GITHUB_API_URL } : {}),
      logger: deps.logger,
    })
  );
}

async function gitShow(cwd: string, sha: string, file: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["show", `${sha}:${file}`], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

async function gitHasCommit(cwd: string, sha: string): Promise<boolean> {
  try {
    await promisify(execFile)("git", ["cat-file", "-e", `${sha}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}

/** plan-render: gathers the phases' plan outputs into the comment, the job summary and an artifact. */
async function planRender(inputs: GitHubReportInputs, deps: GitHubReportDeps): Promise<void> {
  const { env, logger } = deps;
  if (!inputs.cluster)
    throw new ConfigurationError(
      "plan-render needs the cluster input",
      "pass cluster: <path of cluster.yaml>",
    );
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const loaded = await loadClusterConfig(inputs.cluster, { cwd: workspace });
  const cluster = loaded.plan.cluster;
  const event = readRunEvent(env);
  const headText = await readFile(path.resolve(workspace, inputs.cluster), "utf8");
  let configChanges: PlanCommentData["configChanges"];
  let configIsNew = false;
  if (event.baseSha && (await gitHasCommit(workspace, event.baseSha))) {
    const baseText = await gitShow(workspace, event.baseSha, inputs.cluster);
    if (baseText === undefined) configIsNew = true;
    else configChanges = diffConfig(baseText, headText);
  }
  let kubeadm: BootstrapPlan | undefined;
  if (inputs["kubeadm-plan"]) {
    try {
      kubeadm = JSON.parse(inputs["kubeadm-plan"]) as BootstrapPlan;
    } catch {
      logger.warning(
        "kubeadm-plan is not JSON: the Kubernetes section is derived from the VM plan",
      );
    }
  }
  const addonPlan = <T>(name: "cilium-plan" | "services-plan"): T | undefined => {
    const text = inputs[name];
    if (!text) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      logger.warning(`${name} is not JSON: the add-ons section leaves it out`);
      return undefined;
    }
  };
  const cilium = addonPlan<ReleasePlan>("cilium-plan");
  const services = addonPlan<ServicesPlan>("services-plan");
  const tofu = await readPlanSummaryFile(cluster, env);
  const artifactName = `pve-kube-${cluster}-plan-comment`;
  const digest = reviewedDigest({ config: loaded.config, vms: tofu?.summary.vms ?? [] });
  const data: PlanCommentData = {
    reviewedDigest: digest,
    cluster,
    environment: inputs.environment,
    clusterFile: inputs.cluster,
    headSha: event.headSha,
    ...(event.baseSha ? { baseSha: event.baseSha } : {}),
    ...(event.runUrl ? { runUrl: event.runUrl } : {}),
    artifactName,
    ...(configChanges ? { configChanges } : {}),
    configIsNew,
    ...(inputs["template-would-build"] !== undefined
      ? {
          template: {
            wouldBuild: inputs["template-would-build"],
            ...(inputs["template-fingerprint"]
              ? { fingerprint: inputs["template-fingerprint"] }
              : {}),
            ...(inputs["template-vmid"] ? { vmid: inputs["template-vmid"] } : {}),
          },
        }
      : {}),
    ...(tofu ? { tofu } : {}),
    ...(kubeadm ? { kubeadm } : {}),
    ...(cilium ? { cilium } : {}),
    ...(services ? { services } : {}),
  };
  const markdown = renderPlanComment(data);
  const marker: Marker = {
    v: 1,
    kind: "plan",
    cluster,
    environment: inputs.environment,
    file: inputs.cluster,
    head: event.headSha,
    ...(tofu?.sha256 ? { planSha256: tofu.sha256 } : {}),
    reviewedDigest: digest,
  };
  await appendJobSummary(markdown, logger, env);
  const losses = controlPlaneLosses(data);
  const destructive = (tofu?.summary.vms ?? []).some(
    (vm) => vm.action === "delete" || vm.action === "replace",
  );
  deps.setOutput("cluster-name", cluster);
  deps.setOutput("reviewed-digest", digest);
  deps.setOutput("destructive", String(destructive));
  deps.setOutput("control-plane-loss", String(losses.length > 0));
  deps.setOutput("artifact", artifactName);
  if (losses.length)
    logger.warning(
      `the plan deletes or replaces control planes (${losses.map((vm) => vm.name).join(", ")}): deploy refuses it without allow-replace`,
    );
  const dir = path.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube", cluster, "plan-comment");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, COMMENT_FILE), `${markdown}\n`);
  await writeFile(
    path.join(dir, META_FILE),
    `${JSON.stringify({ marker, data } satisfies CommentMeta, null, 2)}\n`,
  );
  if (!deps.artifactStore) {
    logger.info(`no artifact service here: the rendering stays in ${dir}`);
    return;
  }
  await deps.artifactStore.uploadArtifact(
    artifactName,
    [path.join(dir, COMMENT_FILE), path.join(dir, META_FILE)],
    dir,
    { retentionDays: 14 },
  );
  logger.info(
    `plan comment rendered (${markdown.length} characters) and stored as artifact ${artifactName}`,
  );
}

async function downloadRendering(
  name: string,
  deps: GitHubReportDeps,
): Promise<{ markdown: string; meta: CommentMeta }> {
  if (!deps.artifactStore)
    throw new ConfigurationError(
      "no artifact service: the rendered plan cannot be fetched",
      "run inside a workflow run",
    );
  const { artifact } = await deps.artifactStore.getArtifact(name);
  const dir = path.join(deps.env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube", "download", name);
  await mkdir(dir, { recursive: true });
  await deps.artifactStore.downloadArtifact(artifact.id, { path: dir });
  return {
    markdown: await readFile(path.join(dir, COMMENT_FILE), "utf8"),
    meta: JSON.parse(await readFile(path.join(dir, META_FILE), "utf8")) as CommentMeta,
  };
}

/** plan-comment: the one comment per cluster and environment, or the outdated banner on older ones. */
async function planComment(
  inputs: GitHubReportInputs,
  deps: GitHubReportDeps,
  client: GitHubClient,
): Promise<void> {
  const { logger } = deps;
  const event = readRunEvent(deps.env);
  if (!event.pullRequest) {
    logger.info(`event ${event.eventName} has no pull request: nothing to comment on`);
    return;
  }
  const repo = { owner: event.owner, repo: event.repo };
  const login = await tokenLogin(client);
  if (inputs.stage === "outdated" || inputs.stage === "failed")
    return markOlderComments(inputs, deps, client, event, login);
  if (!inputs.artifact)
    throw new ConfigurationError(
      "plan-comment needs the artifact input",
      "pass the artifact output of the plan-render step",
    );
  const { markdown, meta } = await downloadRendering(inputs.artifact, deps);
  // the marker line is counted in the limit too
  const budget = inputs["comment-limit"] - renderMarker(meta.marker).length - 1;
  const fitted = fitComment(markdown.trimEnd(), (n) => cutNote(meta.data, n), budget);
  if (fitted.truncated)
    logger.warning(
      `the plan comment was cut: ${fitted.omittedLines} lines are only in the job summary and the artifact`,
    );
  const result = await upsertStickyComment({
    client,
    repo,
    issueNumber: event.pullRequest,
    login,
    marker: meta.marker,
    body: fitted.body,
    logger,
  });
  logger.info(`plan comment ${result.action}: ${result.url}`);
  deps.setOutput("comment-url", result.url);
}

/**
 * stage outdated (a newer commit is being planned) or failed (its plan failed): every plan comment
 * of ours made for another commit gets a banner on top, so nobody deploys from a stale preview.
 * failed also rewrites an outdated banner, and leaves a short comment when there was none yet.
 */
async function markOlderComments(
  inputs: GitHubReportInputs,
  deps: GitHubReportDeps,
  client: GitHubClient,
  event: ReturnType<typeof readRunEvent>,
  login: string,
): Promise<void> {
  const { logger } = deps;
  const repo = { owner: event.owner, repo: event.repo };
  const failed = inputs.stage === "failed";
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: event.pullRequest!,
    per_page: 100,
  });
  let ours = 0;
  for (const comment of comments) {
    const marker = parseMarker(comment.body);
    if (comment.user?.login !== login || marker?.kind !== "plan") continue;
    if (marker.environment !== inputs.environment) continue;
    ours++;
    if (!failed && (marker.head === event.headSha || marker.outdated === true)) continue;
    if (failed && marker.failed === event.headSha) continue;
    const rest = withoutBanner((comment.body ?? "").split("\n").slice(1).join("\n"));
    const sameHead = marker.head === event.headSha;
    const banner = failed
      ? failedBanner(sameHead ? undefined : String(marker.head), event.headSha, event.runUrl)
      : outdatedBanner(String(marker.head), event.headSha);
    const next: Marker = {
      ...marker,
      outdated: true,
      ...(failed ? { failed: event.headSha } : {}),
    };
    const body = `${renderMarker(next)}\n${banner}\n${rest}`;
    const fitted = fitComment(
      body,
      (n) => `> [!NOTE]\n> ${n} lines of the outdated plan left out.`,
      inputs["comment-limit"],
    );
    await client.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: fitted.body });
    logger.info(
      `marked ${comment.html_url} ${failed ? "outdated (the new plan failed)" : "outdated"} (planned for ${String(marker.head).slice(0, 7)})`,
    );
  }
  if (failed && ours === 0 && inputs.cluster) {
    // no earlier plan to mark: say in the pull request that this commit's plan failed
    const loaded = await loadClusterConfig(inputs.cluster, {
      cwd: deps.env.GITHUB_WORKSPACE ?? process.cwd(),
    }).catch(() => undefined);
    const cluster = loaded?.plan.cluster ?? inputs.cluster;
    const result = await upsertStickyComment({
      client,
      repo,
      issueNumber: event.pullRequest!,
      login,
      marker: {
        v: 1,
        kind: "plan",
        cluster,
        environment: inputs.environment,
        head: event.headSha,
        outdated: true,
        failed: event.headSha,
      },
      body: `${failedBanner(undefined, event.headSha, event.runUrl)}`,
      logger,
    });
    logger.info(`plan comment ${result.action}: ${result.url}`);
  }
}
