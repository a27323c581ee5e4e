extension X86Assembler {
    // Scalar SSE/SSE2 forms share one shape: [prefix] [REX] 0F op /r, with the
    // destination (or the XMM register of a store) in ModRM.reg.

    private mutating func sse(_ prefix: UInt8, _ opcode: UInt8, _ reg: XMM, _ rm: RM, rexW: Bool = false) {
        emitModRM(prefix: prefix, rexW: rexW, twoByte: true, opcode: opcode, reg: reg.rawValue, rm: rm)
    }

    /// `movsd d, qword [m]` (clears the upper half of `d`).
    public mutating func movsd(_ d: XMM, _ m: Memory) { sse(0xF2, 0x10, d, .mem(m)) }
    /// `movsd qword [m], s`.
    public mutating func movsd(_ m: Memory, _ s: XMM) { sse(0xF2, 0x11, s, .mem(m)) }
    /// `movss d, dword [m]` (clears the upper 96 bits of `d`).
    public mutating func movss(_ d: XMM, _ m: Memory) { sse(0xF3, 0x10, d, .mem(m)) }
    /// `movss dword [m], s`.
    public mutating func movss(_ m: Memory, _ s: XMM) { sse(0xF3, 0x11, s, .mem(m)) }

    /// `movaps d, s`: a full register copy.
    public mutating func movaps(_ d: XMM, _ s: XMM) { sse(0, 0x28, d, .reg(s.rawValue)) }

    /// `movq d, s64` (zeroes the upper half of `d`).
    public mutating func movq(_ d: XMM, _ s: GPR) { sse(0x66, 0x6E, d, .reg(s.rawValue), rexW: true) }
    /// `movq d64, s` (the low 64 bits).
    public mutating func movq(_ d: GPR, _ s: XMM) { sse(0x66, 0x7E, s, .reg(d.rawValue), rexW: true) }
    /// `movd d, s32` (zeroes the upper 96 bits of `d`).
    public mutating func movd(_ d: XMM, _ s: GPR) { sse(0x66, 0x6E, d, .reg(s.rawValue)) }
    /// `movd d32, s` (the low 32 bits; zero-extends `d`).
    public mutating func movd(_ d: GPR, _ s: XMM) { sse(0x66, 0x7E, s, .reg(d.rawValue)) }

    /// `movdqu d, [m]` (128-bit unaligned load).
    public mutating func movdqu(_ d: XMM, _ m: Memory) { sse(0xF3, 0x6F, d, .mem(m)) }
    /// `movdqu [m], s` (128-bit unaligned store).
    public mutating func movdqu(_ m: Memory, _ s: XMM) { sse(0xF3, 0x7F, s, .mem(m)) }

    /// `addsd d, s`.
    public mutating func addsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x58, d, .reg(s.rawValue)) }
    /// `subsd d, s`.
    public mutating func subsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5C, d, .reg(s.rawValue)) }
    /// `mulsd d, s`.
    public mutating func mulsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x59, d, .reg(s.rawValue)) }
    /// `divsd d, s`.
    public mutating func divsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5E, d, .reg(s.rawValue)) }
    /// `sqrtsd d, s`.
    public mutating func sqrtsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x51, d, .reg(s.rawValue)) }

    /// `addss d, s`.
    public mutating func addss(_ d: XMM, _ s: XMM) { sse(0xF3, 0x58, d, .reg(s.rawValue)) }
    /// `subss d, s`.
    public mutating func subss(_ d: XMM, _ s: XMM) { sse(0xF3, 0x5C, d, .reg(s.rawValue)) }
    /// `mulss d, s`.
    public mutating func mulss(_ d: XMM, _ s: XMM) { sse(0xF3, 0x59, d, .reg(s.rawValue)) }
    /// `divss d, s`.
    public mutating func divss(_ d: XMM, _ s: XMM) { sse(0xF3, 0x5E, d, .reg(s.rawValue)) }
    /// `sqrtss d, s`.
    public mutating func sqrtss(_ d: XMM, _ s: XMM) { sse(0xF3, 0x51, d, .reg(s.rawValue)) }

    /// `ucomisd a, b`: unordered compare, sets ZF/PF/CF (PF=1 when unordered).
    public mutating func ucomisd(_ a: XMM, _ b: XMM) { sse(0x66, 0x2E, a, .reg(b.rawValue)) }
    /// `ucomiss a, b`: unordered compare, sets ZF/PF/CF (PF=1 when unordered).
    public mutating func ucomiss(_ a: XMM, _ b: XMM) { sse(0, 0x2E, a, .reg(b.rawValue)) }

    /// `cvtss2sd d, s`: single to double.
    public mutating func cvtss2sd(_ d: XMM, _ s: XMM) { sse(0xF3, 0x5A, d, .reg(s.rawValue)) }
    /// `cvtsd2ss d, s`: double to single (rounded per MXCSR).
    public mutating func cvtsd2ss(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5A, d, .reg(s.rawValue)) }

    /// `cvtsi2sd d, s64`: a signed 64-bit integer to double (exact for 32-bit values).
    public mutating func cvtsi2sd(_ d: XMM, _ s: GPR) { sse(0xF2, 0x2A, d, .reg(s.rawValue), rexW: true) }
    /// `cvtsi2ss d, s64`: a signed 64-bit integer to single (rounded per MXCSR).
    public mutating func cvtsi2ss(_ d: XMM, _ s: GPR) { sse(0xF3, 0x2A, d, .reg(s.rawValue), rexW: true) }
    /// `cvttsd2si d64, s`: double to signed 64-bit integer, rounding towards zero.
    public mutating func cvttsd2si(_ d: GPR, _ s: XMM) {
        emitModRM(prefix: 0xF2, rexW: true, twoByte: true, opcode: 0x2C, reg: d.rawValue, rm: .reg(s.rawValue))
    }
    /// `cvttss2si d64, s`: single to signed 64-bit integer, rounding towards zero.
    public mutating func cvttss2si(_ d: GPR, _ s: XMM) {
        emitModRM(prefix: 0xF3, rexW: true, twoByte: true, opcode: 0x2C, reg: d.rawValue, rm: .reg(s.rawValue))
    }
    /// `cvtsd2si d64, s`: double to signed 64-bit integer, rounded per MXCSR.
    public mutating func cvtsd2si(_ d: GPR, _ s: XMM) {
        emitModRM(prefix: 0xF2, rexW: true, twoByte: true, opcode: 0x2D, reg: d.rawValue, rm: .reg(s.rawValue))
    }
    /// `cvtss2si d64, s`: single to signed 64-bit integer, rounded per MXCSR.
    public mutating func cvtss2si(_ d: GPR, _ s: XMM) {
        emitModRM(prefix: 0xF3, rexW: true, twoByte: true, opcode: 0x2D, reg: d.rawValue, rm: .reg(s.rawValue))
    }
}
