import { describe, expect, test } from "vitest";
import { backendConfigEntries, backendOverrideFile } from "../../../actions/lib/tofu/backend.js";
import { pluginCacheKey } from "../../../actions/lib/tofu/plugin-cache.js";
import {
  goPlatform,
  parseSha256Sums,
  releaseFileNames,
} from "../../../actions/lib/tofu/install.js";

describe("state backend", () => {
  test("local needs no override file; others select their type and take settings from -backend-config", () => {
    expect(backendOverrideFile("local")).toBeUndefined();
    expect(backendOverrideFile("s3")).toContain('backend "s3" {}');
    expect(backendOverrideFile("pg")).toContain('backend "pg" {}');
    expect(backendOverrideFile("http")).toContain('backend "http" {}');
  });

  test.each([
    ["local gets a default path outside the checkout", "local", [], ["path=/state/t.tfstate"]],
    ["local keeps an explicit path", "local", ["path=/srv/t.tfstate"], ["path=/srv/t.tfstate"]],
    [
      "s3 takes the entries as they are",
      "s3",
      ["bucket=b", "key=t.tfstate", "region=eu-west-1", "use_lockfile=true"],
      ["bucket=b", "key=t.tfstate", "region=eu-west-1", "use_lockfile=true"],
    ],
    ["pg takes a schema name", "pg", ["schema_name=pve_kube_t"], ["schema_name=pve_kube_t"]],
    [
      "a config file path passes through",
      "http",
      ["/etc/pve-kube/http-backend.hcl"],
      ["/etc/pve-kube/http-backend.hcl"],
    ],
  ] as const)("%s", (_name, kind, entries, expected) => {
    expect(backendConfigEntries(kind, entries, "/state/t.tfstate")).toEqual(expected);
  });

  test.each(["password=hunter2", "secret_key=abc", "conn_str=postgres://u:p@h/db", " token = x"])(
    "refuses a credential in the entries: %s",
    (entry) => {
      expect(() => backendConfigEntries("s3", [entry], "/x")).toThrow(
        /carries a credential.*environment variables/,
      );
    },
  );
});

describe("tool installation helpers", () => {
  test.each([
    ["linux", "x64", { os: "linux", arch: "amd64" }],
    ["linux", "arm64", { os: "linux", arch: "arm64" }],
    ["darwin", "arm64", { os: "darwin", arch: "arm64" }],
    ["win32", "x64", { os: "windows", arch: "amd64" }],
  ] as const)("%s/%s → Go platform %j", (platform, arch, expected) => {
    expect(goPlatform(platform, arch)).toEqual(expected);
  });

  test("release file names", () => {
    expect(releaseFileNames("1.10.10", { os: "linux", arch: "amd64" })).toEqual({
      archive: "tofu_1.10.10_linux_amd64.tar.gz",
      sums: "tofu_1.10.10_SHA256SUMS",
    });
  });

  test("SHA256SUMS lines, text and binary mode, junk ignored", () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    expect(
      parseSha256Sums(
        `${a}  tofu_1.10.10_linux_amd64.zip\n${b} *tofu_1.10.10_linux_arm64.zip\nnot a line\n`,
      ),
    ).toEqual({
      "tofu_1.10.10_linux_amd64.zip": a,
      "tofu_1.10.10_linux_arm64.zip": b,
    });
  });

  test("the plugin cache key changes with OS, arch, tool, version and lock file; the prefix restores older entries", () => {
    const linux = { os: "linux", arch: "amd64" };
    const base = pluginCacheKey("tofu", "1.10.10", "lock-a", linux);
    expect(base.key).toMatch(/^pve-kube-tofu-plugins-linux-amd64-tofu-1\.10\.10-[0-9a-f]{16}$/);
    expect(base.restoreKeys).toEqual(["pve-kube-tofu-plugins-linux-amd64-tofu-1.10.10-"]);
    for (const other of [
      pluginCacheKey("tofu", "1.10.10", "lock-b", linux),
      pluginCacheKey("tofu", "1.10.11", "lock-a", linux),
      pluginCacheKey("terraform", "1.10.10", "lock-a", linux),
      pluginCacheKey("tofu", "1.10.10", "lock-a", { os: "linux", arch: "arm64" }),
    ]) {
      expect(other.key).not.toBe(base.key);
    }
  });
});
