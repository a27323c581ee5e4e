import ARMv7
import Hyp

/// The guest's physical timer, emulated: CNTHCTL.PL1PCEN is clear while a
/// guest runs, so its CNTP_* accesses trap here.
struct EmulatedPhysicalTimer {
    var ctl: UInt32 = 0
    var cval: UInt64 = 0

    /// ENABLE set and IMASK clear: the only state in which it can fire.
    var armed: Bool { ctl & 3 == 1 }
    /// The timer condition at physical count `now` (ISTATUS).
    func condition(_ now: UInt64) -> Bool { ctl & 1 != 0 && now >= cval }
}

/// arch_timer.c: each VCPU's virtual timer (live on the core while the
/// guest runs, saved by the world switch) and emulated physical timer, as
/// level-sensitive PPIs of the vGIC.
extension VCPU {
    /// PPI of the virtual timer (the `virt` board's device tree says 27).
    static let virtualTimerPPI = 27
    /// PPI of the non-secure physical timer.
    static let physicalTimerPPI = 30
    /// PPI of the PMU's overflow interrupt (PPI 7 in the device tree).
    static let pmuPPI = 23

    /// Samples both timers and the PMU's overflow request into the vGIC and
    /// tells Hyp which events must end the next slice (called before every
    /// entry and after every exit).
    func syncTimers() {
        guard let g = vm.vgic else { return }
        let now = core.physicalCount
        let cp = context.cp15
        let virtualLevel = cp.cntvCtl & 3 == 1 && now &- cp.cntvoff >= cp.cntvCval
        let physicalLevel = ptimer.armed && ptimer.condition(now)
        if virtualLevel != timerLevels.virtual {
            timerLevels.virtual = virtualLevel
            g.setPPI(Self.virtualTimerPPI, cpu: id, virtualLevel)
        }
        if physicalLevel != timerLevels.physical {
            timerLevels.physical = physicalLevel
            g.setPPI(Self.physicalTimerPPI, cpu: id, physicalLevel)
        }
        // The PMU's overflow interrupt, a level PPI like the timers'.
        let pmuLevel = context.cp15.pmu.interruptAsserted
        if pmuLevel != timerLevels.pmu {
            timerLevels.pmu = pmuLevel
            g.setPPI(Self.pmuPPI, cpu: id, pmuLevel)
        }
        context.watchPMU = !pmuLevel
        // A timer whose line is already high is not watched (KVM masks it at
        // the host GIC until the guest deals with it).
        context.watchVirtualTimer = !virtualLevel
        context.softTimerDeadline = ptimer.armed && !physicalLevel ? ptimer.cval : .max
    }

    /// The physical count at which the next of this VCPU's timers fires
    /// (possibly already past), or nil when neither is armed.
    func nextTimerDeadline() -> UInt64? {
        var best: UInt64?
        let cp = context.cp15
        if cp.cntvCtl & 3 == 1 {
            let (at, overflow) = cp.cntvCval.addingReportingOverflow(cp.cntvoff)
            best = overflow ? .max : at
        }
        if ptimer.armed { best = min(best ?? .max, ptimer.cval) }
        return best
    }

    /// A trapped CNTP_TVAL (`opc2` 0) or CNTP_CTL (`opc2` 1) access.
    func emulatePhysicalTimer32(opc2: UInt32, read: Bool, rt: Int) {
        let now = core.physicalCount
        switch (opc2, read) {
        case (0, true):  context.regs.setCurrent(rt, UInt32(truncatingIfNeeded: ptimer.cval &- now))
        case (0, false):
            let tval = Int32(bitPattern: context.regs.current(rt))
            ptimer.cval = now &+ UInt64(bitPattern: Int64(tval))
        case (_, true):  context.regs.setCurrent(rt, (ptimer.ctl & 3) | (ptimer.condition(now) ? 4 : 0))
        default:         ptimer.ctl = context.regs.current(rt) & 3
        }
        syncTimers()
    }

    /// A trapped CNTP_CVAL (64-bit) access.
    func emulatePhysicalTimerCompare(read: Bool, rt: Int, rt2: Int) {
        if read {
            context.regs.setCurrent(rt, UInt32(truncatingIfNeeded: ptimer.cval))
            context.regs.setCurrent(rt2, UInt32(truncatingIfNeeded: ptimer.cval >> 32))
        } else {
            ptimer.cval = UInt64(context.regs.current(rt2)) << 32 | UInt64(context.regs.current(rt))
        }
        syncTimers()
    }
}
