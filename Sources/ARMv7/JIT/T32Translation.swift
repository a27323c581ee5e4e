import X86Assembler

/// What differs in T32 blocks: the plan for the T32 decoder's own
/// operations (`T32Special`) and their code. Everything in A32 form goes
/// through the A32 emitters.
extension BlockTranslator {
    /// Decides how T32 instruction `d` (as the T32 decoder made it) is
    /// translated.
    static func planThumb(_ d: DecodedInstruction, bigEndian: Bool, vfpUsable: Bool) -> InstructionPlan {
        guard d.op & T32Special.flag != 0 else { return plan(d, bigEndian: bigEndian, vfpUsable: vfpUsable) }
        switch T32Special.fromDecoded(d.op) {
        case .it:
            return .native
        case .bl, .blxImm, .blxReg, .cbz, .cbnz:
            // CBZ/CBNZ end the block too (a taken branch mid-block would
            // charge the budget for instructions it skips).
            return .branch
        case .ldrd, .strd:
            return t32DoublewordIsNative(d, bigEndian: bigEndian) ? .native : .interpretAndContinue
        case .ornImm, .ornReg, .ldrexd, .strexd, .ldrex, .strex, .loadStoreUnprivileged,
             .loadStoreExtraShifted:
            return .interpretAndContinue
        case .tbb, .tbh:
            // The inline table load is little-endian.
            return bigEndian ? .interpretAndEnd : .branch
        case .subsPCLR, .wfi16, .wfe16:
            return .interpretAndEnd
        }
    }

    /// A `T32Special` the plan makes native or a branch.
    mutating func emitThumbSpecial(_ i: Int, _ d: DecodedInstruction) {
        let pc = pcOf(i), next = nextPCOf(i)
        switch T32Special.fromDecoded(d.op) {
        case .it:
            break   // ITSTATE is followed statically; emitInstruction stores it
        case .bl:
            a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: next | 1))
            emitGoto(pc &+ 4 &+ d.imm, key: keyAfter(i))
        case .blxImm:
            a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: next | 1))
            a.mov(.byte, ABI.thumb, imm: 0)
            a.mov(.dword, ABI.pc, imm: Int32(bitPattern: pc &+ 4 &+ d.imm))
            emitExit(.normal)
        case .blxReg:
            loadReg(.rcx, Int(d.raw & 0xF), pc: pc)
            a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: next | 1))
            emitInterworkingJump(from: .rcx, key: keyAfter(i))
        case .ldrd, .strd:
            emitDoubleword(i, d)
        case .tbb, .tbh:
            emitTableBranch(i, d, halfword: T32Special.fromDecoded(d.op) == .tbh)
        case .cbz, .cbnz:
            let notTaken = a.newLabel()
            a.alu(.cmp, .dword, ABI.reg(Int(d.raw & 7)), imm: 0)
            a.jcc(T32Special.fromDecoded(d.op) == .cbz ? .ne : .e, notTaken)
            emitGoto(pc &+ 4 &+ d.imm, key: keyAfter(i))
            a.bind(notTaken)
        default:
            emitInterpreterCall(i, d, endsBlock: false)
        }
    }

    /// TBB/TBH: loads the byte at Rn + Rm (halfword at Rn + 2 × Rm) through
    /// the software TLB and continues at the instruction's address + 4 plus
    /// twice that, looked up in the jump cache.
    mutating func emitTableBranch(_ i: Int, _ d: DecodedInstruction, halfword: Bool) {
        let pc = pcOf(i)
        let slow = a.newLabel(), cont = a.newLabel()
        loadReg(ABI.address, Int((d.raw >> 16) & 0xF), pc: pc)
        loadReg(.rax, Int(d.raw & 0xF), pc: pc)
        if halfword { a.alu(.add, .dword, .rax, .rax) }
        a.alu(.add, .dword, ABI.address, .rax)
        emitTLBProbe(size: halfword ? 2 : 1, isLoad: true, slow: slow)
        a.movzx(.rax, .baseIndex(.rax, ABI.address, scale: 1), from: halfword ? .word : .byte)
        a.bind(cont)
        // Target | 1: Thumb, as BX would take it.
        a.lea(.dword, .rcx, .baseIndex(.rax, .rax, scale: 1, Int32(bitPattern: pc &+ 4 | 1)))
        emitInterworkingJump(from: .rcx, key: keyAfter(i))
        addTableBranchSlowPath(i, halfword: halfword, slow: slow, cont: cont)
    }
}
