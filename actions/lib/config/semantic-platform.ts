import type { Versions } from "../versions.js";
import type { ConfigProblem } from "./issues.js";
import type { ClusterConfig } from "./schema.js";

const minorOf = (version: string) => version.split(".").slice(0, 2).join(".");

/** Version support, add-on consistency, secrets-in-the-file mistakes. */
export function platformProblems(config: ClusterConfig, versions: Versions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const k8sMinor = minorOf(config.kubernetes.version);
  if (!versions.kubernetes.supportedMinors.includes(k8sMinor)) {
    problems.push({
      path: ["kubernetes", "version"],
      message: `Kubernetes ${k8sMinor} is not a supported minor`,
      fix: `use ${versions.kubernetes.supportedMinors.join(", ")} (default ${versions.kubernetes.default})`,
    });
  }
  const ciliumMinor = minorOf(config.cilium.version);
  const ciliumSupports = versions.cilium.kubernetesMinors[ciliumMinor];
  if (!ciliumSupports) {
    problems.push({
      path: ["cilium", "version"],
      message: `Cilium ${ciliumMinor} is not a version pve-kube knows`,
      fix: `use Cilium ${Object.keys(versions.cilium.kubernetesMinors).join(", ")} (default ${versions.cilium.default})`,
    });
  } else if (!ciliumSupports.includes(k8sMinor)) {
    problems.push({
      path: ["cilium", "version"],
      message: `Cilium ${ciliumMinor} does not support Kubernetes ${k8sMinor}`,
      fix: `Cilium ${ciliumMinor} supports Kubernetes ${ciliumSupports.join(", ")}; change one of the two`,
    });
  }
  const services = config.services;
  if (services.loadBalancer.provider !== "none" && !config.network.loadBalancerRange) {
    problems.push({
      path: ["services", "loadBalancer", "provider"],
      message: `${services.loadBalancer.provider} needs addresses to hand out`,
      fix: "set network.loadBalancerRange, or set services.loadBalancer.provider: none",
    });
  }
  if (services.ingress.enabled && services.loadBalancer.provider === "none") {
    problems.push({
      path: ["services", "ingress", "enabled"],
      message: "an ingress controller needs a LoadBalancer provider",
      fix: "choose services.loadBalancer.provider: cilium-lb-ipam or metallb",
    });
  }
  if (
    services.ingress.enabled &&
    services.ingress.controller === "cilium" &&
    !config.cilium.kubeProxyReplacement
  ) {
    problems.push({
      path: ["services", "ingress", "controller"],
      message: "Cilium's ingress controller needs kube-proxy replacement",
      fix: "set cilium.kubeProxyReplacement: true or use controller: traefik",
    });
  }
  if (services.backup.enabled && !services.backup.s3) {
    problems.push({
      path: ["services", "backup"],
      target: "key",
      message: "backups are enabled but have no S3 target",
      fix: "add services.backup.s3 with endpoint and bucket, or set enabled: false",
    });
  }
  if (!config.template.image && !(versions.cloudImage.url && versions.cloudImage.sha256)) {
    problems.push({
      path: ["template"],
      target: "key",
      message: "no cloud image is pinned in versions.json",
      fix: "set template.image.url and template.image.sha256",
    });
  }
  return problems;
}
