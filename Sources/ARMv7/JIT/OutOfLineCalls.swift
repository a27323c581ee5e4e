import X86Assembler

/// Shared routines at the start of the code cache that blocks call instead
/// of carrying their own copies of rarely run code.
///
/// A block's call site is `call rel32` followed by a jump and a descriptor
/// (data in the instruction stream that says which guest instruction this
/// is and how to leave). The routine reads the descriptor at a fixed
/// distance from its return address, calls Swift, and either returns to
/// the block (the call site's jump then continues it, so the host's return
/// prediction stays right) or leaves the block through the common exit.
/// Routines that return preserve the block's `RegisterCache` registers.
/// About 20 bytes per call site replace 100–150 bytes of inline stubs
/// (precise-state stores, absolute calls, per-instruction exits), which
/// keeps the code cache, and so host memory, small.
enum RuntimeRoutine: Int, CaseIterable {
    /// The common exit: restores the host registers and returns the status in eax.
    case exit
    /// The slow path of an inline load or store (`MemorySlowPathDescriptor`).
    case memorySlowPath
    /// One instruction run by the interpreter (`InterpreterCallDescriptor`).
    case interpreter
    /// A direct jump not yet chained: stores the target PC and names the
    /// jump for the dispatcher to patch (descriptor: target PC, the jump's
    /// rel32 field offset within its block, the block's index).
    case chainExit
    /// The block's prologue declined to run it (descriptor: the block's PC).
    case notEntered

    /// Bytes between a call site's return address and its descriptor (the
    /// jump that follows the call: `jmp rel32` to the access's continuation,
    /// or `jmp rel8` over the descriptor).
    var descriptorDistance: Int32 {
        switch self {
        case .exit, .chainExit, .notEntered: return 0
        case .memorySlowPath: return 5
        case .interpreter: return 2
        }
    }
}

/// A rel32 field of a translation that must reach a runtime routine.
struct Relocation {
    let field: Int
    let target: RuntimeRoutine
}

/// What a routine's Swift half returns: a value for the block (bit 63
/// clear), or bit 63 set and the exit status in the low 32 bits.
enum OutOfLineResult {
    static func leave(_ status: JITExitStatus) -> UInt64 { 1 << 63 | UInt64(status.rawValue) }
}

/// The descriptor of a load or store's slow path (8 bytes: the
/// instruction's address, then `info`).
struct MemorySlowPathDescriptor {
    static let byteCount = 8
    let pc: UInt32
    let info: UInt32

    /// Reads the descriptor at `p`.
    init(at p: UnsafeRawPointer) {
        pc = p.loadUnaligned(as: UInt32.self)
        info = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
    }

    /// `unrun`: instructions of the block after this one (given back to the
    /// budget when the block leaves here); `itBefore`: the instruction's own
    /// ITSTATE (T32), which an exception saves.
    init(pc: UInt32, access m: MemoryAccessPlan, thumb: Bool, instructionBytes: UInt32, unrun: Int,
         itBefore: UInt32) {
        self.init(pc: pc, size: m.size, signed: m.signed, isLoad: m.isLoad, rt: m.rt, rn: m.rn,
                  writeback: m.writeback, tableBranch: false, thumb: thumb, instructionBytes: instructionBytes,
                  unrun: unrun, itBefore: itBefore)
    }

    /// `tableBranch`: the load is TBB/TBH's, whose value is a branch offset
    /// (halfwords from the instruction's address + 4), not a register's.
    init(pc: UInt32, size: Int, signed: Bool, isLoad: Bool, rt: Int, rn: Int, writeback: Bool, tableBranch: Bool,
         thumb: Bool, instructionBytes: UInt32, unrun: Int, itBefore: UInt32) {
        self.pc = pc
        let sizeLog2: UInt32 = size == 4 ? 2 : size == 2 ? 1 : 0
        var v = sizeLog2 | (signed ? 1 << 2 : 0) | (isLoad ? 1 << 3 : 0)
        v |= UInt32(rt) << 4 | UInt32(rn) << 8 | (writeback ? 1 << 12 : 0)
        v |= (thumb ? 1 << 13 : 0) | (instructionBytes == 4 ? 1 << 14 : 0) | (tableBranch ? 1 << 15 : 0)
        v |= UInt32(unrun & 0x3F) << 16 | (itBefore & 0xFF) << 24
        info = v
    }

    var size: Int { 1 << Int(info & 3) }
    var signed: Bool { info & (1 << 2) != 0 }
    var isLoad: Bool { info & (1 << 3) != 0 }
    var rt: Int { Int((info >> 4) & 0xF) }
    var rn: Int { Int((info >> 8) & 0xF) }
    var writeback: Bool { info & (1 << 12) != 0 }
    var thumb: Bool { info & (1 << 13) != 0 }
    var instructionBytes: UInt32 { info & (1 << 14) != 0 ? 4 : 2 }
    var tableBranch: Bool { info & (1 << 15) != 0 }
    var unrun: Int { Int((info >> 16) & 0x3F) }
    var itBefore: UInt32 { info >> 24 }

    /// The access's data-abort syndrome (ISV, SAS, SSE, SRT), as the
    /// interpreter reports it: none with writeback or for TBB/TBH.
    var syndrome: UInt32? {
        if writeback || tableBranch { return nil }
        return 1 << 24 | (info & 3) << 22 | (signed ? 1 << 21 : 0) | UInt32(rt) << 16
    }
}

/// The descriptor of an instruction the block hands to the interpreter (20
/// bytes: address, the decoded instruction's raw word, immediate and packed
/// op/cond/extra, then `info`).
struct InterpreterCallDescriptor {
    static let byteCount = 20
    let pc: UInt32
    let instruction: DecodedInstruction
    let info: UInt32

    init(pc: UInt32, instruction d: DecodedInstruction, endsBlock: Bool, thumb: Bool, unrun: Int, itBefore: UInt32) {
        self.pc = pc
        instruction = d
        info = UInt32(unrun & 0x3F) | (endsBlock ? 1 << 8 : 0) | (thumb ? 1 << 9 : 0) | (itBefore & 0xFF) << 16
    }

    /// Reads the descriptor at `p`.
    init(at p: UnsafeRawPointer) {
        pc = p.loadUnaligned(as: UInt32.self)
        let packed = p.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        instruction = DecodedInstruction(raw: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
                                         imm: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
                                         op: UInt16(truncatingIfNeeded: packed),
                                         cond: UInt8(truncatingIfNeeded: packed >> 16),
                                         extra: UInt8(truncatingIfNeeded: packed >> 24))
        info = p.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    var words: [UInt32] {
        [pc, instruction.raw, instruction.imm,
         UInt32(instruction.op) | UInt32(instruction.cond) << 16 | UInt32(instruction.extra) << 24, info]
    }

    var unrun: Int { Int(info & 0x3F) }
    var endsBlock: Bool { info & (1 << 8) != 0 }
    var thumb: Bool { info & (1 << 9) != 0 }
    var itBefore: UInt32 { (info >> 16) & 0xFF }
}

extension X86Assembler {
    /// Emits the routine of a call site that always leaves its block
    /// (`chainExit`, `notEntered`): it takes the descriptor's address off
    /// the stack, stores what the descriptor says and jumps to `exit`.
    mutating func emitLeavingRoutine(_ routine: RuntimeRoutine, exit: Label) {
        typealias ABI = GeneratedCodeABI
        pop(.rax)
        mov(.dword, .rcx, .base(.rax, 0))
        mov(.dword, ABI.pc, .rcx)
        if routine == .chainExit {
            mov(.dword, .rcx, .base(.rax, 4))
            mov(.qword, ABI.chainSite, .rcx)
            mov(.dword, .rcx, .base(.rax, 8))
            mov(.qword, ABI.exitBlock, .rcx)
        }
        mov(.rax, imm32: (routine == .chainExit ? JITExitStatus.chain : .notEntered).rawValue)
        jmp(exit)
    }

    /// Emits the routine that serves call sites of `routine`: passes the
    /// core, the descriptor's address and r14d/r15d (a memory access's
    /// address and writeback value) to `helper`, then returns to the block
    /// or leaves through `exit` as the helper says (`OutOfLineResult`).
    mutating func emitOutOfLineRoutine(_ routine: RuntimeRoutine, helper: UInt64, exit: Label) {
        let leave = newLabel()
        // The block's register cache lives in caller-saved registers.
        let cache = RegisterCache.hostRegisters
        for r in cache { push(r) }
        mov(.qword, .rsi, .base(.rsp, Int32(8 * cache.count)))
        lea(.qword, .rsi, .base(.rsi, routine.descriptorDistance))
        mov(.qword, .rdi, GeneratedCodeABI.core)
        mov(.dword, .rdx, GeneratedCodeABI.address)
        mov(.dword, .rcx, GeneratedCodeABI.writeback)
        // Blocks run with rsp 16-byte aligned; the call and the four
        // pushes moved it by 40.
        alu(.sub, .qword, .rsp, imm: 8)
        callAbsolute(helper)
        alu(.add, .qword, .rsp, imm: 8)
        for r in cache.reversed() { pop(r) }
        bt(.qword, .rax, bit: 63)
        jcc(.b, leave)
        ret()
        bind(leave)
        alu(.add, .qword, .rsp, imm: 8)   // the block's return address
        jmp(exit)
    }
}
