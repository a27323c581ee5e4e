import Devices

/// An MMIO window that the kernel side emulates itself (like KVM's
/// in-kernel I/O bus): the vGIC distributor and, without GIC virtualization
/// hardware, the guest's CPU interface. Everything else exits to the VMM.
/// A small enum rather than a protocol: these devices need the accessing
/// VCPU, which `MMIODevice` does not carry.
enum KernelDevice {
    case gicDistributor(VGIC)
    case gicCPUInterface(VGIC)

    /// Performs `a` at `offset` into the window for VCPU `cpu`: the value
    /// read, or 0 for a write.
    func access(_ a: MMIOAccess, offset: UInt64, cpu: Int) -> UInt64 {
        let value = UInt32(truncatingIfNeeded: a.value)
        let o = Int(offset)
        switch self {
        case .gicDistributor(let g):
            if a.isWrite { g.writeDistributor(offset: o, size: a.size, value: value, cpu: cpu); return 0 }
            return UInt64(g.readDistributor(offset: o, size: a.size, cpu: cpu))
        case .gicCPUInterface(let g):
            if a.isWrite { g.writeCPUInterface(offset: o, value: value, cpu: cpu); return 0 }
            return UInt64(g.readCPUInterface(offset: o, cpu: cpu))
        }
    }
}

extension VCPU {
    /// Performs `a` if an in-kernel device claims its address: the value
    /// read (0 for a write), or nil when the VMM must handle it.
    func kernelMMIO(_ a: MMIOAccess) -> UInt64? {
        switch vm.kernelDevices.decode(a.address, size: a.size) {
        case let .device(d, offset): return d.access(a, offset: offset, cpu: id)
        case .ignored: return 0
        case .fault: return nil
        }
    }
}
