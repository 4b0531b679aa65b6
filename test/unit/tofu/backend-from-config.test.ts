import { describe, expect, it } from "vitest";
import { stateBackendSchema } from "../../../actions/lib/config/schema-access.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { resolveBackend } from "../../../actions/tofu-provision/src/backend-from-config.js";

const state = (raw: unknown) => stateBackendSchema.parse(raw);
const none = { "backend-config": [] as string[] };

describe("the OpenTofu backend from cluster.yaml's state section", () => {
  it.each([
    [{ backend: "local" }, {}, { kind: "local", entries: [], env: {} }],
    [
      { backend: "local", path: "/srv/tofu/demo.tfstate" },
      {},
      { kind: "local", entries: ["path=/srv/tofu/demo.tfstate"], env: {} },
    ],
    [
      { backend: "local", path: "~/tofu/demo.tfstate" },
      { HOME: "/home/runner" },
      { kind: "local", entries: ["path=/home/runner/tofu/demo.tfstate"], env: {} },
    ],
    [
      { backend: "s3", bucket: "tofu", key: "prod/terraform.tfstate", region: "eu-central-1" },
      { AWS_ACCESS_KEY_ID: "AKIA1", AWS_SECRET_ACCESS_KEY: "s3cret" },
      {
        kind: "s3",
        entries: [
          "bucket=tofu",
          "key=prod/terraform.tfstate",
          "region=eu-central-1",
          "use_lockfile=true",
        ],
        env: { AWS_ACCESS_KEY_ID: "AKIA1", AWS_SECRET_ACCESS_KEY: "s3cret" },
      },
    ],
    [
      {
        backend: "s3",
        bucket: "tofu",
        key: "k",
        endpoint: "https://minio.lab:9000",
        usePathStyle: true,
        accessKeyEnv: "MINIO_KEY",
        secretKeyEnv: "MINIO_SECRET",
      },
      { MINIO_KEY: "mk", MINIO_SECRET: "ms" },
      {
        kind: "s3",
        entries: [
          "bucket=tofu",
          "key=k",
          "region=us-east-1",
          "use_lockfile=true",
          'endpoints={s3="https://minio.lab:9000"}',
          "skip_credentials_validation=true",
          "skip_region_validation=true",
          "skip_requesting_account_id=true",
          "use_path_style=true",
        ],
        env: { AWS_ACCESS_KEY_ID: "mk", AWS_SECRET_ACCESS_KEY: "ms" },
      },
    ],
    [
      { backend: "pg", schemaName: "pve_kube" },
      { PG_CONN_STR: "postgres://u:p@db/tofu" },
      {
        kind: "pg",
        entries: ["schema_name=pve_kube"],
        env: { PG_CONN_STR: "postgres://u:p@db/tofu" },
      },
    ],
    [
      {
        backend: "http",
        address: "https://state.lab/demo",
        lockAddress: "https://state.lab/demo/lock",
        usernameEnv: "STATE_USER",
        passwordEnv: "STATE_PASS",
      },
      { STATE_USER: "ci", STATE_PASS: "pw" },
      {
        kind: "http",
        entries: ["address=https://state.lab/demo", "lock_address=https://state.lab/demo/lock"],
        env: { TF_HTTP_USERNAME: "ci", TF_HTTP_PASSWORD: "pw" },
      },
    ],
  ])("%j → %j", (raw, env, expected) => {
    expect(resolveBackend(state(raw), none, env)).toEqual({
      ...expected,
      source: "state in cluster.yaml",
    });
  });

  it("the backend input overrides cluster.yaml; backend-config entries are appended either way", () => {
    expect(
      resolveBackend(
        state({ backend: "pg" }),
        { backend: "local", "backend-config": ["path=/x"] },
        {},
      ),
    ).toEqual({ kind: "local", entries: ["path=/x"], env: {}, source: "the backend input" });
    expect(
      resolveBackend(state({ backend: "local", path: "/a" }), { "backend-config": ["path=/b"] }, {})
        .entries,
    ).toEqual(["path=/a", "path=/b"]);
  });

  it("names the missing credential variable and how to pass it", () => {
    const attempt = () =>
      resolveBackend(
        state({ backend: "s3", bucket: "tofu", key: "k", accessKeyEnv: "LAB_KEY" }),
        none,
        { AWS_SECRET_ACCESS_KEY: "x" },
      );
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(
      /needs the LAB_KEY environment variable \(state\.accessKeyEnv in cluster\.yaml\).*secrets\.LAB_KEY/s,
    );
  });

  it.each([
    [
      { backend: "http", address: "https://state.example/x", passwordEnv: "PROXMOX_TOKEN_SECRET" },
      [],
    ],
    [{ backend: "http", address: "https://state.example/x", usernameEnv: "STATE_KEY" }, []],
    [{ backend: "pg", connStrEnv: "INPUT_STATE-KEY".replace("-", "_") }, []],
    [{ backend: "s3", bucket: "bucket", key: "k", secretKeyEnv: "ACTIONS_RUNTIME_TOKEN" }, []],
    [
      { backend: "http", address: "https://state.example/x", passwordEnv: "PVE_SECRET" },
      ["PVE_SECRET"],
    ],
  ])("refuses %j: a backend credential read from one of our own secrets", (raw, reserved) => {
    const everything = {
      PROXMOX_TOKEN_SECRET: "t",
      STATE_KEY: "k",
      INPUT_STATE_KEY: "k",
      ACTIONS_RUNTIME_TOKEN: "r",
      PVE_SECRET: "p",
      AWS_ACCESS_KEY_ID: "a",
    };
    expect(() => resolveBackend(state(raw), none, everything, reserved)).toThrow(
      /holds one of pve-kube's own secrets \(or the runner's\): it would be sent to the \w+ state backend/,
    );
  });

  it.each([
    "address=https://evil.example/state",
    "lock_address=https://evil.example/l",
    "endpoint=https://evil",
    "/tmp/backend.hcl",
  ])("refuses the backend-config entry %s from an input", (entry) => {
    expect(() =>
      resolveBackend(
        state({
          backend: "http",
          address: "https://state.example/x",
          passwordEnv: "TF_HTTP_PASSWORD",
        }),
        { "backend-config": [entry] },
        { TF_HTTP_PASSWORD: "p" },
      ),
    ).toThrow(/may not send the state and its credentials elsewhere/);
  });

  it("refuses a local state path inside the workspace, which actions/checkout would wipe", () => {
    const result = stateBackendSchema.safeParse({
      backend: "local",
      path: ".pve-kube/terraform.tfstate",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(
      /must be an absolute path .* wiped by actions\/checkout/,
    );
  });
});
