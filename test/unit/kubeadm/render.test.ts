import { parseAllDocuments } from "yaml";
import { describe, expect, it, test } from "vitest";
import {
  clusterConfigurationSchema,
  initConfigurationSchema,
  joinConfigurationSchema,
  kubeletConfigurationSchema,
  kubeProxyConfigurationSchema,
} from "../../../actions/lib/kubeadm/config-schemas.js";
import {
  kubeVipKubeconfig,
  renderHaproxyCfg,
  renderKeepalivedCheck,
  renderKeepalivedConf,
  renderKubeVipManifest,
  staticPodSchema,
  virtualRouterId,
} from "../../../actions/lib/kubeadm/endpoint.js";
import { planBootstrap } from "../../../actions/lib/kubeadm/plan.js";
import {
  controlPlaneEndpoint,
  renderInitDocuments,
  renderJoinConfiguration,
} from "../../../actions/lib/kubeadm/render.js";
import { renderExtraVars } from "../../../actions/lib/kubeadm/vars.js";
import { needsSuperAdminDuringInit } from "../../../actions/lib/kubeadm/version.js";
import { cp, factsOf, ha, LAB_NSPAWN_PROFILE, SEEDED, settings, worker } from "./fixtures.js";

const schemaByKind = {
  InitConfiguration: initConfigurationSchema,
  ClusterConfiguration: clusterConfigurationSchema,
  JoinConfiguration: joinConfigurationSchema,
  KubeletConfiguration: kubeletConfigurationSchema,
  KubeProxyConfiguration: kubeProxyConfigurationSchema,
} as const;

/** Parses a multi-document YAML string as kubeadm would and validates every document. */
function validate(yamlText: string): Record<string, unknown>[] {
  return parseAllDocuments(yamlText).map((doc) => {
    const value = doc.toJS() as { kind: keyof typeof schemaByKind };
    const schema = schemaByKind[value.kind];
    expect(schema, `kind ${value.kind}`).toBeDefined();
    return schema.parse(value);
  });
}

const endpoint = {
  cluster: "demo",
  clusterUid: "0123456789ab",
  vip: "10.0.20.10",
  prefix: 24,
  kubeVipImage: "ghcr.io/kube-vip/kube-vip:v1.2.3",
};

describe("kubeadm configuration (v1beta4)", () => {
  test.each([
    {
      name: "kube-vip, Cilium replaces kube-proxy",
      provider: "kube-vip" as const,
      skip: true,
      port: 6443,
    },
    {
      name: "keepalived + HAProxy, with kube-proxy",
      provider: "keepalived" as const,
      skip: false,
      port: 8443,
    },
  ])("init documents validate: $name", ({ provider, skip, port }) => {
    const s = settings({ provider, skipKubeProxy: skip });
    const vars = renderExtraVars({
      settings: s,
      endpoint,
      nodes: ha(),
      plan: planBootstrap({ desired: ha(), facts: factsOf(ha(), []), version: "1.36.3" }),
      secrets: SEEDED,
      interfaces: new Map(),
      factsFile: "/tmp/f",
      adminKubeconfigFile: "/tmp/a",
    });
    const docs = validate(vars.pve_kube_init_config as string);
    expect(docs.map((d) => d.kind)).toEqual([
      "InitConfiguration",
      "ClusterConfiguration",
      "KubeletConfiguration",
      ...(skip ? [] : ["KubeProxyConfiguration"]),
    ]);
    const cluster = docs[1] as {
      controlPlaneEndpoint: string;
      proxy?: { disabled: boolean };
      apiServer: { certSANs: string[] };
      networking: object;
    };
    expect(cluster.controlPlaneEndpoint).toBe(`10.0.20.10:${port}`);
    expect(cluster.proxy?.disabled ?? false).toBe(skip);
    expect(cluster.apiServer.certSANs).toEqual(["10.0.20.10", "api.demo.example"]);
    expect(cluster.networking).toEqual({
      podSubnet: "10.244.0.0/16",
      serviceSubnet: "10.96.0.0/12",
      dnsDomain: "cluster.local",
    });
    // every joining node's configuration validates too
    for (const text of Object.values(vars.pve_kube_join_configs as Record<string, string>))
      validate(text);
  });

  it("production kubelet: systemd cgroups, no lab setting", () => {
    const [init, , kubelet] = renderInitDocuments(settings(), cp(1), SEEDED);
    expect(kubelet).toMatchObject({ cgroupDriver: "systemd" });
    expect(kubelet).not.toHaveProperty("failCgroupV1");
    expect(init.nodeRegistration).not.toHaveProperty("ignorePreflightErrors");
    expect(init.nodeRegistration).not.toHaveProperty("imagePullPolicy");
  });

  it("the lab profile sets exactly its settings, in the documents kubeadm reads", () => {
    const s = settings({ profile: LAB_NSPAWN_PROFILE, skipKubeProxy: false });
    const docs = renderInitDocuments(s, cp(1), SEEDED);
    validate(docs.map((d) => JSON.stringify(d)).join("\n---\n"));
    expect(docs[2]).toMatchObject({ cgroupDriver: "cgroupfs", failCgroupV1: false });
    expect(docs[0].nodeRegistration).toMatchObject({
      ignorePreflightErrors: ["SystemVerification"],
      imagePullPolicy: "Never",
    });
    expect(docs[3]).toMatchObject({ conntrack: { maxPerCore: 0 } });
    const join = renderJoinConfiguration(s, worker(1), SEEDED);
    expect(join.nodeRegistration).toMatchObject({ imagePullPolicy: "Never" });
  });

  it("joins: control planes carry the certificate key and their own API endpoint, workers their pool taints", () => {
    const s = settings();
    const joinCp = joinConfigurationSchema.parse(renderJoinConfiguration(s, cp(2), SEEDED));
    expect(joinCp.controlPlane).toEqual({
      localAPIEndpoint: { advertiseAddress: "10.0.20.12", bindPort: 6443 },
      certificateKey: SEEDED.certificateKey,
    });
    expect(joinCp.nodeRegistration?.taints).toBeUndefined(); // kubeadm's control-plane taint stays
    const tainted = worker(1, { taints: ["dedicated=gpu:NoSchedule", "spot:PreferNoSchedule"] });
    const joinW = joinConfigurationSchema.parse(renderJoinConfiguration(s, tainted, SEEDED));
    expect(joinW.controlPlane).toBeUndefined();
    expect(joinW.nodeRegistration?.taints).toEqual([
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "spot", effect: "PreferNoSchedule" },
    ]);
    expect(joinW.nodeRegistration?.kubeletExtraArgs).toEqual([
      { name: "node-ip", value: "10.0.20.21" },
    ]);
    expect(joinW.discovery.tlsBootstrapToken).toBe(SEEDED.token);
  });

  it("the schemas reject what kubeadm would reject", () => {
    const [init, cluster] = renderInitDocuments(settings(), cp(1), SEEDED);
    expect(
      initConfigurationSchema.safeParse({ ...init, apiVersion: "kubeadm.k8s.io/v1beta3" }).success,
    ).toBe(false);
    expect(
      initConfigurationSchema.safeParse({ ...init, bootstrapTokens: [{ token: "short.token" }] })
        .success,
    ).toBe(false);
    expect(
      clusterConfigurationSchema.safeParse({ ...cluster, kubernetesVersion: "1.36.3" }).success,
    ).toBe(false);
    expect(clusterConfigurationSchema.safeParse({ ...cluster, networkin: {} }).success).toBe(false);
    expect(
      clusterConfigurationSchema.safeParse({
        ...cluster,
        apiServer: { extraArgs: { "audit-log-path": "x" } },
      }).success,
      "v1beta4 extraArgs are a list of name/value",
    ).toBe(false);
    expect(
      kubeletConfigurationSchema.safeParse({
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        cgroupDriver: "cgroup",
      }).success,
    ).toBe(false);
  });
});

describe("control-plane endpoint", () => {
  it("kube-vip uses super-admin.conf during init on ≥ 1.29 and admin.conf afterwards", () => {
    expect(needsSuperAdminDuringInit("1.36.3")).toBe(true);
    expect(needsSuperAdminDuringInit("1.28.9")).toBe(false);
    const init = staticPodSchema.parse(
      renderKubeVipManifest(endpoint, { interface: "ens18" }, kubeVipKubeconfig("init")),
    );
    const running = staticPodSchema.parse(
      renderKubeVipManifest(endpoint, { interface: "ens18" }, kubeVipKubeconfig("running")),
    );
    expect(init.spec.volumes[0]?.hostPath.path).toBe("/etc/kubernetes/super-admin.conf");
    expect(running.spec.volumes[0]?.hostPath.path).toBe("/etc/kubernetes/admin.conf");
    const env = Object.fromEntries(running.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      address: "10.0.20.10",
      vip_interface: "ens18",
      port: "6443",
      cp_enable: "true",
      vip_leaderelection: "true",
    });
  });

  it("the site vars give the init control plane both kube-vip variants and every control plane one", () => {
    const vars = renderExtraVars({
      settings: settings(),
      endpoint,
      nodes: ha(),
      plan: planBootstrap({ desired: ha(), facts: factsOf(ha(), []), version: "1.36.3" }),
      secrets: SEEDED,
      interfaces: new Map([["demo-cp-1", "host0"]]),
      factsFile: "/tmp/f",
      adminKubeconfigFile: "/tmp/a",
    });
    const manifests = vars.pve_kube_kube_vip_manifests as Record<
      string,
      { init: string; running: string }
    >;
    expect(Object.keys(manifests)).toEqual(["demo-cp-1", "demo-cp-2", "demo-cp-3"]);
    expect(manifests["demo-cp-1"]?.init).toContain("super-admin.conf");
    expect(manifests["demo-cp-1"]?.running).not.toContain("super-admin.conf");
    expect(manifests["demo-cp-1"]?.running).toContain("host0");
  });

  it("keepalived: unicast VRRP to the other control planes, cp-1 preferred, VIP on the node's interface", () => {
    const cps = [cp(1), cp(2), cp(3)];
    const conf = renderKeepalivedConf(endpoint, { ...cp(2), interface: "host0" }, cps);
    expect(conf).toContain("unicast_src_ip 10.0.20.12");
    expect(conf).toMatch(/unicast_peer \{\n\s+10\.0\.20\.11\n\s+10\.0\.20\.13\n\s+\}/);
    expect(conf).toContain("priority 140");
    expect(renderKeepalivedConf(endpoint, { ...cp(1), interface: "host0" }, cps)).toContain(
      "priority 150",
    );
    expect(conf).toContain("10.0.20.10/24 dev host0");
    expect(conf).toContain(`virtual_router_id ${virtualRouterId("0123456789ab")}`);
    expect(virtualRouterId("0123456789ab")).toBeGreaterThanOrEqual(1);
    expect(virtualRouterId("0123456789ab")).toBeLessThanOrEqual(255);
  });

  it("HAProxy listens on 8443 and health-checks every API server on 6443", () => {
    const cfg = renderHaproxyCfg([cp(1), cp(2), cp(3)]);
    expect(cfg).toContain("bind *:8443");
    expect(cfg).toContain("option httpchk GET /readyz");
    // a connection an API server refused (restarting, not yet marked down) goes to another one
    expect(cfg).toContain("option redispatch");
    expect(cfg).toMatch(/^ {2}retries [2-9]$/m);
    // keepalived watches the load balancer, so a restarting local API server does not move the VIP
    expect(renderKeepalivedCheck()).toContain("/dev/tcp/127.0.0.1/8443");
    for (const n of [1, 2, 3]) expect(cfg).toContain(`server demo-cp-${n} 10.0.20.${10 + n}:6443`);
    expect(controlPlaneEndpoint({ vip: "10.0.20.10", provider: "keepalived" })).toBe(
      "10.0.20.10:8443",
    );
  });
});
