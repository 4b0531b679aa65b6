import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { openPlan, planSha256, sealPlan } from "../../../actions/lib/tofu/plan-file.js";

const KEY = randomBytes(32).toString("base64");
const bytes = randomBytes(4096);
const meta = {
  cluster: "t",
  clusterUid: "abc123",
  destroy: false,
  tool: "tofu 1.10.10",
  now: new Date("2026-01-01T00:00:00Z"),
};
const sealed = sealPlan(bytes, KEY, meta);
const json = JSON.stringify(sealed);
const expectFor = {
  cluster: "t",
  clusterUid: "abc123",
  expectedSha256: planSha256(bytes),
  source: "artifact pve-kube-t-tofu-plan",
};

describe("sealed plan files", () => {
  test("hash is the SHA-256 of the plan bytes; the plan itself is not readable in the document", () => {
    expect(sealed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sealed.sha256).toBe(planSha256(bytes));
    expect(json).not.toContain(bytes.toString("base64").slice(0, 40));
    expect(sealed).toMatchObject({
      kind: "pve-kube/tofu-plan",
      version: 1,
      cluster: "t",
      clusterUid: "abc123",
      destroy: false,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });

  test("opens to the same bytes with the same key and the reviewed hash (any case)", () => {
    expect(
      openPlan(json, KEY, {
        ...expectFor,
        expectedSha256: expectFor.expectedSha256.toUpperCase(),
      }).equals(bytes),
    ).toBe(true);
  });

  test.each([
    [
      "another key",
      () => openPlan(json, randomBytes(32).toString("hex"), expectFor),
      /state-key is not the one it was sealed with/,
    ],
    [
      "another reviewed hash",
      () => openPlan(json, KEY, { ...expectFor, expectedSha256: "0".repeat(64) }),
      /holds plan [0-9a-f]{64}, not the reviewed plan 0{64}/,
    ],
    [
      "another cluster",
      () => openPlan(json, KEY, { ...expectFor, cluster: "u" }),
      /was made for cluster t \(uid abc123\), not u/,
    ],
    [
      "a swapped hash field",
      () =>
        openPlan(JSON.stringify({ ...sealed, sha256: "1".repeat(64) }), KEY, {
          ...expectFor,
          expectedSha256: "1".repeat(64),
        }),
      /state-key is not the one|was modified/,
    ],
    [
      "altered ciphertext",
      () =>
        openPlan(
          JSON.stringify({
            ...sealed,
            plan: { ...sealed.plan, data: Buffer.from("tampered").toString("base64") },
          }),
          KEY,
          expectFor,
        ),
      /modified/,
    ],
    ["not JSON", () => openPlan("plan", KEY, expectFor), /not a pve-kube plan \(not JSON\)/],
    [
      "another document",
      () => openPlan(JSON.stringify({ kind: "x" }), KEY, expectFor),
      /not a pve-kube plan/,
    ],
    ["a short state key", () => sealPlan(bytes, "short", meta), /fewer than 32/],
  ])("refuses %s", (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
