import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBlockList } from "../../../local/results/block-list.js";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";

// The wire protocol spoken directly (fetch), for what the toolkit never does on its own: wrong
// hashes, tampered or expired URLs, foreign tokens, blocks out of order, unknown routes.

const ARTIFACT = "github.actions.results.api.v1.ArtifactService";
const CACHE = "github.actions.results.api.v1.CacheService";
const HOUR = 60 * 60 * 1000;

let service: ResultsService;
let other: ResultsService;
let now = Date.parse("2026-11-25T08:00:00Z");

beforeAll(async () => {
  service = await startResultsService({ clock: () => now });
  other = await startResultsService();
});

afterAll(async () => {
  await service.close();
  await other.close();
});

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const tokenFor = (run: string, job: string, on = service) =>
  on.runtimeEnv(run, job).ACTIONS_RUNTIME_TOKEN ?? "";

async function twirp(
  serviceName: string,
  method: string,
  body: unknown,
  token?: string,
  init: RequestInit = {},
) {
  const response = await fetch(new URL(`/twirp/${serviceName}/${method}`, service.url), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

const ids = (run: string, job: string) => ({
  workflow_run_backend_id: run,
  workflow_job_run_backend_id: job,
});

/** CreateArtifact as the toolkit sends it; returns the signed upload URL. */
async function create(
  run: string,
  job: string,
  name: string,
  mimeType = "application/zip",
): Promise<string> {
  const res = await twirp(
    ARTIFACT,
    "CreateArtifact",
    { ...ids(run, job), name, version: 7, mime_type: mimeType },
    tokenFor(run, job),
  );
  expect(res.status).toBe(200);
  return String(res.body.signed_upload_url);
}

function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

const putBlob = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "PUT", body, headers: { "x-ms-blob-type": "BlockBlob", ...headers } });

describe("artifact finalize checks the committed bytes", () => {
  it("rejects a wrong hash and a wrong size with a 4xx JSON error, then accepts the true ones", async () => {
    const url = await create("r1", "j1", "checked");
    expect((await putBlob(url, "the real bytes")).status).toBe(201);
    const token = tokenFor("r1", "j1");

    const wrongHash = await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      { ...ids("r1", "j1"), name: "checked", size: "14", hash: `sha256:${sha256("other bytes")}` },
      token,
    );
    expect(wrongHash.status).toBe(400);
    expect(wrongHash.type).toBe("application/json");
    expect(wrongHash.body).toEqual({
      code: "invalid_argument",
      msg: `artifact 'checked': the client reports hash sha256:${sha256("other bytes")} but the committed bytes hash to sha256:${sha256("the real bytes")}`,
    });
    const wrongSize = await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      {
        ...ids("r1", "j1"),
        name: "checked",
        size: "15",
        hash: `sha256:${sha256("the real bytes")}`,
      },
      token,
    );
    expect(wrongSize.body).toMatchObject({
      code: "invalid_argument",
      msg: expect.stringContaining("reports 15 bytes but 14 bytes were committed") as unknown,
    });

    // nothing is visible until a finalize succeeds
    const before = await twirp(ARTIFACT, "ListArtifacts", ids("r1", "j1"), token);
    expect(before.body).toEqual({ artifacts: [] });

    const ok = await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      {
        ...ids("r1", "j1"),
        name: "checked",
        size: "14",
        hash: `sha256:${sha256("the real bytes")}`,
      },
      token,
    );
    expect(ok).toMatchObject({
      status: 200,
      body: { ok: true, artifact_id: expect.stringMatching(/^\d+$/) as unknown },
    });
    const after = await twirp(
      ARTIFACT,
      "ListArtifacts",
      { ...ids("r1", "j1"), name_filter: "checked" },
      token,
    );
    expect(after.body.artifacts).toEqual([
      {
        ...ids("r1", "j1"),
        database_id: ok.body.artifact_id,
        name: "checked",
        size: "14",
        created_at: new Date(now).toISOString(),
        digest: `sha256:${sha256("the real bytes")}`,
      },
    ]);

    // the blob is written once: no overwrite after finalize
    const rewrite = await putBlob(url, "changed");
    expect(rewrite.status).toBe(409);
    expect(rewrite.headers.get("x-ms-error-code")).toBe("BlobImmutable");
  });

  it("refuses to finalize before any bytes were committed", async () => {
    await create("r1", "j1", "empty-handed");
    const res = await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      { ...ids("r1", "j1"), name: "empty-handed", size: "0" },
      tokenFor("r1", "j1"),
    );
    expect(res).toMatchObject({ status: 412, body: { code: "failed_precondition" } });
  });
});

describe("blob endpoint", () => {
  const block = (url: string, id: string, body: string) =>
    fetch(withQuery(url, { comp: "block", blockid: id }), { method: "PUT", body });
  const blockId = (n: number) =>
    Buffer.from(`block-${String(n).padStart(6, "0")}`).toString("base64");

  it("assembles blocks in block-list order, whatever order they arrived in, and a re-staged block replaces the old one", async () => {
    const url = await create("r2", "j1", "ordered");
    const parts = ["first|", "second|", "third|"];
    // staged concurrently, last block first, plus a stray block the list leaves out
    const staged = await Promise.all([
      block(url, blockId(2), parts[2] ?? ""),
      block(url, blockId(1), parts[1] ?? ""),
      block(url, blockId(0), "stale first"),
      block(url, blockId(9), "never listed"),
    ]);
    expect(staged.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect((await block(url, blockId(0), parts[0] ?? "")).status).toBe(201);

    const commit = await fetch(withQuery(url, { comp: "blocklist" }), {
      method: "PUT",
      body: renderBlockList([blockId(0), blockId(1), blockId(2)]),
      headers: { "x-ms-blob-content-type": "application/zip", "x-ms-version": "2026-04-06" },
    });
    expect(commit.status).toBe(201);
    for (const header of ["etag", "last-modified", "x-ms-request-id"])
      expect(commit.headers.get(header)).toBeTruthy();
    expect(commit.headers.get("x-ms-version")).toBe("2026-04-06");
    expect(commit.headers.get("x-ms-request-server-encrypted")).toBe("true");

    const whole = parts.join("");
    const token = tokenFor("r2", "j1");
    await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      {
        ...ids("r2", "j1"),
        name: "ordered",
        size: String(whole.length),
        hash: `sha256:${sha256(whole)}`,
      },
      token,
    );
    const signed = await twirp(
      ARTIFACT,
      "GetSignedArtifactURL",
      { ...ids("r2", "j1"), name: "ordered" },
      token,
    );
    const download = await fetch(String(signed.body.signed_url));
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(whole);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(download.headers.get("content-length")).toBe(String(whole.length));
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="ordered.zip"; filename*=UTF-8''ordered.zip`,
    );

    const head = await fetch(String(signed.body.signed_url), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(whole.length));
    expect(await head.text()).toBe("");

    const ranged = await fetch(String(signed.body.signed_url), {
      headers: { Range: "bytes=6-12" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 6-12/${whole.length}`);
    expect(await ranged.text()).toBe(whole.slice(6, 13));
  });

  it("answers a block list naming a block that was never staged with InvalidBlockList", async () => {
    const url = await create("r2", "j1", "holey");
    await block(url, blockId(0), "only one");
    const commit = await fetch(withQuery(url, { comp: "blocklist" }), {
      method: "PUT",
      body: renderBlockList([blockId(0), blockId(1)]),
    });
    expect(commit.status).toBe(400);
    expect(commit.headers.get("x-ms-error-code")).toBe("InvalidBlockList");
    expect(await commit.text()).toContain(
      `<Code>InvalidBlockList</Code><Message>The specified block list is invalid: block ${blockId(1)} (position 2 of the list) was never staged</Message>`,
    );
  });

  it.each([
    [
      "a changed signature",
      (u: URL) =>
        u.searchParams.set(
          "sig",
          (u.searchParams.get("sig") ?? "").replace(/^./, (c) => (c === "0" ? "1" : "0")),
        ),
      "the signature does not match the URL",
    ],
    [
      "a later expiry",
      (u: URL) => u.searchParams.set("se", new Date(now + 48 * HOUR).toISOString()),
      "the signature does not match the URL",
    ],
    [
      "a wider permission",
      (u: URL) => u.searchParams.set("sp", "racwd"),
      "the signature does not match the URL",
    ],
    [
      "another blob path",
      (u: URL) => (u.pathname = u.pathname.replace(/[^/]+$/, "other.zip")),
      "the signature does not match the URL",
    ],
    ["no signature", (u: URL) => u.searchParams.delete("sig"), "the URL carries no signature"],
  ])("refuses a signed URL with %s (403)", async (_what, tamper, reason) => {
    const url = await create("r3", "j1", `tamper-${Math.random().toString(16).slice(2)}`);
    const tampered = new URL(url);
    tamper(tampered);
    const res = await putBlob(tampered.href, "bytes");
    expect(res.status).toBe(403);
    expect(res.headers.get("x-ms-error-code")).toBe("AuthenticationFailed");
    expect(await res.text()).toContain(reason);
    expect((await putBlob(url, "bytes")).status).toBe(201);
  });

  it("refuses expired URLs and URLs used for what they do not grant", async () => {
    const url = await create("r3", "j1", "expiring");
    expect((await putBlob(url, "x")).status).toBe(201);
    const read = await fetch(url);
    expect(read.status).toBe(403);
    expect(read.headers.get("x-ms-error-code")).toBe("AuthorizationPermissionMismatch");

    const token = tokenFor("r3", "j1");
    await twirp(
      ARTIFACT,
      "FinalizeArtifact",
      { ...ids("r3", "j1"), name: "expiring", size: "1", hash: `sha256:${sha256("x")}` },
      token,
    );
    const signed = String(
      (
        await twirp(
          ARTIFACT,
          "GetSignedArtifactURL",
          { ...ids("r3", "j1"), name: "expiring" },
          token,
        )
      ).body.signed_url,
    );
    expect((await fetch(signed, { method: "PUT", body: "y" })).status).toBe(403);
    expect((await fetch(signed)).status).toBe(200);

    now += 2 * HOUR;
    try {
      const late = await fetch(signed);
      expect(late.status).toBe(403);
      expect(await late.text()).toContain("the signed URL has expired");
    } finally {
      now -= 2 * HOUR;
    }
  });
});

describe("Twirp routing and authentication", () => {
  it("answers unknown methods, wrong verbs and unknown paths with a JSON bad_route", async () => {
    const unknown = await twirp(ARTIFACT, "MigrateArtifact", {}, tokenFor("r4", "j1"));
    expect(unknown).toMatchObject({
      status: 404,
      type: "application/json",
      body: { code: "bad_route" },
    });
    const unknownService = await twirp(
      "github.actions.results.api.v1.WorkflowService",
      "CreateArtifact",
      {},
      tokenFor("r4", "j1"),
    );
    expect(unknownService.body.code).toBe("bad_route");
    const get = await fetch(new URL(`/twirp/${ARTIFACT}/ListArtifacts`, service.url));
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ code: "bad_route" });
    const elsewhere = await fetch(new URL("/_apis/artifactcache/caches", service.url));
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ code: "bad_route" });
  });

  it("requires a token this service minted, not expired, for the run named in the request", async () => {
    const body = { ...ids("r4", "j1"), name: "n" };
    expect(await twirp(ARTIFACT, "ListArtifacts", body)).toMatchObject({
      status: 401,
      body: {
        code: "unauthenticated",
        msg: expect.stringContaining("no Bearer runtime token") as unknown,
      },
    });
    expect(await twirp(ARTIFACT, "ListArtifacts", body, tokenFor("r4", "j1", other))).toMatchObject(
      {
        status: 401,
        body: {
          code: "unauthenticated",
          msg: expect.stringContaining("signature is invalid") as unknown,
        },
      },
    );
    // a token whose claim was edited to another run keeps its old signature
    const [h, p, s] = tokenFor("r5", "j1").split(".");
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as { scp: string };
    const edited = Buffer.from(
      JSON.stringify({ ...claims, scp: "Actions.Results:r4:j1" }),
    ).toString("base64url");
    expect((await twirp(ARTIFACT, "ListArtifacts", body, `${h}.${edited}.${s}`)).status).toBe(401);

    expect(await twirp(ARTIFACT, "ListArtifacts", body, tokenFor("r5", "j1"))).toMatchObject({
      status: 403,
      body: { code: "permission_denied", msg: "the runtime token is for run r5, not run r4" },
    });
    expect(await twirp(ARTIFACT, "CreateArtifact", body, tokenFor("r4", "j2"))).toMatchObject({
      status: 403,
      body: { code: "permission_denied" },
    });

    const token = tokenFor("r4", "j1");
    now += 25 * HOUR;
    try {
      expect(await twirp(ARTIFACT, "ListArtifacts", body, token)).toMatchObject({
        status: 401,
        body: { msg: "the runtime token has expired" },
      });
      expect(
        await twirp(CACHE, "GetCacheEntryDownloadURL", { key: "k", version: "v" }, token),
      ).toMatchObject({ status: 401 });
    } finally {
      now -= 25 * HOUR;
    }
  });

  it("answers bad JSON and missing fields with 400 JSON errors", async () => {
    const token = tokenFor("r4", "j1");
    expect(await twirp(ARTIFACT, "CreateArtifact", "{not json", token)).toMatchObject({
      status: 400,
      body: { code: "malformed" },
    });
    expect(await twirp(ARTIFACT, "CreateArtifact", ids("r4", "j1"), token)).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", msg: "name is required" },
    });
    expect(await twirp(CACHE, "CreateCacheEntry", { key: "k" }, token)).toMatchObject({
      status: 400,
      body: { msg: "version is required" },
    });
    expect(
      await twirp(ARTIFACT, "ListArtifacts", { ...ids("r4", "j1"), id_filter: "x" }, token),
    ).toMatchObject({ status: 400, body: { code: "invalid_argument" } });
  });

  it("accepts lowerCamel field names too, as proto JSON allows", async () => {
    const token = tokenFor("r4", "j1");
    const res = await twirp(
      ARTIFACT,
      "ListArtifacts",
      { workflowRunBackendId: "r4", workflowJobRunBackendId: "j1", nameFilter: "nothing" },
      token,
    );
    expect(res).toEqual({ status: 200, type: "application/json", body: { artifacts: [] } });
  });
});
