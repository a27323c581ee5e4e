/// The CP15 (and Hyp) system register state of one Cortex-A15 core.
///
/// Read-only identification registers are not stored here; they are constants
/// in `CortexA15ID`. This struct holds what software can write, so the
/// world switch can save and load it as plain data.
public struct SystemRegisters: Sendable, Equatable {
    // PL1 state (what a guest owns)
    public var sctlr: UInt32 = 0x00C5_0078   // Cortex-A15 reset value, MMU/caches off
    public var actlr: UInt32 = 0
    public var cpacr: UInt32 = 0
    public var ttbr0: UInt64 = 0
    public var ttbr1: UInt64 = 0
    public var ttbcr: UInt32 = 0
    public var dacr: UInt32 = 0
    public var dfsr: UInt32 = 0
    public var ifsr: UInt32 = 0
    public var adfsr: UInt32 = 0
    public var aifsr: UInt32 = 0
    public var dfar: UInt32 = 0
    public var ifar: UInt32 = 0
    public var par: UInt64 = 0
    public var prrr: UInt32 = 0x00098AA4     // MAIR0 aliases PRRR
    public var nmrr: UInt32 = 0x44E048E0     // MAIR1 aliases NMRR
    public var amair0: UInt32 = 0
    public var amair1: UInt32 = 0
    public var vbar: UInt32 = 0
    public var contextidr: UInt32 = 0
    public var tpidrurw: UInt32 = 0
    public var tpidruro: UInt32 = 0
    public var tpidrprw: UInt32 = 0
    public var csselr: UInt32 = 0
    public var fcseidr: UInt32 = 0
    public var cntkctl: UInt32 = 0
    // Generic timer (PL1/PL0 view)
    public var cntfrq: UInt32 = 62_500_000
    public var cntpCtl: UInt32 = 0
    public var cntpCval: UInt64 = 0
    public var cntvCtl: UInt32 = 0
    public var cntvCval: UInt64 = 0
    // PL2 (Hyp) state
    public var hsctlr: UInt32 = 0x30C5_0818
    public var hactlr: UInt32 = 0
    public var hcr: UInt32 = 0
    public var hdcr: UInt32 = 6              // HPMN = number of counters (6 on Cortex-A15)
    public var hcptr: UInt32 = 0x33FF
    public var hstr: UInt32 = 0
    public var hacr: UInt32 = 0
    public var htcr: UInt32 = 0x8000_0000
    public var httbr: UInt64 = 0
    public var vtcr: UInt32 = 0x8000_0000
    public var vttbr: UInt64 = 0
    public var hdfar: UInt32 = 0
    public var hifar: UInt32 = 0
    public var hpfar: UInt32 = 0
    public var hsr: UInt32 = 0
    public var hvbar: UInt32 = 0
    public var htpidr: UInt32 = 0
    public var vpidr: UInt32 = CortexA15ID.midr
    public var vmpidr: UInt32 = 0x8000_0000
    public var hmair0: UInt32 = 0
    public var hmair1: UInt32 = 0
    public var hamair0: UInt32 = 0
    public var hamair1: UInt32 = 0
    public var hadfsr: UInt32 = 0
    public var haifsr: UInt32 = 0
    public var cnthctl: UInt32 = 3
    public var cnthpCtl: UInt32 = 0
    public var cnthpCval: UInt64 = 0
    public var cntvoff: UInt64 = 0
    // NSACR reads as all-access on a core without Security Extensions.
    public var nsacr: UInt32 = 0x0000_0C00
    /// Performance monitor registers (storage only: the counters do not count).
    public var pmu = PMURegisters()
    /// CP14 debug registers.
    public var debug = DebugRegisters()

    public init() {}

    // Derived bits used on hot paths.
    @inline(__always) public var mmuEnabled: Bool { sctlr & 1 != 0 }
    @inline(__always) public var alignmentCheck: Bool { sctlr & 2 != 0 }
    @inline(__always) public var longDescriptors: Bool { ttbcr & 0x8000_0000 != 0 }
    @inline(__always) public var hypMMUEnabled: Bool { hsctlr & 1 != 0 }
    @inline(__always) public var stage2Enabled: Bool { hcr & HCR.vm != 0 }
    /// VMID of the current guest context (VTTBR[55:48]).
    @inline(__always) public var vmid: UInt8 { UInt8(truncatingIfNeeded: vttbr >> 48) }
    /// ASID of the current PL1&0 context.
    @inline(__always) public var asid: UInt8 {
        if longDescriptors {
            let ttbr = (ttbcr & (1 << 22)) != 0 ? ttbr1 : ttbr0
            return UInt8(truncatingIfNeeded: ttbr >> 48)
        }
        return UInt8(truncatingIfNeeded: contextidr)
    }
}

/// Bits of the Hyp Configuration Register.
public enum HCR {
    public static let vm: UInt32 = 1 << 0
    public static let swio: UInt32 = 1 << 1
    public static let ptw: UInt32 = 1 << 2
    public static let fmo: UInt32 = 1 << 3
    public static let imo: UInt32 = 1 << 4
    public static let amo: UInt32 = 1 << 5
    public static let vf: UInt32 = 1 << 6
    public static let vi: UInt32 = 1 << 7
    public static let va: UInt32 = 1 << 8
    public static let fb: UInt32 = 1 << 9
    public static let bsuShift: UInt32 = 10
    public static let dc: UInt32 = 1 << 12
    public static let twi: UInt32 = 1 << 13
    public static let twe: UInt32 = 1 << 14
    public static let tid0: UInt32 = 1 << 15
    public static let tid1: UInt32 = 1 << 16
    public static let tid2: UInt32 = 1 << 17
    public static let tid3: UInt32 = 1 << 18
    public static let tsc: UInt32 = 1 << 19
    public static let tidcp: UInt32 = 1 << 20
    public static let tac: UInt32 = 1 << 21
    public static let tsw: UInt32 = 1 << 22
    public static let tpc: UInt32 = 1 << 23
    public static let tpu: UInt32 = 1 << 24
    public static let ttlb: UInt32 = 1 << 25
    public static let tvm: UInt32 = 1 << 26
    public static let tge: UInt32 = 1 << 27
}

/// Identification register values of an ARM Cortex-A15 r4p0 (with VFPv4 and
/// the Virtualization Extensions, no Security Extensions visible, no ThumbEE).
public enum CortexA15ID {
    public static let midr: UInt32 = 0x414F_C0F0
    public static let ctr: UInt32 = 0x8444_C004
    public static let tcmtr: UInt32 = 0
    public static let tlbtr: UInt32 = 0
    public static let revidr: UInt32 = 0
    /// ARM, Thumb-2, trivial Jazelle; State3 (ThumbEE) = 0 because this model
    /// has no ThumbEE (TEECR/TEEHBR are UNDEFINED), unlike the TRM's 0x1131.
    public static let idPFR0: UInt32 = 0x0000_0131
    public static let idPFR1: UInt32 = 0x0001_1001   // generic timer, Virtualization, no Security
    public static let idDFR0: UInt32 = 0x0201_0555
    public static let idAFR0: UInt32 = 0
    public static let idMMFR0: UInt32 = 0x1020_1105
    public static let idMMFR1: UInt32 = 0x2000_0000
    public static let idMMFR2: UInt32 = 0x0124_0000
    public static let idMMFR3: UInt32 = 0x0210_2211
    public static let idISAR0: UInt32 = 0x0210_1110
    public static let idISAR1: UInt32 = 0x1311_2111
    public static let idISAR2: UInt32 = 0x2123_2041
    public static let idISAR3: UInt32 = 0x1111_2131
    public static let idISAR4: UInt32 = 0x1001_1142
    public static let idISAR5: UInt32 = 0
    public static let clidr: UInt32 = 0x0A20_0023
    public static let aidr: UInt32 = 0
    /// CCSIDR for L1 data, L1 instruction and L2 unified caches.
    public static let ccsidrL1D: UInt32 = 0x701F_E00A
    public static let ccsidrL1I: UInt32 = 0x201F_E00A
    /// 2 MiB, 16 ways, 64-byte lines: NumSets-1 = 2047.
    public static let ccsidrL2: UInt32 = 0x70FF_E07A
}
