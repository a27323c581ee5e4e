import X86Assembler

/// A single load or store the translator emits inline.
struct MemoryAccessPlan {
    enum Offset {
        case immediate(UInt32)
        case register(rm: Int, type: UInt32, amount: UInt8)
    }
    let size: Int
    let signed: Bool
    let isLoad: Bool
    let rt: Int
    let rn: Int
    let preIndexed: Bool
    let up: Bool
    let writeback: Bool
    let offset: Offset

    /// The plan for `d`, or nil for the forms left to the interpreter: the
    /// unprivileged (T) forms, byte and halfword loads to the PC, writeback
    /// to the PC, a PC offset register and RRX offsets. A word load to the
    /// PC is a branch (a return from a stack frame, a jump table).
    init?(_ op: A32Op, _ d: DecodedInstruction) {
        let raw = d.raw
        let p = raw & (1 << 24) != 0, w = raw & (1 << 21) != 0
        if !p && w { return nil }
        rt = Int((raw >> 12) & 0xF)
        rn = Int((raw >> 16) & 0xF)
        preIndexed = p
        up = raw & (1 << 23) != 0
        writeback = !p || w
        switch op {
        case .ldrImm, .strImm, .ldrbImm, .strbImm:
            offset = .immediate(d.imm)
        case .ldrReg, .strReg, .ldrbReg, .strbReg:
            let type = (raw >> 5) & 3, amount = UInt8((raw >> 7) & 0x1F)
            if type == 3 && amount == 0 { return nil }
            offset = .register(rm: Int(raw & 0xF), type: type, amount: amount)
        case .strh, .ldrh, .ldrsb, .ldrsh:
            offset = raw & (1 << 22) != 0 ? .immediate(d.imm) : .register(rm: Int(raw & 0xF), type: 0, amount: 0)
        default:
            return nil
        }
        switch op {
        case .ldrImm, .ldrReg: size = 4; signed = false; isLoad = true
        case .strImm, .strReg: size = 4; signed = false; isLoad = false
        case .ldrbImm, .ldrbReg: size = 1; signed = false; isLoad = true
        case .strbImm, .strbReg: size = 1; signed = false; isLoad = false
        case .ldrh: size = 2; signed = false; isLoad = true
        case .strh: size = 2; signed = false; isLoad = false
        case .ldrsb: size = 1; signed = true; isLoad = true
        default: size = 2; signed = true; isLoad = true
        }
        if isLoad && rt == 15 && size != 4 { return nil }
        if writeback && rn == 15 { return nil }
        if case let .register(rm, _, _) = offset, rm == 15 { return nil }
    }
}

/// Loads and stores: the software-TLB lookup inline (QEMU's softmmu
/// shape), the miss, fault and code-page cases in an out-of-line call of the
/// interpreter's access functions.
extension BlockTranslator {
    mutating func emitMemoryAccess(_ i: Int, _ m: MemoryAccessPlan) {
        let pc = pcOf(i)
        let addr = ABI.address, wb = ABI.writeback
        // Address in r14d, offset address (the writeback value) in r15d;
        // without writeback the offset address is the address.
        loadReg(addr, m.rn, pc: pc)
        let offsetAddress = m.writeback ? wb : addr
        if m.writeback { a.mov(.dword, wb, addr) }
        switch m.offset {
        case let .immediate(v):
            if v != 0 { a.alu(m.up ? .add : .sub, .dword, offsetAddress, imm: Int32(bitPattern: v)) }
        case let .register(rm, type, amount):
            loadReg(.rax, rm, pc: pc)
            switch type {
            case 0: if amount != 0 { a.shift(.shl, .dword, .rax, imm: amount) }
            case 1:
                if amount == 0 { a.alu(.xor, .dword, .rax, .rax) } else { a.shift(.shr, .dword, .rax, imm: amount) }
            case 2: a.shift(.sar, .dword, .rax, imm: amount == 0 ? 31 : amount)
            default: a.shift(.ror, .dword, .rax, imm: amount)
            }
            a.alu(m.up ? .add : .sub, .dword, offsetAddress, .rax)
        }
        if m.preIndexed && m.writeback { a.mov(.dword, addr, wb) }
        let slow = a.newLabel(), cont = a.newLabel()
        emitTLBProbe(size: m.size, isLoad: m.isLoad, slow: slow)
        let host = Memory.baseIndex(.rax, addr, scale: 1)
        if m.isLoad {
            switch (m.size, m.signed) {
            case (4, _): a.mov(.dword, .rax, host)
            case (2, false): a.movzx(.rax, host, from: .word)
            case (2, true): a.movsx(.rax, host, from: .word)
            case (1, false): a.movzx(.rax, host, from: .byte)
            default: a.movsx(.rax, host, from: .byte)
            }
        } else {
            // Only on the fast path: no cache entry may appear here.
            loadRegWithoutCaching(.rcx, m.rt, pc: pc)
            a.mov(m.size == 4 ? .dword : m.size == 2 ? .word : .byte, host, .rcx)
        }
        a.bind(cont)
        if m.writeback { storeReg(m.rn, from: wb) }
        if m.isLoad && m.rt == 15 {
            a.mov(.dword, .rcx, .rax)
            emitInterworkingJump(from: .rcx, key: keyAfter(i))
        } else if m.isLoad {
            storeReg(m.rt, from: .rax)
        }
        addMemorySlowPath(i, m, slow: slow, cont: cont)
    }

    /// The inline software-TLB check of an access of `size` bytes at the
    /// address in r14d: jumps to `slow` on a miss, a page-crossing access,
    /// a misaligned one when `checkAlignment` (SCTLR.A, by default), or a
    /// store to a granule holding code; otherwise leaves the entry's addend
    /// in rax (the host address is rax + r14).
    mutating func emitTLBProbe(size: Int, isLoad: Bool, slow: Label, checkAlignment: Bool? = nil) {
        let alignmentCheck = checkAlignment ?? self.alignmentCheck
        let addr = ABI.address
        // Entry of the current privilege's table for the address's page.
        a.mov(.dword, .rax, addr)
        a.shift(.shr, .dword, .rax, imm: 12)
        a.movzx(.rax, .rax, from: .byte)
        a.lea(.qword, .rax, .baseIndex(.rax, .rax, scale: 2))
        a.lea(.qword, .rax, .baseIndex(ABI.softTLB, .rax, scale: 8, Int32(privilege) * ABI.softTLBTableBytes))
        // The tag must equal the page of the access's last byte (so a
        // page-crossing access misses) and, with alignment checking, the
        // low bits must be zero.
        if size > 1 && !alignmentCheck {
            a.lea(.dword, .rcx, .base(addr, Int32(size - 1)))
            a.alu(.and, .dword, .rcx, imm: Int32(bitPattern: 0xFFFF_F000))
        } else {
            a.mov(.dword, .rcx, addr)
            let low = alignmentCheck ? UInt32(size - 1) : 0
            a.alu(.and, .dword, .rcx, imm: Int32(bitPattern: 0xFFFF_F000 | low))
        }
        a.alu(.cmp, .dword, .rcx, .base(.rax, isLoad ? 0 : 4))
        a.jcc(.ne, slow)
        if !isLoad {
            // A granule holding translated or decoded code: the slow path
            // stores and drops the stale translations.
            emitCodeGranuleCheck(bytes: Int32(size), slow: slow)
        }
        a.mov(.qword, .rax, .base(.rax, 8))
    }
}
