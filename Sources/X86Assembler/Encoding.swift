/// The r/m operand of a ModRM-encoded instruction.
enum RM {
    /// A register number (GPR or XMM), 0-15.
    case reg(UInt8)
    case mem(Memory)
}

extension X86Assembler {
    // MARK: Raw bytes

    mutating func emit8(_ b: UInt8) { bytes.append(b) }

    mutating func emit16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func emit32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift)))
        }
    }

    mutating func emit64(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
        }
    }

    mutating func store32(_ v: UInt32, at position: Int) {
        for i in 0..<4 {
            bytes[position + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i))
        }
    }

    /// Emits an immediate of the operand width (qword immediates are 32-bit,
    /// sign-extended by the CPU).
    mutating func emitImm(_ imm: Int32, _ w: Width) {
        switch w {
        case .byte: emit8(UInt8(truncatingIfNeeded: imm))
        case .word: emit16(UInt16(truncatingIfNeeded: imm))
        case .dword, .qword: emit32(UInt32(bitPattern: imm))
        }
    }

    // MARK: Instruction framing

    /// Emits prefixes, REX, opcode, ModRM (+SIB, displacement) for an
    /// instruction with a register in ModRM.reg and `rm` in ModRM.rm.
    ///
    /// - Parameters:
    ///   - prefix: a mandatory prefix (0x66/0xF2/0xF3) or 0 for none; it goes
    ///     after the 0x66 operand-size prefix and before REX.
    ///   - word: emit the 0x66 operand-size prefix.
    ///   - rexW: set REX.W (64-bit operand size).
    ///   - twoByte: the opcode is in the 0F map.
    ///   - byteRegs: a register operand is an 8-bit register, so numbers 4-7
    ///     must get a REX to mean spl/bpl/sil/dil rather than ah/ch/dh/bh.
    mutating func emitModRM(prefix: UInt8 = 0, word: Bool = false, rexW: Bool = false,
                            twoByte: Bool = false, opcode: UInt8,
                            reg: UInt8, rm: RM,
                            regIsByte: Bool = false, rmIsByte: Bool = false) {
        if word { emit8(0x66) }
        if prefix != 0 { emit8(prefix) }
        var rex: UInt8 = rexW ? 0x48 : 0
        var forceRex = regIsByte && (4...7).contains(reg)
        if reg & 8 != 0 { rex |= 0x44 }
        switch rm {
        case .reg(let r):
            if r & 8 != 0 { rex |= 0x41 }
            if rmIsByte && (4...7).contains(r) { forceRex = true }
        case .mem(let m):
            if m.base.high != 0 { rex |= 0x41 }
            if let i = m.index, i.high != 0 { rex |= 0x42 }
        }
        if rex != 0 || forceRex { emit8(rex | 0x40) }
        if twoByte { emit8(0x0F) }
        emit8(opcode)
        emitOperand(reg: reg, rm: rm)
    }

    /// Emits ModRM, SIB and displacement for `rm`, with `reg` (a register
    /// number or `/digit`) in ModRM.reg.
    mutating func emitOperand(reg: UInt8, rm: RM) {
        let regBits = (reg & 7) << 3
        switch rm {
        case .reg(let r):
            emit8(0xC0 | regBits | (r & 7))
        case .mem(let m):
            emitMemory(regBits: regBits, m)
        }
    }

    private mutating func emitMemory(regBits: UInt8, _ m: Memory) {
        let base = m.base.low3
        // rbp/r13 with mod 00 means RIP/absolute, so they always carry a displacement.
        let mod: UInt8
        if m.disp == 0 && base != 5 {
            mod = 0x00
        } else if Int8(exactly: m.disp) != nil {
            mod = 0x40
        } else {
            mod = 0x80
        }
        if let index = m.index {
            let scaleBits: UInt8
            switch m.scale {
            case 1: scaleBits = 0
            case 2: scaleBits = 1
            case 4: scaleBits = 2
            case 8: scaleBits = 3
            default:
                record(.invalidOperand("scale \(m.scale) is not 1, 2, 4 or 8"))
                scaleBits = 0
            }
            if index == .rsp {
                // SIB index 100 without REX.X means "no index".
                record(.invalidOperand("rsp cannot be an index register"))
            }
            emit8(mod | regBits | 4)
            emit8(scaleBits << 6 | index.low3 << 3 | base)
        } else if base == 4 {
            // rsp/r12: rm=100 means "SIB follows"; SIB with no index (100).
            emit8(mod | regBits | 4)
            emit8(0x24)
        } else {
            emit8(mod | regBits | base)
        }
        switch mod {
        case 0x40: emit8(UInt8(bitPattern: Int8(truncatingIfNeeded: m.disp)))
        case 0x80: emit32(UInt32(bitPattern: m.disp))
        default: break
        }
    }

    /// Emits a GPR instruction whose opcode has a byte form at `opcode - 1`
    /// (the common x86 pattern: 88/89, 00/01, F6/F7, ...): picks 0x66 and
    /// REX.W from `w`, and marks byte registers.
    mutating func emitSized(_ w: Width, twoByte: Bool = false, opcode: UInt8,
                            reg: UInt8, rm: RM, regIsGPR: Bool = true) {
        let isByte = w == .byte
        emitModRM(word: w == .word, rexW: w == .qword, twoByte: twoByte,
                  opcode: isByte ? opcode &- 1 : opcode, reg: reg, rm: rm,
                  regIsByte: isByte && regIsGPR, rmIsByte: isByte)
    }

    /// Emits an instruction with the register in the opcode's low 3 bits
    /// (push, pop, bswap, mov r, imm).
    mutating func emitOpcodeReg(rexW: Bool, twoByte: Bool = false, opcode: UInt8, _ r: GPR) {
        var rex: UInt8 = rexW ? 0x48 : 0
        if r.high != 0 { rex |= 0x41 }
        if rex != 0 { emit8(rex) }
        if twoByte { emit8(0x0F) }
        emit8(opcode | r.low3)
    }

    /// Records a misuse when `ok` is false; returns `ok`.
    mutating func require(_ ok: Bool, _ message: @autoclosure () -> String) -> Bool {
        if !ok { record(.invalidOperand(message())) }
        return ok
    }
}
