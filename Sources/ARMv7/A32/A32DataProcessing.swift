/// A32 data-processing instructions (AND … MVN, MOVW/MOVT).
extension Core {
    /// Executes data-processing opcode (bits 24:21) with the shifter output.
    /// Transparent: @inline(__always) alone was not honoured at every caller.
    @_transparent
    func dataProcessing(_ raw: UInt32, _ op2: UInt32, _ shifterCarry: UInt32) throws(CPUException) {
        let opc = (raw >> 21) & 0xF
        let setFlags = raw & (1 << 20) != 0
        let rd = Int((raw >> 12) & 0xF)
        let a = r[Int((raw >> 16) & 0xF)]
        var result: UInt32
        var logical = true
        var c: UInt32 = 0, v: UInt32 = 0
        switch opc {
        case 0x0: result = a & op2
        case 0x1: result = a ^ op2
        case 0x2: (result, c, v) = addWithCarry(a, ~op2, 1); logical = false
        case 0x3: (result, c, v) = addWithCarry(op2, ~a, 1); logical = false
        case 0x4: (result, c, v) = addWithCarry(a, op2, 0); logical = false
        case 0x5: (result, c, v) = addWithCarry(a, op2, cf); logical = false
        case 0x6: (result, c, v) = addWithCarry(a, ~op2, cf); logical = false
        case 0x7: (result, c, v) = addWithCarry(op2, ~a, cf); logical = false
        case 0x8:
            result = a & op2
            setNZ(result); cf = shifterCarry; return
        case 0x9:
            result = a ^ op2
            setNZ(result); cf = shifterCarry; return
        case 0xA:
            (result, c, v) = addWithCarry(a, ~op2, 1)
            setNZ(result); cf = c; vf = v; return
        case 0xB:
            (result, c, v) = addWithCarry(a, op2, 0)
            setNZ(result); cf = c; vf = v; return
        case 0xC: result = a | op2
        case 0xD: result = op2
        case 0xE: result = a & ~op2
        default: result = ~op2
        }
        if rd == 15 {
            if setFlags {
                try exceptionReturn(to: result, spsr: spsr)
            } else {
                aluWritePC(result)
            }
            return
        }
        r[rd] = result
        if setFlags {
            setNZ(result)
            if logical { cf = shifterCarry } else { cf = c; vf = v }
        }
    }

    @inline(never) func executeDPImmediate(_ d: DecodedInstruction) throws(CPUException) {
        let carry = d.extra != 0 ? d.imm >> 31 : cf
        try dataProcessing(d.raw, d.imm, carry)
    }

    @inline(never) func executeDPRegister(_ raw: UInt32) throws(CPUException) {
        let (op2, carry) = shiftByImmediate(r[Int(raw & 0xF)], type: (raw >> 5) & 3, amount: (raw >> 7) & 0x1F)
        try dataProcessing(raw, op2, carry)
    }

    @inline(never) func executeDPRegisterShiftedRegister(_ raw: UInt32) throws(CPUException) {
        let amount = r[Int((raw >> 8) & 0xF)] & 0xFF
        let (op2, carry) = shiftByRegister(r[Int(raw & 0xF)], type: (raw >> 5) & 3, amount: amount)
        try dataProcessing(raw, op2, carry)
    }

    @inline(never) func executeMovw(_ d: DecodedInstruction) {
        r[Int((d.raw >> 12) & 0xF)] = d.imm
    }

    @inline(never) func executeMovt(_ d: DecodedInstruction) {
        let rd = Int((d.raw >> 12) & 0xF)
        r[rd] = (r[rd] & 0xFFFF) | (d.imm << 16)
    }
}
