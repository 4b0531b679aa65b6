import os from "node:os";
import path from "node:path";
import type { ClusterConfig } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import type { BackendKind } from "../../lib/tofu/backend.js";

export interface ResolvedBackend {
  kind: BackendKind;
  /** -backend-config entries (never a credential) */
  entries: string[];
  /** the backend's own credential variables for OpenTofu, copied from the variables cluster.yaml names */
  env: Record<string, string>;
  source: "the backend input" | "state in cluster.yaml";
}

type StateConfig = ClusterConfig["state"];

function expandHome(file: string, env: NodeJS.ProcessEnv): string {
  return file.startsWith("~/") ? path.join(env.HOME ?? os.homedir(), file.slice(2)) : file;
}

/**
 * Variables a state backend credential may never be read from: pve-kube's own secrets and the
 * runner's. cluster.yaml naming one (`state.passwordEnv: PROXMOX_TOKEN_SECRET`) would send it to
 * whatever address the backend has.
 */
const RESERVED_NAMES = new Set([
  "PROXMOX_TOKEN_ID",
  "PROXMOX_TOKEN_SECRET",
  "PROXMOX_VE_API_TOKEN",
  "STATE_KEY",
  "SSH_PRIVATE_KEY",
  "GITHUB_TOKEN",
]);
const RESERVED_PREFIXES = ["INPUT_", "ACTIONS_", "GITHUB_", "RUNNER_"];

export function isReservedSecretName(name: string, extra: readonly string[] = []): boolean {
  return (
    RESERVED_NAMES.has(name) ||
    extra.includes(name) ||
    RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/** -backend-config keys that move the state (and the credentials sent with it) elsewhere */
const ADDRESS_KEYS = new Set([
  "address",
  "lock_address",
  "unlock_address",
  "endpoint",
  "endpoints",
  "conn_str",
  "hostname",
]);

/** Reads the variable cluster.yaml names for a credential; missing is a user error that names it. */
function credential(
  env: NodeJS.ProcessEnv,
  name: string,
  field: string,
  backend: string,
  reserved: readonly string[] = [],
): string {
  if (isReservedSecretName(name, reserved)) {
    throw new ConfigurationError(
      `state.${field} in cluster.yaml names ${name}, which holds one of pve-kube's own secrets (or the runner's): it would be sent to the ${backend} state backend`,
      `name a variable of the backend's own, e.g. ${backend === "http" ? "TF_HTTP_PASSWORD" : backend === "pg" ? "PG_CONN_STR" : "AWS_SECRET_ACCESS_KEY"}`,
    );
  }
  const value = env[name];
  if (!value) {
    throw new ConfigurationError(
      `the ${backend} state backend needs the ${name} environment variable (state.${field} in cluster.yaml), but it is empty`,
      `pass it from a secret: env: ${name}: \${{ secrets.${name} }} (deploy.yml maps AWS_*, PG_CONN_STR and TF_HTTP_PASSWORD for you)`,
    );
  }
  return value;
}

function fromState(
  state: StateConfig,
  env: NodeJS.ProcessEnv,
  reserved: readonly string[],
): Omit<ResolvedBackend, "source"> {
  switch (state.backend) {
    case "local":
      return {
        kind: "local",
        entries: state.path ? [`path=${expandHome(state.path, env)}`] : [],
        env: {},
      };
    case "s3": {
      // use_lockfile: S3's own conditional-write lock, so two runs never write the state at once
      const entries = [
        `bucket=${state.bucket}`,
        `key=${state.key}`,
        `region=${state.region}`,
        "use_lockfile=true",
      ];
      if (state.endpoint) {
        // an S3-compatible store (MinIO, Ceph RGW, …) has no AWS account, STS or region list
        entries.push(
          `endpoints={s3="${state.endpoint}"}`,
          "skip_credentials_validation=true",
          "skip_region_validation=true",
          "skip_requesting_account_id=true",
        );
      }
      if (state.usePathStyle) entries.push("use_path_style=true");
      return {
        kind: "s3",
        entries,
        env: {
          AWS_ACCESS_KEY_ID: credential(env, state.accessKeyEnv, "accessKeyEnv", "s3", reserved),
          AWS_SECRET_ACCESS_KEY: credential(
            env,
            state.secretKeyEnv,
            "secretKeyEnv",
            "s3",
            reserved,
          ),
        },
      };
    }
    case "pg":
      return {
        kind: "pg",
        entries: state.schemaName ? [`schema_name=${state.schemaName}`] : [],
        env: { PG_CONN_STR: credential(env, state.connStrEnv, "connStrEnv", "pg", reserved) },
      };
    case "http":
      return {
        kind: "http",
        entries: [
          `address=${state.address}`,
          ...(state.lockAddress ? [`lock_address=${state.lockAddress}`] : []),
          ...(state.unlockAddress ? [`unlock_address=${state.unlockAddress}`] : []),
        ],
        env: {
          ...(state.usernameEnv
            ? {
                TF_HTTP_USERNAME: credential(
                  env,
                  state.usernameEnv,
                  "usernameEnv",
                  "http",
                  reserved,
                ),
              }
            : {}),
          ...(state.passwordEnv
            ? {
                TF_HTTP_PASSWORD: credential(
                  env,
                  state.passwordEnv,
                  "passwordEnv",
                  "http",
                  reserved,
                ),
              }
            : {}),
        },
      };
  }
}

/**
 * Where the OpenTofu state lives: cluster.yaml's `state` section, unless the `backend` input
 * overrides it. Extra `backend-config` entries are appended either way.
 */
export function resolveBackend(
  state: StateConfig,
  inputs: { backend?: BackendKind | undefined; "backend-config": readonly string[] },
  env: NodeJS.ProcessEnv,
  /** further names never to read a credential from (cluster.yaml's proxmox.token*Env) */
  reserved: readonly string[] = [],
): ResolvedBackend {
  for (const entry of inputs["backend-config"]) {
    const key = entry.split("=", 1)[0]?.trim() ?? "";
    if (ADDRESS_KEYS.has(key) || !entry.includes("=")) {
      throw new ConfigurationError(
        `the backend-config entry '${key}' ${entry.includes("=") ? "moves the state to another address" : "is a file, which could do the same"}: an input of a manual run may not send the state and its credentials elsewhere`,
        "set the backend's address in cluster.yaml's state section (reviewed in a commit); backend-config may add settings such as key=, region= or skip_* only",
      );
    }
  }
  if (inputs.backend)
    return {
      kind: inputs.backend,
      entries: [...inputs["backend-config"]],
      env: {},
      source: "the backend input",
    };
  const resolved = fromState(state, env, reserved);
  return {
    ...resolved,
    entries: [...resolved.entries, ...inputs["backend-config"]],
    source: "state in cluster.yaml",
  };
}
