output "inventory" {
  description = "Every VM: name, VMID, node, role and address (the input of kubeadm-bootstrap)."
  value = [for name, vm in proxmox_virtual_environment_vm.node : {
    name = name
    vmid = vm.vm_id
    node = vm.node_name
    role = local.vms[name].role
    pool = local.vms[name].pool
    ip   = local.vms[name].ip
  }]
}
