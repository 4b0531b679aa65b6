import { z } from "zod";
import { dnsLabel } from "./schema-infra.js";
import { TAINT } from "./patterns.js";

const sizes = {
  cores: z.int().min(1).max(512),
  memoryMiB: z.int().min(512).max(4_194_304),
  diskGiB: z.int().min(4).max(65_536),
};

export const controlPlaneSchema = z
  .strictObject({
    count: z
      .int()
      .min(1)
      .max(9)
      .default(3)
      .describe("Number of control planes: 1, 3 or 5 (odd, for etcd quorum)."),
    cores: sizes.cores.default(2),
    memoryMiB: sizes.memoryMiB.default(4096),
    diskGiB: sizes.diskGiB.default(32),
    nodes: z
      .array(dnsLabel)
      .optional()
      .describe("Proxmox nodes to spread control planes over; defaults to all proxmox.nodes."),
    endpoint: z
      .strictObject({
        provider: z
          .enum(["kube-vip", "keepalived"])
          .default("kube-vip")
          .describe(
            "Who holds network.controlPlaneVip: kube-vip (static pod, API port 6443) or keepalived with HAProxy on every control plane (VIP port 8443).",
          ),
      })
      .prefault({})
      .describe("The control-plane endpoint (the VIP in front of the API servers)."),
  })
  .prefault({});

export const workerPoolSchema = z.strictObject({
  name: dnsLabel.max(20, "must be at most 20 characters"),
  count: z.int().min(0).max(500),
  cores: sizes.cores.default(2),
  memoryMiB: sizes.memoryMiB.default(4096),
  diskGiB: sizes.diskGiB.default(40),
  labels: z
    .record(
      z
        .string()
        .regex(
          /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
          "must be a Kubernetes label key",
        ),
      z.string(),
    )
    .default({}),
  taints: z
    .array(z.string().regex(new RegExp(TAINT), "must be a taint such as dedicated=gpu:NoSchedule"))
    .default([]),
  nodes: z
    .array(dnsLabel)
    .optional()
    .describe("Proxmox nodes for this pool; defaults to all proxmox.nodes."),
});
