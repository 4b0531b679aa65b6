import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The run-wide facts (ids, repository, event) and the contexts / standard environment derived from
 * them: `github`, `runner`, and the GITHUB_* / RUNNER_* variables every step sees.
 */
export type EventName =
  "workflow_dispatch" | "workflow_call" | "push" | "pull_request" | "schedule";
export const EVENT_NAMES: readonly EventName[] = [
  "workflow_dispatch",
  "workflow_call",
  "push",
  "pull_request",
  "schedule",
];

export interface RunFacts {
  runId: string;
  runNumber: number;
  repository: string;
  sha: string;
  ref: string;
  eventName: EventName;
  eventPath: string;
  event: Record<string, unknown>;
  workflowName: string;
  /** `owner/repo/.github/workflows/x.yml@ref` */
  workflowRef: string;
  actor: string;
  checkout: string;
  workspace: string;
  toolCache: string;
  debug: boolean;
  /** the GitHub REST API the steps talk to (GITHUB_API_URL); default api.github.com */
  apiUrl?: string;
  /** `github.token` / `secrets.GITHUB_TOKEN`; empty when no GitHub API is given */
  token?: string;
  /** the pull request of a pull_request event */
  pullRequest?: PullRequestFacts;
}

/** A pull request as the runner's pull_request payload describes it. */
export interface PullRequestFacts {
  number: number;
  title?: string;
  action?: "opened" | "synchronize" | "reopened" | "labeled";
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  /** owner/repo the head branch lives in; another repository than the base = a fork */
  headRepository?: string;
  labels?: string[];
  author?: string;
}

export interface GitInfo {
  sha: string;
  ref: string;
  repository: string;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** `owner/repo` from a GitHub-style remote URL (https or ssh), if it is one. */
export function repositoryFromRemote(url: string | undefined): string | undefined {
  // a clone of a local folder (`/work/main/.`, `../repo`, file://) names no GitHub repository:
  // read as owner/name it gave "main/.", whose API paths collapse to another route
  if (!url || /^(\/|\.|file:)/.test(url)) return undefined;
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function packageName(checkout: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(checkout, "package.json"), "utf8")) as {
      name?: unknown;
    };
    return typeof pkg.name === "string" ? pkg.name.replace(/^@[^/]+\//, "") : undefined;
  } catch {
    return undefined;
  }
}

/** SHA, ref and repository of the checkout; a checkout without git still runs (zero SHA). */
export function readGitInfo(checkout: string): GitInfo {
  return {
    sha: git(checkout, ["rev-parse", "HEAD"]) ?? "0".repeat(40),
    ref: git(checkout, ["symbolic-ref", "-q", "HEAD"]) ?? "refs/heads/main",
    repository:
      repositoryFromRemote(git(checkout, ["remote", "get-url", "origin"])) ??
      `local/${packageName(checkout) ?? path.basename(checkout)}`,
  };
}

/** A plausible event payload for the events the runner supports (what actions read from GITHUB_EVENT_PATH). */
export function eventPayload(
  eventName: EventName,
  facts: {
    inputs: Record<string, unknown>;
    ref: string;
    sha: string;
    repository: string;
    actor: string;
    pullRequest?: PullRequestFacts;
  },
): Record<string, unknown> {
  const [owner = "local", name = "repo"] = facts.repository.split("/");
  const repository = {
    full_name: facts.repository,
    name,
    owner: { login: owner },
    default_branch: "main",
  };
  const sender = { login: facts.actor };
  const branch = facts.ref.replace(/^refs\/heads\//, "");
  switch (eventName) {
    case "workflow_dispatch":
      return { inputs: facts.inputs, ref: facts.ref, repository, sender, workflow: "" };
    case "workflow_call":
      return { inputs: facts.inputs, ref: facts.ref, repository, sender };
    case "push":
      return {
        ref: facts.ref,
        before: "0".repeat(40),
        after: facts.sha,
        repository,
        sender,
        head_commit: { id: facts.sha },
      };
    case "pull_request": {
      const pr = facts.pullRequest ?? {
        number: 1,
        headSha: facts.sha,
        headRef: branch,
        baseSha: facts.sha,
        baseRef: "main",
      };
      const headRepo = pr.headRepository ?? facts.repository;
      const [headOwner = owner, headName = name] = headRepo.split("/");
      const user = { login: pr.author ?? facts.actor, type: "User" };
      return {
        action: pr.action ?? "opened",
        number: pr.number,
        pull_request: {
          number: pr.number,
          state: "open",
          title: pr.title ?? `local pull request #${pr.number}`,
          user,
          draft: false,
          labels: (pr.labels ?? []).map((label) => ({ name: label })),
          html_url: `https://github.com/${facts.repository}/pull/${pr.number}`,
          head: {
            ref: pr.headRef,
            sha: pr.headSha,
            label: `${headOwner}:${pr.headRef}`,
            user: { login: headOwner },
            repo: {
              ...repository,
              full_name: headRepo,
              name: headName,
              owner: { login: headOwner },
              fork: headRepo !== facts.repository,
            },
          },
          base: {
            ref: pr.baseRef,
            sha: pr.baseSha,
            label: `${owner}:${pr.baseRef}`,
            user: { login: owner },
            repo: { ...repository, fork: false },
          },
        },
        repository,
        sender,
      };
    }
    case "schedule":
      return { schedule: "local", repository, sender };
  }
}

export function runnerArch(): string {
  return process.arch === "x64"
    ? "X64"
    : process.arch === "arm64"
      ? "ARM64"
      : process.arch === "arm"
        ? "ARM"
        : process.arch.toUpperCase();
}

export function runnerOs(): string {
  return process.platform === "linux"
    ? "Linux"
    : process.platform === "darwin"
      ? "macOS"
      : process.platform === "win32"
        ? "Windows"
        : process.platform;
}

export function githubContext(run: RunFacts, jobId: string): Record<string, unknown> {
  const [owner = "local"] = run.repository.split("/");
  const refName = run.ref.replace(/^refs\/(heads|tags)\//, "");
  return {
    action: "",
    action_path: "",
    actor: run.actor,
    api_url: run.apiUrl ?? "https://api.github.com",
    base_ref: run.eventName === "pull_request" ? (run.pullRequest?.baseRef ?? "main") : "",
    event: run.event,
    event_name: run.eventName,
    event_path: run.eventPath,
    graphql_url: "https://api.github.com/graphql",
    head_ref: run.eventName === "pull_request" ? (run.pullRequest?.headRef ?? refName) : "",
    job: jobId,
    ref: run.ref,
    ref_name: refName,
    ref_type: run.ref.startsWith("refs/tags/") ? "tag" : "branch",
    repository: run.repository,
    repository_owner: owner,
    retention_days: "90",
    run_attempt: "1",
    run_id: run.runId,
    run_number: String(run.runNumber),
    server_url: "https://github.com",
    sha: run.sha,
    // the local GitHub server's token when the run has one; else none, and actions that need
    // one fail with their own message
    token: run.token ?? "",
    triggering_actor: run.actor,
    workflow: run.workflowName,
    workflow_ref: run.workflowRef,
    workspace: run.workspace,
  };
}

export function runnerContext(run: RunFacts, temp: string): Record<string, unknown> {
  return {
    name: `pve-kube-local-${os.hostname()}`,
    os: runnerOs(),
    arch: runnerArch(),
    temp,
    tool_cache: run.toolCache,
    debug: run.debug ? "1" : "",
    environment: "self-hosted",
  };
}

/** The GITHUB_* / RUNNER_* / CI variables of every step of a job. */
export function standardEnv(run: RunFacts, jobId: string, temp: string): Record<string, string> {
  const [owner = "local"] = run.repository.split("/");
  const env: Record<string, string> = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTOR: run.actor,
    GITHUB_API_URL: run.apiUrl ?? "https://api.github.com",
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_EVENT_PATH: run.eventPath,
    GITHUB_GRAPHQL_URL: "https://api.github.com/graphql",
    GITHUB_JOB: jobId,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: run.ref.startsWith("refs/tags/") ? "tag" : "branch",
    GITHUB_REPOSITORY: run.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_RETENTION_DAYS: "90",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_RUN_ID: run.runId,
    GITHUB_RUN_NUMBER: String(run.runNumber),
    // never localhost or an IP: @actions/artifact and cache would take it for GitHub Enterprise Server
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: run.sha,
    GITHUB_WORKFLOW: run.workflowName,
    GITHUB_WORKFLOW_REF: run.workflowRef,
    GITHUB_WORKSPACE: run.workspace,
    RUNNER_ARCH: runnerArch(),
    RUNNER_ENVIRONMENT: "self-hosted",
    RUNNER_NAME: `pve-kube-local-${os.hostname()}`,
    RUNNER_OS: runnerOs(),
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: run.toolCache,
  };
  if (run.eventName === "pull_request") {
    env.GITHUB_BASE_REF = run.pullRequest?.baseRef ?? "main";
    env.GITHUB_HEAD_REF = run.pullRequest?.headRef ?? env.GITHUB_REF_NAME!;
  }
  if (run.debug) env.RUNNER_DEBUG = "1";
  return env;
}

/** The caller's environment without anything that belongs to an outer runner (when run inside CI). */
export function baseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (/^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)/i.test(key)) continue;
    result[key] = value;
  }
  const noProxy = [result.NO_PROXY ?? result.no_proxy, "127.0.0.1,localhost"]
    .filter(Boolean)
    .join(",");
  // the Azure SDK behind @actions/artifact honours proxies even for loopback
  result.NO_PROXY = noProxy;
  return result;
}
