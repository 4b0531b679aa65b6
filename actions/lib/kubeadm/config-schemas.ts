import { z } from "zod";

/**
 * Schemas of the configuration documents pve-kube renders for kubeadm, written from the upstream
 * references (kubeadm Configuration v1beta4, Kubelet Configuration v1beta1, kube-proxy
 * Configuration v1alpha1, as published for Kubernetes 1.36). They are strict: a field the
 * reference does not list, a wrong type or an unknown enum value fails the tests that render the
 * documents, long before kubeadm would reject them on a node. They cover the fields pve-kube can
 * emit, not every field of the API.
 */

const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, "a Go duration such as 15m0s");
const arg = z.strictObject({ name: z.string().min(1), value: z.string() });
const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});
const hostPortEndpoint = z.string().regex(/^[^:\s]+:\d{1,5}$/, "host:port");

export const nodeRegistrationSchema = z.strictObject({
  name: z.string().optional(),
  criSocket: z
    .string()
    .regex(/^unix:\/\//)
    .optional(),
  taints: z.array(taint).optional(),
  kubeletExtraArgs: z.array(arg).optional(),
  ignorePreflightErrors: z.array(z.string()).optional(),
  imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).optional(),
  imagePullSerial: z.boolean().optional(),
});

const apiEndpoint = z.strictObject({
  advertiseAddress: z.ipv4().optional(),
  bindPort: z.int().min(1).max(65535).optional(),
});

const timeouts = z.strictObject({
  controlPlaneComponentHealthCheck: duration.optional(),
  kubeletHealthCheck: duration.optional(),
  kubernetesAPICall: duration.optional(),
  etcdAPICall: duration.optional(),
  tlsBootstrap: duration.optional(),
  discovery: duration.optional(),
  upgradeManifests: duration.optional(),
});

/** bootstraptoken/v1 BootstrapToken, as InitConfiguration.bootstrapTokens carries it. */
export const bootstrapTokenSchema = z.strictObject({
  token: z.string().regex(/^[a-z0-9]{6}\.[a-z0-9]{16}$/, "a token [a-z0-9]{6}.[a-z0-9]{16}"),
  description: z.string().optional(),
  ttl: duration.optional(),
  expires: z.string().optional(),
  usages: z.array(z.enum(["signing", "authentication"])).optional(),
  groups: z.array(z.string().regex(/^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/)).optional(),
});

export const initConfigurationSchema = z.strictObject({
  apiVersion: z.literal("kubeadm.k8s.io/v1beta4"),
  kind: z.literal("InitConfiguration"),
  bootstrapTokens: z.array(bootstrapTokenSchema).optional(),
  dryRun: z.boolean().optional(),
  nodeRegistration: nodeRegistrationSchema.optional(),
  localAPIEndpoint: apiEndpoint.optional(),
  certificateKey: z
    .string()
    .regex(/^[a-f0-9]{64}$/, "64 hex digits (AES-256 key)")
    .optional(),
  skipPhases: z.array(z.string()).optional(),
  patches: z.strictObject({ directory: z.string() }).optional(),
  timeouts: timeouts.optional(),
});

const controlPlaneComponent = z.strictObject({
  extraArgs: z.array(arg).optional(),
  extraEnvs: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  extraVolumes: z
    .array(
      z.strictObject({
        name: z.string(),
        hostPath: z.string(),
        mountPath: z.string(),
        readOnly: z.boolean().optional(),
        pathType: z.string().optional(),
      }),
    )
    .optional(),
});

export const clusterConfigurationSchema = z.strictObject({
  apiVersion: z.literal("kubeadm.k8s.io/v1beta4"),
  kind: z.literal("ClusterConfiguration"),
  etcd: z
    .strictObject({
      local: z
        .strictObject({
          imageRepository: z.string().optional(),
          imageTag: z.string().optional(),
          dataDir: z.string().optional(),
          extraArgs: z.array(arg).optional(),
          serverCertSANs: z.array(z.string()).optional(),
          peerCertSANs: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  networking: z
    .strictObject({
      serviceSubnet: z.string().optional(),
      podSubnet: z.string().optional(),
      dnsDomain: z.string().optional(),
    })
    .optional(),
  kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
  controlPlaneEndpoint: hostPortEndpoint.optional(),
  apiServer: controlPlaneComponent
    .extend({ certSANs: z.array(z.string().min(1)).optional() })
    .optional(),
  controllerManager: controlPlaneComponent.optional(),
  scheduler: controlPlaneComponent.optional(),
  dns: z
    .strictObject({
      disabled: z.boolean().optional(),
      imageRepository: z.string().optional(),
      imageTag: z.string().optional(),
    })
    .optional(),
  proxy: z.strictObject({ disabled: z.boolean().optional() }).optional(),
  certificatesDir: z.string().optional(),
  imageRepository: z.string().optional(),
  featureGates: z.record(z.string(), z.boolean()).optional(),
  clusterName: z.string().optional(),
  encryptionAlgorithm: z
    .enum(["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"])
    .optional(),
  certificateValidityPeriod: duration.optional(),
  caCertificateValidityPeriod: duration.optional(),
});

export const joinConfigurationSchema = z.strictObject({
  apiVersion: z.literal("kubeadm.k8s.io/v1beta4"),
  kind: z.literal("JoinConfiguration"),
  dryRun: z.boolean().optional(),
  nodeRegistration: nodeRegistrationSchema.optional(),
  caCertPath: z.string().optional(),
  discovery: z.strictObject({
    bootstrapToken: z
      .strictObject({
        token: bootstrapTokenSchema.shape.token,
        apiServerEndpoint: hostPortEndpoint,
        caCertHashes: z.array(z.string().regex(/^sha256:[a-f0-9]{64}$/)).optional(),
        unsafeSkipCAVerification: z.boolean().optional(),
      })
      .optional(),
    file: z.strictObject({ kubeConfigPath: z.string() }).optional(),
    tlsBootstrapToken: z.string().optional(),
  }),
  controlPlane: z
    .strictObject({
      localAPIEndpoint: apiEndpoint.optional(),
      certificateKey: z
        .string()
        .regex(/^[a-f0-9]{64}$/)
        .optional(),
    })
    .optional(),
  skipPhases: z.array(z.string()).optional(),
  patches: z.strictObject({ directory: z.string() }).optional(),
  timeouts: timeouts.optional(),
});

/** kubelet.config.k8s.io/v1beta1 KubeletConfiguration (the fields pve-kube sets). */
export const kubeletConfigurationSchema = z.strictObject({
  apiVersion: z.literal("kubelet.config.k8s.io/v1beta1"),
  kind: z.literal("KubeletConfiguration"),
  cgroupDriver: z.enum(["systemd", "cgroupfs"]).optional(),
  failCgroupV1: z.boolean().optional(),
  failSwapOn: z.boolean().optional(),
  clusterDomain: z.string().optional(),
  clusterDNS: z.array(z.ipv4()).optional(),
  rotateCertificates: z.boolean().optional(),
  serverTLSBootstrap: z.boolean().optional(),
  containerRuntimeEndpoint: z
    .string()
    .regex(/^unix:\/\//)
    .optional(),
  staticPodPath: z.string().optional(),
  resolvConf: z.string().optional(),
  protectKernelDefaults: z.boolean().optional(),
  shutdownGracePeriod: duration.optional(),
  shutdownGracePeriodCriticalPods: duration.optional(),
  maxPods: z.int().min(1).optional(),
  authentication: z
    .strictObject({
      anonymous: z.strictObject({ enabled: z.boolean() }).optional(),
      webhook: z.strictObject({ enabled: z.boolean(), cacheTTL: duration.optional() }).optional(),
      x509: z.strictObject({ clientCAFile: z.string() }).optional(),
    })
    .optional(),
  authorization: z
    .strictObject({
      mode: z.enum(["AlwaysAllow", "Webhook"]),
      webhook: z
        .strictObject({
          cacheAuthorizedTTL: duration.optional(),
          cacheUnauthorizedTTL: duration.optional(),
        })
        .optional(),
    })
    .optional(),
});

/** kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration (only rendered when kube-proxy runs). */
export const kubeProxyConfigurationSchema = z.strictObject({
  apiVersion: z.literal("kubeproxy.config.k8s.io/v1alpha1"),
  kind: z.literal("KubeProxyConfiguration"),
  mode: z.enum(["", "iptables", "ipvs", "nftables"]).optional(),
  clusterCIDR: z.string().optional(),
  conntrack: z
    .strictObject({
      maxPerCore: z.int().min(0).optional(),
      min: z.int().min(0).optional(),
      tcpEstablishedTimeout: duration.optional(),
      tcpCloseWaitTimeout: duration.optional(),
    })
    .optional(),
});

export type InitConfiguration = z.infer<typeof initConfigurationSchema>;
export type ClusterConfiguration = z.infer<typeof clusterConfigurationSchema>;
export type JoinConfiguration = z.infer<typeof joinConfigurationSchema>;
export type KubeletConfiguration = z.infer<typeof kubeletConfigurationSchema>;
export type KubeProxyConfiguration = z.infer<typeof kubeProxyConfigurationSchema>;
