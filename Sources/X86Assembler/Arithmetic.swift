extension X86Assembler {
    /// `op dst, src` (register, register).
    public mutating func alu(_ op: ALUOp, _ w: Width, _ dst: GPR, _ src: GPR) {
        emitSized(w, opcode: op.rawValue << 3 | 1, reg: src.rawValue, rm: .reg(dst.rawValue))
    }

    /// `op dst, imm`, using the sign-extended imm8 form when `imm` fits.
    /// For a byte operation only the low 8 bits of `imm` are used.
    public mutating func alu(_ op: ALUOp, _ w: Width, _ dst: GPR, imm: Int32) {
        aluImm(op, w, .reg(dst.rawValue), imm)
    }

    /// `op dst, [src]` (register, memory).
    public mutating func alu(_ op: ALUOp, _ w: Width, _ dst: GPR, _ src: Memory) {
        emitSized(w, opcode: op.rawValue << 3 | 3, reg: dst.rawValue, rm: .mem(src))
    }

    /// `op [dst], src` (memory, register).
    public mutating func alu(_ op: ALUOp, _ w: Width, _ dst: Memory, _ src: GPR) {
        emitSized(w, opcode: op.rawValue << 3 | 1, reg: src.rawValue, rm: .mem(dst))
    }

    /// `op [dst], imm`, using the sign-extended imm8 form when `imm` fits.
    public mutating func alu(_ op: ALUOp, _ w: Width, _ dst: Memory, imm: Int32) {
        aluImm(op, w, .mem(dst), imm)
    }

    private mutating func aluImm(_ op: ALUOp, _ w: Width, _ rm: RM, _ imm: Int32) {
        if w == .byte {
            emitModRM(opcode: 0x80, reg: op.rawValue, rm: rm, rmIsByte: true)
            emitImm(imm, .byte)
        } else if let small = Int8(exactly: imm) {
            emitModRM(word: w == .word, rexW: w == .qword, opcode: 0x83, reg: op.rawValue, rm: rm)
            emit8(UInt8(bitPattern: small))
        } else {
            emitModRM(word: w == .word, rexW: w == .qword, opcode: 0x81, reg: op.rawValue, rm: rm)
            emitImm(imm, w)
        }
    }

    /// `test a, b`.
    public mutating func test(_ w: Width, _ a: GPR, _ b: GPR) {
        emitSized(w, opcode: 0x85, reg: b.rawValue, rm: .reg(a.rawValue))
    }

    /// `test a, imm` (there is no imm8 form; the immediate has the operand width).
    public mutating func test(_ w: Width, _ a: GPR, imm: Int32) {
        emitSized(w, opcode: 0xF7, reg: 0, rm: .reg(a.rawValue), regIsGPR: false)
        emitImm(imm, w)
    }

    /// `test [a], imm`.
    public mutating func test(_ w: Width, _ a: Memory, imm: Int32) {
        emitSized(w, opcode: 0xF7, reg: 0, rm: .mem(a), regIsGPR: false)
        emitImm(imm, w)
    }

    /// Shift or rotate `dst` by a constant; a count of 1 uses the short D0/D1 form.
    /// The CPU masks the count to 5 bits (6 for qword).
    public mutating func shift(_ op: ShiftOp, _ w: Width, _ dst: GPR, imm: UInt8) {
        if imm == 1 {
            emitSized(w, opcode: 0xD1, reg: op.rawValue, rm: .reg(dst.rawValue), regIsGPR: false)
        } else {
            emitSized(w, opcode: 0xC1, reg: op.rawValue, rm: .reg(dst.rawValue), regIsGPR: false)
            emit8(imm)
        }
    }

    /// Shift or rotate `dst` by `cl`.
    public mutating func shiftCL(_ op: ShiftOp, _ w: Width, _ dst: GPR) {
        emitSized(w, opcode: 0xD3, reg: op.rawValue, rm: .reg(dst.rawValue), regIsGPR: false)
    }

    /// `not r`.
    public mutating func not(_ w: Width, _ r: GPR) { group3(2, w, r) }

    /// `neg r`.
    public mutating func neg(_ w: Width, _ r: GPR) { group3(3, w, r) }

    /// Unsigned widening multiply: `rdx:rax = rax * src` (for a byte, `ax = al * src`).
    public mutating func mul(_ w: Width, _ src: GPR) { group3(4, w, src) }

    /// Signed widening multiply: `rdx:rax = rax * src` (one-operand `imul`).
    public mutating func imulWide(_ w: Width, _ src: GPR) { group3(5, w, src) }

    /// Unsigned divide of `rdx:rax` by `src`: quotient in rax, remainder in rdx.
    public mutating func div(_ w: Width, _ src: GPR) { group3(6, w, src) }

    /// Signed divide of `rdx:rax` by `src`: quotient in rax, remainder in rdx.
    public mutating func idiv(_ w: Width, _ src: GPR) { group3(7, w, src) }

    /// `cdq`: sign-extends eax into edx (before a 32-bit `idiv`).
    public mutating func cdq() { emit8(0x99) }

    /// `mfence`: orders all earlier loads and stores before later ones.
    public mutating func mfence() { emit8(0x0F); emit8(0xAE); emit8(0xF0) }

    private mutating func group3(_ digit: UInt8, _ w: Width, _ r: GPR) {
        emitSized(w, opcode: 0xF7, reg: digit, rm: .reg(r.rawValue), regIsGPR: false)
    }

    /// Truncating multiply `dst = dst * src` (word, dword or qword).
    public mutating func imul(_ w: Width, _ dst: GPR, _ src: GPR) {
        guard require(w != .byte, "imul has no two-operand byte form") else { return }
        emitSized(w, twoByte: true, opcode: 0xAF, reg: dst.rawValue, rm: .reg(src.rawValue))
    }

    /// Reverses the byte order of a dword or qword register
    /// (bswap of a word is undefined, so it is rejected).
    public mutating func bswap(_ w: Width, _ r: GPR) {
        guard require(w == .dword || w == .qword, "bswap needs a dword or qword") else { return }
        emitOpcodeReg(rexW: w == .qword, twoByte: true, opcode: 0xC8, r)
    }

    /// `bt r, bit`: copies the bit into CF.
    public mutating func bt(_ w: Width, _ r: GPR, bit: UInt8) {
        guard require(w != .byte, "bt has no byte form") else { return }
        emitSized(w, twoByte: true, opcode: 0xBA, reg: 4, rm: .reg(r.rawValue), regIsGPR: false)
        emit8(bit)
    }

    /// `bt [m], bit`: copies the bit into CF.
    public mutating func bt(_ w: Width, _ m: Memory, bit: UInt8) {
        guard require(w != .byte, "bt has no byte form") else { return }
        emitSized(w, twoByte: true, opcode: 0xBA, reg: 4, rm: .mem(m), regIsGPR: false)
        emit8(bit)
    }

    /// `bsr dst, src`: index of the highest set bit (ZF set and `dst` undefined when `src` is 0).
    public mutating func bsr(_ w: Width, _ dst: GPR, _ src: GPR) {
        guard require(w != .byte, "bsr has no byte form") else { return }
        emitSized(w, twoByte: true, opcode: 0xBD, reg: dst.rawValue, rm: .reg(src.rawValue))
    }

    /// Complements the carry flag.
    public mutating func cmc() { emit8(0xF5) }
    /// Sets the carry flag.
    public mutating func stc() { emit8(0xF9) }
    /// Clears the carry flag.
    public mutating func clc() { emit8(0xF8) }

    /// `setcc dst8`: the low byte of `dst` becomes 1 if `c` holds, else 0.
    public mutating func setcc(_ c: Condition, _ dst: GPR) {
        emitModRM(twoByte: true, opcode: 0x90 | c.rawValue, reg: 0, rm: .reg(dst.rawValue), rmIsByte: true)
    }

    /// `setcc byte [dst]`: the byte becomes 1 if `c` holds, else 0.
    public mutating func setcc(_ c: Condition, _ dst: Memory) {
        emitModRM(twoByte: true, opcode: 0x90 | c.rawValue, reg: 0, rm: .mem(dst))
    }

    /// `cmovcc dst, src` (word, dword or qword). A dword cmov zero-extends
    /// `dst` even when the condition is false.
    public mutating func cmov(_ c: Condition, _ w: Width, _ dst: GPR, _ src: GPR) {
        guard require(w != .byte, "cmov has no byte form") else { return }
        emitSized(w, twoByte: true, opcode: 0x40 | c.rawValue, reg: dst.rawValue, rm: .reg(src.rawValue))
    }
}
