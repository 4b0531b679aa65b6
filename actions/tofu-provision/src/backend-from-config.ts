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

/** Reads the variable cluster.yaml names for a credential; missing is a user error that names it. */
function credential(env: NodeJS.ProcessEnv, name: string, field: string, backend: string): string {
  const value = env[name];
  if (!value) {
    throw new ConfigurationError(
      `the ${backend} state backend needs the ${name} environment variable (state.${field} in cluster.yaml), but it is empty`,
      `pass it from a secret: env: ${name}: \${{ secrets.${name} }} (deploy.yml maps AWS_*, PG_CONN_STR and TF_HTTP_PASSWORD for you)`,
    );
  }
  return value;
}

function fromState(state: StateConfig, env: NodeJS.ProcessEnv): Omit<ResolvedBackend, "source"> {
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
          AWS_ACCESS_KEY_ID: credential(env, state.accessKeyEnv, "accessKeyEnv", "s3"),
          AWS_SECRET_ACCESS_KEY: credential(env, state.secretKeyEnv, "secretKeyEnv", "s3"),
        },
      };
    }
    case "pg":
      return {
        kind: "pg",
        entries: state.schemaName ? [`schema_name=${state.schemaName}`] : [],
        env: { PG_CONN_STR: credential(env, state.connStrEnv, "connStrEnv", "pg") },
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
            ? { TF_HTTP_USERNAME: credential(env, state.usernameEnv, "usernameEnv", "http") }
            : {}),
          ...(state.passwordEnv
            ? { TF_HTTP_PASSWORD: credential(env, state.passwordEnv, "passwordEnv", "http") }
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
): ResolvedBackend {
  if (inputs.backend)
    return {
      kind: inputs.backend,
      entries: [...inputs["backend-config"]],
      env: {},
      source: "the backend input",
    };
  const resolved = fromState(state, env);
  return {
    ...resolved,
    entries: [...resolved.entries, ...inputs["backend-config"]],
    source: "state in cluster.yaml",
  };
}
