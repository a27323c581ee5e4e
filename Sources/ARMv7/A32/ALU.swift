/// Shifter, adder and condition helpers shared by the A32 and T32 semantics.
extension Core {
    /// Whether condition `cond` (0–15) passes with the current flags.
    @inline(__always) func conditionPassed(_ cond: UInt8) -> Bool {
        switch cond {
        case 0: return zf == 0
        case 1: return zf != 0
        case 2: return cf != 0
        case 3: return cf == 0
        case 4: return Int32(bitPattern: nf) < 0
        case 5: return Int32(bitPattern: nf) >= 0
        case 6: return Int32(bitPattern: vf) < 0
        case 7: return Int32(bitPattern: vf) >= 0
        case 8: return cf != 0 && zf != 0
        case 9: return cf == 0 || zf == 0
        case 10: return Int32(bitPattern: nf ^ vf) >= 0
        case 11: return Int32(bitPattern: nf ^ vf) < 0
        case 12: return zf != 0 && Int32(bitPattern: nf ^ vf) >= 0
        case 13: return zf == 0 || Int32(bitPattern: nf ^ vf) < 0
        default: return true
        }
    }

    /// Immediate shift (A32 "shift_imm" form) with carry-out.
    @inline(__always) func shiftByImmediate(_ v: UInt32, type: UInt32, amount: UInt32) -> (UInt32, UInt32) {
        switch type & 3 {
        case 0:
            if amount == 0 { return (v, cf) }
            return (v &<< amount, (v >> (32 &- amount)) & 1)
        case 1:
            if amount == 0 { return (0, v >> 31) }
            return (v &>> amount, (v >> (amount &- 1)) & 1)
        case 2:
            if amount == 0 { return (UInt32(bitPattern: Int32(bitPattern: v) >> 31), v >> 31) }
            return (UInt32(bitPattern: Int32(bitPattern: v) &>> Int32(amount)), (v >> (amount &- 1)) & 1)
        default:
            if amount == 0 { return ((cf << 31) | (v >> 1), v & 1) }
            let res = v.rotateRight(amount)
            return (res, res >> 31)
        }
    }

    /// Shift by a register amount (bottom byte of Rs) with carry-out.
    @inline(__always) func shiftByRegister(_ v: UInt32, type: UInt32, amount: UInt32) -> (UInt32, UInt32) {
        if amount == 0 { return (v, cf) }
        switch type & 3 {
        case 0:
            if amount < 32 { return (v << amount, (v >> (32 - amount)) & 1) }
            return (0, amount == 32 ? v & 1 : 0)
        case 1:
            if amount < 32 { return (v >> amount, (v >> (amount - 1)) & 1) }
            return (0, amount == 32 ? v >> 31 : 0)
        case 2:
            if amount < 32 {
                return (UInt32(bitPattern: Int32(bitPattern: v) >> Int32(amount)), (v >> (amount - 1)) & 1)
            }
            return (UInt32(bitPattern: Int32(bitPattern: v) >> 31), v >> 31)
        default:
            let s = amount & 31
            if s == 0 { return (v, v >> 31) }
            let res = v.rotateRight(s)
            return (res, res >> 31)
        }
    }

    /// Shift without carry (for addressing modes).
    @inline(__always) func shiftNoCarry(_ v: UInt32, type: UInt32, amount: UInt32) -> UInt32 {
        shiftByImmediate(v, type: type, amount: amount).0
    }

    /// a + b + carry with carry-out and overflow (V in bit 31).
    @inline(__always) func addWithCarry(_ a: UInt32, _ b: UInt32, _ carry: UInt32) -> (UInt32, UInt32, UInt32) {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        let c: UInt32 = (o1 || o2) ? 1 : 0
        let v = (a ^ s2) & (b ^ s2)
        return (s2, c, v)
    }

    /// Sets N and Z from `result`.
    @inline(__always) func setNZ(_ result: UInt32) {
        nf = result
        zf = result
    }

    /// Writes a value computed by an ALU instruction to the PC (ARMv7
    /// ALUWritePC in ARM state interworks like BX).
    @inline(__always) func aluWritePC(_ v: UInt32) {
        if thumb { nextPC = v & ~1 } else { bxWritePC(v) }
    }

    /// BXWritePC: bit 0 selects Thumb state.
    @inline(__always) func bxWritePC(_ v: UInt32) {
        if v & 1 != 0 {
            thumb = true
            nextPC = v & ~1
        } else {
            thumb = false
            // Bit 1 set in ARM state is UNPREDICTABLE; like QEMU, it is cleared.
            nextPC = v & ~3
        }
    }

    /// LoadWritePC: loads to PC interwork in ARMv7.
    @inline(__always) func loadWritePC(_ v: UInt32) { bxWritePC(v) }

    /// Exception return by copying SPSR to CPSR and branching (SUBS PC, LR
    /// and its relatives; LDM with PC and ^).
    func exceptionReturn(to address: UInt32, spsr saved: UInt32) throws(CPUException) {
        if mode == .user || mode == .system { throw .undefined }
        writeCPSR(saved, mask: 0xFFFF_FFFF, exceptionReturn: true)
        nextPC = thumb ? address & ~1 : address & ~3
        invalidateFetchPage()
        endBlockIfInterruptUnmasked()
    }

    /// Ends the block after this instruction (`.interruptWindow`) when the
    /// CPSR write just done unmasked a pending interrupt, so the run loop
    /// takes it before the next instruction. Call it as the instruction's
    /// last action.
    @inline(__always) func endBlockIfInterruptUnmasked() {
        if interruptWindowOpened {
            interruptWindowOpened = false
            endBlockAfterInstruction(.interruptWindow)
        }
    }

    /// Signed saturation of `v` to `bits` bits; returns (value, saturated).
    @inline(__always) func signedSat(_ v: Int64, _ bits: UInt32) -> (UInt32, Bool) {
        let maxV = (Int64(1) << (bits - 1)) - 1
        let minV = -(Int64(1) << (bits - 1))
        if v > maxV { return (UInt32(truncatingIfNeeded: maxV), true) }
        if v < minV { return (UInt32(truncatingIfNeeded: minV), true) }
        return (UInt32(truncatingIfNeeded: v), false)
    }

    /// Unsigned saturation of `v` to `bits` bits.
    @inline(__always) func unsignedSat(_ v: Int64, _ bits: UInt32) -> (UInt32, Bool) {
        let maxV = (Int64(1) << bits) - 1
        if v > maxV { return (UInt32(truncatingIfNeeded: maxV), true) }
        if v < 0 { return (0, true) }
        return (UInt32(truncatingIfNeeded: v), false)
    }
}
