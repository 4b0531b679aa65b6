import type { Logger } from "../logger.js";
import type { GitHubClient } from "./client.js";
import { parseMarker, renderMarker, sameSubject, type Marker } from "./marker.js";
import type { RepoRef } from "./sticky-comment.js";

export interface TrackingResult {
  action: "opened" | "updated" | "reopened" | "closed" | "none";
  number?: number;
  url?: string;
}

/**
 * ONE issue per cluster for a condition that comes and goes (drift): found by its label and
 * hidden marker, opened when the condition appears, updated (body + a comment) when it is seen
 * again, closed with a comment when it is gone. Issues closed by a person stay closed; a new
 * occurrence after that opens a fresh issue.
 */
export async function syncTrackingIssue(options: {
  client: GitHubClient;
  repo: RepoRef;
  label: { name: string; color: string; description: string };
  marker: Marker;
  /** the condition holds: title and body of the issue; undefined = the condition is gone */
  present?: { title: string; body: string; comment: string };
  /** comment written when closing */
  resolvedComment: string;
  logger: Logger;
}): Promise<TrackingResult> {
  const { client, repo, label, marker, logger } = options;
  await ensureLabel(client, repo, label);
  const open = await client.paginate(client.rest.issues.listForRepo, {
    ...repo,
    state: "open",
    labels: label.name,
    per_page: 100,
  });
  const existing = open.find((issue) => {
    const found = parseMarker(issue.body);
    return !issue.pull_request && found !== undefined && sameSubject(found, marker);
  });
  if (!options.present) {
    if (!existing) return { action: "none" };
    await client.rest.issues.createComment({
      ...repo,
      issue_number: existing.number,
      body: options.resolvedComment,
    });
    await client.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      state: "closed",
      state_reason: "completed",
    });
    logger.info(`closed ${existing.html_url}: the condition is gone`);
    return { action: "closed", number: existing.number, url: existing.html_url };
  }
  const body = `${renderMarker(marker)}\n${options.present.body}`;
  if (existing) {
    await client.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      title: options.present.title,
      body,
    });
    await client.rest.issues.createComment({
      ...repo,
      issue_number: existing.number,
      body: options.present.comment,
    });
    return { action: "updated", number: existing.number, url: existing.html_url };
  }
  const { data } = await client.rest.issues.create({
    ...repo,
    title: options.present.title,
    body,
    labels: [label.name],
  });
  return { action: "opened", number: data.number, url: data.html_url };
}

async function ensureLabel(
  client: GitHubClient,
  repo: RepoRef,
  label: { name: string; color: string; description: string },
): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...repo, name: label.name });
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    try {
      await client.rest.issues.createLabel({ ...repo, ...label });
    } catch (createError) {
      // another run created it in between
      if ((createError as { status?: number }).status !== 422) throw createError;
    }
  }
}
