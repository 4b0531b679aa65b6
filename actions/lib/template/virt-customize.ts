import type { CustomizeRecipe } from "./recipe.js";

export const KUBERNETES_KEYRING = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";

/**
 * The virt-customize command line that turns an Ubuntu cloud image into a Kubernetes node
 * image. Pure: the same recipe gives the same argv (table-tested). Operations run in argv order
 * inside the image: repository first, then packages, then node configuration, then cleaning
 * every per-machine identity so each clone boots as a new machine.
 */
export function virtCustomizeArgs(
  recipe: CustomizeRecipe,
  imagePath: string,
  options: { memsizeMiB?: number; smp?: number } = {},
): string[] {
  const pin = `${recipe.kubernetesVersion}-*`;
  const kube = ["kubelet", "kubeadm", "kubectl"];
  const modules = recipe.kernelModules.length ? `${recipe.kernelModules.join("\n")}\n` : "";
  const sysctls = Object.entries(recipe.sysctls)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join("");
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
    `/etc/apt/sources.list.d/kubernetes.list:deb [signed-by=${KUBERNETES_KEYRING}] ${recipe.kubernetesRepo} /\n`,
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
    "apt-get clean",
  ];
}
