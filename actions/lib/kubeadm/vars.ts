import { stringify } from "yaml";
import {
  kubeVipKubeconfig,
  renderHaproxyCfg,
  renderKeepalivedCheck,
  renderKeepalivedConf,
  renderKubeVipManifest,
  type EndpointSettings,
} from "./endpoint.js";
import { nodeMetadataCommands } from "./node-metadata.js";
import type { BootstrapPlan } from "./plan.js";
import {
  controlPlaneEndpoint,
  renderInitDocuments,
  renderJoinConfiguration,
  type ClusterSettings,
  type JoinSecrets,
} from "./render.js";
import type { BootstrapNode } from "./types.js";
import { formatKubeVersion, parseKubeVersion } from "./version.js";

/** YAML as kubeadm reads it: several documents separated by `---`. */
export function yamlDocuments(docs: object[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
}

export interface ExtraVarsInput {
  settings: ClusterSettings;
  endpoint: EndpointSettings;
  nodes: BootstrapNode[];
  plan: BootstrapPlan;
  secrets: JoinSecrets;
  /** interface carrying each control plane's node address (from the facts run) */
  interfaces: Map<string, string>;
  factsFile: string;
  adminKubeconfigFile: string;
}

/**
 * Everything the playbooks read as `pve_kube_*` extra variables: rendered configuration per host
 * and the run's join material. Written to a 0600 file under RUNNER_TEMP and removed after the run.
 */
export function renderExtraVars(input: ExtraVarsInput): Record<string, unknown> {
  const { settings, endpoint, nodes, plan, secrets } = input;
  const cps = nodes.filter((n) => n.role === "control-plane");
  const first = nodes.find((n) => n.name === (plan.init ?? plan.operator));
  const joining = new Set([...plan.controlPlaneJoins, ...plan.workerJoins]);
  const iface = (name: string) => input.interfaces.get(name) ?? "eth0";
  const profile = settings.profile;
  return {
    pve_kube_cluster: settings.cluster,
    pve_kube_version: formatKubeVersion(parseKubeVersion(settings.version)),
    pve_kube_control_plane_endpoint: controlPlaneEndpoint(settings),
    pve_kube_endpoint_provider: settings.provider,
    pve_kube_token: secrets.token,
    pve_kube_certificate_key: secrets.certificateKey,
    pve_kube_packages: ["kubeadm", "kubelet", "kubectl", "containerd"],
    pve_kube_profile: {
      name: profile.name,
      cgroup_driver: profile.cgroupDriver,
      load_kernel_modules: profile.loadKernelModules,
      write_sysctls: profile.writeSysctls,
      binary_source: profile.binarySource,
      binary_dir: profile.binaryDir,
      preloaded_dir: profile.preloadedDir ?? "",
      preloaded_images_dir: profile.preloadedImagesDir ?? "",
      import_images_command: profile.importImagesCommand ?? "",
      ignore_preflight_errors: profile.ignorePreflightErrors,
    },
    pve_kube_init_config:
      plan.init && first ? yamlDocuments(renderInitDocuments(settings, first, secrets)) : "",
    pve_kube_join_configs: Object.fromEntries(
      nodes
        .filter((n) => joining.has(n.name))
        .map((n) => [n.name, yamlDocuments([renderJoinConfiguration(settings, n, secrets)])]),
    ),
    pve_kube_kube_vip_manifests:
      settings.provider === "kube-vip"
        ? Object.fromEntries(
            cps.map((cp) => [
              cp.name,
              {
                init: stringify(
                  renderKubeVipManifest(
                    endpoint,
                    { interface: iface(cp.name) },
                    kubeVipKubeconfig("init"),
                  ),
                ),
                running: stringify(
                  renderKubeVipManifest(
                    endpoint,
                    { interface: iface(cp.name) },
                    kubeVipKubeconfig("running"),
                  ),
                ),
              },
            ]),
          )
        : {},
    pve_kube_keepalived_confs:
      settings.provider === "keepalived"
        ? Object.fromEntries(
            cps.map((cp) => [
              cp.name,
              renderKeepalivedConf(endpoint, { ...cp, interface: iface(cp.name) }, cps),
            ]),
          )
        : {},
    pve_kube_keepalived_check: renderKeepalivedCheck(),
    pve_kube_haproxy_cfg: renderHaproxyCfg(cps),
    // kubectl label/taint/annotate argv per worker whose pool labels or taints differ
    pve_kube_node_metadata_commands: (plan.nodeMetadata ?? []).flatMap((change) =>
      nodeMetadataCommands(change).map((argv) => ({ node: change.node, argv })),
    ),
    pve_kube_forget: {
      nodes: plan.forget?.nodes ?? [],
      etcd_members: plan.forget?.etcdMembers ?? [],
    },
    pve_kube_facts_file: input.factsFile,
    pve_kube_admin_kubeconfig_file: input.adminKubeconfigFile,
  };
}
