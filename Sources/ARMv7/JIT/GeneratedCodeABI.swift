import X86Assembler

/// The contract between translated blocks, the entry thunk and the
/// dispatcher: which host registers hold what, where guest state lives, and
/// what a block's exit status means.
enum GeneratedCodeABI {
    /// `ARMGuestState *` (GuestState.h).
    static let state = GPR.rbx
    /// `ARMJITContext *` (JITContext.h).
    static let context = GPR.rbp
    /// The core's software TLB (three tables of `SoftTLB.entriesPerIndex`).
    static let softTLB = GPR.r12
    /// The Swift `Core`, first argument of every helper.
    static let core = GPR.r13
    /// Scratch registers that survive helper calls: a memory access's
    /// address and its base-register writeback value.
    static let address = GPR.r14
    static let writeback = GPR.r15

    // ARMGuestState offsets (asserted in GuestState.h).
    static func reg(_ n: Int) -> Memory { .base(state, Int32(n * 4)) }
    static let pc = Memory.base(state, 64)
    static let nextPC = Memory.base(state, 68)
    static let nf = Memory.base(state, 72)
    static let zf = Memory.base(state, 76)
    static let cf = Memory.base(state, 80)
    static let vf = Memory.base(state, 84)
    static let ge = Memory.base(state, 92)
    static let itState = Memory.base(state, 96)
    static let thumb = Memory.base(state, 108)

    // ARMJITContext offsets (asserted in JITContext.h).
    static let budget = Memory.base(context, 0)
    static let exitRequest = Memory.base(context, 8)
    static let chainSite = Memory.base(context, 24)
    static let exitBlock = Memory.base(context, 32)
    static let jumpCache = Memory.base(context, 40)

    /// Bytes of one software-TLB table (entries × 24-byte entries).
    static let softTLBTableBytes = Int32(SoftTLB.entriesPerIndex * 24)
}

/// How a block left (returned in eax to the dispatcher).
enum JITExitStatus: UInt32 {
    /// Finished: the guest PC is in the state block.
    case normal = 0
    /// An instruction raised an exception (`Core.jitPendingException`);
    /// PC, R15 and the next PC are those of the faulting instruction.
    case exception = 1
    /// A direct jump to an untranslated or unchained block in the same
    /// page: the context names the jump to patch (`exit_block`, `chain_site`).
    case chain = 2
    /// The block did not start: its length exceeds the budget, or the
    /// exit-request word was set.
    case notEntered = 3
}
