# Every value comes from the JSON var file the tofu-provision action renders from cluster.yaml
# (the ClusterPlan), so this module never re-derives placement, addresses or VMIDs.

variable "cluster" {
  description = "Cluster name (metadata.name)."
  type        = string
}

variable "cluster_uid" {
  description = "Stable cluster identity, written into every VM description to prove ownership."
  type        = string
}

variable "proxmox_endpoint" {
  description = "Proxmox VE API URL, e.g. https://pve1.example.lan:8006/. null: taken from PROXMOX_VE_ENDPOINT (the tofu-provision action sets it to its read-retrying relay)."
  type        = string
  default     = null
}

variable "proxmox_insecure" {
  description = "Skip TLS verification (explicit opt-in only). Trust a CA or pinned certificate through SSL_CERT_FILE instead."
  type        = bool
  default     = false
}

variable "template_vmid" {
  description = "VMID of the template the VMs are cloned from."
  type        = number
}

variable "template_node" {
  description = "Proxmox node that holds the template."
  type        = string
}

variable "linked_clones" {
  description = "Linked clones (fast, share the template's base disk) instead of full copies."
  type        = bool
  default     = true
}

variable "disk_storage" {
  description = "Storage for VM disks and cloud-init drives."
  type        = string
}

variable "pool" {
  description = "Proxmox resource pool of the VMs, or null."
  type        = string
  default     = null
}

variable "network" {
  description = "Bridge, VLAN, gateway, prefix length, DNS servers and search domain of the node network."
  type = object({
    bridge        = string
    vlan          = optional(number)
    gateway       = string
    prefix        = number
    dns           = list(string)
    search_domain = optional(string)
  })
}

variable "ssh" {
  description = "Cloud-init user and the public keys authorised on every VM."
  type = object({
    user        = string
    public_keys = list(string)
  })
}

variable "vms" {
  description = "Every VM of the cluster, as planned by pve-kube (name, role, node, VMID, IP, sizes, tags)."
  type = list(object({
    name       = string
    role       = string
    pool       = string
    node       = string
    vmid       = number
    ip         = string
    cores      = number
    memory_mib = number
    disk_gib   = number
    tags       = list(string)
  }))

  validation {
    condition     = length(distinct([for vm in var.vms : vm.vmid])) == length(var.vms)
    error_message = "Every VM needs its own VMID."
  }
}
