import X86Assembler

/// A block translated but not yet placed in the code cache.
struct BlockTranslation {
    var bytes: [UInt8]
    /// rel32 fields that must reach a runtime routine (the common exit,
    /// the shared slow paths).
    var relocations: [Relocation]
    /// Guest instructions and guest bytes covered.
    var length: Int
    var byteLength: Int
}

/// What the translator does with one instruction.
enum InstructionPlan {
    /// Translated to host code.
    case native
    /// A branch: translated, and it ends the block.
    case branch
    /// Run by the interpreter from the block; the block goes on after it
    /// unless it changed the PC.
    case interpretAndContinue
    /// Run by the interpreter; the block ends after it (it may change the
    /// mode, the translation regime, CPSR.E or T, or raise an exception).
    case interpretAndEnd
}

/// Translates one guest basic block, A32 or T32, to x86-64.
///
/// T32 instructions arrive as the T32 decoder makes them: the A32 operation
/// with the same behaviour and a synthesized A32 word (see `T32Decoder`), so
/// one set of emitters serves both instruction sets. What differs is held
/// here: instruction addresses and sizes, R15 reading as the address + 4,
/// and ITSTATE, which the translator follows statically through the block
/// (the block's key fixes its value at entry).
///
/// Guest registers live in the state block; each instruction loads its
/// operands into host scratch registers, computes, and stores its results
/// and flags back, so every instruction boundary is a precise state.
/// Exits (exceptions, slow paths that want the block to end, branches) are
/// out of line after the body.
struct BlockTranslator {
    typealias ABI = GeneratedCodeABI

    let blockID: Int
    let startPC: UInt32
    /// The instructions as they execute: in an IT block, with the condition
    /// from ITSTATE and a 16-bit instruction's S bit cleared.
    let instructions: [DecodedInstruction]
    /// Whether the block is T32 code.
    let thumb: Bool
    /// Each instruction's address, and the address after the block.
    private let addresses: [UInt32]
    /// ITSTATE before each instruction, the value it has while the
    /// instruction executes (advanced), and after it (T32; all 0 for A32).
    private let itBefore: [UInt32]
    private let itDuring: [UInt32]
    private let itAfter: [UInt32]
    let privilege: Int
    let bigEndian: Bool
    let alignmentCheck: Bool
    /// The state key the block is translated under, and the address of the
    /// core's jump cache (for inline indirect-branch lookups).
    let key: UInt32

    var a = X86Assembler()
    private var exitLabel: Label
    private var notEnteredLabel: Label
    private var relocations: [Relocation] = []
    private var stubs: [Stub] = []
    /// The ITSTATE the guest state holds at this point of the emitted code.
    private var storedIT: UInt32 = 0
    /// Guest registers held in host registers at this point of the code.
    var registers = RegisterCache()
    /// For each instruction, the flags it sets that nothing reads
    /// (`FlagLiveness`), and those of the instruction being emitted.
    private let deadFlags: [UInt8]
    var deadFlagWrites: UInt8 = 0

    /// Out-of-line code emitted after the block body.
    private enum Stub {
        case memorySlow(MemorySlowPathDescriptor, slow: Label, cont: Label)
    }

    /// `instructions` as decoded (T32: with the decoder's flag bits in
    /// `extra`); `key` is the state key, whose ITSTATE bits are the block's
    /// ITSTATE at entry.
    init(blockID: Int, startPC: UInt32, instructions decoded: [DecodedInstruction], thumb: Bool, privilege: Int,
         bigEndian: Bool, alignmentCheck: Bool, key: UInt32) {
        self.blockID = blockID
        self.startPC = startPC
        self.thumb = thumb
        var addresses: [UInt32] = [startPC], instructions: [DecodedInstruction] = []
        var before: [UInt32] = [], during: [UInt32] = [], after: [UInt32] = []
        var it = thumb ? JITStateKey.itState(key) : 0
        for var d in decoded {
            let size: UInt32 = thumb ? (d.extra & T32Decoder.is32BitFlag != 0 ? 4 : 2) : 4
            addresses.append(addresses[addresses.count - 1] &+ size)
            before.append(it)
            if it != 0 {
                d.cond = UInt8(it >> 4)
                if d.extra & T32Decoder.flagSetting16 != 0 { d.raw &= ~(1 << 20) }
                it = Core.itAdvance(it)
            }
            during.append(it)
            if thumb && d.op & T32Special.flag != 0 && T32Special.fromDecoded(d.op) == .it { it = d.imm }
            after.append(it)
            instructions.append(d)
        }
        self.instructions = instructions
        let vfpUsable = JITStateKey.vfpUsable(key)
        let native = instructions.map {
            (thumb ? BlockTranslator.planThumb($0, bigEndian: bigEndian, vfpUsable: vfpUsable)
                   : BlockTranslator.plan($0, bigEndian: bigEndian, vfpUsable: vfpUsable)) == .native
        }
        deadFlags = FlagLiveness.deadWrites(instructions, native: native, thumb: thumb)
        self.addresses = addresses
        itBefore = before
        itDuring = during
        itAfter = after
        self.privilege = privilege
        self.bigEndian = bigEndian
        self.alignmentCheck = alignmentCheck
        self.key = key
        exitLabel = a.newLabel()
        notEnteredLabel = a.newLabel()
    }

    var length: Int { instructions.count }
    /// The address of instruction `i`, and of the one after it.
    func pcOf(_ i: Int) -> UInt32 { addresses[i] }
    func nextPCOf(_ i: Int) -> UInt32 { addresses[i + 1] }
    /// What R15 reads as: the instruction's address + 8 (A32) or + 4 (T32).
    var pcReadOffset: UInt32 { thumb ? 4 : 8 }

    /// The state key of code reached after instruction `i` in the same
    /// instruction set: this block's, with the ITSTATE there.
    func keyAfter(_ i: Int) -> UInt32 {
        thumb ? JITStateKey.withITState(key, itAfter[i]) : key
    }

    /// Emits the block and returns its code.
    mutating func translate() throws -> BlockTranslation {
        emitPrologue()
        var open = true   // whether control can fall off the last instruction
        storedIT = thumb ? JITStateKey.itState(key) : 0
        for (i, d) in instructions.enumerated() {
            open = emitInstruction(i, d)
        }
        if open { emitGoto(pcOf(length), key: keyAfter(length - 1)) }
        emitStubs()
        emitNotEntered()
        a.bind(exitLabel)
        emitRuntimeJump(to: .exit)
        let bytes = try a.finish()
        return BlockTranslation(bytes: bytes, relocations: relocations, length: length,
                                byteLength: Int(pcOf(length) &- startPC))
    }

    /// Leaves without starting when the exit-request word is set or the
    /// budget cannot cover the whole block; otherwise charges the budget.
    private mutating func emitPrologue() {
        a.alu(.cmp, .dword, ABI.exitRequest, imm: 0)
        a.jcc(.ne, notEnteredLabel)
        a.alu(.cmp, .qword, ABI.budget, imm: Int32(length))
        a.jcc(.l, notEnteredLabel)
        a.alu(.sub, .qword, ABI.budget, imm: Int32(length))
    }

    /// The prologue's way out, after the body (no taken jump on entry).
    private mutating func emitNotEntered() {
        a.bind(notEnteredLabel)
        emitRuntimeCall(.notEntered)
        a.data32(startPC)
    }

    // MARK: Instructions

    /// Emits instruction `i`; returns whether execution can continue to the
    /// next one (false after an unconditional exit).
    private mutating func emitInstruction(_ i: Int, _ d: DecodedInstruction) -> Bool {
        let vfpUsable = JITStateKey.vfpUsable(key)
        let plan = thumb ? BlockTranslator.planThumb(d, bigEndian: bigEndian, vfpUsable: vfpUsable)
                         : BlockTranslator.plan(d, bigEndian: bigEndian, vfpUsable: vfpUsable)
        // ITSTATE advances before the instruction executes, also when its
        // condition fails; handlers and exception entries read it.
        if thumb && itDuring[i] != storedIT {
            a.mov(.dword, ABI.itState, imm: Int32(itDuring[i]))
            storedIT = itDuring[i]
        }
        let skip = a.newLabel()
        let conditional = d.cond < 0xE
        // Instructions whose emitters do not maintain the register cache
        // run with it empty and off.
        let keepsCache = plan == .native && BlockTranslator.keepsRegisterCache(d, thumb: thumb)
        if !keepsCache {
            registers.forgetAll()
            registers.enabled = false
        }
        let cacheIfSkipped = registers
        deadFlagWrites = deadFlags[i]
        if conditional { emitConditionFails(d.cond, skip) }
        var continues = true
        switch plan {
        case .native:
            emitNative(i, d)
        case .branch:
            emitBranch(i, d)
            continues = conditional || isCompareAndBranch(d)
        case .interpretAndContinue:
            emitInterpreterCall(i, d, endsBlock: false)
        case .interpretAndEnd:
            emitInterpreterCall(i, d, endsBlock: true)
            continues = conditional
        }
        a.bind(skip)
        if !keepsCache {
            registers.forgetAll()
            registers.enabled = true
        } else if conditional {
            registers.intersect(cacheIfSkipped)
        }
        if thumb && itAfter[i] != storedIT {   // an IT instruction
            a.mov(.dword, ABI.itState, imm: Int32(itAfter[i]))
            storedIT = itAfter[i]
        }
        return continues
    }

    /// Whether `d` is CBZ/CBNZ, a branch that falls through when not taken.
    private func isCompareAndBranch(_ d: DecodedInstruction) -> Bool {
        guard thumb && d.op & T32Special.flag != 0 else { return false }
        let s = T32Special.fromDecoded(d.op)
        return s == .cbz || s == .cbnz
    }

    /// Jumps to `skip` when condition `cond` fails (flags in the state block).
    private mutating func emitConditionFails(_ cond: UInt8, _ skip: Label) {
        switch cond {
        case 0: a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.ne, skip)
        case 1: a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.e, skip)
        case 2: a.alu(.cmp, .dword, ABI.cf, imm: 0); a.jcc(.e, skip)
        case 3: a.alu(.cmp, .dword, ABI.cf, imm: 0); a.jcc(.ne, skip)
        case 4: a.alu(.cmp, .dword, ABI.nf, imm: 0); a.jcc(.ge, skip)
        case 5: a.alu(.cmp, .dword, ABI.nf, imm: 0); a.jcc(.l, skip)
        case 6: a.alu(.cmp, .dword, ABI.vf, imm: 0); a.jcc(.ge, skip)
        case 7: a.alu(.cmp, .dword, ABI.vf, imm: 0); a.jcc(.l, skip)
        case 8:
            a.alu(.cmp, .dword, ABI.cf, imm: 0); a.jcc(.e, skip)
            a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.e, skip)
        case 9:
            let pass = a.newLabel()
            a.alu(.cmp, .dword, ABI.cf, imm: 0); a.jcc(.e, pass)
            a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.ne, skip)
            a.bind(pass)
        case 10, 11:
            a.mov(.dword, .rax, ABI.nf)
            a.alu(.xor, .dword, .rax, ABI.vf)
            a.jcc(cond == 10 ? .s : .ns, skip)
        case 12:
            a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.e, skip)
            a.mov(.dword, .rax, ABI.nf)
            a.alu(.xor, .dword, .rax, ABI.vf)
            a.jcc(.s, skip)
        default: // 13, LE
            let pass = a.newLabel()
            a.alu(.cmp, .dword, ABI.zf, imm: 0); a.jcc(.e, pass)
            a.mov(.dword, .rax, ABI.nf)
            a.alu(.xor, .dword, .rax, ABI.vf)
            a.jcc(.ns, skip)
            a.bind(pass)
        }
    }


    private mutating func emitNative(_ i: Int, _ d: DecodedInstruction) {
        if thumb && d.op & T32Special.flag != 0 { return emitThumbSpecial(i, d) }
        let op = A32Op.fromDecoded(d.op)
        if op.isVFP { return emitVFP(i, d) }
        switch op {
        case .dpImm, .dpReg: emitDataProcessing(d, pc: pcOf(i))
        case .movw: storeReg(Int((d.raw >> 12) & 0xF), imm: d.imm)
        case .movt:
            // A whole-word update: a 16-bit store followed by the usual
            // 32-bit load of the register would stall store forwarding.
            let rd = Int((d.raw >> 12) & 0xF)
            a.movzx(.rax, ABI.reg(rd), from: .word)
            a.alu(.or, .dword, .rax, imm: Int32(bitPattern: (d.imm & 0xFFFF) << 16))
            storeReg(rd, from: .rax)
        case .ldm, .stm: emitBlockTransfer(i, d)
        case .dpRegShiftReg: emitDataProcessing(d, pc: pcOf(i))
        case .mul, .mla: emitMultiply(op, d.raw, pc: pcOf(i))
        case .nop, .yield, .pld, .pli, .isb: break
        case .dmb, .dsb: a.mfence()
        case .ldrd, .strd: emitDoubleword(i, d)
        case .sdiv, .udiv: emitDivide(op, d.raw, pc: pcOf(i))
        case .sbfx, .ubfx, .bfi, .sxtab, .sxtah, .uxtab, .uxtah, .rev, .rev16, .revsh, .clz,
             .umull, .smull, .umlal, .smlal, .mls:
            emitMedia(op, d.raw, pc: pcOf(i))
        case .parallelAddSub, .sel: emitParallel(op, d.raw, pc: pcOf(i))
        default:
            if let m = MemoryAccessPlan(op, d) { emitMemoryAccess(i, m) }
        }
    }

    // MARK: Control flow

    private mutating func emitBranch(_ i: Int, _ d: DecodedInstruction) {
        if thumb && d.op & T32Special.flag != 0 { return emitThumbSpecial(i, d) }
        let pc = pcOf(i)
        let op = A32Op.fromDecoded(d.op)
        switch op {
        case .b:
            emitGoto(pc &+ pcReadOffset &+ d.imm, key: keyAfter(i))
        case .bl:
            a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: pc &+ 4))
            emitGoto(pc &+ 8 &+ d.imm, key: key)
        case .blxImm:
            a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: pc &+ 4))
            a.mov(.byte, ABI.thumb, imm: 1)
            a.mov(.dword, ABI.pc, imm: Int32(bitPattern: pc &+ 8 &+ d.imm))
            emitExit(.normal)
        case .ldm:   // with the PC in the list: a return
            emitBlockTransfer(i, d)
        case .ldrImm, .ldrReg:   // to the PC
            if let m = MemoryAccessPlan(op, d) { emitMemoryAccess(i, m) }
        default: // BX, BXJ (no Jazelle), BLX (register)
            loadReg(.rcx, Int(d.raw & 0xF), pc: pc)
            if op == .blxReg { a.mov(.dword, ABI.reg(14), imm: Int32(bitPattern: pc &+ 4)) }
            emitInterworkingJump(from: .rcx, key: keyAfter(i))
        }
    }

    /// Continues at guest `target` (in this block's instruction set, with
    /// state key `key` there): a patchable direct jump when it is in this
    /// block's page (initially falling into a chain-request exit), otherwise
    /// a jump-cache lookup inline and else an exit to the dispatcher.
    /// The guest PC is stored only on the way out to the dispatcher: a
    /// block entered directly stores its own PC whenever it leaves.
    mutating func emitGoto(_ target: UInt32, key: UInt32) {
        guard target & 0xFFFF_F000 == startPC & 0xFFFF_F000 else {
            // Another page: its mapping may change, so no patched jump; the
            // jump cache (flushed with the TLB) holds it while it is valid.
            let miss = a.newLabel()
            let slot = JITEngine.jumpCacheSlot(target)
            a.mov(.qword, .rdx, ABI.jumpCache)
            a.alu(.add, .qword, .rdx, imm: Int32(slot * JumpCacheEntry.stride))
            a.alu(.cmp, .dword, .base(.rdx, 0), imm: Int32(bitPattern: target))
            emitEnterCachedBlock(key: key, miss: miss)
            a.mov(.dword, ABI.pc, imm: Int32(bitPattern: target))
            emitExit(.normal)
            return
        }
        let field = a.jmpRel32Patchable()
        // Unpatched, the jump's zero displacement lands here: the shared
        // routine stores the target and names this jump for patching.
        emitRuntimeCall(.chainExit)
        a.data32(target)
        a.data32(UInt32(field))
        a.data32(UInt32(blockID))
    }

    mutating func emitExit(_ status: JITExitStatus) {
        if status == .normal {
            a.alu(.xor, .dword, .rax, .rax)
        } else {
            a.mov(.rax, imm32: status.rawValue)
        }
        a.jmp(exitLabel)
    }

    // MARK: Interpreter fallback

    /// Hands instruction `i` to the interpreter through the shared routine
    /// (`RuntimeRoutine.interpreter`), which continues the block after it or
    /// leaves: always when `endsBlock`, otherwise on an exception, a change
    /// of PC or a signal.
    mutating func emitInterpreterCall(_ i: Int, _ d: DecodedInstruction, endsBlock: Bool) {
        let descriptor = InterpreterCallDescriptor(pc: pcOf(i), instruction: d, endsBlock: endsBlock, thumb: thumb,
                                                   unrun: length - i - 1, itBefore: itBefore[i])
        emitRuntimeCall(.interpreter)
        a.jmpShort(over: InterpreterCallDescriptor.byteCount)
        for w in descriptor.words { a.data32(w) }
    }

    /// `call` to a runtime routine, its target filled in at install.
    mutating func emitRuntimeCall(_ routine: RuntimeRoutine) {
        relocations.append(Relocation(field: a.callRel32External(), target: routine))
    }

    /// `jmp` to a runtime routine, its target filled in at install.
    mutating func emitRuntimeJump(to routine: RuntimeRoutine) {
        relocations.append(Relocation(field: a.jmpRel32Patchable(), target: routine))
    }

    private mutating func emitStubs() {
        for stub in stubs {
            switch stub {
            case let .memorySlow(descriptor, slow, cont):
                emitMemorySlowPath(descriptor, slow: slow, cont: cont)
            }
        }
    }

    mutating func addMemorySlowPath(_ i: Int, _ m: MemoryAccessPlan, slow: Label, cont: Label) {
        let d = MemorySlowPathDescriptor(pc: pcOf(i), access: m, thumb: thumb,
                                         instructionBytes: nextPCOf(i) &- pcOf(i), unrun: length - i - 1,
                                         itBefore: itBefore[i])
        stubs.append(.memorySlow(d, slow: slow, cont: cont))
    }

    /// The slow path of TBB/TBH's table load (`emitTableBranch`).
    mutating func addTableBranchSlowPath(_ i: Int, halfword: Bool, slow: Label, cont: Label) {
        let d = MemorySlowPathDescriptor(pc: pcOf(i), size: halfword ? 2 : 1, signed: false, isLoad: true, rt: 0,
                                         rn: 0, writeback: false, tableBranch: true, thumb: true,
                                         instructionBytes: 4, unrun: length - i - 1, itBefore: itBefore[i])
        stubs.append(.memorySlow(d, slow: slow, cont: cont))
    }

    /// The out-of-line half of `emitMemoryAccess`: the shared slow path
    /// (`RuntimeRoutine.memorySlowPath`) returns the loaded value in eax
    /// and the access finishes at `cont`, or it leaves the block itself.
    mutating func emitMemorySlowPath(_ d: MemorySlowPathDescriptor, slow: Label, cont: Label) {
        a.bind(slow)
        emitRuntimeCall(.memorySlowPath)
        a.jmp(cont)
        a.data32(d.pc)
        a.data32(d.info)
    }
}
