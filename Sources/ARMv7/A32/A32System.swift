import CHostAtomics

/// A32 status register access, mode changes, exception generation and
/// return, hints, barriers and coprocessor transfers.
extension Core {
    /// CPSR as MRS returns it: execution-state bits (J, IT, T) read as zero.
    var cpsrForMRS: UInt32 { cpsr & 0xF8FF_03DF }

    @inline(never) func executeMRS(_ raw: UInt32) throws(CPUException) {
        let rd = Int((raw >> 12) & 0xF)
        if raw & (1 << 22) != 0 {
            if !mode.hasSPSR { throw .undefined }
            r[rd] = spsr
        } else {
            r[rd] = cpsrForMRS
        }
    }

    /// Byte mask selected by the MSR field mask (bits 19:16 = f s x c).
    @inline(__always) func msrByteMask(_ raw: UInt32) -> UInt32 {
        var m: UInt32 = 0
        if raw & (1 << 19) != 0 { m |= 0xFF00_0000 }
        if raw & (1 << 18) != 0 { m |= 0x00FF_0000 }
        if raw & (1 << 17) != 0 { m |= 0x0000_FF00 }
        if raw & (1 << 16) != 0 { m |= 0x0000_00FF }
        return m
    }

    @inline(never) func executeMSR(_ raw: UInt32, value: UInt32) throws(CPUException) {
        let mask = msrByteMask(raw)
        if raw & (1 << 22) != 0 {
            if !mode.hasSPSR { throw .undefined }
            spsr = (spsr & ~mask) | (value & mask)
        } else {
            // MSR never changes the execution state bits.
            writeCPSR(value, mask: mask & ~(PSR.j | PSR.itMask | PSR.t), exceptionReturn: false)
            endBlockIfInterruptUnmasked()
        }
    }

    /// Decodes the SYSm field of the banked MRS/MSR forms: (mode, register
    /// number, or -1 for the SPSR, -2 for ELR_hyp).
    func bankedTarget(_ raw: UInt32) throws(CPUException) -> (ProcessorMode, Int) {
        if mode == .user { throw .undefined }
        let sysm = ((raw >> 16) & 0xF) | ((raw >> 4) & 0x10)
        let isSPSR = raw & (1 << 22) != 0
        let target: (ProcessorMode, Int)
        if isSPSR {
            switch sysm {
            case 0b01110: target = (.fiq, -1)
            case 0b10000: target = (.irq, -1)
            case 0b10010: target = (.supervisor, -1)
            case 0b10100: target = (.abort, -1)
            case 0b10110: target = (.undefined, -1)
            case 0b11110: target = (.hyp, -1)
            default: throw .undefined
            }
        } else {
            switch sysm {
            case 0b00000...0b00110: target = (.user, 8 + Int(sysm))
            case 0b01000...0b01110: target = (.fiq, Int(sysm) & 7 + 8)
            case 0b10000: target = (.irq, 14)
            case 0b10001: target = (.irq, 13)
            case 0b10010: target = (.supervisor, 14)
            case 0b10011: target = (.supervisor, 13)
            case 0b10100: target = (.abort, 14)
            case 0b10101: target = (.abort, 13)
            case 0b10110: target = (.undefined, 14)
            case 0b10111: target = (.undefined, 13)
            case 0b11110: target = (.hyp, -2)
            case 0b11111: target = (.hyp, 13)
            default: throw .undefined
            }
        }
        // Hyp registers are reachable only from Hyp mode (ELR_hyp and SPSR_hyp
        // also from Hyp itself, which is how a hypervisor saves them).
        if target.0 == .hyp && mode != .hyp { throw .undefined }
        if target.0 == .hyp && target.1 == 13 && mode == .hyp { throw .undefined }
        // Accessing the current mode's own bank is UNPREDICTABLE: UNDEFINED here.
        if target.0 != .hyp && target.1 != -1 && target.0.bank == mode.bank && target.1 >= 13 { throw .undefined }
        if target.1 == -1 && target.0 == mode && mode != .hyp { throw .undefined }
        return target
    }

    @inline(never) func executeMRSBanked(_ raw: UInt32) throws(CPUException) {
        let (m, n) = try bankedTarget(raw)
        let v: UInt32
        switch n {
        case -1: v = bankedSPSR[m.bank]
        case -2: v = elrHyp
        default: v = bankedRegister(n, mode: m)
        }
        r[Int((raw >> 12) & 0xF)] = v
    }

    @inline(never) func executeMSRBanked(_ raw: UInt32) throws(CPUException) {
        let (m, n) = try bankedTarget(raw)
        let v = r[Int(raw & 0xF)]
        switch n {
        case -1: bankedSPSR[m.bank] = v
        case -2: elrHyp = v
        default: setBankedRegister(n, mode: m, v)
        }
    }

    @inline(never) func executeCPS(_ raw: UInt32) throws(CPUException) {
        if mode == .user { return }   // CPS is a NOP at PL0
        let imod = (raw >> 18) & 3
        var value: UInt32 = 0
        var mask: UInt32 = 0
        if imod & 2 != 0 {
            let bits = (raw & 0x1C0)   // A I F in bits 8:6
            mask |= bits
            if imod == 3 { value |= bits }
        }
        if raw & (1 << 17) != 0 {
            mask |= PSR.modeMask
            value |= raw & 0x1F
        }
        writeCPSR(value, mask: mask, exceptionReturn: false)
        endBlockIfInterruptUnmasked()
    }

    /// SRS: store LR and SPSR of the current mode to the stack of `mode`.
    @inline(never) func executeSRS(_ raw: UInt32) throws(CPUException) {
        if mode == .user || mode == .system || mode == .hyp { throw .undefined }
        guard let target = ProcessorMode(rawValue: raw & 0x1F), target != .hyp, target != .user else {
            throw .undefined
        }
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let sp = bankedRegister(13, mode: target)
        var addr = u ? sp : sp &- 8
        if p == u { addr = addr &+ 4 }
        try requireAlignment(addr, 4, write: true)
        try write32(addr, r[14])
        try write32(addr &+ 4, spsr)
        if w { setBankedRegister(13, mode: target, u ? sp &+ 8 : sp &- 8) }
    }

    /// RFE: load PC and CPSR from memory.
    @inline(never) func executeRFE(_ raw: UInt32) throws(CPUException) {
        if mode == .user || mode == .hyp { throw .undefined }
        let rn = Int((raw >> 16) & 0xF)
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let base = r[rn]
        var addr = u ? base : base &- 8
        if p == u { addr = addr &+ 4 }
        try requireAlignment(addr, 4, write: false)
        let newPC = try read32(addr)
        let newPSR = try read32(addr &+ 4)
        if w { r[rn] = u ? base &+ 8 : base &- 8 }
        writeCPSR(newPSR, mask: 0xFFFF_FFFF, exceptionReturn: true)
        nextPC = thumb ? newPC & ~1 : newPC & ~3
        invalidateFetchPage()
        endBlockIfInterruptUnmasked()
    }

    /// ERET: return from Hyp mode with ELR_hyp/SPSR_hyp; elsewhere in PL1 it
    /// behaves as SUBS PC, LR, #0.
    @inline(never) func executeERET() throws(CPUException) {
        switch mode {
        case .user: throw .undefined
        case .hyp:
            let target = elrHyp
            try exceptionReturn(to: target, spsr: bankedSPSR[ProcessorMode.hyp.bank])
        default:
            try exceptionReturn(to: r[14], spsr: spsr)
        }
    }

    /// WFI/WFE, with the HCR.TWI/TWE traps to Hyp (a real exception). An
    /// untrapped wait with nothing to wake it completes and ends the block
    /// (`.waitForInterrupt` / `.waitForEvent`), which ends the run.
    @inline(never) func executeWait(_ raw: UInt32, isWFE: Bool, cond: UInt8) throws(CPUException) {
        if mode != .hyp && sys.hcr & (isWFE ? HCR.twe : HCR.twi) != 0 {
            let iss: UInt32 = 1 << 24 | UInt32(cond) << 20 | (isWFE ? 1 : 0)
            throw .hypTrap(syndrome: HSRClass.wfiWfe.syndrome(iss: iss, il32: !thumb || raw > 0xFFFF))
        }
        if isWFE {
            if eventRegister || lines.event.load(ordering: .relaxed) {
                eventRegister = false
                lines.event.store(false, ordering: .relaxed)
                return
            }
            endBlockAfterInstruction(.waitForEvent)
            return
        }
        if interruptPending { return }
        endBlockAfterInstruction(.waitForInterrupt)
    }

    /// MCR/MRC/MCRR/MRRC to coprocessors 14 and 15; everything else is
    /// UNDEFINED. (Coprocessors 10 and 11 never get here: the decode table
    /// makes every encoding of theirs a VFP operation, see VFPDecodeTable.)
    @inline(never) func executeCoprocessor(_ op: A32Op, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        let cp = (raw >> 8) & 0xF
        if cp != 14 && cp != 15 { throw .undefined }
        switch op {
        case .mcr, .mrc:
            let a = CoprocessorAccess(coproc: cp, opc1: (raw >> 21) & 7, crn: (raw >> 16) & 0xF, crm: raw & 0xF,
                                      opc2: (raw >> 5) & 7, rt: Int((raw >> 12) & 0xF), isRead: op == .mrc,
                                      is64: false, cond: cond)
            if op == .mrc {
                let v = try coprocessorRead32(a)
                if a.rt == 15 { setNZCV(v & 0xF000_0000) } else { r[a.rt] = v }
            } else {
                try coprocessorWrite32(a, r[a.rt])
            }
        case .mcrr, .mrrc:
            let a = CoprocessorAccess(coproc: cp, opc1: (raw >> 4) & 0xF, crn: 0, crm: raw & 0xF, opc2: 0,
                                      rt: Int((raw >> 12) & 0xF), rt2: Int((raw >> 16) & 0xF),
                                      isRead: op == .mrrc, is64: true, cond: cond)
            if op == .mrrc {
                let v = try coprocessorRead64(a)
                r[a.rt] = UInt32(truncatingIfNeeded: v)
                r[a.rt2] = UInt32(truncatingIfNeeded: v >> 32)
            } else {
                try coprocessorWrite64(a, UInt64(r[a.rt2]) << 32 | UInt64(r[a.rt]))
            }
        default:
            throw .undefined   // CDP, LDC, STC: no coprocessor accepts them
        }
    }

    @inline(__always) func memoryBarrier() { armv_fence() }
}
