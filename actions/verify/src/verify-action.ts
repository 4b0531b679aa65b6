import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import { getErrorMessage } from "../../lib/errors.js";
import { runTool, type ToolRunner } from "../../lib/exec.js";
import { helmToolEnv, writeAdminKubeconfig } from "../../lib/helm/cluster-access.js";
import { waitForWorkloads, type KubectlTool } from "../../lib/helm/wait.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import { kubectlApplyArgs, kubectlGetNodesArgs } from "../../lib/services/kubectl-apply.js";
import { serviceSteps } from "../../lib/services/catalog.js";
import { objectList } from "../../lib/services/objects.js";
import { finishPhase, StepTimer } from "../../lib/state/index.js";
import {
  inLbRange,
  nodesCheck,
  systemPodsCheck,
  verifyTable,
  type VerifyCheck,
} from "../../lib/verify/checks.js";
import { probeObjects, VERIFY_APP, VERIFY_NAMESPACE } from "../../lib/verify/probe.js";
import { inputSchema } from "./inputs.js";

export type Tool = ToolRunner;

export interface VerifyDeps extends ActionDeps {
  tool?: Tool;
  pollMs?: number;
  /** the runner-side HTTP probe (tests point it elsewhere) */
  fetch?: typeof fetch;
}

export class VerifyFailedError extends Error {
  override name = "VerifyFailedError";
  constructor(readonly checks: VerifyCheck[]) {
    super(
      `verify: ${checks.filter((c) => !c.ok).length} of ${checks.length} checks failed — ${checks
        .filter((c) => !c.ok)
        .map((c) => `${c.check}: ${c.detail}`)
        .join(" | ")}`,
    );
  }
}

export async function run(deps: VerifyDeps = actionDeps(process.env)): Promise<VerifyCheck[]> {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const http = deps.fetch ?? fetch;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["state-key"]);
  if (inputs.kubeconfig) deps.maskSecret(inputs.kubeconfig);
  const secrets = [inputs["state-key"], ...(inputs.kubeconfig ? [inputs.kubeconfig] : [])];
  const { config, plan } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const timer = new StepTimer();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const poll = deps.pollMs ?? 3000;
  const ws = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), "pve-kube-verify-"));
  await chmod(ws, 0o700);
  const checks: VerifyCheck[] = [];
  try {
    const kubeconfig = (await writeAdminKubeconfig({
      ws,
      given: inputs.kubeconfig,
      mode: "apply",
      stateKey: inputs["state-key"],
      cluster: plan,
      deps,
      secrets,
    }))!;
    const toolEnv = helmToolEnv(env, ws);
    const kubectl: KubectlTool = (args, options) =>
      tool("kubectl", args, {
        logger: { ...logger, info: (m: string) => logger.debug(m) },
        secrets,
        okExitCodes: options.okExitCodes ?? [],
        env: toolEnv,
      });
    const json = async (args: string[]) => JSON.parse((await kubectl(args, {})).stdout) as unknown;
    const kc = ["--kubeconfig", kubeconfig];

    checks.push(
      await timer.time("nodes", async () =>
        nodesCheck(plan, await json(kubectlGetNodesArgs(kubeconfig))),
      ),
    );
    const namespaces = [
      "kube-system",
      ...new Set(
        serviceSteps(config, plan).flatMap((s) => (s.kind === "release" ? [s.namespace] : [])),
      ),
    ];
    checks.push(
      await timer.time("pods", async () =>
        systemPodsCheck(
          await json(["get", "pods", "--all-namespaces", "--output", "json", ...kc]),
          namespaces,
        ),
      ),
    );

    // the end-to-end probe: a pod that asks CoreDNS, a LoadBalancer Service that must answer
    await tool("kubectl", kubectlApplyArgs(kubeconfig), {
      logger,
      secrets,
      env: toolEnv,
      input: objectList(probeObjects()),
    });
    try {
      let podReady = false;
      try {
        await timer.time("probe ready", () =>
          waitForWorkloads({
            release: "verify probe",
            refs: [
              {
                kind: "Deployment",
                name: VERIFY_APP,
                namespace: VERIFY_NAMESPACE,
                podSelector: `app=${VERIFY_APP}`,
              },
            ],
            kubeconfig,
            timeoutSeconds: inputs["timeout-seconds"],
            kubectl,
            logger,
            pollMs: poll,
          }),
        );
        podReady = true;
      } catch (error) {
        checks.push({
          check: "CoreDNS answers",
          ok: false,
          detail: `no test pod to ask from: ${getErrorMessage(error)}`,
        });
      }
      if (podReady) {
        const name = `kubernetes.default.svc.${plan.kubernetes.clusterDomain}`;
        const want = (await json([
          "get",
          "service",
          "kubernetes",
          "--namespace",
          "default",
          "--output",
          "json",
          ...kc,
        ])) as {
          spec: { clusterIP: string };
        };
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
            name,
          ],
          { okExitCodes: [1, 9] },
        );
        const got = dig.stdout.trim().split("\n").filter(Boolean);
        checks.push({
          check: "CoreDNS answers",
          ok: got.includes(want.spec.clusterIP),
          detail: got.length
            ? `${name} → ${got.join(", ")} (kubernetes Service ${want.spec.clusterIP})`
            : `no answer for ${name}: ${(dig.stderr || dig.stdout).trim().split("\n").slice(-2).join(" ")}`,
        });
      }

      // the address from the pool
      const deadline = Date.now() + inputs["timeout-seconds"] * 1000;
      let ip: string | undefined;
      await timer.time("LoadBalancer address", async () => {
        for (;;) {
          const svc = (await json([
            "get",
            "service",
            VERIFY_APP,
            "--namespace",
            VERIFY_NAMESPACE,
            "--output",
            "json",
            ...kc,
          ])) as {
            status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
          };
          ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
          if (ip || Date.now() >= deadline) return;
          await sleep(poll);
        }
      });
      const range = plan.network.lbRange;
      checks.push({
        check: "LoadBalancer address from the pool",
        ok: ip !== undefined && inLbRange(plan, ip),
        detail: ip
          ? `${VERIFY_NAMESPACE}/${VERIFY_APP} got ${ip}${range ? ` (pool ${range.start}-${range.end})` : ""}`
          : `${VERIFY_NAMESPACE}/${VERIFY_APP} got no address in ${inputs["timeout-seconds"]} s${range ? ` (pool ${range.start}-${range.end})` : " (no network.loadBalancerRange)"}`,
      });
      if (inputs["probe-from-runner"] && ip) {
        let answer = "";
        let lastError = "";
        await timer.time("HTTP from the runner", async () => {
          while (!answer && Date.now() < deadline) {
            try {
              const res = await http(`http://${ip}/hostname`, {
                signal: AbortSignal.timeout(5000),
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
          detail: answer
            ? `http://${ip}/ answered from pod ${answer}`
            : `http://${ip}/ did not answer: ${lastError}`,
        });
      }
    } finally {
      await kubectl(
        ["delete", "namespace", VERIFY_NAMESPACE, "--wait=false", "--ignore-not-found", ...kc],
        {},
      ).catch((error: unknown) =>
        logger.warning(`could not delete ${VERIFY_NAMESPACE}: ${getErrorMessage(error)}`),
      );
    }

    for (const c of checks) logger.info(`${c.ok ? "✓" : "✗"} ${c.check}: ${c.detail}`);
    const passed = checks.every((c) => c.ok);
    deps.setOutput("passed", String(passed));
    deps.setOutput("checks", JSON.stringify(checks));
    const artifact = await finishPhase({
      plan,
      env,
      logger,
      artifactStore: deps.artifactStore,
      summary: [`## verify — ${plan.cluster}`, "", verifyTable(checks)].join("\n"),
      state: {
        phase: "verify",
        status: passed ? "succeeded" : "failed",
        startedAt,
        timings: timer.timings,
        outputs: { checks },
      },
      stateKey: inputs["state-key"],
      uploadFailureIsWarning: !passed,
    });
    deps.setOutput("state-artifact", artifact);
    if (!passed) throw new VerifyFailedError(checks);
    return checks;
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}
