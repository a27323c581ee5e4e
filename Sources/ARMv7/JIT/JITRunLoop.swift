import CGuestState

/// The JIT's counterpart of `runARMBlock` and `runThumbBlock`: finds or
/// translates the block at the PC, enters it, and handles how it left.
///
/// It keeps the interpreter's observable contract exactly: the same
/// instructions retire in the same chunks, exceptions are entered by the
/// same code with the same state, and the chunk ends where the
/// interpreter's would (on a switch of instruction set, an exception,
/// WFI/WFE or a signal). In deterministic runs a block runs only when its
/// whole length fits in the chunk's remaining budget, and the last few
/// instructions of a chunk are interpreted, so `--icount` runs, instruction
/// counts and interrupt sampling points are identical under both engines.
/// Other runs let the chunk's last block finish past its end
/// (`jitChunkMayOverrun`): counts stay exact, only the sampling point moves.
extension Core {
    @inline(never)
    func runBlockJIT(_ count: Int, _ jit: JITEngine) -> (remaining: Int, stop: CoreStopReason?) {
        let inThumb = thumb
        var n = count
        var chainFrom: (block: Int, site: Int, flushes: Int)?
        do throws(CPUException) {
            while n > 0 {
                if jit.exitRequested {
                    jit.applyPendingInvalidations()
                    // Another core's TLB maintenance raised the request: the
                    // chunk ends here and `run` flushes, where no pending
                    // chain patch or block-end signal holds a translation.
                    if lines.tlbFlush.load(ordering: .acquiring) {
                        instructionCount &+= UInt64(count - n)
                        if let end = blockEndSignal(remaining: n, atFetch: false) { return end }
                        return (n, nil)
                    }
                }
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
                    let physicalPC = fetchPhysPage << 12 | UInt64(pc & 0xFFF)
                    found = jit.block(physicalPC: physicalPC, key: key, pc: pc)
                    if found == nil && !jit.isWarm(BlockKey(physicalPC: physicalPC, virtualPC: pc, key: key)) {
                        // Cold code (a boot runs most of its code a few
                        // times; translating costs hundreds of
                        // interpretations): the interpreter runs the block.
                        chainFrom = nil   // the jump to chain targets this block, not the next
                        let length = min(n, max(1, blockLength(pc: pc, key: key)))
                        let before = instructionCount
                        let r = inThumb ? runThumbBlock(length) : runARMBlock(length)
                        jit.statistics.interpretedCold &+= length - max(r.remaining, 0)
                        if r.remaining != 0 || r.stop != nil || thumb != inThumb
                            || instructionCount &- before != UInt64(length) {
                            // An exception, a signal or a switch of
                            // instruction set ended it, and the chunk, as it
                            // ends the interpreter's; the run counted itself.
                            instructionCount &+= UInt64(count - n)
                            return (n - length + r.remaining, r.stop)
                        }
                        // Counted at the chunk's end, like everything else.
                        instructionCount = before
                        n -= length
                        continue
                    }
                    if found == nil { found = translateBlock(pc: pc, key: key, jit: jit) }
                }
                guard let b = found, jit.blocks[b].length <= n || jitChunkMayOverrun else {
                    // The interpreter finishes the chunk. The count is added
                    // after it, as the interpreter adds a whole chunk's at
                    // its end: the counter an instruction reads in
                    // deterministic mode depends on it.
                    jit.statistics.interpretedAtChunkEnd &+= n
                    let end = inThumb ? runThumbBlock(n) : runARMBlock(n)
                    instructionCount &+= UInt64(count - n)
                    return end
                }
                if let from = chainFrom {
                    chainFrom = nil
                    // The jump's code was translated for its block's key
                    // (ITSTATE apart: the target's is fixed at the jump).
                    if from.flushes == jit.statistics.flushes, jit.blocks[from.block].valid,
                       JITStateKey.withITState(jit.blocks[from.block].key, 0) == JITStateKey.withITState(key, 0) {
                        // The site is the jump's rel32 field (block-relative);
                        // unpatched, it falls into the stub right after it.
                        let field = jit.blocks[from.block].codeOffset + from.site
                        jit.chain(field: field, stub: field + 4, to: b)
                    }
                }
                // Past the chunk's end only when allowed (see the guard).
                let granted = max(n, jit.blocks[b].length)
                jit.context.pointee.budget = Int64(granted)
                jit.statistics.entries &+= 1
                let status = jit.enter(b, state: state, softTLB: softTLB.entries)
                n -= granted - Int(jit.context.pointee.budget)
                switch status {
                case JITExitStatus.normal.rawValue:
                    if thumb != inThumb {
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
            // An exception exit left the faulting instruction's own ITSTATE.
            if inThumb { return endT32Block(raising: error, count: count, remaining: n, itBefore: itState) }
            return endA32Block(raising: error, count: count, remaining: n)
        }
    }

    /// Makes `pc`'s page the fetch page (a translation of a page that just
    /// executed cannot fault), unless a block-end signal holds it invalid.
    func syncFetchPage(_ pc: UInt32) {
        if pendingBlockEnd == nil { try? fetchPage(pc) }
    }

    /// Everything a translated block's code depends on besides its bytes
    /// (`JITStateKey`).
    @inline(__always) var jitStateKey: UInt32 {
        JITStateKey.make(privilege: mode.privilegeLevel, bigEndian: bigEndian, alignmentCheck: sys.alignmentCheck,
                         thumb: thumb, itState: itState, vfpUsable: vfpUsable)
    }

    /// Whether every VFP enable and trap check passes for coprocessors 10
    /// and 11 and D16–D31 are accessible (`vfpCheckEnabled`,
    /// `vfpCheckRegister`): translated VFP code then checks only FPSCR.
    @inline(__always) var vfpUsable: Bool {
        guard fpexc & FPEXCBit.en != 0, sys.hcptr & 0xC00 == 0 else { return false }
        if mode == .hyp { return true }
        let cp = (sys.cpacr >> 20) & 0xF   // cp10 and cp11 access fields
        return (cp == 0xF || (cp == 0x5 && mode != .user)) && sys.cpacr & (1 << 30) == 0
    }

    /// How many instructions the block at `pc` would have (`translateBlock`).
    func blockLength(pc: UInt32, key: UInt32) -> Int {
        decodeBlock(pc: pc, vfpUsable: JITStateKey.vfpUsable(key)).count
    }

    /// Translates the block at `pc` (in the current fetch page) in the
    /// current instruction set and returns its index, or nil when it cannot
    /// be translated.
    func translateBlock(pc: UInt32, key: UInt32, jit: JITEngine) -> Int? {
        let started = hostMonotonicNanos()
        defer { jit.statistics.translationNanos &+= hostMonotonicNanos() &- started }
        let decoded = decodeBlock(pc: pc, vfpUsable: JITStateKey.vfpUsable(key))
        if decoded.isEmpty { return nil }
        let physicalPC = fetchPhysPage << 12 | UInt64(pc & 0xFFF)
        for attempt in 0..<2 {
            var t = BlockTranslator(blockID: jit.blocks.count, startPC: pc, instructions: decoded, thumb: thumb,
                                    privilege: mode.privilegeLevel, bigEndian: bigEndian,
                                    alignmentCheck: sys.alignmentCheck, key: key)
            guard let code = try? t.translate() else { return nil }
            if let id = jit.install(code, physicalPC: physicalPC, key: key, pc: pc) { return id }
            if attempt == 0 { jit.flush() }
        }
        return nil
    }

    /// The instructions of the block at `pc` in the current instruction set:
    /// up to the first that ends a block, the page's end or the length
    /// limit. A 32-bit T32 instruction whose second halfword is on the next
    /// page is left out (blocks stay in one page); the interpreter runs it.
    private func decodeBlock(pc: UInt32, vfpUsable: Bool) -> [DecodedInstruction] {
        var decoded: [DecodedInstruction] = []
        var p = pc
        while decoded.count < JITEngine.maxBlockLength {
            let slot = fetchSlots + Int((p & 0xFFF) >> 1)
            var d = slot.pointee
            let plan: InstructionPlan
            if thumb {
                if d.op < Core.thumbOpBase {
                    guard p & 0xFFF != 0xFFE || !T32Decoder.is32Bit(firstHalfword(p)),
                          let fresh = try? decodeThumbSlot(slot, pc: p) else { break }
                    d = fresh
                }
                plan = BlockTranslator.planThumb(d, bigEndian: bigEndian, vfpUsable: vfpUsable)
            } else {
                // One compare for "undecoded (0) or decoded as T32".
                if d.op &- 1 >= Core.thumbOpBase &- 1 { d = decodeSlot(slot, pc: p) }
                plan = BlockTranslator.plan(d, bigEndian: bigEndian, vfpUsable: vfpUsable)
            }
            decoded.append(d)
            if plan == .branch || plan == .interpretAndEnd { break }
            p &+= thumb && d.extra & T32Decoder.is32BitFlag == 0 ? 2 : 4
            if p & 0xFFF == 0 { break }
        }
        return decoded
    }

    /// The halfword at `pc` in the current fetch page (0 if unreadable).
    private func firstHalfword(_ pc: UInt32) -> UInt16 {
        memory.hostPointer(fetchPhysPage << 12 | UInt64(pc & 0xFFF), length: 2)?.loadUnaligned(as: UInt16.self) ?? 0
    }
}
