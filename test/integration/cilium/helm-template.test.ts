import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ciliumProfile, type CiliumProfileName } from "../../../actions/lib/cilium/profile.js";
import { ciliumSettings, finalValues, renderedValues } from "../../../actions/lib/cilium/values.js";
import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import { helmTemplateArgs } from "../../../actions/lib/helm/argv.js";
import { canonicalJson, type HelmValues } from "../../../actions/lib/helm/values.js";
import { requireChart, requireHelm } from "../../../testkit/helm-tools.js";
import { repoPath } from "../../helpers/repo.js";

// The values install-cilium hands to Helm, rendered by the real Helm with the chart that ships in
// the pinned cilium module: the chart's values.schema.json checks them, and the objects it makes
// say what cluster.yaml asked for.

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    template?: {
      spec: {
        containers: {
          name: string;
          imagePullPolicy?: string;
          env?: { name: string; value?: string }[];
          securityContext?: { capabilities?: { add?: string[] } };
        }[];
        initContainers?: {
          name: string;
          securityContext?: { capabilities?: { add?: string[] } };
        }[];
      };
    };
  };
}

async function render(example: string, profile: CiliumProfileName): Promise<K8sObject[]> {
  const { config, plan } = await loadClusterConfig(
    repoPath("workflows-examples", "clusters", example, "cluster.yaml"),
  );
  const base = (await import("yaml")).parse(
    await readFile(repoPath("manifests", "cilium", "values.yaml"), "utf8"),
  ) as HelmValues;
  const settings = ciliumSettings(config, plan);
  const values = finalValues({
    base,
    rendered: renderedValues(settings),
    profile: ciliumProfile(profile).values,
    user: settings.userValues,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), "cilium-template-"));
  dirs.push(dir);
  const valuesFile = path.join(dir, "values.json");
  await writeFile(valuesFile, canonicalJson(values));
  const { stdout } = await exec(
    requireHelm(),
    helmTemplateArgs({
      release: "cilium",
      namespace: "kube-system",
      chart: { path: requireChart("cilium") },
      valuesFile,
      kubeVersion: plan.kubernetes.version,
    }),
    {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
    },
  );
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the rendered chart`);
  return o;
};
const agentContainer = (objects: K8sObject[]) =>
  find(objects, "DaemonSet", "cilium").spec!.template!.spec.containers.find(
    (c) => c.name === "cilium-agent",
  )!;

describe("the Cilium chart rendered with install-cilium's values", () => {
  it.each([
    ["ha", "10.0.20.10", "true", 2],
    ["multi-node", "10.30.0.10", "false", 2],
    ["single-node", "192.168.1.59", "true", 1],
  ])(
    "%s: kube-proxy replacement through %s, L2 announcements %s, %i operator(s)",
    async (example, host, l2, operators) => {
      const objects = await render(example, "production");
      const config = find(objects, "ConfigMap", "cilium-config").data!;
      expect(config).toMatchObject({
        "kube-proxy-replacement": "true",
        ipam: "kubernetes",
        "routing-mode": "tunnel",
        "tunnel-protocol": "vxlan",
        "enable-bpf-masquerade": "true",
        "enable-lb-ipam": l2,
        "enable-hubble": "true",
      });
      // the chart writes the key only when it is on
      expect(config["enable-l2-announcements"]).toBe(l2 === "true" ? "true" : undefined);
      expect(agentContainer(objects).env).toEqual(
        expect.arrayContaining([
          { name: "KUBERNETES_SERVICE_HOST", value: host },
          { name: "KUBERNETES_SERVICE_PORT", value: "6443" },
        ]),
      );
      expect(find(objects, "Deployment", "cilium-operator").spec!.replicas).toBe(operators);
      // production keeps the chart's images and capabilities
      expect(agentContainer(objects).securityContext?.capabilities?.add).toContain("SYS_RESOURCE");
    },
  );

  it("ha asks for Hubble Relay and UI; the lab profile drops them, Envoy and SYS_RESOURCE and never pulls", async () => {
    const production = await render("ha", "production");
    expect(
      production.some((o) => o.kind === "Deployment" && o.metadata.name === "hubble-relay"),
    ).toBe(true);
    expect(production.some((o) => o.kind === "Deployment" && o.metadata.name === "hubble-ui")).toBe(
      true,
    );
    expect(
      production.some((o) => o.kind === "DaemonSet" && o.metadata.name === "cilium-envoy"),
    ).toBe(true);

    const lab = await render("ha", "lab-nspawn");
    const names = lab.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).not.toContain("Deployment/hubble-relay");
    expect(names).not.toContain("Deployment/hubble-ui");
    expect(names).not.toContain("DaemonSet/cilium-envoy");
    const agent = agentContainer(lab);
    expect(agent.imagePullPolicy).toBe("Never");
    expect(agent.securityContext?.capabilities?.add).not.toContain("SYS_RESOURCE");
    const init = find(lab, "DaemonSet", "cilium").spec!.template!.spec.initContainers ?? [];
    for (const c of init)
      expect(c.securityContext?.capabilities?.add ?? [], c.name).not.toContain("SYS_RESOURCE");
    expect(find(lab, "ConfigMap", "cilium-config").data!["enable-l7-proxy"]).toBe("false");
  });
});
