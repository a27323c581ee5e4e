import X86Assembler

/// LDM/STM (PUSH/POP) as host code. The inline path covers the common case
/// (aligned, one page, the TLB entry present, a store page without code);
/// anything else runs the whole instruction in the interpreter, which
/// raises the alignment or MMU fault or touches MMIO exactly as it would.
extension BlockTranslator {
    /// Whether the inline form applies: LDM/STM without ^, a non-empty list,
    /// base not the PC, little-endian data.
    static func blockTransferIsNative(_ op: A32Op, _ raw: UInt32, bigEndian: Bool) -> Bool {
        (op == .ldm || op == .stm) && !bigEndian && raw & 0xFFFF != 0 && (raw >> 16) & 0xF != 15
    }

    /// Whether the instruction loads the PC (a return: it ends the block).
    static func loadsPC(_ op: A32Op, _ raw: UInt32) -> Bool {
        op == .ldm && raw & 0x8000 != 0
    }

    mutating func emitBlockTransfer(_ i: Int, _ d: DecodedInstruction) {
        let raw = d.raw, pc = pcOf(i)
        let op = A32Op.fromDecoded(d.op)
        let isLoad = op == .ldm
        let rn = Int((raw >> 16) & 0xF)
        let list = raw & 0xFFFF
        let count = Int32(list.nonzeroBitCount)
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let first: Int32
        switch (p, u) {
        case (false, true): first = 0
        case (true, true): first = 4
        case (false, false): first = -4 * count + 4
        case (true, false): first = -4 * count
        }
        let slow = a.newLabel(), done = a.newLabel()
        // Lowest address in r14d.
        a.mov(.dword, ABI.address, ABI.reg(rn))
        if first != 0 { a.alu(.add, .dword, ABI.address, imm: first) }
        emitWordAlignedTLBLookup(bytes: 4 * count, isLoad: isLoad, slow: slow)
        var offset: Int32 = 0
        if isLoad {
            if w && list & (1 << UInt32(rn)) == 0 {
                a.alu(u ? .add : .sub, .dword, ABI.reg(rn), imm: 4 * count)
            }
            for r in 0..<15 where list & (1 << UInt32(r)) != 0 {
                a.mov(.dword, .rdx, .base(.rax, offset))
                a.mov(.dword, ABI.reg(r), .rdx)
                offset += 4
            }
            if list & 0x8000 != 0 {
                a.mov(.dword, .rcx, .base(.rax, offset))
                emitInterworkingJump(from: .rcx, key: keyAfter(i))
            }
        } else {
            for r in 0..<16 where list & (1 << UInt32(r)) != 0 {
                loadReg(.rdx, r, pc: pc)
                a.mov(.dword, .base(.rax, offset), .rdx)
                offset += 4
            }
            if w { a.alu(u ? .add : .sub, .dword, ABI.reg(rn), imm: 4 * count) }
        }
        a.jmp(done)
        // Out of the fast path's reach: the interpreter does it all.
        a.bind(slow)
        emitInterpreterCall(i, d, endsBlock: BlockTranslator.loadsPC(op, raw))
        a.bind(done)
    }

    /// After the compare of a jump-cache entry's PC (entry in rdx): enters
    /// the entry's block when the PC matched and it was translated under
    /// `key`; otherwise binds `miss` and falls through to it.
    mutating func emitEnterCachedBlock(key: UInt32, miss: Label) {
        a.jcc(.ne, miss)
        a.alu(.cmp, .dword, .base(.rdx, 4), imm: Int32(bitPattern: key))
        a.jcc(.ne, miss)
        a.jmp(.base(.rdx, 8))
        a.bind(miss)
    }

    /// The software-TLB check of an inline access of `bytes` bytes at the
    /// address in r14d, which must be word-aligned and within one page
    /// (LDM/STM, LDRD/STRD): jumps to `slow` unless the entry allows it (and,
    /// for a store, the page holds no code); leaves the host address in rax.
    mutating func emitWordAlignedTLBLookup(bytes: Int32, isLoad: Bool, slow: Label) {
        a.test(.dword, ABI.address, imm: 3)
        a.jcc(.ne, slow)
        emitTLBProbe(size: Int(bytes), isLoad: isLoad, slow: slow, checkAlignment: false)
        a.alu(.add, .qword, .rax, ABI.address)
    }

    /// For a store of `bytes` (at most 256) at the address in r14d, with its
    /// software-TLB entry in rax: jumps to `slow` when a 256-byte granule
    /// the store touches holds translated or decoded code (the same bits
    /// the interpreter's store path tests). Other stores to a page holding
    /// code, such as data next to code in a small program, stay inline.
    mutating func emitCodeGranuleCheck(bytes: Int32, slow: Label) {
        let noCode = a.newLabel()
        a.mov(.qword, .rdx, .base(.rax, 16))
        a.movzx(.rdx, .base(.rdx, 0), from: .word)
        a.test(.dword, .rdx, .rdx)
        a.jcc(.e, noCode)
        a.mov(.dword, .rcx, ABI.address)
        a.shift(.shr, .dword, .rcx, imm: 8)
        a.alu(.and, .dword, .rcx, imm: 15)
        a.shiftCL(.shr, .dword, .rdx)
        // The first granule, and the next one when the store may reach it.
        a.test(.dword, .rdx, imm: bytes > 1 ? 3 : 1)
        a.jcc(.ne, slow)
        a.bind(noCode)
    }

    /// Continues at the address in `reg` as BX does (bit 0 selects Thumb).
    /// Staying in this block's instruction set, it enters the target's block
    /// through the jump cache (looked up under `key`) when `lookup`;
    /// switching instruction sets always leaves to the dispatcher (a switch
    /// ends the interpreter's chunk too).
    mutating func emitInterworkingJump(from reg: GPR, key: UInt32, lookup: Bool = true) {
        let otherSet = a.newLabel(), miss = a.newLabel()
        a.test(.dword, reg, imm: 1)
        a.jcc(thumb ? .e : .ne, otherSet)
        a.alu(.and, .dword, reg, imm: thumb ? ~1 : ~3)
        a.mov(.dword, ABI.pc, reg)
        if !lookup {
            a.jmp(miss)
        }
        // The jump cache, inline: enter the target's block directly when it
        // was translated under the same state key.
        // The slot: JITEngine.jumpCacheSlot, with rdx as scratch.
        assert(reg != .rax && reg != .rdx, "the jump target must survive the slot computation")
        a.mov(.dword, .rax, reg)
        a.shift(.shr, .dword, .rax, imm: 2)
        a.mov(.dword, .rdx, reg)
        a.shift(.shr, .dword, .rdx, imm: 17)
        a.alu(.xor, .dword, .rax, .rdx)
        a.alu(.and, .dword, .rax, imm: Int32(JITEngine.jumpCacheSize - 1))
        a.lea(.qword, .rax, .baseIndex(.rax, .rax, scale: 2))
        a.mov(.qword, .rdx, ABI.jumpCache)
        a.lea(.qword, .rdx, .baseIndex(.rdx, .rax, scale: 8))
        a.alu(.cmp, .dword, reg, .base(.rdx, 0))
        emitEnterCachedBlock(key: key, miss: miss)
        emitExit(.normal)
        a.bind(otherSet)
        a.alu(.and, .dword, reg, imm: thumb ? ~3 : ~1)
        a.mov(.dword, ABI.pc, reg)
        a.mov(.byte, ABI.thumb, imm: thumb ? 0 : 1)
        emitExit(.normal)
    }
}
