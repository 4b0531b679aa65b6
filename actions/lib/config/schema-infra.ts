import { z } from "zod";
import { CIDR_PATTERN, IP_RANGE_PATTERN, IPV4_PATTERN } from "./ipv4.js";
import { DNS_LABEL, ENV_NAME, PVE_ID, SHA256_HEX, TLS_FINGERPRINT } from "./patterns.js";

const re = (pattern: string, message: string) => z.string().regex(new RegExp(pattern), message);

export const dnsLabel = re(
  DNS_LABEL,
  "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
);
export const envName = re(
  ENV_NAME,
  "must be the NAME of an environment variable or secret (upper-case, digits, '_'), never the secret itself",
);
export const pveId = re(PVE_ID, "must be a Proxmox identifier (letters, digits, '-', '_', '.')");
export const ipv4 = re(IPV4_PATTERN, "must be an IPv4 address such as 10.0.20.10");
export const cidr = re(CIDR_PATTERN, "must be an IPv4 CIDR such as 10.0.20.0/24");

export const metadataSchema = z.strictObject({
  name: dnsLabel
    .max(40, "must be at most 40 characters (VM names add suffixes such as -cp-1)")
    .describe("Cluster name; prefixes every VM name and tag."),
  uid: z
    .string()
    .regex(/^[a-z0-9]{6,32}$/, "must be 6–32 lower-case letters or digits")
    .optional()
    .describe(
      "Stable cluster identity stored on every VM; defaults to a hash of the name and the Proxmox endpoint.",
    ),
});

export const tlsSchema = z
  .strictObject({
    fingerprint: re(
      TLS_FINGERPRINT,
      "must be a SHA-256 fingerprint: 32 colon-separated hex pairs, as shown by `pvenode cert info`",
    )
      .optional()
      .describe(
        "Pin the Proxmox certificate by its SHA-256 fingerprint (the usual choice for self-signed Proxmox).",
      ),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe("Trust this CA certificate file (PEM), relative to cluster.yaml."),
    insecure: z
      .boolean()
      .optional()
      .describe(
        "Skip TLS verification. Only by explicit opt-in; a warning is printed on every run.",
      ),
  })
  .describe(
    "How the Proxmox certificate is trusted: exactly one of fingerprint, caFile or insecure. Empty: the system CA store.",
  );

export const proxmoxSchema = z.strictObject({
  endpoint: z
    .url({
      protocol: /^https$/,
      error: "must be an https:// URL such as https://pve1.example.lan:8006",
    })
    .describe("Proxmox VE API URL."),
  nodes: z.array(dnsLabel).min(1).describe("Proxmox nodes pve-kube may place VMs on."),
  storage: z
    .strictObject({
      disks: pveId
        .default("local-lvm")
        .describe("Storage for VM disks and cloud-init drives (content type images)."),
      images: pveId
        .default("local")
        .describe("Storage for downloaded/uploaded cloud images (content type import)."),
    })
    .prefault({}),
  pool: pveId.optional().describe("Proxmox resource pool the cluster's VMs join."),
  tls: tlsSchema.prefault({}),
  tokenIdEnv: envName
    .default("PROXMOX_TOKEN_ID")
    .describe("Environment variable holding the API token id (user@realm!name)."),
  tokenSecretEnv: envName
    .default("PROXMOX_TOKEN_SECRET")
    .describe("Environment variable holding the API token secret."),
});

export const templateSchema = z.strictObject({
  vmid: z
    .int()
    .min(100)
    .max(999_999_999)
    .default(9000)
    .describe("VMID of the template (a rebuild takes the next free VMID above)."),
  node: dnsLabel
    .optional()
    .describe("Node that holds the template; defaults to the first Proxmox node."),
  storage: pveId
    .optional()
    .describe("Storage of the template disk; defaults to proxmox.storage.disks."),
  name: dnsLabel.optional().describe("Template VM name; defaults to <cluster>-template."),
  image: z
    .strictObject({
      url: z
        .url({ protocol: /^https?$/ })
        .describe("Cloud image URL (a dated release, never a moving 'current' link)."),
      sha256: re(SHA256_HEX, "must be 64 lower-case hex characters").describe(
        "SHA-256 of the image file.",
      ),
    })
    .optional()
    .describe("Cloud image; defaults to the Ubuntu LTS image pinned in versions.json."),
  source: z
    .enum(["upload", "download-url"])
    .default("upload")
    .describe(
      "upload: customise on the runner and upload; download-url: Proxmox downloads the base image itself.",
    ),
  machine: z.enum(["q35", "i440fx"]).default("q35"),
  bios: z.enum(["seabios", "ovmf"]).default("seabios"),
  customisation: z
    .strictObject({
      packages: z
        .array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, "must be a Debian package name"))
        .default([])
        .describe("Extra packages baked into the template."),
      kernelModules: z
        .array(z.string().regex(/^[a-z0-9_-]+$/, "must be a kernel module name"))
        .default(["overlay", "br_netfilter"]),
      sysctls: z
        .record(z.string().regex(/^[a-z0-9_.-]+$/, "must be a sysctl key"), z.string())
        .default({
          "net.ipv4.ip_forward": "1",
          "net.bridge.bridge-nf-call-iptables": "1",
          "net.bridge.bridge-nf-call-ip6tables": "1",
        }),
    })
    .prefault({}),
});

export const networkSchema = z.strictObject({
  bridge: pveId.default("vmbr0").describe("Proxmox bridge of the VM NICs."),
  vlan: z.int().min(1).max(4094).optional().describe("VLAN tag of the VM NICs."),
  cidr: cidr.describe("Node network, e.g. 10.0.20.0/24."),
  gateway: ipv4,
  dns: z.array(ipv4).optional().describe("DNS servers; defaults to the gateway."),
  searchDomain: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "must be a domain name")
    .optional(),
  addresses: z
    .strictObject({
      start: ipv4.describe("First static address; VMs get consecutive addresses from here."),
      overrides: z
        .record(dnsLabel, ipv4)
        .default({})
        .describe("Fixed addresses for single VMs by name, e.g. demo-cp-1: 10.0.20.50."),
    })
    .describe("Static IP allocation."),
  controlPlaneVip: ipv4.describe("Virtual IP of the Kubernetes API (kube-vip)."),
  loadBalancerRange: re(IP_RANGE_PATTERN, "must be a range such as 10.0.20.200-10.0.20.220")
    .optional()
    .describe("Addresses for LoadBalancer services."),
});

export const vmidsSchema = z
  .strictObject({
    start: z
      .int()
      .min(100)
      .max(999_999_999)
      .default(1000)
      .describe("First VMID of the cluster's VMs (consecutive)."),
  })
  .prefault({});
