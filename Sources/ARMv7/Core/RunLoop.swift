import CHostAtomics
/// Why a block ends after an instruction that completed normally. These are
/// not exceptions and are never thrown: the instruction records one in
/// `Core.pendingBlockEnd` (`endBlockAfterInstruction`) and the block loop
/// sees it at its next fetch (`blockEndSignal`).
enum BlockEndSignal: Equatable, Sendable {
    /// WFI with nothing pending: the run ends with `.waitForInterrupt`.
    case waitForInterrupt
    /// WFE with no event: the run ends with `.waitForEvent`.
    case waitForEvent
    /// The instruction unmasked a pending interrupt (CPSR write, CPS,
    /// exception return): the block ends after it so the interrupt is taken
    /// before the next instruction (interrupts are otherwise sampled between
    /// blocks).
    case interruptWindow
    /// A write to the GIC virtual interface left an interrupt signalled: the
    /// block ends at the next instruction fetch. Unlike `.interruptWindow`,
    /// a block that runs out of budget first leaves it pending, and the next
    /// block ends at its first fetch (this is how the loops have always
    /// counted it).
    case interruptWindowAtNextFetch
}

/// The execute loop: fetch from the decoded-page cache, check the condition,
/// execute, and between blocks sample interrupts and stop requests.
extension Core {
    /// Flushes this core's TLBs if another core's inner-shareable TLB
    /// maintenance asked it to (between blocks: at each chunk, and at the
    /// next block entry under the JIT).
    @inline(__always) func applyBroadcastTLBFlush() {
        guard lines.tlbFlush.load(ordering: .acquiring) else { return }
        lines.tlbFlush.store(false, ordering: .relaxed)
        tlb.invalidateAll()
        translationContextChanged()
    }
}

extension Core {
    /// Instructions executed between checks of the asynchronous inputs.
    static let blockLength = 256
    /// The same under the JIT when the run is not deterministic: chunks end
    /// in the interpreter and pass through the dispatcher, so longer ones
    /// cost less; interrupts wait at most this many instructions (an
    /// unmasking instruction still ends its chunk at once). Deterministic
    /// runs keep `blockLength`, so that `--icount` output does not depend on
    /// the engine.
    static let jitBlockLength = 4096

    /// The chunk length of this run (see `jitBlockLength`).
    var chunkLength: Int {
        guard jit != nil, case .hostMonotonic = counterSource else { return Core.blockLength }
        return Core.jitBlockLength
    }

    /// Runs until the budget is used, WFI/WFE blocks, a stop is requested or
    /// an exception hook says stop. Exceptions are entered as the
    /// architecture says and execution continues at the vector.
    public func run(budget: Int) -> CoreStopReason {
        revalidateSoftTLB()
        interruptWindowOpened = false   // CPSR writes outside the run are seen below
        pendingBlockEnd = nil
        var remaining = budget
        let chunkLength = self.chunkLength
        while true {
            if lines.stop.load(ordering: .relaxed) {
                lines.stop.store(false, ordering: .relaxed)
                return .stopRequested
            }
            applyBroadcastTLBFlush()
            if interruptPending {
                _ = takePendingInterrupt()
                if hookStopped {
                    hookStopped = false
                    return .hookStop
                }
                if let offset = pendingHypVector {
                    pendingHypVector = nil
                    return .hypVector(offset: offset)
                }
            }
            if remaining <= 0 { return .budgetExhausted }
            let chunk = min(remaining, chunkLength)
            // Outside deterministic runs a chunk's end only samples the
            // asynchronous inputs: the JIT may finish a block past it, as
            // long as the run's budget has room.
            jitChunkMayOverrun = chunkLength == Core.jitBlockLength
                && remaining - chunk >= JITEngine.maxBlockLength
            let left = runBlock(chunk)
            remaining -= chunk - left.remaining
            if sys.pmu.control & PMURegisters.enable != 0 { pmuSync() }
            if let reason = left.stop { return reason }
            if let offset = pendingHypVector {
                pendingHypVector = nil
                return .hypVector(offset: offset)
            }
        }
    }

    /// Executes up to `count` instructions. Returns how many were not run and
    /// a stop reason if the block ended the run.
    @inline(__always)
    func runBlock(_ count: Int) -> (remaining: Int, stop: CoreStopReason?) {
        if let jit { return runBlockJIT(count, jit) }
        if thumb { return runThumbBlock(count) }
        return runARMBlock(count)
    }

    /// The A32 block loop. Kept out of `run` so that the instruction switch
    /// inlines into it (the SIL inliner stops inlining into large callers).
    @inline(never)
    func runARMBlock(_ count: Int) -> (remaining: Int, stop: CoreStopReason?) {
        var n = count
        do throws(CPUException) {
            while n > 0 {
                let pc = self.pc
                if pc & 0xFFFF_F000 != fetchVPage {
                    if let end = blockEndSignal(remaining: n, atFetch: true) {
                        instructionCount &+= UInt64(count - n)
                        return end
                    }
                    try fetchPage(pc)
                }
                let slot = fetchSlots + Int((pc & 0xFFF) >> 1)
                var d = slot.pointee
                // One compare for "undecoded (0) or decoded as T32 (>= 0x8000)".
                if d.op &- 1 >= Core.thumbOpBase &- 1 {
                    d = decodeSlot(slot, pc: pc)
                }
                nextPC = pc &+ 4
                r[15] = pc &+ 8
                n -= 1
                if d.cond >= 0xE || conditionPassed(d.cond) {
                    try executeA32(d)
                    self.pc = nextPC
                    if thumb { break }
                } else {
                    self.pc = nextPC
                }
            }
            instructionCount &+= UInt64(count - n)
            // Budget used up or switched to Thumb: the last instruction may
            // have raised a signal.
            if let end = blockEndSignal(remaining: n, atFetch: false) { return end }
            return (n, nil)
        } catch {
            return endA32Block(raising: error, count: count, remaining: n)
        }
    }

    /// Ends an A32 block whose last instruction raised `error` (the
    /// interpreter's loop and the JIT's dispatcher): counts the block's
    /// instructions, the faulting one included, and enters the exception.
    @inline(never)
    func endA32Block(raising error: CPUException, count: Int, remaining n: Int)
        -> (remaining: Int, stop: CoreStopReason?) {
        instructionCount &+= UInt64(count - n)
        if !takeException(error) {
            hookStopped = false
            return (n, .hookStop)
        }
        return (n - 1, nil)
    }

    /// Raises `signal` from an instruction: the instruction then returns
    /// normally (it completes, the loop moves `pc` to `nextPC`) and the block
    /// ends at the next fetch. Invalidating the fetch page sends that fetch
    /// down the slow path, so the loops' fast path never tests the signal.
    /// Call it as the instruction's last action.
    @inline(__always) func endBlockAfterInstruction(_ signal: BlockEndSignal) {
        pendingBlockEnd = signal
        fetchVPageBeforeBlockEnd = fetchVPage
        invalidateFetchPage()
    }

    /// Ends the block on the pending `BlockEndSignal`, if any. The one place
    /// a signal becomes a block result: `runARMBlock`, `runThumbBlock` (and a
    /// JIT's dispatcher) all call it.
    ///
    /// Contract:
    /// - Call it before fetching an instruction whose page misses
    ///   `fetchVPage` (`atFetch: true`; a raised signal sets `fetchVPage` to
    ///   1, so the fetch after it always misses) and when the block ends
    ///   without another fetch, its budget used up or the instruction set
    ///   changed (`atFetch: false`). A fetch that hits `fetchVPage` needs no
    ///   check. A non-nil result is the block's result: return it.
    /// - `n` is the block's remaining budget with every instruction that ran
    ///   already deducted, including the one that raised the signal. The
    ///   caller adds those instructions to `instructionCount`, as at any
    ///   block end.
    /// - The raising instruction has completed: `pc` is where execution
    ///   continues (ITSTATE advanced past it in Thumb state).
    /// - Returns nil when nothing is pending, and for
    ///   `.interruptWindowAtNextFetch` when `atFetch` is false (it stays
    ///   pending for the next block's first fetch). Otherwise clears the
    ///   signal and returns `(n - 1, stop)`, where `stop` is
    ///   `.waitForInterrupt` or `.waitForEvent` (the run ends) or nil (the
    ///   run loop takes the unmasked interrupt before the next instruction).
    ///   The extra 1 taken from the budget is what the loops have always
    ///   charged; deterministic `--icount` runs depend on it.
    @inline(__always)
    func blockEndSignal(remaining n: Int, atFetch: Bool) -> (remaining: Int, stop: CoreStopReason?)? {
        guard let signal = pendingBlockEnd else { return nil }
        let stop: CoreStopReason?
        switch signal {
        case .waitForInterrupt: stop = .waitForInterrupt
        case .waitForEvent: stop = .waitForEvent
        case .interruptWindow: stop = nil
        case .interruptWindowAtNextFetch:
            if !atFetch { return nil }
            pendingBlockEnd = nil
            nextPC = pc   // nothing ran since; the fetch page stays invalid
            return (n - 1, nil)
        }
        pendingBlockEnd = nil
        // The instruction's fetch page is still the right one.
        fetchVPage = fetchVPageBeforeBlockEnd
        return (n - 1, stop)
    }

    /// Translates the page of `pc` for execution and makes it current.
    func fetchPage(_ pc: UInt32) throws(CPUException) {
        let t: TranslationResult
        do throws(CPUException) {
            t = try translateAddress(pc, .fetch, unprivileged: false)
        } catch {
            throw error
        }
        guard let region = memory.region(containing: t.pa) else {
            // Executing from MMIO or unbacked memory: synchronous external abort.
            var f = MemoryFault(kind: .externalAbort, address: pc, longFormat: faultFormatIsLong)
            f.ipa = t.pa
            throw .prefetchAbort(f)
        }
        let physPage = t.pa >> 12
        // Same physical page as last time (re-entry after an exception or a
        // world switch): the slots are still the right ones.
        if physPage != fetchPhysPage || fetchSlots == emptySlots {
            let pageIndex = Int((t.pa - region.base) >> 12)
            let page = decodeCache.page(physPage, codeMask: region.codePages + pageIndex)
            fetchSlots = page.slots
            fetchCodeMask = page.codeMask
            fetchPhysPage = physPage
        }
        fetchVPage = pc & 0xFFFF_F000
    }

    /// Decodes the instruction at `pc` into `slot` (after an invalidation, or
    /// the first time), re-flagging the page as code.
    @inline(never)
    func decodeSlot(_ slot: UnsafeMutablePointer<DecodedInstruction>, pc: UInt32) -> DecodedInstruction {
        markCode(pc, size: 4)
        let host = memory.hostPointer(fetchPhysPage << 12 | UInt64(pc & 0xFFF), length: 4)
        let word = host.map { $0.loadUnaligned(as: UInt32.self) } ?? 0xE7F0_00F0
        // Instruction fetches are little-endian regardless of CPSR.E (SCTLR.IE = 0).
        let d = A32Decoder.shared.decode(word)
        slot.pointee = d
        return d
    }

    /// Flags the granules of the instruction at `pc` as holding decodes.
    @inline(__always) func markCode(_ pc: UInt32, size: UInt32) {
        let o = pc & 0xFFF
        let last = min(o &+ size &- 1, 0xFFF)
        // Atomic: another core may set or a store clear bits of the same word.
        armv_fetch_or16(fetchCodeMask, UInt16(1) << (o >> 8) | UInt16(1) << (last >> 8))
    }

    /// Decoded-op values at or above this belong to the T32 decoder.
    static let thumbOpBase: UInt16 = 0x8000

    /// Whether the current instruction is a 32-bit encoding (HSR.IL, return
    /// offsets): from its T32 decode (`extra` bit 7), or from its first
    /// halfword when it has none (a page-crossing instruction is not cached).
    var currentInstructionIs32Bit: Bool {
        if !thumb { return true }
        guard pc & 0xFFFF_F000 == fetchVPage else { return true }
        let d = fetchSlots[Int((pc & 0xFFF) >> 1)]
        if d.op >= Core.thumbOpBase { return d.extra & T32Decoder.is32BitFlag != 0 }
        guard let p = memory.hostPointer(fetchPhysPage << 12 | UInt64(pc & 0xFFF), length: 2) else { return true }
        return T32Decoder.is32Bit(p.loadUnaligned(as: UInt16.self))
    }

    /// Instruction-specific syndrome (ISV=1, SAS, SSE, SRT) for a data abort
    /// taken to Hyp, or nil when the instruction does not provide one.
    func dataAbortInstructionSyndrome() -> UInt32? {
        guard pc & 0xFFFF_F000 == fetchVPage else { return nil }
        let slotPointer = fetchSlots + Int((pc & 0xFFF) >> 1)
        var slot = slotPointer.pointee
        // An instruction-cache invalidation empties the slots while the
        // blocks translated from them stay valid, and a page may hold the
        // other instruction set's decode: decode it as the core sees it now.
        if thumb {
            if slot.op < Core.thumbOpBase {
                guard let d = try? decodeThumbSlot(slotPointer, pc: pc) else { return nil }
                slot = d
            }
        } else if slot.op &- 1 >= Core.thumbOpBase &- 1 {
            slot = decodeSlot(slotPointer, pc: pc)
        }
        return Core.instructionSyndrome(of: slot, thumb: thumb)
    }

    /// The ISV/SAS/SSE/SRT bits for decoded instruction `slot`, or nil when
    /// it provides none (anything but a single load or store of a general
    /// register without writeback).
    static func instructionSyndrome(of slot: DecodedInstruction, thumb: Bool) -> UInt32? {
        // A Thumb slot holds the equivalent A32 word (op = thumbOpBase | A32Op);
        // Thumb-only operations (op bit 14) give no syndrome.
        let raw: UInt32
        let op: A32Op
        if thumb {
            guard slot.op >= Core.thumbOpBase, slot.op & 0x4000 == 0 else { return nil }
            raw = slot.raw
            op = A32Op.fromDecoded(slot.op & 0xFF)
        } else {
            raw = slot.raw
            op = A32Decoder.shared.operation(raw)
        }
        let p = raw & (1 << 24) != 0, w = raw & (1 << 21) != 0
        // Writeback forms report no syndrome.
        if !p || w { return nil }
        let rt = (raw >> 12) & 0xF
        var sas: UInt32, sse: UInt32 = 0
        switch op {
        case .ldrImm, .strImm, .ldrReg, .strReg: sas = 2
        case .ldrbImm, .strbImm, .ldrbReg, .strbReg: sas = 0
        case .ldrh, .strh: sas = 1
        case .ldrsb: sas = 0; sse = 1
        case .ldrsh: sas = 1; sse = 1
        default: return nil
        }
        return 1 << 24 | sas << 22 | sse << 21 | rt << 16
    }
}

/// A faulting instruction as translated code describes it (see
/// `Core.jitFaultingInstruction`).
struct FaultingInstruction {
    var pc: UInt32
    var is32Bit: Bool
    /// ISV/SAS/SSE/SRT for a data abort to Hyp, or nil for none.
    var syndrome: UInt32?
}
