import X86Assembler

/// LDRD/STRD, SDIV/UDIV and the barriers as host code.
extension BlockTranslator {
    /// Whether LDRD/STRD is inlined: Rt even and not R14 (the others are
    /// UNDEFINED, left to the interpreter), no PC base with writeback nor PC
    /// offset register, little-endian data.
    static func doublewordIsNative(_ raw: UInt32, bigEndian: Bool) -> Bool {
        let rt = (raw >> 12) & 0xF, rn = (raw >> 16) & 0xF
        let p = raw & (1 << 24) != 0, w = raw & (1 << 21) != 0
        let immediate = raw & (1 << 22) != 0
        if bigEndian || rt & 1 != 0 || rt == 14 { return false }
        if (!p || w) && rn == 15 { return false }
        if !immediate && raw & 0xF == 15 { return false }
        return true
    }

    /// LDRD/STRD: two words at a word-aligned address in one page through
    /// the software TLB, else the whole instruction in the interpreter.
    mutating func emitDoubleword(_ i: Int, _ d: DecodedInstruction) {
        let raw = d.raw, pc = pcOf(i)
        let isLoad = A32Op.fromDecoded(d.op) == .ldrd
        let rt = Int((raw >> 12) & 0xF), rn = Int((raw >> 16) & 0xF)
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let writeback = !p || w
        let slow = a.newLabel(), done = a.newLabel()
        loadReg(ABI.address, rn, pc: pc)
        a.mov(.dword, ABI.writeback, ABI.address)
        if raw & (1 << 22) != 0 {
            if d.imm != 0 { a.alu(u ? .add : .sub, .dword, ABI.writeback, imm: Int32(d.imm)) }
        } else {
            a.alu(u ? .add : .sub, .dword, ABI.writeback, ABI.reg(Int(raw & 0xF)))
        }
        if p { a.mov(.dword, ABI.address, ABI.writeback) }
        emitWordAlignedTLBLookup(bytes: 8, isLoad: isLoad, slow: slow)
        if isLoad {
            a.mov(.dword, .rcx, .base(.rax, 0))
            a.mov(.dword, .rdx, .base(.rax, 4))
            if writeback { a.mov(.dword, ABI.reg(rn), ABI.writeback) }
            a.mov(.dword, ABI.reg(rt), .rcx)
            a.mov(.dword, ABI.reg(rt + 1), .rdx)
        } else {
            loadReg(.rcx, rt, pc: pc)
            loadReg(.rdx, rt + 1, pc: pc)
            a.mov(.dword, .base(.rax, 0), .rcx)
            a.mov(.dword, .base(.rax, 4), .rdx)
            if writeback { a.mov(.dword, ABI.reg(rn), ABI.writeback) }
        }
        a.jmp(done)
        a.bind(slow)
        emitInterpreterCall(i, d, endsBlock: false)
        a.bind(done)
    }

    /// SDIV/UDIV: a zero divisor gives 0 (SCTLR.DZ is RAZ here), and
    /// INT_MIN / -1 gives INT_MIN (x86 `idiv` would trap on both).
    mutating func emitDivide(_ op: A32Op, _ raw: UInt32, pc: UInt32) {
        let rd = Int((raw >> 16) & 0xF)
        let store = a.newLabel()
        loadReg(.rcx, Int((raw >> 8) & 0xF), pc: pc)
        a.alu(.xor, .dword, .rax, .rax)
        a.test(.dword, .rcx, .rcx)
        a.jcc(.e, store)
        loadReg(.rax, Int(raw & 0xF), pc: pc)
        if op == .udiv {
            a.alu(.xor, .dword, .rdx, .rdx)
            a.div(.dword, .rcx)
        } else {
            let divide = a.newLabel()
            a.alu(.cmp, .dword, .rcx, imm: -1)
            a.jcc(.ne, divide)
            a.neg(.dword, .rax)
            a.jmp(store)
            a.bind(divide)
            a.cdq()
            a.idiv(.dword, .rcx)
        }
        a.bind(store)
        a.mov(.dword, ABI.reg(rd), .rax)
    }
}
