/// One guest basic block translated to host code.
///
/// Blocks never cross a 4 KiB guest page, so a block belongs to exactly one
/// physical page and is dropped when any byte it was translated from is
/// written (see `JITEngine.invalidate`).
struct TranslatedBlock {
    /// Guest physical and virtual address of the first instruction.
    let physicalPC: UInt64
    let virtualPC: UInt32
    /// The translation-state word it was translated under (`JITEngine.stateKey`).
    let key: UInt32
    /// Guest instructions in the block (what it subtracts from the budget).
    let length: Int
    /// Guest bytes it covers, from `physicalPC`.
    let byteLength: Int
    /// Offset of its host code in the code cache.
    let codeOffset: Int
    /// Its own patchable direct jumps, relative to `codeOffset`
    /// (`ARMJITContext.chain_site` indexes this).
    let chainSites: [ChainLink]
    /// Chained jumps from other blocks into this one: the rel32 field to
    /// reset and the exit stub it pointed to before it was chained.
    var incoming: [ChainLink] = []
    /// False once invalidated: never entered or chained to again.
    var valid = true

    /// Whether the block was translated from bytes in `start ..< end`.
    func overlaps(_ start: UInt64, _ end: UInt64) -> Bool {
        physicalPC < end && physicalPC + UInt64(byteLength) > start
    }
}

/// A direct jump in one block's code that may be patched to enter another.
struct ChainLink {
    /// Code-cache offset of the jump's rel32 field.
    let field: Int
    /// Code-cache offset of the exit stub the jump reaches when unchained.
    let stub: Int
}

/// Looks blocks up by (physical PC, virtual PC, state key). The virtual PC
/// belongs in the key because translated code has it built in (PC-relative
/// operands, return addresses, branch targets): the same physical code runs
/// at its physical address before the kernel turns the MMU on and at its
/// virtual address after, and must not share a translation.
struct BlockKey: Hashable {
    let physicalPC: UInt64
    let virtualPC: UInt32
    let key: UInt32
}
