import CGuestState

/// The JIT's counterpart of `runARMBlock`: finds or translates the block at
/// the PC, enters it, and handles how it left.
///
/// It keeps the interpreter's observable contract exactly: the same
/// instructions retire in the same chunks, exceptions are entered by the
/// same code with the same state, and the chunk ends where the
/// interpreter's would (on a switch to Thumb, an exception, WFI/WFE or a
/// signal). A block runs only when its whole length fits in the chunk's
/// remaining budget; the last few instructions of a chunk are interpreted.
/// So `--icount` runs, instruction counts and interrupt sampling points are
/// identical under both engines.
extension Core {
    @inline(never)
    func runARMBlockJIT(_ count: Int, _ jit: JITEngine) -> (remaining: Int, stop: CoreStopReason?) {
        var n = count
        var chainFrom: (block: Int, site: Int, flushes: Int)?
        do throws(CPUException) {
            while n > 0 {
                if jit.exitRequested { jit.applyPendingInvalidations() }
                let pc = self.pc
                if pc & 0xFFFF_F000 != fetchVPage {
                    if let end = blockEndSignal(remaining: n, atFetch: true) {
                        instructionCount &+= UInt64(count - n)
                        return end
                    }
                    try fetchPage(pc)
                }
                let key = jitStateKey
                var found = jit.cachedBlock(pc: pc, key: key)
                if found == nil || !jit.blocks[found!].valid {
                    found = jit.block(physicalPC: fetchPhysPage << 12 | UInt64(pc & 0xFFF), key: key, pc: pc)
                        ?? translateA32Block(pc: pc, key: key, jit: jit)
                }
                guard let b = found, jit.blocks[b].length <= n else {
                    // The interpreter finishes the chunk. The count is added
                    // after it, as the interpreter adds a whole chunk's at
                    // its end: the counter an instruction reads in
                    // deterministic mode depends on it.
                    jit.statistics.interpretedAtChunkEnd &+= n
                    let end = runARMBlock(n)
                    instructionCount &+= UInt64(count - n)
                    return end
                }
                if let from = chainFrom {
                    chainFrom = nil
                    if from.flushes == jit.statistics.flushes, jit.blocks[from.block].valid,
                       jit.blocks[from.block].key == key, from.site < jit.blocks[from.block].chainSites.count {
                        let link = jit.blocks[from.block].chainSites[from.site]
                        let base = jit.blocks[from.block].codeOffset
                        jit.chain(field: base + link.field, stub: base + link.stub, to: b)
                    }
                }
                jit.context.pointee.budget = Int64(n)
                jit.statistics.entries &+= 1
                let status = jit.enter(b, state: state, softTLB: softTLB.entries)
                n = Int(jit.context.pointee.budget)
                switch status {
                case JITExitStatus.normal.rawValue:
                    if thumb {
                        instructionCount &+= UInt64(count - n)
                        if let end = blockEndSignal(remaining: n, atFetch: false) { return end }
                        return (n, nil)
                    }
                case JITExitStatus.exception.rawValue:
                    // Blocks reached through the jump cache may lie in
                    // another page than the fetch page: the exception entry
                    // reads the faulting instruction from there.
                    if self.pc & 0xFFFF_F000 != fetchVPage { syncFetchPage(self.pc) }
                    throw jitPendingException
                case JITExitStatus.chain.rawValue:
                    chainFrom = (Int(jit.context.pointee.exit_block), Int(jit.context.pointee.chain_site),
                                 jit.statistics.flushes)
                default:
                    break
                }
            }
            instructionCount &+= UInt64(count - n)
            if let end = blockEndSignal(remaining: n, atFetch: false) { return end }
            return (n, nil)
        } catch {
            return endA32Block(raising: error, count: count, remaining: n)
        }
    }

    /// Makes `pc`'s page the fetch page (a translation of a page that just
    /// executed cannot fault), unless a block-end signal holds it invalid.
    func syncFetchPage(_ pc: UInt32) {
        if pendingBlockEnd == nil { try? fetchPage(pc) }
    }

    /// Everything a translated A32 block's code depends on besides its
    /// bytes: the privilege (which software-TLB table it reads), CPSR.E
    /// (inline accesses are little-endian only) and SCTLR.A (the inline
    /// alignment check).
    @inline(__always) var jitStateKey: UInt32 {
        UInt32(mode.privilegeLevel) | (bigEndian ? 4 : 0) | (sys.alignmentCheck ? 8 : 0)
    }

    /// Translates the block at `pc` (in the current fetch page) and returns
    /// its index, or nil when it cannot be translated.
    func translateA32Block(pc: UInt32, key: UInt32, jit: JITEngine) -> Int? {
        let started = hostMonotonicNanos()
        defer { jit.statistics.translationNanos &+= hostMonotonicNanos() &- started }
        var decoded: [DecodedInstruction] = []
        var p = pc
        while decoded.count < JITEngine.maxBlockLength {
            let slot = fetchSlots + Int((p & 0xFFF) >> 1)
            var d = slot.pointee
            if d.op &- 1 >= Core.thumbOpBase &- 1 { d = decodeSlot(slot, pc: p) }
            decoded.append(d)
            let plan = A32Translator.plan(d, bigEndian: bigEndian)
            if plan == .branch || plan == .interpretAndEnd { break }
            p &+= 4
            if p & 0xFFF == 0 { break }
        }
        let physicalPC = fetchPhysPage << 12 | UInt64(pc & 0xFFF)
        for attempt in 0..<2 {
            var t = A32Translator(blockID: jit.blocks.count, startPC: pc, instructions: decoded,
                                  privilege: mode.privilegeLevel, bigEndian: bigEndian,
                                  alignmentCheck: sys.alignmentCheck, helpers: .shared, key: key,
                                  jumpCache: UInt64(UInt(bitPattern: jit.jumpCache)))
            guard let code = try? t.translate() else { return nil }
            if let id = jit.install(code, physicalPC: physicalPC, key: key, pc: pc) { return id }
            if attempt == 0 { jit.flush() }
        }
        return nil
    }
}
