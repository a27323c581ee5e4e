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

    /// The operands of an LDRD/STRD in either instruction set.
    struct DoublewordAccess {
        enum Offset {
            case immediate(UInt32)
            case register(Int)
        }
        let isLoad: Bool
        let rt: Int, rt2: Int, rn: Int
        let preIndexed: Bool, up: Bool, writeback: Bool
        let offset: Offset

        /// A32: Rt2 is Rt + 1; P/U/W and the offset as LDR's.
        init(a32 d: DecodedInstruction) {
            let raw = d.raw
            isLoad = A32Op.fromDecoded(d.op) == .ldrd
            rt = Int((raw >> 12) & 0xF)
            rt2 = rt + 1
            rn = Int((raw >> 16) & 0xF)
            preIndexed = raw & (1 << 24) != 0
            up = raw & (1 << 23) != 0
            writeback = !preIndexed || raw & (1 << 21) != 0
            offset = raw & (1 << 22) != 0 ? .immediate(d.imm) : .register(Int(raw & 0xF))
        }

        /// T32: any Rt2 (bits 11:8), an immediate offset (`imm`, scaled),
        /// writeback when W is set.
        init(t32 d: DecodedInstruction) {
            let raw = d.raw
            isLoad = T32Special.fromDecoded(d.op) == .ldrd
            rt = Int((raw >> 12) & 0xF)
            rt2 = Int((raw >> 8) & 0xF)
            rn = Int((raw >> 16) & 0xF)
            preIndexed = raw & (1 << 24) != 0
            up = raw & (1 << 23) != 0
            writeback = raw & (1 << 21) != 0
            offset = .immediate(d.imm)
        }
    }

    /// Whether T32 LDRD/STRD (`T32Special.ldrd`/`.strd`) is inlined: no
    /// writeback to the PC or a register transferred (UNPREDICTABLE), no
    /// PC among Rt/Rt2, little-endian data.
    static func t32DoublewordIsNative(_ d: DecodedInstruction, bigEndian: Bool) -> Bool {
        let m = DoublewordAccess(t32: d)
        if bigEndian || m.rt == 15 || m.rt2 == 15 || m.rt == 13 || m.rt2 == 13 { return false }
        if m.writeback && (m.rn == 15 || m.rn == m.rt || m.rn == m.rt2) { return false }
        return true
    }

    /// LDRD/STRD: two words at a word-aligned address in one page through
    /// the software TLB, else the whole instruction in the interpreter.
    mutating func emitDoubleword(_ i: Int, _ d: DecodedInstruction) {
        let m = thumb && d.op & T32Special.flag != 0 ? DoublewordAccess(t32: d) : DoublewordAccess(a32: d)
        let pc = pcOf(i)
        let slow = a.newLabel(), done = a.newLabel()
        if m.rn == 15 {
            // A literal: the base is Align(PC, 4) (no writeback here).
            a.mov(ABI.address, imm32: (pc &+ pcReadOffset) & ~3)
        } else {
            loadReg(ABI.address, m.rn, pc: pc)
        }
        a.mov(.dword, ABI.writeback, ABI.address)
        switch m.offset {
        case let .immediate(v):
            if v != 0 { a.alu(m.up ? .add : .sub, .dword, ABI.writeback, imm: Int32(bitPattern: v)) }
        case let .register(rm):
            a.alu(m.up ? .add : .sub, .dword, ABI.writeback, ABI.reg(rm))
        }
        if m.preIndexed { a.mov(.dword, ABI.address, ABI.writeback) }
        emitWordAlignedTLBLookup(bytes: 8, isLoad: m.isLoad, slow: slow)
        if m.isLoad {
            a.mov(.dword, .rcx, .base(.rax, 0))
            a.mov(.dword, .rdx, .base(.rax, 4))
            if m.writeback { a.mov(.dword, ABI.reg(m.rn), ABI.writeback) }
            a.mov(.dword, ABI.reg(m.rt), .rcx)
            a.mov(.dword, ABI.reg(m.rt2), .rdx)
        } else {
            loadReg(.rcx, m.rt, pc: pc)
            loadReg(.rdx, m.rt2, pc: pc)
            a.mov(.dword, .base(.rax, 0), .rcx)
            a.mov(.dword, .base(.rax, 4), .rdx)
            if m.writeback { a.mov(.dword, ABI.reg(m.rn), ABI.writeback) }
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
