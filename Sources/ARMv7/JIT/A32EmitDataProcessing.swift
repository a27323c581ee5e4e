import X86Assembler

/// Data-processing and multiply instructions as host code. x86 sets CF and
/// OF exactly as ARM's adder does (with CF inverted for subtraction, where
/// x86 reports a borrow and ARM a carry), and its shifts leave the last bit
/// shifted out in CF, which is ARM's shifter carry-out.
extension BlockTranslator {
    /// Where the shifter's carry-out is after operand 2 is computed.
    private enum ShifterCarry {
        case unchanged
        case constant(UInt32)
        /// In r8b.
        case inR8
    }

    /// AND … MVN with an immediate or an immediate-shifted register (Rd ≠ PC).
    mutating func emitDataProcessing(_ d: DecodedInstruction, pc: UInt32) {
        let raw = d.raw
        let opc = (raw >> 21) & 0xF
        let setFlags = raw & (1 << 20) != 0
        let rd = Int((raw >> 12) & 0xF)
        let rn = Int((raw >> 16) & 0xF)
        let logical = [0, 1, 8, 9, 12, 13, 14, 15].contains(opc)
        let wantCarry = setFlags && logical

        // Operand 2: an immediate used as such, or a value in ecx.
        var carry = ShifterCarry.unchanged
        var immediate: UInt32?
        let op = A32Op.fromDecoded(d.op)
        if op == .dpImm {
            immediate = d.imm
            if d.extra & 1 != 0 { carry = .constant(d.imm >> 31) }
        } else if op == .dpRegShiftReg {
            emitRegisterShift(raw)
        } else {
            carry = emitImmediateShift(raw, into: .rcx, wantCarry: wantCarry, pc: pc)
        }
        if !wantCarry { carry = .unchanged }
        // Reverse subtractions and the carry-using ones take it in ecx.
        if let v = immediate, [3, 5, 6, 7].contains(opc) {
            a.mov(.rcx, imm32: v)
            immediate = nil
        }

        // Operand 1 into eax; result in eax.
        if opc != 13 && opc != 15 { loadReg(.rax, rn, pc: pc) }
        var arithmetic = false
        var subtraction = false
        func alu(_ op: ALUOp) {
            if let v = immediate { a.alu(op, .dword, .rax, imm: Int32(bitPattern: v)) } else { a.alu(op, .dword, .rax, .rcx) }
        }
        switch opc {
        case 0, 8: alu(.and)
        case 1, 9: alu(.xor)
        case 2, 10: alu(.sub); arithmetic = true; subtraction = true
        case 3:
            a.alu(.sub, .dword, .rcx, .rax); arithmetic = true; subtraction = true
        case 4, 11: alu(.add); arithmetic = true
        case 5:
            a.bt(.dword, ABI.cf, bit: 0)
            a.alu(.adc, .dword, .rax, .rcx); arithmetic = true
        case 6:
            a.bt(.dword, ABI.cf, bit: 0); a.cmc()
            a.alu(.sbb, .dword, .rax, .rcx); arithmetic = true; subtraction = true
        case 7:
            a.bt(.dword, ABI.cf, bit: 0); a.cmc()
            a.alu(.sbb, .dword, .rcx, .rax); arithmetic = true; subtraction = true
        case 12: alu(.or)
        case 13:
            if let v = immediate { a.mov(.rax, imm32: v) } else { a.mov(.dword, .rax, .rcx) }
        case 14:
            if let v = immediate {
                a.alu(.and, .dword, .rax, imm: Int32(bitPattern: ~v))
            } else {
                a.not(.dword, .rcx)
                a.alu(.and, .dword, .rax, .rcx)
            }
        default:
            if let v = immediate {
                a.mov(.rax, imm32: ~v)
            } else {
                a.not(.dword, .rcx)
                a.mov(.dword, .rax, .rcx)
            }
        }
        let dead = deadFlagWrites
        if arithmetic && setFlags {
            // Whole-word stores below: a byte store read back as a word
            // (the next condition check) would stall store forwarding.
            if dead & FlagLiveness.c == 0 { a.setcc(subtraction ? .ae : .b, .rdx) }
            if dead & FlagLiveness.v == 0 { a.setcc(.o, .r9) }
        }
        if opc == 3 || opc == 7 { a.mov(.dword, .rax, .rcx) }
        if opc < 8 || opc > 11 { storeReg(rd, from: .rax) }
        guard setFlags else { return }
        // Flags a later instruction of the block overwrites unread are not
        // stored (`FlagLiveness`).
        if dead & FlagLiveness.n == 0 { a.mov(.dword, ABI.nf, .rax) }
        if dead & FlagLiveness.z == 0 { a.mov(.dword, ABI.zf, .rax) }
        if arithmetic {
            if dead & FlagLiveness.c == 0 {
                a.movzx(.rdx, .rdx, from: .byte)
                a.mov(.dword, ABI.cf, .rdx)
            }
            if dead & FlagLiveness.v == 0 {
                a.movzx(.r9, .r9, from: .byte)
                a.shift(.shl, .dword, .r9, imm: 31)
                a.mov(.dword, ABI.vf, .r9)
            }
        } else {
            switch carry {
            case .unchanged: break
            case let .constant(c): a.mov(.dword, ABI.cf, imm: Int32(c))
            case .inR8:
                a.movzx(.r8, .r8, from: .byte)
                a.mov(.dword, ABI.cf, .r8)
            }
        }
    }

    /// Rm shifted by an immediate (bits 11:7, type 6:5) into `dst`; when
    /// `wantCarry`, the carry-out ends in r8b (or is "unchanged" for LSL #0).
    private mutating func emitImmediateShift(_ raw: UInt32, into dst: GPR, wantCarry: Bool, pc: UInt32)
        -> ShifterCarry {
        loadReg(dst, Int(raw & 0xF), pc: pc)
        let amount = UInt8((raw >> 7) & 0x1F)
        switch (raw >> 5) & 3 {
        case 0:
            if amount == 0 { return .unchanged }
            a.shift(.shl, .dword, dst, imm: amount)
        case 1:
            if amount == 0 {   // LSR #32
                if wantCarry { a.bt(.dword, dst, bit: 31); a.setcc(.b, .r8) }
                a.alu(.xor, .dword, dst, dst)
                return .inR8
            }
            a.shift(.shr, .dword, dst, imm: amount)
        case 2:
            if amount == 0 {   // ASR #32
                if wantCarry { a.bt(.dword, dst, bit: 31); a.setcc(.b, .r8) }
                a.shift(.sar, .dword, dst, imm: 31)
                return .inR8
            }
            a.shift(.sar, .dword, dst, imm: amount)
        default:
            if amount == 0 {   // RRX
                a.bt(.dword, ABI.cf, bit: 0)
                a.shift(.rcr, .dword, dst, imm: 1)
            } else {
                a.shift(.ror, .dword, dst, imm: amount)
            }
        }
        if wantCarry { a.setcc(.b, .r8) }
        return .inR8
    }

    /// Whether a register-shifted-register operation is translated: not
    /// when a flag-setting logical operation needs the shifter's carry-out,
    /// nor with the PC as an operand (UNPREDICTABLE).
    static func registerShiftIsNative(_ raw: UInt32) -> Bool {
        let opc = (raw >> 21) & 0xF
        let logical = [0, 1, 8, 9, 12, 13, 14, 15].contains(opc)
        if raw & (1 << 20) != 0 && logical { return false }
        return raw & 0xF != 15 && (raw >> 8) & 0xF != 15 && (raw >> 16) & 0xF != 15
    }

    /// Rm shifted by the bottom byte of Rs into ecx, with ARM's rules for
    /// amounts of 32 and more (x86 masks the count to 5 bits).
    private mutating func emitRegisterShift(_ raw: UInt32) {
        a.mov(.dword, .rcx, ABI.reg(Int((raw >> 8) & 0xF)))
        a.movzx(.rcx, .rcx, from: .byte)
        a.mov(.dword, .rdx, ABI.reg(Int(raw & 0xF)))
        switch (raw >> 5) & 3 {
        case 0, 1:
            a.shiftCL((raw >> 5) & 3 == 0 ? .shl : .shr, .dword, .rdx)
            a.alu(.xor, .dword, .r8, .r8)
            a.alu(.cmp, .dword, .rcx, imm: 32)
            a.cmov(.ae, .dword, .rdx, .r8)
        case 2:
            a.mov(.r8, imm32: 31)
            a.alu(.cmp, .dword, .rcx, imm: 31)
            a.cmov(.a, .dword, .rcx, .r8)
            a.shiftCL(.sar, .dword, .rdx)
        default:
            a.shiftCL(.ror, .dword, .rdx)
        }
        a.mov(.dword, .rcx, .rdx)
    }

    /// MUL and MLA (Rd ≠ PC): S sets N and Z only.
    mutating func emitMultiply(_ op: A32Op, _ raw: UInt32, pc: UInt32) {
        let rd = Int((raw >> 16) & 0xF), ra = Int((raw >> 12) & 0xF)
        let rm = Int((raw >> 8) & 0xF), rn = Int(raw & 0xF)
        // R15 as an operand is UNPREDICTABLE; read it as the interpreter does.
        loadReg(.rax, rn, pc: pc)
        loadReg(.rcx, rm, pc: pc)
        a.imul(.dword, .rax, .rcx)
        if op == .mla {
            loadReg(.rcx, ra, pc: pc)
            a.alu(.add, .dword, .rax, .rcx)
        }
        storeReg(rd, from: .rax)
        if raw & (1 << 20) != 0 {
            if deadFlagWrites & FlagLiveness.n == 0 { a.mov(.dword, ABI.nf, .rax) }
            if deadFlagWrites & FlagLiveness.z == 0 { a.mov(.dword, ABI.zf, .rax) }
        }
    }
}
