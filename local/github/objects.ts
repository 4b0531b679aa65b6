/**
 * GitHub REST objects in the shapes GitHub returns (every field the OpenAPI description requires),
 * built from the local server's small records.
 */
export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "reopened" | "not_planned" | null;
  labels: string[];
  user: UserRecord;
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** set for pull requests, which are issues too */
  pull?: { headSha: string; files: FileRecord[] };
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface FileRecord {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  additions: number;
  deletions: number;
  patch?: string;
}

export const WEB = "https://github.com";

const nodeId = (kind: string, id: number) =>
  Buffer.from(`${kind}:${id}`).toString("base64").replace(/=+$/, "");

export function userObject(api: string, user: UserRecord): Record<string, unknown> {
  const url = `${api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId("User", user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: `${WEB}/${user.login.replace("[bot]", "")}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GET /user for a personal token: the public-user shape. */
export function authenticatedUserObject(api: string, user: UserRecord): Record<string, unknown> {
  return {
    ...userObject(api, user),
    name: user.login,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: "2020-01-01T00:00:00Z",
    updated_at: "2020-01-01T00:00:00Z",
  };
}

export function labelObject(api: string, repo: string, label: LabelRecord) {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${api}/repos/${repo}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

export function issueObject(
  api: string,
  repo: string,
  issue: IssueRecord,
  labels: LabelRecord[],
): Record<string, unknown> {
  const url = `${api}/repos/${repo}/issues/${issue.number}`;
  const html = `${WEB}/${repo}/${issue.pull ? "pull" : "issues"}/${issue.number}`;
  return {
    id: issue.id,
    node_id: nodeId("Issue", issue.id),
    url,
    repository_url: `${api}/repos/${repo}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userObject(api, issue.user),
    labels: issue.labels.map((name) => {
      const label = labels.find((l) => l.name === name);
      return label
        ? labelObject(api, repo, label)
        : { name, color: "ededed", description: null, default: false };
    }),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: issue.comments,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/repos/${repo}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: null,
          },
        }
      : {}),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: "OWNER",
  };
}

export function commentObject(api: string, repo: string, comment: CommentRecord) {
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${api}/repos/${repo}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${repo}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/repos/${repo}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userObject(api, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "OWNER",
  };
}

export function fileObject(api: string, repo: string, sha: string, file: FileRecord) {
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: `${sha.slice(0, 8)}${Buffer.from(file.filename).toString("hex").padEnd(32, "0").slice(0, 32)}`,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${WEB}/${repo}/blob/${sha}/${path}`,
    raw_url: `${WEB}/${repo}/raw/${sha}/${path}`,
    contents_url: `${api}/repos/${repo}/contents/${path}?ref=${sha}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
  };
}
