import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import {
  CommandError,
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/template/recipe.ts
import { createHash } from "node:crypto";
var BASE_PACKAGES = [
  "qemu-guest-agent",
  "containerd",
  "apt-transport-https",
  "ca-certificates",
  "curl",
  "gpg"
];
function kubernetesMinor(version) {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a Kubernetes version: ${version}`);
  return `${match[1]}.${match[2]}`;
}
__name(kubernetesMinor, "kubernetesMinor");
function templateRecipe(loaded, options) {
  const { plan, config } = loaded;
  const custom = config.template.customisation;
  const version = plan.kubernetes.version.replace(/^v/, "");
  const vm = {
    node: plan.template.node,
    storage: plan.template.storage,
    machine: plan.template.machine,
    bios: plan.template.bios,
    scsihw: "virtio-scsi-single",
    cores: 2,
    memoryMiB: 2048,
    ostype: "l26"
  };
  if (options.prebuilt) {
    return {
      format: 1,
      image: { sha256: options.prebuilt.sha256 },
      source: "prebuilt",
      customize: null,
      vm,
      simulated: false
    };
  }
  return {
    format: 1,
    image: { url: plan.template.image.url, sha256: plan.template.image.sha256 },
    source: plan.template.source,
    customize: plan.template.source === "upload" ? {
      kubernetesVersion: version,
      kubernetesRepo: `https://pkgs.k8s.io/core:/stable:/v${kubernetesMinor(version)}/deb/`,
      packages: [.../* @__PURE__ */ new Set([...BASE_PACKAGES, ...custom.packages])].sort(),
      kernelModules: [...custom.kernelModules],
      sysctls: Object.fromEntries(
        Object.entries(custom.sysctls).sort(([a], [b]) => a.localeCompare(b))
      )
    } : null,
    vm,
    simulated: options.simulated && plan.template.source === "upload"
  };
}
__name(templateRecipe, "templateRecipe");
function describeImage(recipe) {
  return recipe.source === "prebuilt" ? `pre-built image (sha256 ${recipe.image.sha256})` : `${recipe.image.url ?? "?"} (sha256 ${recipe.image.sha256})`;
}
__name(describeImage, "describeImage");
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
__name(canonicalJson, "canonicalJson");
function recipeFingerprint(recipe) {
  return createHash("sha256").update(canonicalJson(recipe)).digest("hex");
}
__name(recipeFingerprint, "recipeFingerprint");
function recipeTag(fingerprint) {
  return `pve-kube-recipe-${fingerprint.slice(0, 16)}`;
}
__name(recipeTag, "recipeTag");
var TEMPLATE_TAG = "pve-kube-template";
var BUILDING_TAG = "pve-kube-building";
var TEMPLATE_RANGE_SIZE = 100;

// actions/lib/template/virt-customize-check.ts
var VIRT_CUSTOMIZE_MISSING = "install the Debian/Ubuntu package guestfs-tools (`sudo apt-get install -y guestfs-tools`; on Debian 11/Ubuntu 20.04 and older it is libguestfs-tools) (runner-setup/ installs it on a self-hosted runner), or set template.source: download-url to let Proxmox download the plain base image";
async function assertVirtCustomize(logger, command = "virt-customize") {
  try {
    const { stdout } = await runTool(command, ["--version"], { logger, timeoutMs: 6e4 });
    return stdout.trim();
  } catch (error) {
    if (error instanceof CommandError && error.exitCode === null && /command not found/.test(error.stderrTail)) {
      throw new ConfigurationError(
        "virt-customize is not installed on this runner, so the cloud image cannot be customised",
        VIRT_CUSTOMIZE_MISSING
      );
    }
    throw error;
  }
}
__name(assertVirtCustomize, "assertVirtCustomize");

// actions/lib/template/virt-customize.ts
var KUBERNETES_KEYRING = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";
function virtCustomizeArgs(recipe, imagePath, options = {}) {
  const pin = `${recipe.kubernetesVersion}-*`;
  const kube = ["kubelet", "kubeadm", "kubectl"];
  const modules = recipe.kernelModules.length ? `${recipe.kernelModules.join("\n")}
` : "";
  const sysctls = Object.entries(recipe.sysctls).map(([k, v]) => `${k} = ${v}
`).join("");
  return [
    // --format applies to the --add options after it
    "--format",
    "qcow2",
    "--add",
    imagePath,
    "--memsize",
    String(options.memsizeMiB ?? 2048),
    "--smp",
    String(options.smp ?? 2),
    // the Kubernetes apt repository of the pinned minor, signed by its own key
    "--mkdir",
    "/etc/apt/keyrings",
    "--run-command",
    `curl -fsSL ${recipe.kubernetesRepo}Release.key | gpg --dearmor --batch --yes -o ${KUBERNETES_KEYRING}`,
    "--write",
    `/etc/apt/sources.list.d/kubernetes.list:deb [signed-by=${KUBERNETES_KEYRING}] ${recipe.kubernetesRepo} /
`,
    "--install",
    [...recipe.packages, ...kube.map((p) => `${p}=${pin}`)].join(","),
    "--run-command",
    `apt-mark hold ${kube.join(" ")}`,
    // kernel modules and sysctls kubeadm's preflight expects
    "--write",
    `/etc/modules-load.d/pve-kube.conf:${modules}`,
    "--write",
    `/etc/sysctl.d/99-pve-kube.conf:${sysctls}`,
    // containerd with the systemd cgroup driver, as kubelet defaults to it
    "--run-command",
    "mkdir -p /etc/containerd && containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' > /etc/containerd/config.toml",
    "--run-command",
    "systemctl enable containerd kubelet",
    // no identity may survive into the template: each clone gets its own
    "--run-command",
    "cloud-init clean --logs --seed",
    "--truncate",
    "/etc/machine-id",
    "--run-command",
    "rm -f /etc/ssh/ssh_host_*",
    "--run-command",
    "apt-get clean"
  ];
}
__name(virtCustomizeArgs, "virtCustomizeArgs");

// actions/lib/template/description.ts
var MARKER = /^pve-kube-build: run=(\S+) started=(\S+)$/m;
function templateDescription(recipe, fingerprint, cluster, building) {
  const lines = [
    `pve-kube template for cluster ${cluster}`,
    `recipe: sha256:${fingerprint}`,
    `image: ${describeImage(recipe)}`,
    recipe.customize ? `customised: Kubernetes ${recipe.customize.kubernetesVersion}, ${recipe.customize.packages.join(", ")}; modules ${recipe.customize.kernelModules.join(", ") || "none"}` : recipe.source === "prebuilt" ? "customised: by the pipeline that built the image (uploaded as it is)" : "customised: no (Proxmox downloaded the base image; nodes are prepared at first boot)",
    `hardware: ${recipe.vm.machine}, ${recipe.vm.bios}, ${recipe.vm.scsihw}, serial console, guest agent`
  ];
  if (recipe.simulated)
    lines.push("SIMULATED: the virt-customize step did not run (embedded demo)");
  if (building) lines.push(`pve-kube-build: run=${building.runId} started=${building.startedAt}`);
  return `${lines.join("\n")}
`;
}
__name(templateDescription, "templateDescription");
function parseBuildMarker(description) {
  if (typeof description !== "string") return void 0;
  const match = MARKER.exec(description);
  return match ? { runId: match[1], startedAt: match[2] } : void 0;
}
__name(parseBuildMarker, "parseBuildMarker");

export {
  templateRecipe,
  recipeFingerprint,
  recipeTag,
  TEMPLATE_TAG,
  BUILDING_TAG,
  TEMPLATE_RANGE_SIZE,
  virtCustomizeArgs,
  templateDescription,
  parseBuildMarker,
  VIRT_CUSTOMIZE_MISSING,
  assertVirtCustomize
};
