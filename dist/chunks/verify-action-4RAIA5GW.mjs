import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  inLbRange,
  nodesCheck,
  systemPodsCheck,
  verifyTable
} from "./chunk-CYFAIY4P.mjs";
import {
  MANAGED_LABELS,
  kubectlApplyArgs,
  kubectlGetNodesArgs,
  objectList,
  serviceSteps
} from "./chunk-6GOV65OF.mjs";
import {
  helmToolEnv,
  waitForWorkloads,
  writeAdminKubeconfig
} from "./chunk-XFBZMPLT.mjs";
import "./chunk-CE3MRRSC.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import "./chunk-XQFMMS6B.mjs";
import {
  StepTimer,
  actionDeps,
  finishPhase,
  inputFromEnv,
  integerInput,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig,
  versions
} from "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import {
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/verify/src/verify-action.ts
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// actions/lib/verify/probe.ts
var VERIFY_NAMESPACE = "pve-kube-verify";
var VERIFY_APP = "echo";
function probeObjects() {
  const labels = { ...MANAGED_LABELS, app: VERIFY_APP };
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: VERIFY_NAMESPACE, labels: { ...MANAGED_LABELS } }
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: VERIFY_APP, namespace: VERIFY_NAMESPACE, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: VERIFY_APP } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "netexec",
                image: versions.images.agnhost,
                args: ["netexec", "--http-port=8080"],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  seccompProfile: { type: "RuntimeDefault" }
                }
              }
            ]
          }
        }
      }
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: VERIFY_APP, namespace: VERIFY_NAMESPACE, labels },
      spec: {
        type: "LoadBalancer",
        selector: { app: VERIFY_APP },
        ports: [{ name: "http", port: 80, targetPort: 8080 }]
      }
    }
  ];
}
__name(probeObjects, "probeObjects");

// actions/verify/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  "state-key": external_exports.string({ error: "is required: pass the STATE_KEY secret" }),
  kubeconfig: external_exports.string().optional(),
  "probe-from-runner": external_exports.enum(["true", "false"], { error: "must be true or false" }).default("true").transform((v) => v === "true"),
  "timeout-seconds": integerInput(300, 1)
});

// actions/verify/src/verify-action.ts
var VerifyFailedError = class extends Error {
  constructor(checks) {
    super(
      `verify: ${checks.filter((c) => !c.ok).length} of ${checks.length} checks failed \u2014 ${checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`).join(" | ")}`
    );
    this.checks = checks;
  }
  checks;
  static {
    __name(this, "VerifyFailedError");
  }
  name = "VerifyFailedError";
};
async function run(deps = actionDeps(process.env)) {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const http = deps.fetch ?? fetch;
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["state-key"]);
  if (inputs.kubeconfig) deps.maskSecret(inputs.kubeconfig);
  const secrets = [inputs["state-key"], ...inputs.kubeconfig ? [inputs.kubeconfig] : []];
  const { config, plan } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const timer = new StepTimer();
  const sleep = /* @__PURE__ */ __name((ms) => new Promise((r) => setTimeout(r, ms)), "sleep");
  const poll = deps.pollMs ?? 3e3;
  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-verify-"));
  await chmod(ws, 448);
  const checks = [];
  try {
    const kubeconfig = await writeAdminKubeconfig({
      ws,
      given: inputs.kubeconfig,
      mode: "apply",
      stateKey: inputs["state-key"],
      cluster: plan,
      deps,
      secrets
    });
    const toolEnv = helmToolEnv(env, ws);
    const kubectl = /* @__PURE__ */ __name((args, options) => tool("kubectl", args, {
      logger: { ...logger, info: /* @__PURE__ */ __name((m) => logger.debug(m), "info") },
      secrets,
      okExitCodes: options.okExitCodes ?? [],
      env: toolEnv
    }), "kubectl");
    const json = /* @__PURE__ */ __name(async (args) => JSON.parse((await kubectl(args, {})).stdout), "json");
    const kc = ["--kubeconfig", kubeconfig];
    checks.push(
      await timer.time(
        "nodes",
        async () => nodesCheck(plan, await json(kubectlGetNodesArgs(kubeconfig)))
      )
    );
    const namespaces = [
      "kube-system",
      ...new Set(
        serviceSteps(config, plan).flatMap((s) => s.kind === "release" ? [s.namespace] : [])
      )
    ];
    checks.push(
      await timer.time(
        "pods",
        async () => systemPodsCheck(
          await json(["get", "pods", "--all-namespaces", "--output", "json", ...kc]),
          namespaces
        )
      )
    );
    await tool("kubectl", kubectlApplyArgs(kubeconfig), {
      logger,
      secrets,
      env: toolEnv,
      input: objectList(probeObjects())
    });
    try {
      let podReady = false;
      try {
        await timer.time(
          "probe ready",
          () => waitForWorkloads({
            release: "verify probe",
            refs: [
              {
                kind: "Deployment",
                name: VERIFY_APP,
                namespace: VERIFY_NAMESPACE,
                podSelector: `app=${VERIFY_APP}`
              }
            ],
            kubeconfig,
            timeoutSeconds: inputs["timeout-seconds"],
            kubectl,
            logger,
            pollMs: poll
          })
        );
        podReady = true;
      } catch (error) {
        checks.push({
          check: "CoreDNS answers",
          ok: false,
          detail: `no test pod to ask from: ${getErrorMessage(error)}`
        });
      }
      if (podReady) {
        const name = `kubernetes.default.svc.${plan.kubernetes.clusterDomain}`;
        const want = await json([
          "get",
          "service",
          "kubernetes",
          "--namespace",
          "default",
          "--output",
          "json",
          ...kc
        ]);
        const dig = await kubectl(
          [
            "exec",
            `deployment/${VERIFY_APP}`,
            "--namespace",
            VERIFY_NAMESPACE,
            ...kc,
            "--",
            "dig",
            "+short",
            "+time=3",
            "+tries=2",
            name
          ],
          { okExitCodes: [1, 9] }
        );
        const got = dig.stdout.trim().split("\n").filter(Boolean);
        checks.push({
          check: "CoreDNS answers",
          ok: got.includes(want.spec.clusterIP),
          detail: got.length ? `${name} \u2192 ${got.join(", ")} (kubernetes Service ${want.spec.clusterIP})` : `no answer for ${name}: ${(dig.stderr || dig.stdout).trim().split("\n").slice(-2).join(" ")}`
        });
      }
      const deadline = Date.now() + inputs["timeout-seconds"] * 1e3;
      let ip;
      await timer.time("LoadBalancer address", async () => {
        for (; ; ) {
          const svc = await json([
            "get",
            "service",
            VERIFY_APP,
            "--namespace",
            VERIFY_NAMESPACE,
            "--output",
            "json",
            ...kc
          ]);
          ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
          if (ip || Date.now() >= deadline) return;
          await sleep(poll);
        }
      });
      const range = plan.network.lbRange;
      checks.push({
        check: "LoadBalancer address from the pool",
        ok: ip !== void 0 && inLbRange(plan, ip),
        detail: ip ? `${VERIFY_NAMESPACE}/${VERIFY_APP} got ${ip}${range ? ` (pool ${range.start}-${range.end})` : ""}` : `${VERIFY_NAMESPACE}/${VERIFY_APP} got no address in ${inputs["timeout-seconds"]} s${range ? ` (pool ${range.start}-${range.end})` : " (no network.loadBalancerRange)"}`
      });
      if (inputs["probe-from-runner"] && ip) {
        let answer = "";
        let lastError = "";
        await timer.time("HTTP from the runner", async () => {
          while (!answer && Date.now() < deadline) {
            try {
              const res = await http(`http://${ip}/hostname`, {
                signal: AbortSignal.timeout(5e3)
              });
              if (res.ok) answer = (await res.text()).trim();
              else lastError = `HTTP ${res.status}`;
            } catch (error) {
              lastError = getErrorMessage(error);
            }
            if (!answer) await sleep(poll);
          }
        });
        checks.push({
          check: "LoadBalancer answers from the runner",
          ok: answer !== "",
          detail: answer ? `http://${ip}/ answered from pod ${answer}` : `http://${ip}/ did not answer: ${lastError}`
        });
      }
    } finally {
      await kubectl(
        ["delete", "namespace", VERIFY_NAMESPACE, "--wait=false", "--ignore-not-found", ...kc],
        {}
      ).catch(
        (error) => logger.warning(`could not delete ${VERIFY_NAMESPACE}: ${getErrorMessage(error)}`)
      );
    }
    for (const c of checks) logger.info(`${c.ok ? "\u2713" : "\u2717"} ${c.check}: ${c.detail}`);
    const passed = checks.every((c) => c.ok);
    deps.setOutput("passed", String(passed));
    deps.setOutput("checks", JSON.stringify(checks));
    const artifact = await finishPhase({
      plan,
      env,
      logger,
      artifactStore: deps.artifactStore,
      summary: [`## verify \u2014 ${plan.cluster}`, "", verifyTable(checks)].join("\n"),
      state: {
        phase: "verify",
        status: passed ? "succeeded" : "failed",
        startedAt,
        timings: timer.timings,
        outputs: { checks }
      },
      stateKey: inputs["state-key"],
      uploadFailureIsWarning: !passed
    });
    deps.setOutput("state-artifact", artifact);
    if (!passed) throw new VerifyFailedError(checks);
    return checks;
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}
__name(run, "run");
export {
  VerifyFailedError,
  run
};
