import ARMv7
import Foundation

/// __kvm_vcpu_run: the world switch into a guest and back (docs/ARCHITECTURE.md,
/// "The world switch, step by step": steps 1–9).
extension Hyp {
    func worldSwitch(_ v: VCPUContext, handle: UInt32) throws(HypPanic) -> HypExitCode {
        let c = core
        // 1. Record the VCPU in HTPIDR; save the host's registers of every
        //    bank, and where its HVC returns to.
        c.sys.htpidr = handle
        host.regs.save(from: c)
        host.elrHyp = c.elrHyp
        host.spsrHyp = c.savedPSR(of: .hyp) ?? 0
        // 2. Host CP15 out, guest CP15 in.
        host.cp15.save(from: &c.sys)
        v.cp15.load(into: &c.sys)
        c.pmuResume()   // the guest's counters count from here
        // 3./4. Trap configuration: lazy VFP (cp10/cp11 and trace trap so the
        //    first VFP use comes to Hyp), the guest HCR, CP15 c15, the PMU;
        //    the guest reads the physical counter, its physical timer traps
        //    (KVM emulates it).
        host.traps = HypTrapRegisters(c.sys)
        guestVFPLoaded = false
        enterGuestVFP()
        HypTrapRegisters.guest(host: host.traps, virtualLines: v.virtualLines).load(into: &c.sys)
        // 5. Identity the guest sees.
        c.sys.vpidr = v.midr
        c.sys.vmpidr = v.mpidr
        // 6. The VM's VMID and stage-2 tables.
        c.sys.vttbr = v.vttbr
        //    The vGIC: the guest's list registers and virtual CPU interface
        //    state go into this core's GICH bank.
        c.restoreGICH(hcr: v.vgic.hcr, vmcr: v.vgic.vmcr, apr: v.vgic.apr, lr: v.vgic.lr)
        // No software-TLB flush here: Core.run revalidates it against the
        // translation registers, so re-entering the same guest keeps it.
        // 7. Guest registers, CLREX, ERET. A guest never runs in Hyp mode.
        v.regs.load(into: c)
        c.elrHyp = v.regs.pc
        c.setSavedPSR(of: .hyp, sanitizedGuestCPSR(v.regs.cpsr))
        c.clearExclusiveMonitor()
        v.stats.worldSwitches &+= 1
        c.returnFromHyp()

        let code = try runGuest(v)

        // 9. Everything in reverse.
        v.regs.save(from: c)
        v.regs.pc = c.elrHyp
        v.regs.cpsr = c.savedPSR(of: .hyp) ?? v.regs.cpsr
        // A virtual abort is consumed when the guest takes it (HCR.VA clears).
        v.virtualLines = c.sys.hcr & (HCR.vi | HCR.vf | HCR.va)
        c.pmuSuspend()  // ... to here: they stand still while the VCPU is out
        v.cp15.save(from: &c.sys)
        saveVGIC(v)
        host.cp15.load(into: &c.sys)
        c.sys.vttbr = 0
        host.traps.load(into: &c.sys)
        c.sys.vpidr = CortexA15ID.midr
        c.sys.vmpidr = c.mpidr
        leaveGuestVFP(v)
        host.regs.load(into: c)
        c.elrHyp = host.elrHyp
        c.setSavedPSR(of: .hyp, host.spsrHyp)
        v.stats.exitsByCode[Int(code.rawValue)] &+= 1
        return code
    }

    /// The vGIC half of step 9: GICH_HCR, VMCR, MISR, EISR, ELRSR, APR and
    /// the LRs into the VCPU, then GICH_HCR = 0 so the host never sees the
    /// guest's virtual interrupts or maintenance interrupt.
    @inline(__always)
    private func saveVGIC(_ v: VCPUContext) {
        let c = core
        let gich = c.gicVirtualInterface   // the bank's registers, read once
        let status = gich.status           // MISR, EISR0, ELRSR0 in one pass
        v.vgic.hcr = gich.hcr
        v.vgic.vmcr = gich.vmcr
        v.vgic.misr = status.misr
        v.vgic.eisr = status.eisr
        v.vgic.elrsr = status.elrsr
        v.vgic.apr = gich.apr
        v.vgic.lr = gich.lr
        c.writeGICH(GICHOffset.hcr, 0)
    }

    /// 8. Runs the guest until an exception reaches Hyp that needs the host.
    /// Lazy VFP switches and unresolvable permission faults are handled here
    /// without leaving Hyp, as in the seed.
    private func runGuest(_ v: VCPUContext) throws(HypPanic) -> HypExitCode {
        let c = core
        var tickPending = false
        var left = guestSlice
        while true {
            let chunk = max(1, min(left, Hyp.timerCheckInterval))
            switch c.run(budget: chunk) {
            case .hypVector(let offset):
                switch offset {
                case 0x14:
                    if tickPending { c.lines.setIRQ(false) }
                    let hsr = HSR(c.sys.hsr)
                    if hsr.isClass(.hcptr) && switchToGuestVFP(v) {
                        c.returnFromHyp()
                        continue
                    }
                    var record = TrapRecord()
                    record.code = .hypTrap
                    record.hsr = hsr.rawValue
                    record.hdfar = c.sys.hdfar
                    record.hifar = c.sys.hifar
                    record.hpfar = c.sys.hpfar
                    let dataAbort = hsr.isClass(.dataAbortLower)
                    if dataAbort || hsr.isClass(.prefetchAbortLower) {
                        guard let hpfar = resolveFaultIPA(hsr: hsr, far: dataAbort ? record.hdfar : record.hifar) else {
                            // The guest's tables changed under us: let it fault again.
                            v.stats.faultReentries &+= 1
                            c.returnFromHyp()
                            continue
                        }
                        record.hpfar = hpfar
                        if dataAbort && !hsr.instructionSyndromeValid {
                            record.instruction = fetchGuestInstruction()
                        }
                    }
                    v.exit = record
                    v.stats.trapsByClass[Int(hsr.classCode)] &+= 1
                    return .hypTrap
                case 0x18:
                    c.lines.setIRQ(false)   // the host's tick: it has been taken
                    v.exit.code = .irq
                    return .irq
                case 0x1C:
                    v.exit.code = .fiq
                    return .fiq
                default:
                    // 0x00–0x10 are taken from Hyp mode itself: never a guest.
                    throw hostPanic(vectorOffset: offset)
                }
            case .budgetExhausted where !tickPending:
                // Between chunks: a guest timer that fired is the host's
                // timer interrupt; otherwise the slice goes on.
                left -= chunk
                if left > 0 && !guestTimerDue(v) { continue }
                tickPending = true
                c.lines.setIRQ(true)
            case .waitForEvent where !tickPending:
                // A WFE that HCR.TWE does not trap: the core sleeps until
                // another core's SEV, an interrupt or a stop, without an exit.
                // Bounded, because WFE may also wake for no reason.
                waitForEvent()
            case .budgetExhausted, .stopRequested, .waitForInterrupt, .waitForEvent, .hookStop:
                // The host's scheduler tick or a kick: a physical IRQ, routed
                // to Hyp by HCR.IMO, ends the guest's slice architecturally.
                tickPending = true
                c.lines.setIRQ(true)
            }
        }
    }

    /// The core's low-power wait of WFE: up to about 100 µs of yielding
    /// the host CPU while no event, interrupt or stop request arrives.
    private func waitForEvent() {
        let c = core
        let start = hostMonotonicNanos()
        while !c.interruptPending && !c.lines.stop.load(ordering: .relaxed) {
            if c.lines.event.exchange(false, ordering: .acquiring) { return }
            if hostMonotonicNanos() &- start > 100_000 { return }
            sched_yield()
        }
    }

    /// Guest instructions between looks at the guest's timers (about 50 µs).
    static let timerCheckInterval = 16_384

    /// Whether a timer KVM watches for this guest has reached its deadline.
    private func guestTimerDue(_ v: VCPUContext) -> Bool {
        let c = core
        if v.watchPMU && c.pmuInterruptRequest { return true }
        if v.softTimerDeadline == .max && !v.watchVirtualTimer { return false }
        let now = c.physicalCount
        if now >= v.softTimerDeadline { return true }
        return v.watchVirtualTimer && c.sys.cntvCtl & 3 == 1 && now &- c.sys.cntvoff >= c.sys.cntvCval
    }

    /// The seed's IPA resolution: HPFAR is valid for translation and
    /// access-flag faults and for stage-1 walks; for any other permission
    /// fault, translate HxFAR with ATS1CPR and take the IPA from PAR. Returns
    /// nil when that translation fails (re-enter the guest).
    func resolveFaultIPA(hsr: HSR, far: UInt32) -> UInt32? {
        let c = core
        if !hsr.isPermissionFault || hsr.isStage1Walk { return c.sys.hpfar }
        let guestPAR = c.sys.par
        c.addressTranslation(va: far, write: false, privileged: true, stage1Only: true, hyp: false)
        let par = c.sys.par
        c.sys.par = guestPAR
        if par & 1 != 0 { return nil }
        // 64-bit PAR (bit 11 set) holds PA[39:12]; the 32-bit one PA[31:12].
        let pa = par & (1 << 11) != 0 ? par & 0xFF_FFFF_F000 : par & 0xFFFF_F000
        return UInt32(truncatingIfNeeded: (pa >> 12) << 4)
    }

    /// Reads the guest instruction at ELR_hyp through the guest's stage 1
    /// (ATS1CPR) and the VM's stage 2, so the host can decode an MMIO access
    /// that came without a syndrome. Thumb instructions come back as
    /// first halfword in bits 15:0, second in bits 31:16.
    func fetchGuestInstruction() -> UInt32? {
        let c = core
        let pc = c.elrHyp
        let guestPAR = c.sys.par
        defer { c.sys.par = guestPAR }
        func physical(_ va: UInt32) -> UInt64? {
            c.addressTranslation(va: va, write: false, privileged: true, stage1Only: false, hyp: false)
            let par = c.sys.par
            if par & 1 != 0 { return nil }
            let pa = par & (1 << 11) != 0 ? par & 0xFF_FFFF_F000 : par & 0xFFFF_F000
            return pa | UInt64(va & 0xFFF)
        }
        let thumb = (c.savedPSR(of: .hyp) ?? 0) & (1 << 5) != 0
        guard let pa = physical(pc), let first = c.memory.read(pa, size: thumb ? 2 : 4) else { return nil }
        if !thumb { return UInt32(first) }
        if first >> 11 < 0x1D { return UInt32(first) }
        guard let pa2 = physical(pc &+ 2), let second = c.memory.read(pa2, size: 2) else { return nil }
        return UInt32(first) | UInt32(second) << 16
    }

    /// Guest CPSRs that would enter Hyp (or an invalid mode) become SVC: the
    /// world switch never hands Hyp mode to a guest.
    func sanitizedGuestCPSR(_ cpsr: UInt32) -> UInt32 {
        guard let m = ProcessorMode(rawValue: cpsr & 0x1F), m != .hyp else {
            return (cpsr & ~0x1F) | ProcessorMode.supervisor.rawValue
        }
        return cpsr
    }
}

/// The Hyp trap configuration the world switch replaces while a guest runs
/// (saved for the host on entry, put back on exit: one list for both).
struct HypTrapRegisters {
    var hcr: UInt32 = 0
    var hstr: UInt32 = 0
    var hcptr: UInt32 = 0
    var hdcr: UInt32 = 0
    var cnthctl: UInt32 = 0

    init() {}

    @inline(__always)
    init(_ s: SystemRegisters) {
        hcr = s.hcr; hstr = s.hstr; hcptr = s.hcptr; hdcr = s.hdcr; cnthctl = s.cnthctl
    }

    @inline(__always)
    func load(into s: inout SystemRegisters) {
        s.hcr = hcr; s.hstr = hstr; s.hcptr = hcptr; s.hdcr = hdcr; s.cnthctl = cnthctl
    }

    /// The configuration a guest runs with, derived from the host's.
    @inline(__always)
    static func guest(host: HypTrapRegisters, virtualLines: UInt32) -> HypTrapRegisters {
        var g = HypTrapRegisters()
        g.hcptr = host.hcptr | HCPTRBits.tcp10 | HCPTRBits.tcp11 | HCPTRBits.tta
        g.hcr = Hyp.guestHCR | (virtualLines & (HCR.vi | HCR.vf | HCR.va))
        g.hstr = 1 << 15                                            // trap CP15 c15 (implementation defined)
        // The guest owns all six PMU counters and reaches them untrapped.
        g.hdcr = UInt32(PMURegisters.counters)
        g.cnthctl = (host.cnthctl & ~3) | 1                         // PL1PCTEN on, PL1PCEN off
        return g
    }
}

/// HCPTR bits used by the world switch.
enum HCPTRBits {
    static let tcp10: UInt32 = 1 << 10
    static let tcp11: UInt32 = 1 << 11
    static let tase: UInt32 = 1 << 15
    static let tta: UInt32 = 1 << 20
}

