/// One guest basic block translated to host code.
///
/// Blocks never cross a 4 KiB guest page, so a block belongs to exactly one
/// physical page and is dropped when any byte it was translated from is
/// written (see `JITEngine.invalidate`).
struct TranslatedBlock {
    /// Guest physical and virtual address of the first instruction.
    let physicalPC: UInt64
    let virtualPC: UInt32
    /// The translation-state word it was translated under (`JITStateKey`).
    let key: UInt32
    /// Offset of its host code in the code cache.
    private let codeStart: Int32
    /// Guest bytes it covers, from `physicalPC` (at most a page).
    private let guestBytes: UInt16
    /// Guest instructions in the block (what it subtracts from the budget).
    private let instructions: UInt8
    /// False once invalidated: never entered or chained to again.
    var valid = true
    /// First of the chained jumps from other blocks into this one, an index
    /// into `JITEngine`'s link list (-1: none).
    var incomingHead: Int32 = -1

    init(physicalPC: UInt64, virtualPC: UInt32, key: UInt32, length: Int, byteLength: Int, codeOffset: Int) {
        self.physicalPC = physicalPC
        self.virtualPC = virtualPC
        self.key = key
        codeStart = Int32(codeOffset)
        guestBytes = UInt16(byteLength)
        instructions = UInt8(length)
    }

    var length: Int { Int(instructions) }
    var byteLength: Int { Int(guestBytes) }
    var codeOffset: Int { Int(codeStart) }

    /// Whether the block was translated from bytes in `start ..< end`.
    func overlaps(_ start: UInt64, _ end: UInt64) -> Bool {
        physicalPC < end && physicalPC + UInt64(byteLength) > start
    }
}

/// A chained jump into a block, kept in `JITEngine`'s link list: the
/// rel32 field to reset and the exit stub it reached before it was chained.
struct IncomingLink {
    let field: Int32
    let stub: Int32
    /// The next link into the same block (-1: none).
    let next: Int32
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
