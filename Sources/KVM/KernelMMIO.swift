/// MMIO that the kernel side emulates itself (like KVM's in-kernel I/O bus):
/// the vGIC distributor and, without GIC virtualization hardware, the
/// guest's CPU interface. Everything else exits to the VMM.
extension VCPU {
    /// Performs `a` if an in-kernel device claims its address: the value
    /// read (0 for a write), or nil when the VMM must handle it.
    func kernelMMIO(_ a: MMIOAccess) -> UInt64? {
        guard let g = vm.vgic else { return nil }
        let value = UInt32(truncatingIfNeeded: a.value)
        if a.address &- g.distributorBase < VGIC.distributorSize {
            let o = Int(a.address - g.distributorBase)
            if a.isWrite { g.writeDistributor(offset: o, size: a.size, value: value, cpu: id); return 0 }
            return UInt64(g.readDistributor(offset: o, size: a.size, cpu: id))
        }
        if a.address &- g.cpuInterfaceBase < VGIC.cpuInterfaceSize {
            let o = Int(a.address - g.cpuInterfaceBase)
            if a.isWrite { g.writeCPUInterface(offset: o, value: value, cpu: id); return 0 }
            return UInt64(g.readCPUInterface(offset: o, cpu: id))
        }
        return nil
    }
}
