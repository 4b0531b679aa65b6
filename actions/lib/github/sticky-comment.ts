import type { Logger } from "../logger.js";
import type { GitHubClient } from "./client.js";
import { parseMarker, renderMarker, sameSubject, type Marker } from "./marker.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface StickyResult {
  action: "created" | "updated" | "unchanged";
  commentId: number;
  url: string;
}

/**
 * ONE comment per cluster and environment on a pull request: found by its hidden marker AND by
 * being written by this token's own login (a comment a person pasted the marker into is never
 * touched), updated in place. `body` is the visible Markdown; the marker goes on its first line.
 */
export async function upsertStickyComment(options: {
  client: GitHubClient;
  repo: RepoRef;
  issueNumber: number;
  login: string;
  marker: Marker;
  body: string;
  logger: Logger;
}): Promise<StickyResult> {
  const { client, repo, issueNumber, login, marker, logger } = options;
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments.filter((c) => {
    const found = parseMarker(c.body);
    return c.user?.login === login && found !== undefined && sameSubject(found, marker);
  });
  const full = `${renderMarker(marker)}\n${options.body}`;
  const existing = ours[0];
  if (ours.length > 1)
    logger.warning(
      `${ours.length} pve-kube comments for ${marker.cluster}/${marker.environment} on #${issueNumber}; updating the first (${existing!.html_url})`,
    );
  if (!existing) {
    const { data } = await client.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body: full,
    });
    return { action: "created", commentId: data.id, url: data.html_url };
  }
  if (existing.body === full)
    return { action: "unchanged", commentId: existing.id, url: existing.html_url };
  const { data } = await client.rest.issues.updateComment({
    ...repo,
    comment_id: existing.id,
    body: full,
  });
  return { action: "updated", commentId: data.id, url: data.html_url };
}
