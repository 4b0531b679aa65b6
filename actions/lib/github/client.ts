import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { Logger } from "../logger.js";

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * Octokit with retries (5xx, network errors) and throttling: a primary or secondary rate limit
 * waits and retries a few times instead of failing the job; GITHUB_API_URL decides where it talks
 * (api.github.com, a GHES host, or the local GitHub server in tests).
 */
export function createGitHubClient(options: {
  token: string;
  apiUrl?: string;
  logger: Logger;
  /** retries on 5xx and rate limits; tests lower the waits, never the behaviour */
  retries?: number;
}): GitHubClient {
  const retries = options.retries ?? 3;
  return getOctokit(
    options.token,
    {
      ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, "") } : {}),
      // plugin-retry: 5xx and network errors, never 4xx (a request.retries here would retry those too)
      retry: { retries },
      throttle: {
        onRateLimit: (
          after: number,
          request: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          options.logger.warning(
            `GitHub rate limit on ${request.method} ${request.url}: retrying in ${after} s (attempt ${count + 1})`,
          );
          return count < retries;
        },
        onSecondaryRateLimit: (
          after: number,
          request: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          options.logger.warning(
            `GitHub secondary rate limit on ${request.method} ${request.url}: retrying in ${after} s`,
          );
          return count < retries;
        },
      },
    },
    retry,
    throttling,
  );
}

/**
 * The login the token acts as, so only our own comments are ever edited: GET /user for personal
 * and app-user tokens; a workflow's GITHUB_TOKEN is an installation token that may not read it
 * (403 "Resource not accessible by integration") and always acts as github-actions[bot].
 */
export async function tokenLogin(client: GitHubClient): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    if ((error as { status?: number }).status === 403) return "github-actions[bot]";
    throw error;
  }
}
