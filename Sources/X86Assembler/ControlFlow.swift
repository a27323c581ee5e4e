extension X86Assembler {
    /// `jmp l` (always E9 rel32).
    public mutating func jmp(_ l: Label) {
        emit8(0xE9)
        emitLabelField(l)
    }

    /// `jcc l` (always 0F 8x rel32).
    public mutating func jcc(_ c: Condition, _ l: Label) {
        emit8(0x0F)
        emit8(0x80 | c.rawValue)
        emitLabelField(l)
    }

    /// Emits a zero rel32 field, patched by `finish()`.
    private mutating func emitLabelField(_ l: Label) {
        guard labelOffsets.indices.contains(l.id) else {
            record(.unknownLabel(id: l.id))
            emit32(0)
            return
        }
        fixups.append((field: offset, label: l))
        emit32(0)
    }

    /// Indirect `jmp r` (64-bit target; no REX.W needed).
    public mutating func jmp(_ r: GPR) {
        emitModRM(opcode: 0xFF, reg: 4, rm: .reg(r.rawValue))
    }

    /// Indirect `jmp qword [m]`.
    public mutating func jmp(_ m: Memory) {
        emitModRM(opcode: 0xFF, reg: 4, rm: .mem(m))
    }

    /// Indirect `call r`.
    public mutating func call(_ r: GPR) {
        emitModRM(opcode: 0xFF, reg: 2, rm: .reg(r.rawValue))
    }

    /// Indirect `call qword [m]`.
    public mutating func call(_ m: Memory) {
        emitModRM(opcode: 0xFF, reg: 2, rm: .mem(m))
    }

    /// Emits `jmp rel32` with a zero displacement whose 4-byte field is
    /// aligned to 4 within this buffer (NOPs are inserted before the E9), so
    /// that it can later be repointed with a single atomic aligned store while
    /// other threads may be executing it (see ``ExecutableMemory/patchRel32(fieldOffset:target:)``).
    /// The alignment holds in memory only if the buffer is placed at a
    /// 4-aligned address.
    ///
    /// - Returns: the offset of the rel32 field.
    @discardableResult
    public mutating func jmpRel32Patchable() -> Int {
        // E9 sits one byte before the field, so it must land at 3 mod 4.
        let pad = (3 - offset % 4 + 4) % 4
        nop(pad)
        emit8(0xE9)
        let field = offset
        emit32(0)
        return field
    }

    /// `call rel32` to code outside this buffer: emits E8 with a zero
    /// displacement and returns the offset of its 4-byte field, which whoever
    /// places the code fills in (``rel32(from:to:)``) once both ends have
    /// addresses.
    @discardableResult
    public mutating func callRel32External() -> Int {
        emit8(0xE8)
        let field = offset
        emit32(0)
        return field
    }

    /// `jmp rel8` over the next `bytes` bytes (EB disp8): skips data placed
    /// in the instruction stream, such as a descriptor an out-of-line
    /// routine reads at its return address.
    public mutating func jmpShort(over bytes: Int) {
        guard let disp = Int8(exactly: bytes), disp >= 0 else {
            record(.displacementOutOfRange)
            return
        }
        emit8(0xEB)
        emit8(UInt8(bitPattern: disp))
    }

    /// Emits `v` as four little-endian data bytes (not an instruction).
    public mutating func data32(_ v: UInt32) {
        emit32(v)
    }

    /// Calls an absolute address: `mov scratch, imm64; call scratch`.
    public mutating func callAbsolute(_ address: UInt64, scratch: GPR = .rax) {
        mov(scratch, imm64: address)
        call(scratch)
    }

    /// `push r` (64-bit).
    public mutating func push(_ r: GPR) { emitOpcodeReg(rexW: false, opcode: 0x50, r) }

    /// `pop r` (64-bit).
    public mutating func pop(_ r: GPR) { emitOpcodeReg(rexW: false, opcode: 0x58, r) }

    /// `ret`.
    public mutating func ret() { emit8(0xC3) }

    /// `ud2`: a guaranteed invalid-opcode trap.
    public mutating func ud2() {
        emit8(0x0F)
        emit8(0x0B)
    }

    /// `int3`: a breakpoint trap.
    public mutating func int3() { emit8(0xCC) }

    /// Emits `count` bytes of NOPs, using the recommended multi-byte forms
    /// (at most 9 bytes each) so the padding decodes as few instructions.
    public mutating func nop(_ count: Int) {
        var left = count
        while left > 0 {
            let n = min(left, 9)
            bytes.append(contentsOf: Self.nops[n])
            left -= n
        }
    }

    /// Pads with NOPs until ``offset`` is a multiple of `n` (a power of two).
    public mutating func align(_ n: Int) {
        guard require(n > 0 && n & (n - 1) == 0, "alignment \(n) is not a power of two") else { return }
        nop((n - offset % n) % n)
    }

    /// The multi-byte NOP forms recommended by the Intel SDM (NOP, 0F 1F /0 with
    /// growing ModRM/SIB/displacement, 66 prefixes), indexed by length.
    private static let nops: [[UInt8]] = [
        [],
        [0x90],
        [0x66, 0x90],
        [0x0F, 0x1F, 0x00],
        [0x0F, 0x1F, 0x40, 0x00],
        [0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
        [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    ]
}
