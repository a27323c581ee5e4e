/// The execute loop: fetch from the decoded-page cache, check the condition,
/// execute, and between blocks sample interrupts and stop requests.
extension Core {
    /// Instructions executed between checks of the asynchronous inputs.
    static let blockLength = 256

    /// Runs until the budget is used, WFI/WFE blocks, a stop is requested or
    /// an exception hook says stop. Exceptions are entered as the
    /// architecture says and execution continues at the vector.
    public func run(budget: Int) -> CoreStopReason {
        revalidateSoftTLB()
        interruptWindowOpened = false   // CPSR writes outside the run are seen below
        endBlockBeforeNextFetch = false
        var remaining = budget
        while true {
            if lines.stop.load(ordering: .relaxed) {
                lines.stop.store(false, ordering: .relaxed)
                return .stopRequested
            }
            if lines.tlbFlush.load(ordering: .relaxed) {
                lines.tlbFlush.store(false, ordering: .relaxed)
                tlb.invalidateAll()
                translationContextChanged()
            }
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
            let chunk = min(remaining, Core.blockLength)
            let left = runBlock(chunk)
            remaining -= chunk - left.remaining
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
        if thumb { return runThumbBlock(count) }
        if let jit { return runARMBlockJIT(count, jit) }
        return runARMBlock(count)
    }

    /// The A32 block loop. Kept out of `run` so that the instruction switch
    /// inlines into it (the SIL inliner stops inlining into large callers).
    @inline(never)
    func runARMBlock(_ count: Int) -> (remaining: Int, stop: CoreStopReason?) {
        var n = count
        do throws(CPUException) {
            do {
                while n > 0 {
                    let pc = self.pc
                    if pc & 0xFFFF_F000 != fetchVPage { try fetchPage(pc) }
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
                if thumb && n > 0 {
                    instructionCount &+= UInt64(count - n)
                    return (n, nil)
                }
            }
            instructionCount &+= UInt64(count - n)
            return (n, nil)
        } catch {
            instructionCount &+= UInt64(count - n)
            if let signal = blockEndSignal(error, remaining: n) { return signal }
            if !takeException(error) {
                hookStopped = false
                return (n, .hookStop)
            }
            return (n - 1, nil)
        }
    }

    /// The "not an exception" signals that end a block after the instruction
    /// completed (WFI, WFE, an unmasked pending interrupt); nil for real
    /// exceptions, which the caller enters.
    @inline(__always)
    func blockEndSignal(_ error: CPUException, remaining n: Int) -> (remaining: Int, stop: CoreStopReason?)? {
        switch error {
        case .waitForInterrupt:
            pc = nextPC
            return (n - 1, .waitForInterrupt)
        case .waitForEvent:
            pc = nextPC
            return (n - 1, .waitForEvent)
        case .interruptWindow:
            pc = nextPC   // the instruction completed; the run loop takes the interrupt
            return (n - 1, nil)
        default:
            return nil
        }
    }

    /// Translates the page of `pc` for execution and makes it current.
    func fetchPage(_ pc: UInt32) throws(CPUException) {
        if endBlockBeforeNextFetch {
            // The previous instruction raised a GIC signal (see
            // CoreGICVirtualInterface.swift): end the block before this one.
            endBlockBeforeNextFetch = false
            nextPC = pc
            throw .interruptWindow
        }
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
        fetchCodeMask.pointee |= UInt16(1) << (o >> 8) | UInt16(1) << (last >> 8)
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
        let slot = fetchSlots[Int((pc & 0xFFF) >> 1)]
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
