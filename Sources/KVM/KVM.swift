import Hyp

/// The KVM host layer (VMs, VCPUs, VMIDs, exits). Arrives with the
/// world-switch issue; this file only anchors the module.
public enum KVMLayer {
    public static let name = "KVM"
}
