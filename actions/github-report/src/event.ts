import { readFileSync } from "node:fs";
import { ConfigurationError } from "../../lib/errors.js";

/** What the actions need from the run: repository, pull request and commits, from the runner's files. */
export interface RunEvent {
  owner: string;
  repo: string;
  eventName: string;
  pullRequest?: number;
  headSha: string;
  baseSha?: string;
  runUrl?: string;
}

export function readRunEvent(env: NodeJS.ProcessEnv): RunEvent {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo)
    throw new ConfigurationError(
      "GITHUB_REPOSITORY is not set",
      "run this action inside a workflow",
    );
  let payload: {
    pull_request?: { number?: number; head?: { sha?: string }; base?: { sha?: string } };
  } = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as typeof payload;
    } catch {
      payload = {};
    }
  }
  const pr = payload.pull_request;
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    ...(pr?.number ? { pullRequest: pr.number } : {}),
    headSha: pr?.head?.sha ?? env.GITHUB_SHA ?? "",
    ...(pr?.base?.sha ? { baseSha: pr.base.sha } : {}),
    ...(env.GITHUB_RUN_ID
      ? { runUrl: `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` }
      : {}),
  };
}
