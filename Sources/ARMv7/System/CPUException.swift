/// A synchronous exception raised while executing an instruction.
///
/// Instruction semantics throw these; `Core.takeException` turns them into
/// the architected entry (PL1 mode, or Hyp mode with a syndrome in HSR).
/// Things that end a block without being exceptions (WFI, WFE, an unmasked
/// pending interrupt) are not thrown: see `BlockEndSignal`.
public enum CPUException: Error, Equatable, Sendable {
    /// UNDEFINED instruction.
    case undefined
    /// SVC.
    case supervisorCall
    /// SMC (UNDEFINED on this core unless HCR.TSC traps it to Hyp).
    case secureMonitorCall
    /// BKPT: a debug event, taken as a prefetch abort.
    case breakpoint
    /// HVC #imm16.
    case hypervisorCall(UInt16)
    /// Instruction fetch fault (stage 1 or stage 2).
    case prefetchAbort(MemoryFault)
    /// Data access fault (stage 1 or stage 2, alignment, external).
    case dataAbort(MemoryFault)
    /// An instruction trapped to Hyp mode by HCR/HSTR/HCPTR/HDCR, with the
    /// HSR value to report.
    case hypTrap(syndrome: UInt32)
}

/// The kinds of exception entry the core performs, reported to hooks.
public enum ExceptionKind: Equatable, Sendable {
    case undefined, supervisorCall, prefetchAbort, dataAbort, irq, fiq
    /// Entry to Hyp mode at the given HVBAR offset with the given HSR.
    case hyp(vectorOffset: UInt32, syndrome: UInt32)
}

/// What an exception hook sees.
public struct ExceptionEvent: Sendable {
    /// The kind of entry.
    public let kind: ExceptionKind
    /// Address of the instruction that caused it (or that was interrupted).
    public let address: UInt32
}

/// Exception classes of the Hyp Syndrome Register.
public enum HSRClass: UInt32, Sendable {
    case unknown = 0x00
    case wfiWfe = 0x01
    case cp15_32 = 0x03
    case cp15_64 = 0x04
    case cp14_32 = 0x05
    case cp14LdcStc = 0x06
    case hcptr = 0x07
    case cp10ID = 0x08
    case jazelle = 0x09
    case bxj = 0x0A
    case cp14_64 = 0x0C
    case svcHyp = 0x11
    case hvc = 0x12
    case smc = 0x13
    case prefetchAbortLower = 0x20
    case prefetchAbortHyp = 0x21
    case dataAbortLower = 0x24
    case dataAbortHyp = 0x25

    /// HSR with this class, IL (32-bit instruction) and `iss`.
    public func syndrome(iss: UInt32, il32: Bool = true) -> UInt32 {
        rawValue << 26 | (il32 ? 1 << 25 : 0) | (iss & 0x1FF_FFFF)
    }
}
