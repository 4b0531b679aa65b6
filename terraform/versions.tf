terraform {
  required_version = ">= 1.8.0"

  required_providers {
    proxmox = {
      source  = "bpg/proxmox"
      version = "0.111.1"
    }
  }

  # Local state for the demo and tests. For real clusters the tofu-provision action passes
  # -backend-config for a remote backend (s3, pg, http) via an override file: workflow artifacts
  # are not a state store (no locking, no consistency between concurrent runs, limited retention).
  backend "local" {}
}
