import type { ClusterConfig } from "../config/index.js";
import type { HelmValues } from "../helm/values.js";
import { versions } from "../versions.js";
import { MANAGED_LABELS, type K8sObject } from "./objects.js";

export const VELERO_NAMESPACE = "velero";
/** The Secret with the S3 credentials (AWS credentials-file format): never in Helm values. */
export const VELERO_CREDENTIALS_SECRET = "velero-s3";

/** Velero to an S3-compatible bucket with the AWS plugin, file-system backups of volumes, a daily schedule. */
export function veleroValues(config: ClusterConfig): HelmValues {
  const b = config.services.backup;
  const s3 = b.s3;
  if (!s3) throw new Error("unreachable: backup without s3 is refused by the config rules");
  return {
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: versions.images.veleroPluginForAws,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET },
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider: "aws",
          bucket: s3.bucket,
          prefix: s3.prefix ?? config.metadata.name,
          default: true,
          config: {
            region: s3.region,
            s3Url: s3.endpoint,
            s3ForcePathStyle: String(s3.forcePathStyle),
          },
        },
      ],
      volumeSnapshotLocation: [],
      // Proxmox CSI takes no snapshots through Velero: volumes go to S3 file by file
      defaultVolumesToFsBackup: true,
    },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    schedules: {
      daily: {
        schedule: b.schedule,
        template: { ttl: b.ttl, includedNamespaces: ["*"] },
      },
    },
  };
}

/** The credentials Secret in the AWS credentials-file format Velero's AWS plugin reads. */
export function veleroCredentialsSecret(keys: { accessKey: string; secretKey: string }): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: VELERO_CREDENTIALS_SECRET,
      namespace: VELERO_NAMESPACE,
      labels: { ...MANAGED_LABELS },
    },
    type: "Opaque",
    stringData: {
      cloud: `[default]\naws_access_key_id=${keys.accessKey}\naws_secret_access_key=${keys.secretKey}\n`,
    },
  };
}
