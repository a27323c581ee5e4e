/// Exception entry and the ARMv7 vector rules (ARM ARM B1.8 and B1.9.x).
extension Core {
    /// Vector offsets of the PL1 vector table.
    enum Vector: UInt32 {
        case reset = 0x00, undefined = 0x04, svc = 0x08, prefetchAbort = 0x0C
        case dataAbort = 0x10, irq = 0x18, fiq = 0x1C
    }

    /// Hyp vector table offsets (HVBAR).
    enum HypVector: UInt32 {
        case undefined = 0x04, svcOrHvc = 0x08, prefetchAbort = 0x0C, dataAbort = 0x10
        case trap = 0x14, irq = 0x18, fiq = 0x1C
    }

    /// Enters the exception for `e` raised by the instruction at `pc`.
    /// Returns false when the exception hook stopped the core instead.
    func takeException(_ e: CPUException) -> Bool {
        var faulting = jitFaultingInstruction
        jitFaultingInstruction = nil
        if faulting?.pc != pc { faulting = nil }
        let instrSize: UInt32 = thumb ? ((faulting?.is32Bit ?? currentInstructionIs32Bit) ? 4 : 2) : 4
        let next = pc &+ instrSize
        let inHyp = mode == .hyp
        let tge = sys.hcr & HCR.tge != 0 && mode == .user
        switch e {
        case .undefined:
            if inHyp || tge {
                return enterHyp(offset: inHyp ? HypVector.undefined.rawValue : HypVector.trap.rawValue,
                                syndrome: HSRClass.unknown.syndrome(iss: 0, il32: instrSize == 4),
                                returnAddress: pc)
            }
            // LR = PC - 2 (Thumb) or PC - 4 (ARM) with PC = address + 4/8:
            // address + 2 even for a 32-bit Thumb instruction (ARM ARM
            // TakeUndefInstrException; the handler works out the length).
            return enterPL1(.undefined, mode: .undefined, lr: pc &+ (thumb ? 2 : 4), event: .undefined)
        case .supervisorCall:
            if inHyp {
                return enterHyp(offset: HypVector.svcOrHvc.rawValue,
                                syndrome: HSRClass.svcHyp.syndrome(iss: 0, il32: instrSize == 4),
                                returnAddress: next)
            }
            if tge {
                return enterHyp(offset: HypVector.trap.rawValue,
                                syndrome: HSRClass.svcHyp.syndrome(iss: 0, il32: instrSize == 4),
                                returnAddress: next)
            }
            return enterPL1(.svc, mode: .supervisor, lr: next, event: .supervisorCall)
        case .secureMonitorCall:
            if !inHyp && sys.hcr & HCR.tsc != 0 && mode != .user {
                return enterHyp(offset: HypVector.trap.rawValue,
                                syndrome: HSRClass.smc.syndrome(iss: 0), returnAddress: pc)
            }
            return takeException(.undefined)
        case .hypervisorCall(let imm):
            let syn = HSRClass.hvc.syndrome(iss: UInt32(imm), il32: instrSize == 4)
            return enterHyp(offset: inHyp ? HypVector.svcOrHvc.rawValue : HypVector.trap.rawValue,
                            syndrome: syn, returnAddress: next)
        case .breakpoint:
            var f = MemoryFault(kind: .debug, longFormat: sys.longDescriptors)
            f.address = pc
            if inHyp {
                return enterHyp(offset: HypVector.prefetchAbort.rawValue,
                                syndrome: HSRClass.prefetchAbortHyp.syndrome(iss: f.longStatus),
                                returnAddress: pc)
            }
            sys.ifsr = f.fsr
            sys.ifar = pc
            return enterPL1(.prefetchAbort, mode: .abort, lr: pc &+ 4, event: .prefetchAbort)
        case .prefetchAbort(let f):
            return enterAbort(f, data: false, inHyp: inHyp, il32: instrSize == 4, faulting: faulting)
        case .dataAbort(let f):
            return enterAbort(f, data: true, inHyp: inHyp, il32: instrSize == 4, faulting: faulting)
        case .hypTrap(let syndrome):
            return enterHyp(offset: HypVector.trap.rawValue, syndrome: syndrome, returnAddress: pc)
        }
    }

    /// Enters a PL1 exception mode at the vector for `vector`.
    /// A prefetch or data abort: to Hyp with a syndrome (stage-2 faults,
    /// and any abort taken in Hyp mode), otherwise to Abort mode with the
    /// PL1 fault status and address. One routine for both, since they
    /// differ only in their registers, vector and syndrome bits.
    private func enterAbort(_ f: MemoryFault, data: Bool, inHyp: Bool, il32: Bool,
                            faulting: FaultingInstruction?) -> Bool {
        if f.stage2 || inHyp {
            if data { sys.hdfar = f.address } else { sys.hifar = f.address }
            if f.stage2 { sys.hpfar = UInt32(truncatingIfNeeded: (f.ipa >> 12) << 4) }
            var iss = f.longStatus | (f.s1ptw ? 1 << 7 : 0)
            let cls: HSRClass
            if data {
                iss |= (f.write ? 1 << 6 : 0) | (f.cacheMaintenance ? 1 << 8 : 0)
                if f.stage2 && !f.s1ptw, let isv = faulting.map(\.syndrome) ?? dataAbortInstructionSyndrome() {
                    iss |= isv
                }
                cls = inHyp ? .dataAbortHyp : .dataAbortLower
            } else {
                cls = inHyp ? .prefetchAbortHyp : .prefetchAbortLower
            }
            let vector: HypVector = inHyp ? (data ? .dataAbort : .prefetchAbort) : .trap
            return enterHyp(offset: vector.rawValue, syndrome: cls.syndrome(iss: iss, il32: il32), returnAddress: pc)
        }
        if data {
            sys.dfsr = f.fsr
            sys.dfar = f.address
            return enterPL1(.dataAbort, mode: .abort, lr: pc &+ 8, event: .dataAbort)
        }
        sys.ifsr = f.fsr
        sys.ifar = f.address
        return enterPL1(.prefetchAbort, mode: .abort, lr: pc &+ 4, event: .prefetchAbort)
    }

    func enterPL1(_ vector: Vector, mode newMode: ProcessorMode, lr: UInt32, event: ExceptionKind) -> Bool {
        if let hook = exceptionHook, hook(self, ExceptionEvent(kind: event, address: pc)) {
            hookStopped = true
            return false
        }
        let saved = cpsr
        if sys.pmu.countEnable != 0 {
            // The instructions so far (counted before an exception is
            // entered) belong to the mode that takes it.
            pmuSync()
            pmuCountEvent(PMUEvent.exceptionsTaken)
        }
        switchMode(newMode)
        bankedSPSR[newMode.bank] = saved
        r[14] = lr
        aif |= PSR.i
        if vector == .fiq || vector == .reset { aif |= PSR.f }
        if vector == .prefetchAbort || vector == .dataAbort || vector == .irq || vector == .fiq
            || vector == .reset { aif |= PSR.a }
        itState = 0
        thumb = sys.sctlr & (1 << 30) != 0
        bigEndian = sys.sctlr & (1 << 25) != 0
        let base = sys.sctlr & (1 << 13) != 0 ? 0xFFFF_0000 : sys.vbar & ~0x1F
        pc = base | vector.rawValue
        invalidateFetchPage()
        return true
    }

    /// Enters Hyp mode at HVBAR + `offset`, recording `syndrome` in HSR.
    func enterHyp(offset: UInt32, syndrome: UInt32, returnAddress: UInt32) -> Bool {
        if let hook = exceptionHook,
           hook(self, ExceptionEvent(kind: .hyp(vectorOffset: offset, syndrome: syndrome), address: pc)) {
            hookStopped = true
            return false
        }
        // A guest's counters stop at its exit to Hyp (NSH clear): what it
        // ran up to here is counted in its own mode.
        if sys.pmu.countEnable != 0 { pmuSync() }
        let saved = cpsr
        switchMode(.hyp)
        bankedSPSR[ProcessorMode.hyp.bank] = saved
        elrHyp = returnAddress
        sys.hsr = syndrome
        aif |= PSR.a | PSR.i | PSR.f
        itState = 0
        thumb = sys.hsctlr & (1 << 30) != 0
        bigEndian = sys.hsctlr & (1 << 25) != 0
        pc = (sys.hvbar & ~0x1F) | offset
        invalidateFetchPage()
        if interceptHypVectors { pendingHypVector = offset }
        return true
    }

    /// Takes exception `e` as if the instruction at `pc` had raised it (the
    /// Hyp layer uses this for the host's HVC #0 into Hyp mode). Returns false
    /// when the exception hook declined the entry.
    @discardableResult
    public func raise(_ e: CPUException) -> Bool {
        let entered = takeException(e)
        pendingHypVector = nil   // the caller handles the vector itself
        return entered
    }

    /// ERET from Hyp mode performed by Hyp software written in Swift:
    /// CPSR = SPSR_hyp, PC = ELR_hyp.
    public func returnFromHyp() {
        precondition(mode == .hyp, "returnFromHyp outside Hyp mode")
        let saved = bankedSPSR[ProcessorMode.hyp.bank]
        writeCPSR(saved, mask: 0xFFFF_FFFF, exceptionReturn: true)
        pc = thumb ? elrHyp & ~1 : elrHyp & ~3
        invalidateFetchPage()
    }

    /// Takes a pending asynchronous exception if it is unmasked. Called
    /// between instructions; returns true if one was taken.
    func takePendingInterrupt() -> Bool {
        let hcr = sys.hcr
        let inHyp = mode == .hyp
        let fiq = lines.fiq.load(ordering: .relaxed)
        let irq = lines.irq.load(ordering: .relaxed) || gicMaintenanceIRQ
        // Physical interrupts routed to Hyp (HCR.FMO/IMO) are taken from any
        // non-Hyp mode regardless of CPSR masks; in Hyp mode they obey them.
        if fiq {
            if !inHyp && hcr & HCR.fmo != 0 {
                return enterHypInterrupt(.fiq)
            } else if aif & PSR.f == 0 {
                return inHyp ? enterHypInterrupt(.fiq) : enterInterrupt(.fiq)
            }
        }
        if irq {
            if !inHyp && hcr & HCR.imo != 0 {
                return enterHypInterrupt(.irq)
            } else if aif & PSR.i == 0 {
                return inHyp ? enterHypInterrupt(.irq) : enterInterrupt(.irq)
            }
        }
        if lines.asyncAbort.load(ordering: .relaxed) {
            if !inHyp && hcr & HCR.amo != 0 {
                lines.asyncAbort.store(false, ordering: .relaxed)
                return enterHyp(offset: HypVector.trap.rawValue,
                                syndrome: HSRClass.dataAbortLower.syndrome(iss: 0b010001), returnAddress: pc)
            } else if aif & PSR.a == 0 {
                lines.asyncAbort.store(false, ordering: .relaxed)
                return enterAsynchronousAbort()
            }
        }
        if !inHyp {
            // A virtual abort is consumed when taken (HCR.VA clears).
            if hcr & HCR.va != 0 && hcr & HCR.amo != 0 && aif & PSR.a == 0 {
                sys.hcr &= ~HCR.va
                return enterAsynchronousAbort()
            }
            // Virtual interrupts from HCR.VF/VI or the GIC virtual CPU
            // interface, masked by the guest's CPSR.
            let virtual = hcr | gicVirtualLines
            if virtual & HCR.vf != 0 && hcr & HCR.fmo != 0 && aif & PSR.f == 0 { return enterInterrupt(.fiq) }
            if virtual & HCR.vi != 0 && hcr & HCR.imo != 0 && aif & PSR.i == 0 { return enterInterrupt(.irq) }
        }
        return false
    }

    /// True when an interrupt could be taken now or would wake WFI.
    public var interruptPending: Bool {
        if lines.irq.load(ordering: .relaxed) || lines.fiq.load(ordering: .relaxed)
            || lines.asyncAbort.load(ordering: .relaxed) || gicMaintenanceIRQ { return true }
        let hcr = sys.hcr | gicVirtualLines
        return mode != .hyp && (hcr & (HCR.vi | HCR.imo) == HCR.vi | HCR.imo
                                || hcr & (HCR.vf | HCR.fmo) == HCR.vf | HCR.fmo
                                || hcr & (HCR.va | HCR.amo) == HCR.va | HCR.amo)
    }

    /// Asynchronous external abort taken in Abort mode: DFSR reports it
    /// (short 0b10110, long 0b010001), DFAR is UNKNOWN and left alone.
    private func enterAsynchronousAbort() -> Bool {
        sys.dfsr = sys.longDescriptors ? (1 << 9 | 0b010001) : (1 << 10 | 0b0110)
        return enterPL1(.dataAbort, mode: .abort, lr: pc &+ 8, event: .dataAbort)
    }

    private func enterInterrupt(_ v: Vector) -> Bool {
        // LR = address of the next instruction to execute + 4.
        enterPL1(v, mode: v == .fiq ? .fiq : .irq, lr: pc &+ 4, event: v == .fiq ? .fiq : .irq)
    }

    private func enterHypInterrupt(_ v: Vector) -> Bool {
        enterHyp(offset: v == .fiq ? HypVector.fiq.rawValue : HypVector.irq.rawValue,
                 syndrome: sys.hsr, returnAddress: pc)
    }
}
