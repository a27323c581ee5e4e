import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The generic timer of one core (ARM ARM DDI0406C chapter B8): the system
/// counter as this core sees it, the physical, virtual and Hyp timers, and
/// their CP15 registers.
///
/// Each timer fires when ENABLE is set, IMASK is clear and its counter has
/// reached CVAL. The interrupt controller samples `timerOutputs()`; the
/// machine sleeps until `nextTimerDeadline()`.

/// What drives the physical count (CNTPCT).
public enum CounterSource: Sendable, Equatable {
    /// Host CLOCK_MONOTONIC nanoseconds since `startNanos`, at 62.5 MHz
    /// (one tick every 16 ns), the frequency Linux reports on QEMU's `virt`.
    case hostMonotonic(startNanos: UInt64)
    /// Deterministic: `ticksPerInstruction` per retired instruction
    /// (`Core.instructionCount`, which the run loop advances per block).
    case instructionCount(ticksPerInstruction: UInt64)
    /// Deterministic, as `instructionCount`, plus the time a hypervisor
    /// skipped while the guest idled (icount mode: WFI warps the clock to
    /// the next timer deadline instead of sleeping).
    case virtualClock(VirtualClock)

    /// Nanoseconds per tick of the host-clock source.
    public static let hostNanosPerTick: UInt64 = 16
    /// Frequency of the host-clock source (CNTFRQ's reset value matches it).
    public static let hostFrequency: UInt32 = 62_500_000
}

/// An instruction-driven clock with a warp offset, shared by the cores of
/// a deterministic (icount) machine.
public final class VirtualClock: Sendable, Equatable {
    /// Counter ticks per retired instruction.
    public let ticksPerInstruction: UInt64
    private let skipped = Atomic<UInt64>(0)

    public init(ticksPerInstruction: UInt64) {
        self.ticksPerInstruction = max(1, ticksPerInstruction)
    }

    /// Ticks added by idle warps so far.
    public var warp: UInt64 { skipped.load(ordering: .relaxed) }

    /// Moves the clock forward by `ticks` (an idle period that was skipped).
    public func advance(by ticks: UInt64) { skipped.add(ticks, ordering: .relaxed) }

    public static func == (a: VirtualClock, b: VirtualClock) -> Bool { a === b }
}

/// CLOCK_MONOTONIC in nanoseconds.
public func hostMonotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Bits of CNTx_CTL.
enum TimerCTL {
    static let enable: UInt32 = 1
    static let imask: UInt32 = 2
    static let istatus: UInt32 = 4
}

/// Bits of CNTKCTL.
enum CNTKCTL {
    static let pl0pcten: UInt32 = 1 << 0
    static let pl0vcten: UInt32 = 1 << 1
    static let pl0vten: UInt32 = 1 << 8
    static let pl0pten: UInt32 = 1 << 9
    /// PL0PCTEN, PL0VCTEN, EVNTEN, EVNTDIR, EVNTI, PL0VTEN, PL0PTEN.
    static let writable: UInt32 = 0x3FF
}

/// Bits of CNTHCTL.
enum CNTHCTL {
    static let pl1pcten: UInt32 = 1 << 0
    static let pl1pcen: UInt32 = 1 << 1
    /// PL1PCTEN, PL1PCEN, EVNTEN, EVNTDIR, EVNTI.
    static let writable: UInt32 = 0xFF
}

extension Core {
    /// CNTPCT: the physical count.
    public var physicalCount: UInt64 {
        switch counterSource {
        case .hostMonotonic(let start):
            return (hostMonotonicNanos() &- start) / CounterSource.hostNanosPerTick
        case .instructionCount(let ticks):
            return instructionCount &* ticks
        case .virtualClock(let clock):
            return instructionCount &* clock.ticksPerInstruction &+ clock.warp
        }
    }

    /// CNTVCT = CNTPCT - CNTVOFF.
    public var virtualCount: UInt64 { physicalCount &- sys.cntvoff }

    /// Whether a timer with this control and compare value asserts its
    /// condition at `count` (ISTATUS, ignoring IMASK).
    @inline(__always) static func timerCondition(ctl: UInt32, cval: UInt64, count: UInt64) -> Bool {
        ctl & TimerCTL.enable != 0 && count >= cval
    }

    /// The interrupt output of each timer: ENABLE, not IMASK, counter >= CVAL.
    public func timerOutputs() -> (physical: Bool, virtual: Bool, hyp: Bool) {
        let p = physicalCount
        let v = p &- sys.cntvoff
        func fires(_ ctl: UInt32, _ cval: UInt64, _ count: UInt64) -> Bool {
            ctl & TimerCTL.imask == 0 && Core.timerCondition(ctl: ctl, cval: cval, count: count)
        }
        return (fires(sys.cntpCtl, sys.cntpCval, p), fires(sys.cntvCtl, sys.cntvCval, v),
                fires(sys.cnthpCtl, sys.cnthpCval, p))
    }

    /// The physical count at which the earliest enabled, unmasked timer fires
    /// (possibly already past), or nil when none can fire.
    public func nextTimerDeadline() -> UInt64? {
        var best: UInt64? = nil
        func consider(_ ctl: UInt32, _ at: UInt64) {
            guard ctl & (TimerCTL.enable | TimerCTL.imask) == TimerCTL.enable else { return }
            best = min(best ?? .max, at)
        }
        consider(sys.cntpCtl, sys.cntpCval)
        consider(sys.cnthpCtl, sys.cnthpCval)
        // The virtual timer fires when CNTPCT - CNTVOFF >= CVAL.
        let (v, overflow) = sys.cntvCval.addingReportingOverflow(sys.cntvoff)
        consider(sys.cntvCtl, overflow ? .max : v)
        return best
    }

    /// CNTx_CTL as read: ISTATUS reflects the timer condition.
    @inline(__always) func timerControlValue(_ ctl: UInt32, cval: UInt64, count: UInt64) -> UInt32 {
        (ctl & (TimerCTL.enable | TimerCTL.imask))
            | (Core.timerCondition(ctl: ctl, cval: cval, count: count) ? TimerCTL.istatus : 0)
    }

    /// TVAL as read: CVAL - count, truncated to a signed 32-bit value.
    @inline(__always) static func timerValue(cval: UInt64, count: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: cval &- count)
    }

    /// CVAL after a TVAL write: count + SignExtend(TVAL).
    @inline(__always) static func compareValue(tval: UInt32, count: UInt64) -> UInt64 {
        count &+ UInt64(bitPattern: Int64(Int32(bitPattern: tval)))
    }

    func readTimer(_ r: CPReg) -> UInt64 {
        switch r {
        case .cntfrq: return UInt64(sys.cntfrq)
        case .cntkctl: return UInt64(sys.cntkctl)
        case .cnthctl: return UInt64(sys.cnthctl)
        case .cntpct: return physicalCount
        case .cntvct: return virtualCount
        case .cntvoff: return sys.cntvoff
        case .cntpCval: return sys.cntpCval
        case .cntvCval: return sys.cntvCval
        case .cnthpCval: return sys.cnthpCval
        case .cntpCtl: return UInt64(timerControlValue(sys.cntpCtl, cval: sys.cntpCval, count: physicalCount))
        case .cntvCtl: return UInt64(timerControlValue(sys.cntvCtl, cval: sys.cntvCval, count: virtualCount))
        case .cnthpCtl: return UInt64(timerControlValue(sys.cnthpCtl, cval: sys.cnthpCval, count: physicalCount))
        case .cntpTval: return UInt64(Core.timerValue(cval: sys.cntpCval, count: physicalCount))
        case .cntvTval: return UInt64(Core.timerValue(cval: sys.cntvCval, count: virtualCount))
        case .cnthpTval: return UInt64(Core.timerValue(cval: sys.cnthpCval, count: physicalCount))
        default: return 0
        }
    }

    func writeTimer(_ r: CPReg, _ value: UInt64) {
        let v = UInt32(truncatingIfNeeded: value)
        let ctlMask = TimerCTL.enable | TimerCTL.imask
        switch r {
        case .cntfrq: sys.cntfrq = v
        case .cntkctl: sys.cntkctl = v & CNTKCTL.writable
        case .cnthctl: sys.cnthctl = v & CNTHCTL.writable
        case .cntvoff: sys.cntvoff = value
        case .cntpCval: sys.cntpCval = value
        case .cntvCval: sys.cntvCval = value
        case .cnthpCval: sys.cnthpCval = value
        case .cntpCtl: sys.cntpCtl = v & ctlMask
        case .cntvCtl: sys.cntvCtl = v & ctlMask
        case .cnthpCtl: sys.cnthpCtl = v & ctlMask
        case .cntpTval: sys.cntpCval = Core.compareValue(tval: v, count: physicalCount)
        case .cntvTval: sys.cntvCval = Core.compareValue(tval: v, count: virtualCount)
        case .cnthpTval: sys.cnthpCval = Core.compareValue(tval: v, count: physicalCount)
        default: break
        }
    }
}
