/// Why `VCPU.run()` returned to the VMM.
public enum VCPUExit: Equatable, Sendable {
    /// The guest accessed guest-physical memory that is not RAM. For a read,
    /// the VMM answers with `VCPU.completeMMIORead(_:)` before the next run.
    case mmio(MMIOAccess)
    /// An HVC the kernel side does not handle (not PSCI): r0–r3 as the guest
    /// left them. Resuming continues after the HVC.
    case hypercall(function: UInt32, arguments: [UInt32])
    /// The guest asked the machine to power off or reset (PSCI).
    case systemEvent(SystemEvent)
    /// Another thread called `kick()`.
    case interrupted
    /// The hypervisor could not continue this VCPU.
    case internalError(String)
}

/// One guest MMIO access.
public struct MMIOAccess: Equatable, Sendable {
    /// Guest-physical address.
    public var address: UInt64
    /// 1, 2, 4 or 8 bytes.
    public var size: Int
    public var isWrite: Bool
    /// The value written (zero for reads).
    public var value: UInt64
}

/// Machine-wide requests from a guest.
public enum SystemEvent: Equatable, Sendable {
    case shutdown, reset
}
