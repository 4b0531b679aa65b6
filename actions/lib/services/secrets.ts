import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import { ConfigurationError } from "../errors.js";
import { veleroCredentialsSecret } from "./backup.js";
import type { SecretNeed } from "./catalog.js";
import { csiConfigSecret, csiRegion } from "./csi.js";
import type { K8sObject } from "./objects.js";

export interface ResolvedSecret {
  need: SecretNeed;
  object: K8sObject;
  /** the credential values inside: masked, redacted from every log line and error */
  values: string[];
}

function fromEnv(env: NodeJS.ProcessEnv, name: string, field: string, what: string): string {
  const value = env[name];
  if (!value)
    throw new ConfigurationError(
      `${what}: the environment variable ${name} (cluster.yaml ${field}) is empty`,
      `map the secret into the deploy-services step's env (deploy.yml passes ${name} from the secret of that name)`,
    );
  return value;
}

/**
 * The Secrets the releases read, built from the environment variables cluster.yaml names. They
 * go to the cluster on kubectl's stdin: never into a values file, an argument, a log or the
 * phase state.
 */
export function resolveSecret(
  need: SecretNeed,
  config: ClusterConfig,
  plan: ClusterPlan,
  env: NodeJS.ProcessEnv,
): ResolvedSecret {
  if (need === "proxmox-csi-config") {
    const csi = config.services.proxmoxCsi;
    const token = {
      id: fromEnv(
        env,
        csi.tokenIdEnv,
        "services.proxmoxCsi.tokenIdEnv",
        "the Proxmox CSI token id",
      ),
      secret: fromEnv(
        env,
        csi.tokenSecretEnv,
        "services.proxmoxCsi.tokenSecretEnv",
        "the Proxmox CSI token secret",
      ),
    };
    return {
      need,
      object: csiConfigSecret(plan, csiRegion(config), token),
      values: [token.secret],
    };
  }
  const s3 = config.services.backup.s3;
  if (!s3) throw new Error("unreachable: backup without s3 is refused by the config rules");
  const keys = {
    accessKey: fromEnv(
      env,
      s3.accessKeyEnv,
      "services.backup.s3.accessKeyEnv",
      "the Velero S3 access key",
    ),
    secretKey: fromEnv(
      env,
      s3.secretKeyEnv,
      "services.backup.s3.secretKeyEnv",
      "the Velero S3 secret key",
    ),
  };
  return { need, object: veleroCredentialsSecret(keys), values: [keys.accessKey, keys.secretKey] };
}
