provider "proxmox" {
  # null (what the tofu-provision action renders): PROXMOX_VE_ENDPOINT, which the action points at
  # its loopback relay for each OpenTofu process, so a saved plan never records that address
  endpoint = var.proxmox_endpoint
  insecure = var.proxmox_insecure
  # api_token comes from PROXMOX_VE_API_TOKEN (user@realm!id=secret), never from a file
}

locals {
  vms = { for vm in var.vms : vm.name => vm }
}

resource "proxmox_virtual_environment_vm" "node" {
  for_each = local.vms

  name        = each.value.name
  node_name   = each.value.node
  vm_id       = each.value.vmid
  pool_id     = var.pool
  tags        = sort(each.value.tags)
  description = "Managed by pve-kube. cluster=${var.cluster} uid=${var.cluster_uid} role=${each.value.role} pool=${each.value.pool}"
  on_boot     = true
  started     = true

  # Where a VM was cloned from is a fact of its creation, not a setting to converge: a rebuilt
  # template (a recipe change gets a new VMID) is used by new VMs only. Without this every clone
  # attribute forces replacement, so a template rebuild would plan replacing every VM — control
  # planes included. Existing VMs move onto a new template only when an operator rolls them one by
  # one (docs/opentofu.md, "Rolling nodes onto a new template").
  lifecycle {
    ignore_changes = [clone]
  }

  clone {
    vm_id     = var.template_vmid
    node_name = var.template_node
    full      = !var.linked_clones
    retries   = 3
  }

  agent {
    enabled = true
    timeout = "10m"
  }

  cpu {
    cores = each.value.cores
    type  = "x86-64-v2-AES"
  }

  memory {
    dedicated = each.value.memory_mib
  }

  disk {
    datastore_id = var.disk_storage
    interface    = "scsi0"
    size         = each.value.disk_gib
  }

  network_device {
    bridge  = var.network.bridge
    vlan_id = var.network.vlan
  }

  operating_system {
    type = "l26"
  }

  # The template's serial console (build-template sets serial0=socket), declared so that a VM
  # adopted into state after an interrupted apply (its clone block ignored above) does not plan
  # removing the console its template gave it.
  serial_device {
    device = "socket"
  }

  initialization {
    datastore_id = var.disk_storage

    ip_config {
      ipv4 {
        address = "${each.value.ip}/${var.network.prefix}"
        gateway = var.network.gateway
      }
    }

    dns {
      servers = var.network.dns
      domain  = var.network.search_domain
    }

    user_account {
      username = var.ssh.user
      keys     = var.ssh.public_keys
    }
  }
}
