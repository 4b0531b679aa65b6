import type { ActionDeps } from "../../lib/action-deps.js";
import type { GitHubClient } from "../../lib/github/client.js";

/** What every mode of github-report gets from its runner (tests pass their own client opener). */
export interface GitHubReportDeps extends ActionDeps {
  openClient?: (token: string) => GitHubClient;
}
