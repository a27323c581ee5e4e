import CHostAtomics

/// What the PMUv2 counts (ARM ARM C12.8, Cortex-A15 TRM 11.8). Counters are
/// brought up to date lazily: `pmuSync` folds in the instructions and cycles
/// since the last sync, attributed to the current privilege level's filter.
/// It runs before every PMU register access, at the end of every run-loop
/// chunk while PMCR.E is set (so an overflow is seen within one chunk), on
/// exception entry and around the world switch; a read therefore sees the
/// counts up to the last chunk boundary, and an exact instruction count at
/// chunk granularity (deterministic under `--icount`).
///
/// Cycles are host nanoseconds while the core runs (a 1 GHz clock) or, in
/// deterministic runs, one per instruction. Counting stops while the VCPU is
/// not running (`pmuSuspend`/`pmuResume` around the world switch).
public enum PMUEvent {
    public static let softwareIncrement: UInt32 = 0x00
    public static let instructionsRetired: UInt32 = 0x08
    public static let exceptionsTaken: UInt32 = 0x09
    public static let exceptionReturns: UInt32 = 0x0A
    public static let cycles: UInt32 = 0x11
    /// PMCEID0: the common events this model counts.
    public static let implementedMask: UInt32 =
        1 << softwareIncrement | 1 << instructionsRetired | 1 << exceptionsTaken
        | 1 << exceptionReturns | 1 << cycles
}

extension PMURegisters {
    /// PMCR.E; PMCR.D (the cycle counter counts every 64th cycle).
    static let enable: UInt32 = 1 << 0, divider: UInt32 = 1 << 3
    /// The cycle counter's bit in the enable, overflow and interrupt registers.
    static let cycleBit: UInt32 = 1 << 31

    /// The overflow interrupt request (PPI 7, INTID 23): an overflow flag
    /// whose interrupt is enabled, while PMCR.E is set (as QEMU and the A15).
    public var interruptAsserted: Bool {
        control & PMURegisters.enable != 0 && overflow & interruptEnable != 0
    }
}

extension Core {
    /// The privilege level filters of PMXEVTYPER/PMCCFILTR: P (31), U (30),
    /// NSK (29), NSU (28), NSH (27). This core is always Non-secure: PL1
    /// counts when NSK equals P, PL0 when NSU equals U, Hyp when NSH is set.
    @inline(__always) func pmuFilterAllows(_ filter: UInt32) -> Bool {
        switch mode {
        case .user: return (filter >> 30) & 1 == (filter >> 28) & 1
        case .hyp: return filter & (1 << 27) != 0
        default: return (filter >> 31) & 1 == (filter >> 29) & 1
        }
    }

    /// Whether event counter `i` counts now: counters below HDCR.HPMN are
    /// enabled by PMCR.E, the rest belong to Hyp and are enabled by HDCR.HPME.
    @inline(__always) func pmuCounterEnabled(_ i: Int) -> Bool {
        guard sys.pmu.countEnable & (1 << UInt32(i)) != 0 else { return false }
        if UInt32(i) < sys.hdcr & HDCR.hpmnMask { return sys.pmu.control & PMURegisters.enable != 0 }
        return sys.hdcr & HDCR.hpme != 0
    }

    /// The cycle clock: host nanoseconds, or instructions in deterministic runs.
    var pmuCycleStamp: UInt64 {
        if case .hostMonotonic = counterSource { return hostMonotonicNanos() }
        return instructionCount
    }

    /// Folds the instructions and cycles since the last sync into the counters.
    func pmuSync() {
        let instructions = instructionCount &- sys.pmu.lastInstructionCount
        sys.pmu.lastInstructionCount = instructionCount
        if sys.pmu.suspended { return }
        let stamp = pmuCycleStamp
        let cycles = stamp &- sys.pmu.lastCycleStamp
        sys.pmu.lastCycleStamp = stamp
        guard sys.pmu.countEnable != 0, instructions != 0 || cycles != 0 else { return }
        if sys.pmu.countEnable & PMURegisters.cycleBit != 0,
           sys.pmu.control & PMURegisters.enable != 0, pmuFilterAllows(sys.pmu.cycleFilter) {
            var ticks = cycles
            if sys.pmu.control & PMURegisters.divider != 0 {
                let total = sys.pmu.dividerRemainder &+ cycles
                ticks = total / 64
                sys.pmu.dividerRemainder = total % 64
            }
            let (sum, wrapped) = sys.pmu.cycleCount.addingReportingOverflow(UInt32(truncatingIfNeeded: ticks))
            sys.pmu.cycleCount = sum
            if wrapped || ticks > UInt64(UInt32.max) { sys.pmu.overflow |= PMURegisters.cycleBit }
        }
        for i in 0..<PMURegisters.counters where pmuCounterEnabled(i) && pmuFilterAllows(sys.pmu.eventType[i]) {
            switch sys.pmu.eventType[i] & 0xFF {
            case PMUEvent.instructionsRetired: pmuAdd(i, instructions)
            case PMUEvent.cycles: pmuAdd(i, cycles)
            default: break
            }
        }
        pmuUpdateInterrupt()
    }

    /// Adds `n` to event counter `i`, setting its overflow flag when it wraps.
    @inline(__always) func pmuAdd(_ i: Int, _ n: UInt64) {
        let (sum, wrapped) = sys.pmu.eventCount[i].addingReportingOverflow(UInt32(truncatingIfNeeded: n))
        sys.pmu.eventCount[i] = sum
        if wrapped || n > UInt64(UInt32.max) { sys.pmu.overflow |= 1 << UInt32(i) }
    }

    /// Counts one occurrence of `event` (exceptions taken and returns, after
    /// syncing so the instruction counts before it are attributed first).
    func pmuCountEvent(_ event: UInt32) {
        guard sys.pmu.countEnable != 0, !sys.pmu.suspended else { return }
        for i in 0..<PMURegisters.counters where sys.pmu.eventType[i] & 0xFF == event
            && pmuCounterEnabled(i) && pmuFilterAllows(sys.pmu.eventType[i]) {
            pmuAdd(i, 1)
        }
        pmuUpdateInterrupt()
    }

    /// PMSWINC: counters in `bits` that count event 0 and are enabled step.
    func pmuSoftwareIncrement(_ bits: UInt32) {
        for i in 0..<PMURegisters.counters where bits & (1 << UInt32(i)) != 0
            && sys.pmu.eventType[i] & 0xFF == PMUEvent.softwareIncrement && pmuCounterEnabled(i) {
            pmuAdd(i, 1)
        }
    }

    /// Publishes the overflow interrupt request: the board's interrupt
    /// controller (or KVM, for a guest) samples `pmuInterruptRequest`.
    @inline(__always) func pmuUpdateInterrupt() {
        pmuInterruptRequest = sys.pmu.interruptAsserted
    }

    /// Stops counting (the VCPU leaves the core): counts so far are folded in.
    public func pmuSuspend() {
        pmuSync()
        sys.pmu.suspended = true
    }

    /// Resumes counting from now (the VCPU's PMU state was just loaded).
    public func pmuResume() {
        sys.pmu.suspended = false
        sys.pmu.lastInstructionCount = instructionCount
        sys.pmu.lastCycleStamp = pmuCycleStamp
        pmuUpdateInterrupt()
    }
}
