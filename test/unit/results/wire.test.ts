import { describe, expect, it, test } from "vitest";
import { parseBlockList, renderBlockList } from "../../../local/results/block-list.js";
import { matchCacheEntry } from "../../../local/results/cache-match.js";
import { contentDisposition } from "../../../local/results/content-disposition.js";
import { signBlobUrl, verifyBlobSignature } from "../../../local/results/signed-url.js";
import { mintRuntimeToken, verifyRuntimeToken } from "../../../local/results/token.js";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const t0 = Date.parse("2026-11-25T08:00:00Z");

describe("block list", () => {
  test.each([
    ["the SDK's document", renderBlockList(["QQ==", "Qg==", "Qw=="]), ["QQ==", "Qg==", "Qw=="]],
    [
      "mixed kinds keep their order",
      "<BlockList><Uncommitted>b</Uncommitted><Latest>a</Latest></BlockList>",
      ["b", "a"],
    ],
    [
      "whitespace and entities",
      "<BlockList>\n  <Latest> x&#43;y </Latest>\n  <Latest>a&amp;b</Latest>\n</BlockList>",
      ["x+y", "a&b"],
    ],
    ["an empty list", "<?xml version='1.0'?><BlockList></BlockList>", []],
    ["a self-closing empty list", "<BlockList/>", []],
  ])("parses %s", (_what, xml, ids) => {
    expect(parseBlockList(xml).map((e) => e.id)).toEqual(ids);
  });

  test.each([
    ["no BlockList element", "<Blocks><Latest>a</Latest></Blocks>", "not a <BlockList> document"],
    ["an unknown element", "<BlockList><Newest>a</Newest></BlockList>", "unexpected <Newest>"],
    ["stray text", "<BlockList>oops<Latest>a</Latest></BlockList>", "unexpected text 'oops'"],
    ["an empty id", "<BlockList><Latest></Latest></BlockList>", "an empty <Latest> block id"],
  ])("rejects %s", (_what, xml, message) => {
    expect(() => parseBlockList(xml)).toThrow(message);
  });
});

describe("Content-Disposition", () => {
  test.each([
    ["state.json", `attachment; filename="state.json"; filename*=UTF-8''state.json`],
    [
      "deploy report é.md",
      `attachment; filename="deploy report _.md"; filename*=UTF-8''deploy%20report%20%C3%A9.md`,
    ],
    [
      `it's (v2).txt`,
      `attachment; filename="it_s (v2).txt"; filename*=UTF-8''it%27s%20%28v2%29.txt`,
    ],
  ])("for %s", (name, header) => {
    expect(contentDisposition(name)).toBe(header);
    // what @actions/artifact does with it: filename* first, percent-decoded
    const star = /filename\*\s*=\s*UTF-8''([^;\r\n]*)/i.exec(header)?.[1] ?? "";
    expect(decodeURIComponent(star)).toBe(name);
  });
});

describe("cache lookup", () => {
  const entries = [
    { id: 1, key: "deps-linux-aaa", version: "v1" },
    { id: 2, key: "deps-linux-bbb", version: "v1" },
    { id: 3, key: "deps-linux-ccc", version: "v2" },
    { id: 4, key: "deps-", version: "v1" },
    { id: 5, key: "deps-windows-ddd", version: "v1" },
  ];
  test.each([
    ["an exact primary key", "deps-linux-aaa", [], "v1", 1],
    [
      "the exact primary key before newer entries it is a prefix of",
      "deps-",
      ["deps-windows-"],
      "v1",
      4,
    ],
    ["the newest prefix match of the primary key", "deps-linux", [], "v1", 2],
    [
      "a primary-key prefix match before the restore keys",
      "deps-linux",
      ["deps-windows-"],
      "v1",
      2,
    ],
    ["the newest prefix match of a restore key", "deps-linux-zzz", ["deps-linux-"], "v1", 2],
    ["restore keys in order", "x", ["deps-windows-", "deps-linux-"], "v1", 5],
    ["an exact restore key before newer prefix matches", "x", ["deps-"], "v1", 4],
    ["only the same version", "deps-linux-zzz", ["deps-linux-"], "v2", 3],
    ["a miss", "x", ["nothing-"], "v1", undefined],
    ["an empty restore key matches nothing", "x", [""], "v1", undefined],
  ])("finds %s", (_what, k, restoreKeys, version, id) => {
    expect(matchCacheEntry(entries, k, restoreKeys, version)?.id).toBe(id);
  });
});

describe("runtime token", () => {
  it("carries the scope @actions/artifact parses and verifies only with its own key", () => {
    const token = mintRuntimeToken(key, { runId: "run-1", jobId: "job.a_b-c" }, t0);
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
      scp: string;
      exp: number;
    };
    expect(claims.scp).toBe("Actions.Results:run-1:job.a_b-c");
    expect(verifyRuntimeToken(key, token, t0 + 1000)).toEqual({
      runId: "run-1",
      jobId: "job.a_b-c",
    });
    expect(() => verifyRuntimeToken(otherKey, token, t0)).toThrow("signature is invalid");
    expect(() => verifyRuntimeToken(key, token, claims.exp * 1000)).toThrow("has expired");
    expect(() => verifyRuntimeToken(key, "abc", t0)).toThrow("not a JWT");
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${token.split(".")[1] ?? ""}.`;
    expect(() => verifyRuntimeToken(key, none, t0)).toThrow("not issued by this results service");
  });

  test.each(["a:b", "with space", "", "x".repeat(129)])(
    "refuses the id %j, which would break the scope",
    (id) => {
      expect(() => mintRuntimeToken(key, { runId: id, jobId: "j" }, t0)).toThrow(
        /run id .* is not usable in a runtime token/,
      );
    },
  );
});

describe("signed blob URL", () => {
  const blobPath = "artifacts/0a1b/deploy report é.md";
  const url = new URL(signBlobUrl("http://127.0.0.1:1234/", key, blobPath, "r", t0 + 60_000));

  it("puts the account first and the encoded blob path after it", () => {
    expect(url.pathname).toBe("/devstoreaccount1/artifacts/0a1b/deploy%20report%20%C3%A9.md");
    expect(url.searchParams.get("sp")).toBe("r");
    expect(url.searchParams.get("sig")).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ["valid before expiry", blobPath, url.searchParams, key, t0, { ok: true, permission: "r" }],
    ["expired", blobPath, url.searchParams, key, t0 + 60_000, { ok: false, problem: "expired" }],
    [
      "another path",
      "artifacts/0a1b/other.md",
      url.searchParams,
      key,
      t0,
      { ok: false, problem: "invalid" },
    ],
    ["another key", blobPath, url.searchParams, otherKey, t0, { ok: false, problem: "invalid" }],
    [
      "no signature",
      blobPath,
      new URLSearchParams("sp=r"),
      key,
      t0,
      { ok: false, problem: "missing" },
    ],
  ])("is %s", (_what, p, query, k, now, result) => {
    expect(verifyBlobSignature(k, p, query, now)).toEqual(result);
  });
});
