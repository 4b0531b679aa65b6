/** Shared string formats of cluster.yaml, as regular expressions (they also go into the JSON Schema). */
export const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
export const ENV_NAME = "^[A-Z_][A-Z0-9_]*$";
export const SHA256_HEX = "^[a-f0-9]{64}$";
/** SHA-256 certificate fingerprint as Proxmox shows it: 32 colon-separated hex pairs. */
export const TLS_FINGERPRINT = "^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$";
export const SEMVER_PATCH = "^\\d+\\.\\d+\\.\\d+$";
export const SSH_PUBLIC_KEY =
  "^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/]+={0,3}( .*)?$";
/** Kubernetes taint `key[=value]:Effect`. */
export const TAINT =
  "^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?(=[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?:(NoSchedule|PreferNoSchedule|NoExecute)$";
/** Proxmox storage and bridge identifiers. */
export const PVE_ID = "^[A-Za-z][A-Za-z0-9\\-_.]*$";
