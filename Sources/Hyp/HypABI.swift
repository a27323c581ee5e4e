/// Functions the host may call in Hyp mode through `HVC #0` (r0 = function,
/// r1–r3 = arguments), accepted only while VTTBR.VMID is 0.
public enum HypFunction: UInt32, Sendable {
    /// Run the VCPU whose handle is in r1 until it exits; returns an `HypExitCode`.
    case runVCPU = 1
    /// Invalidate every TLB entry of the VMID in r1, inner-shareable (all cores).
    case flushVMIDTLB = 2
    /// Invalidate all guest TLB entries (TLBIALLNSNHIS) and the instruction
    /// caches (ICIALLUIS), as after a VMID generation roll-over.
    case flushAllGuestTLBs = 3
}

/// Why the world switch returned to the host (the exception that ended the
/// guest's run, as the Linux 3.9 seed numbers them).
public enum HypExitCode: UInt32, Sendable {
    case reset = 0, undefined, software, prefetchAbort, dataAbort, irq, fiq
    /// A guest trap through the Hyp trap vector: the HSR says which.
    case hypTrap = 7
}

/// A failure of the hypervisor itself, never of a guest.
public enum HypPanic: Error, Equatable, CustomStringConvertible, Sendable {
    /// An exception taken in Hyp mode while the host owned the core.
    case unexpectedException(kind: String, address: UInt32, hsr: UInt32)
    /// A Hyp call with an unknown function number or bad argument.
    case badHypCall(function: UInt32)

    public var description: String {
        switch self {
        case let .unexpectedException(kind, address, hsr):
            return "unexpected \(kind) in Hyp mode at: 0x\(String(address, radix: 16)) (HSR 0x\(String(hsr, radix: 16)))"
        case let .badHypCall(function):
            return "unknown Hyp call 0x\(String(function, radix: 16))"
        }
    }
}
