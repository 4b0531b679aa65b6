/**
 * A valid cluster.yaml used as the starting point of the invalid-config table. Line numbers in
 * the table refer to this text (line 1 = apiVersion), so keep it stable.
 */
export const BASE_CONFIG = `apiVersion: pve-kube/v1
metadata:
  name: demo
proxmox:
  endpoint: https://127.0.0.1:8006
  nodes: [pve1, pve2, pve3]
  storage:
    disks: local-lvm
    images: local
  tls:
    fingerprint: "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"
template:
  vmid: 9000
  node: pve1
  image:
    url: https://cloud-images.ubuntu.com/releases/noble/release-20261101/ubuntu-24.04-server-cloudimg-amd64.img
    sha256: 0b5b3f8a2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f
network:
  bridge: vmbr0
  cidr: 10.0.20.0/24
  gateway: 10.0.20.1
  addresses:
    start: 10.0.20.11
  controlPlaneVip: 10.0.20.10
  loadBalancerRange: 10.0.20.200-10.0.20.220
vmids:
  start: 1000
controlPlane:
  count: 3
  cores: 2
  memoryMiB: 4096
  diskGiB: 32
workerPools:
  - name: general
    count: 2
    cores: 4
    memoryMiB: 8192
    diskGiB: 64
kubernetes:
  version: 1.36.3
  podCidr: 10.244.0.0/16
  serviceCidr: 10.96.0.0/12
cilium:
  version: 1.20.2
services:
  loadBalancer:
    provider: cilium-lb-ipam
ssh:
  user: ubuntu
  publicKeys:
    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINakiA0VmLPlefjWD4HrJPFKHJSqpOZsTNvNNqAdq8vw operator@example
`;

/** Replaces exactly one occurrence of `from`; throws if the base text does not contain it once. */
export function edit(from: string, to: string): (text: string) => string {
  return (text) => {
    const first = text.indexOf(from);
    if (first < 0 || text.indexOf(from, first + 1) >= 0)
      throw new Error(`edit target must occur exactly once: ${from}`);
    return text.slice(0, first) + to + text.slice(first + from.length);
  };
}
