import type { ClusterConfig, ClusterPlan } from "../config/index.js";
import type { HelmValues } from "../helm/values.js";
import { veleroValues, VELERO_NAMESPACE } from "./backup.js";
import { CSI_NAMESPACE, csiValues } from "./csi.js";
import { lbPoolObjects, lbPoolSettings, METALLB_NAMESPACE } from "./lb-pool.js";
import { metallbValues, traefikValues } from "./network.js";
import type { K8sObject } from "./objects.js";
import {
  fluentBitValues,
  LOGGING_NAMESPACE,
  lokiValues,
  monitoringValues,
  MONITORING_NAMESPACE,
} from "./observability.js";
import { installOrder, type ServiceId } from "./order.js";

/** Which Secret a release reads, filled from the environment at apply time (never from values). */
export type SecretNeed = "proxmox-csi-config" | "velero-s3";

export interface ReleaseStep {
  kind: "release";
  id: ServiceId;
  release: string;
  namespace: string;
  /** the key of versions.json charts */
  chartKey: string;
  /** manifests/services/<id>/values.yaml is read by the action; these are the layers above it */
  rendered: HelmValues;
  user: HelmValues;
  secrets: SecretNeed[];
  needs: ServiceId[];
}

export interface ObjectsStep {
  kind: "objects";
  id: ServiceId;
  objects: K8sObject[];
  needs: ServiceId[];
}

export type ServiceStep = ReleaseStep | ObjectsStep;

const release = (
  step: Omit<ReleaseStep, "kind" | "secrets" | "needs"> &
    Partial<Pick<ReleaseStep, "secrets" | "needs">>,
): ReleaseStep => ({ kind: "release", secrets: [], needs: [], ...step });

/**
 * What deploy-services installs for this cluster.yaml, in install order: a Helm release per
 * enabled add-on and the LB pool objects. Cilium itself (and with it Cilium's ingress controller
 * and LB-IPAM) is install-cilium's; the pool of LB-IPAM is created here, after it.
 */
export function serviceSteps(config: ClusterConfig, plan: ClusterPlan): ServiceStep[] {
  const s = config.services;
  const steps: ServiceStep[] = [];
  if (s.proxmoxCsi.enabled)
    steps.push(
      release({
        id: "proxmox-csi",
        release: "proxmox-csi-plugin",
        namespace: CSI_NAMESPACE,
        chartKey: "proxmox-csi-plugin",
        rendered: csiValues(config),
        user: s.proxmoxCsi.values,
        secrets: ["proxmox-csi-config"],
      }),
    );
  if (s.loadBalancer.provider === "metallb")
    steps.push(
      release({
        id: "metallb",
        release: "metallb",
        namespace: METALLB_NAMESPACE,
        chartKey: "metallb",
        rendered: metallbValues(),
        user: s.loadBalancer.values,
      }),
    );
  const pool = lbPoolSettings(config, plan);
  // MetalLB's webhook validates the pool: after its release is ready
  if (pool)
    steps.push({
      kind: "objects",
      id: "lb-pool",
      objects: lbPoolObjects(pool),
      needs: ["metallb"],
    });
  if (s.monitoring.enabled)
    steps.push(
      release({
        id: "kube-prometheus-stack",
        release: "kube-prometheus-stack",
        namespace: MONITORING_NAMESPACE,
        chartKey: "kube-prometheus-stack",
        rendered: monitoringValues(config),
        user: s.monitoring.values,
        needs: ["proxmox-csi"],
      }),
    );
  if (s.ingress.enabled && s.ingress.controller === "traefik")
    steps.push(
      release({
        id: "traefik",
        release: "traefik",
        namespace: "traefik",
        chartKey: "traefik",
        rendered: traefikValues(config, plan),
        user: s.ingress.values,
        needs: ["lb-pool"],
      }),
    );
  if (s.logging.enabled) {
    steps.push(
      release({
        id: "loki",
        release: "loki",
        namespace: LOGGING_NAMESPACE,
        chartKey: "loki",
        rendered: lokiValues(config),
        user: s.logging.values,
        needs: ["proxmox-csi"],
      }),
      release({
        id: "fluent-bit",
        release: "fluent-bit",
        namespace: LOGGING_NAMESPACE,
        chartKey: "fluent-bit",
        rendered: fluentBitValues(config),
        user: s.logging.fluentBitValues,
        needs: ["loki"],
      }),
    );
  }
  if (s.backup.enabled)
    steps.push(
      release({
        id: "velero",
        release: "velero",
        namespace: VELERO_NAMESPACE,
        chartKey: "velero",
        rendered: veleroValues(config),
        user: s.backup.values,
        secrets: ["velero-s3"],
        needs: ["proxmox-csi"],
      }),
    );
  return installOrder(steps);
}
