extension X86Assembler {
    /// `mov dst, src` between registers of width `w`.
    public mutating func mov(_ w: Width, _ dst: GPR, _ src: GPR) {
        emitSized(w, opcode: 0x89, reg: src.rawValue, rm: .reg(dst.rawValue))
    }

    /// Load: `mov dst, [src]`. A dword load zero-extends to 64 bits; byte and
    /// word loads leave the upper bits of `dst` alone (use `movzx`).
    public mutating func mov(_ w: Width, _ dst: GPR, _ src: Memory) {
        emitSized(w, opcode: 0x8B, reg: dst.rawValue, rm: .mem(src))
    }

    /// Store: `mov [dst], src`.
    public mutating func mov(_ w: Width, _ dst: Memory, _ src: GPR) {
        emitSized(w, opcode: 0x89, reg: src.rawValue, rm: .mem(dst))
    }

    /// Store an immediate: `mov [dst], imm`, truncated to `w`
    /// (a qword store sign-extends the 32-bit immediate).
    public mutating func mov(_ w: Width, _ dst: Memory, imm: Int32) {
        emitSized(w, opcode: 0xC7, reg: 0, rm: .mem(dst), regIsGPR: false)
        emitImm(imm, w)
    }

    /// `mov dst32, imm32`: sets the low 32 bits and clears the upper 32.
    public mutating func mov(_ dst: GPR, imm32: UInt32) {
        emitOpcodeReg(rexW: false, opcode: 0xB8, dst)
        emit32(imm32)
    }

    /// Loads a 64-bit constant with the shortest correct encoding: a
    /// zero-extending 32-bit mov, a sign-extending `mov r64, imm32`, or
    /// the 10-byte `movabs`.
    public mutating func mov(_ dst: GPR, imm64: UInt64) {
        if let small = UInt32(exactly: imm64) {
            mov(dst, imm32: small)
        } else if let signed = Int32(exactly: Int64(bitPattern: imm64)) {
            emitModRM(rexW: true, opcode: 0xC7, reg: 0, rm: .reg(dst.rawValue))
            emit32(UInt32(bitPattern: signed))
        } else {
            emitOpcodeReg(rexW: true, opcode: 0xB8, dst)
            emit64(imm64)
        }
    }

    /// `movzx dst32, byte/word [src]`: zero-extends into the whole 64-bit register.
    public mutating func movzx(_ dst: GPR, _ src: Memory, from: Width) {
        extend(opcode: 0xB6, "movzx", dst, .mem(src), from: from)
    }

    /// `movzx dst32, src8/src16`.
    public mutating func movzx(_ dst: GPR, _ src: GPR, from: Width) {
        extend(opcode: 0xB6, "movzx", dst, .reg(src.rawValue), from: from)
    }

    /// `movsx dst32, byte/word [src]` (the upper 32 bits of `dst` become zero).
    public mutating func movsx(_ dst: GPR, _ src: Memory, from: Width) {
        extend(opcode: 0xBE, "movsx", dst, .mem(src), from: from)
    }

    /// `movsx dst32, src8/src16`.
    public mutating func movsx(_ dst: GPR, _ src: GPR, from: Width) {
        extend(opcode: 0xBE, "movsx", dst, .reg(src.rawValue), from: from)
    }

    /// `movsxd dst64, src32`.
    public mutating func movsxd(_ dst: GPR, _ src: GPR) {
        emitModRM(rexW: true, opcode: 0x63, reg: dst.rawValue, rm: .reg(src.rawValue))
    }

    /// `movsxd dst64, dword [src]`.
    public mutating func movsxd(_ dst: GPR, _ src: Memory) {
        emitModRM(rexW: true, opcode: 0x63, reg: dst.rawValue, rm: .mem(src))
    }

    /// `lea dst, [src]` with a dword or qword destination.
    public mutating func lea(_ w: Width, _ dst: GPR, _ src: Memory) {
        guard require(w == .dword || w == .qword, "lea needs a dword or qword destination") else { return }
        emitModRM(rexW: w == .qword, opcode: 0x8D, reg: dst.rawValue, rm: .mem(src))
    }

    /// 0F B6/B7 (movzx) and 0F BE/BF (movsx): byte source at `opcode`, word at `opcode+1`.
    private mutating func extend(opcode: UInt8, _ name: String, _ dst: GPR, _ src: RM, from: Width) {
        guard require(from == .byte || from == .word, "\(name) extends from a byte or word") else { return }
        emitModRM(twoByte: true, opcode: from == .byte ? opcode : opcode + 1,
                  reg: dst.rawValue, rm: src, rmIsByte: from == .byte)
    }
}
