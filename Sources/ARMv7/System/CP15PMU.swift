/// The performance monitors (PMUv2, CRn = c9, CRm = c12-c14) of the
/// Cortex-A15 model: the registers as software reads and writes them. What
/// counts, and when, is PMUCounting.swift.

/// PMU register state (part of `SystemRegisters`).
public struct PMURegisters: Sendable, Equatable {
    /// Number of event counters (PMCR.N on Cortex-A15).
    public static let counters = 6
    /// PMCR bits E (0), D (3), X (4), DP (5).
    public var control: UInt32 = 0
    /// PMCNTENSET/CLR: counters 0-5 and the cycle counter (bit 31).
    public var countEnable: UInt32 = 0
    /// PMOVSR / PMOVSSET.
    public var overflow: UInt32 = 0
    /// PMINTENSET/CLR.
    public var interruptEnable: UInt32 = 0
    /// PMSELR.SEL.
    public var select: UInt32 = 0
    /// PMCCNTR.
    public var cycleCount: UInt32 = 0
    /// The cycle counter filter, reached through PMXEVTYPER with SEL = 31.
    public var cycleFilter: UInt32 = 0
    public var eventType = InlineRegisters(count: PMURegisters.counters)
    public var eventCount = InlineRegisters(count: PMURegisters.counters)
    /// PMUSERENR.EN.
    public var userEnable: UInt32 = 0

    // Counting bookkeeping (PMUCounting.swift): the instruction count and the
    // cycle source at the last sync, the cycles not yet worth a tick of the
    // ÷64 divider, and whether counting is suspended (the VCPU is not running).
    public var lastInstructionCount: UInt64 = 0
    public var lastCycleStamp: UInt64 = 0
    public var dividerRemainder: UInt64 = 0
    public var suspended = false

    public init() {}

    /// Bits of the counter set/clear registers that exist.
    static let counterMask: UInt32 = 0x8000_0000 | ((1 << UInt32(counters)) - 1)
    /// Event type: P, U, NSK, NSU, NSH filters and the event number.
    static let eventTypeMask: UInt32 = 0xF800_00FF
}

extension Core {
    /// PMCR as read: implementer ARM (0x41), IDCODE 0x0F (Cortex-A15), N
    /// counters (from PL1 N is HDCR.HPMN, the number Hyp leaves to the guest).
    var pmcrValue: UInt32 {
        let n = mode == .hyp ? UInt32(PMURegisters.counters) : sys.hdcr & 0x1F
        return 0x4100_0000 | 0x0F << 16 | n << 11 | sys.pmu.control
    }

    func readPMU(_ r: CPReg) -> UInt64 {
        pmuSync()
        let p = sys.pmu
        let v: UInt32
        switch r {
        case .pmcr: v = pmcrValue
        case .pmcntenset, .pmcntenclr: v = p.countEnable
        case .pmovsr, .pmovsset: v = p.overflow
        case .pmselr: v = p.select
        case .pmceid0: v = PMUEvent.implementedMask
        case .pmceid1: v = 0
        case .pmccntr: v = p.cycleCount
        case .pmxevtyper:
            let s = Int(p.select)
            v = s < PMURegisters.counters ? p.eventType[s] : (s == 31 ? p.cycleFilter : 0)
        case .pmxevcntr:
            let s = Int(p.select)
            v = s < PMURegisters.counters ? p.eventCount[s] : 0
        case .pmuserenr: v = p.userEnable
        case .pmintenset, .pmintenclr: v = p.interruptEnable
        default: v = 0
        }
        return UInt64(v)
    }

    func writePMU(_ r: CPReg, _ v: UInt32) {
        // Counts up to here belong to the old configuration.
        pmuSync()
        defer { pmuUpdateInterrupt() }
        switch r {
        case .pmcr:
            sys.pmu.control = v & 0x39
            if v & 2 != 0 {
                for i in 0..<PMURegisters.counters { sys.pmu.eventCount[i] = 0 }
            }
            if v & 4 != 0 { sys.pmu.cycleCount = 0 }
        case .pmcntenset: sys.pmu.countEnable |= v & PMURegisters.counterMask
        case .pmcntenclr: sys.pmu.countEnable &= ~(v & PMURegisters.counterMask)
        case .pmovsr: sys.pmu.overflow &= ~(v & PMURegisters.counterMask)
        case .pmovsset: sys.pmu.overflow |= v & PMURegisters.counterMask
        case .pmswinc: pmuSoftwareIncrement(v)
        case .pmselr: sys.pmu.select = v & 0x1F
        case .pmccntr: sys.pmu.cycleCount = v
        case .pmxevtyper:
            let s = Int(sys.pmu.select)
            if s < PMURegisters.counters {
                sys.pmu.eventType[s] = v & PMURegisters.eventTypeMask
            } else if s == 31 {
                sys.pmu.cycleFilter = v & 0xF800_0000
            }
        case .pmxevcntr:
            let s = Int(sys.pmu.select)
            if s < PMURegisters.counters { sys.pmu.eventCount[s] = v }
        case .pmuserenr: sys.pmu.userEnable = v & 1
        case .pmintenset: sys.pmu.interruptEnable |= v & PMURegisters.counterMask
        case .pmintenclr: sys.pmu.interruptEnable &= ~(v & PMURegisters.counterMask)
        default: break
        }
    }
}
