/// The Thumb-state execute loop: the A32 block loop's counterpart, with
/// 2- or 4-byte instructions, R15 = pc + 4, and ITSTATE.
extension Core {
    /// Executes up to `count` Thumb instructions; leaves when the core
    /// switches to ARM state. Returns how many were not run and a stop reason
    /// if the block ended the run.
    ///
    /// ITSTATE: an instruction inside an IT block takes its condition from
    /// ITSTATE[7:4] and ITSTATE is advanced before it executes (also when
    /// the condition fails), so an IT instruction (which sets ITSTATE) and an
    /// exception return (which restores it) leave their own value. When the
    /// instruction raises an exception, ITSTATE is put back to the
    /// instruction's own value (the one the exception saves), except for SVC
    /// and HVC, which save it advanced (TakeSVCException / TakeHVCException
    /// do ITAdvance() because they return to the next instruction).
    @inline(never)
    func runThumbBlock(_ count: Int) -> (remaining: Int, stop: CoreStopReason?) {
        var n = count
        var itBefore = itState
        do throws(CPUException) {
            while n > 0 {
                let pc = self.pc
                let it = itState
                itBefore = it
                if pc & 0xFFFF_F000 != fetchVPage {
                    if let end = blockEndSignal(remaining: n, atFetch: true) {
                        instructionCount &+= UInt64(count - n)
                        return end
                    }
                    try fetchPage(pc)
                }
                let slot = fetchSlots + Int((pc & 0xFFF) >> 1)
                var d = slot.pointee
                if d.op < Core.thumbOpBase { d = try decodeThumbSlot(slot, pc: pc) }
                nextPC = pc &+ 2 &+ (UInt32(d.extra >> 6) & 2)
                r[15] = pc &+ 4
                n -= 1
                if it == 0 {
                    if d.cond >= 0xE || conditionPassed(d.cond) { try executeT32(d) }
                } else {
                    itState = Core.itAdvance(it)
                    d.cond = UInt8(it >> 4)
                    if d.extra & T32Decoder.flagSetting16 != 0 { d.raw &= ~(1 << 20) }
                    if conditionPassed(d.cond) { try executeT32(d) }
                }
                self.pc = nextPC
                if !thumb { break }
            }
            instructionCount &+= UInt64(count - n)
            if let end = blockEndSignal(remaining: n, atFetch: false) { return end }
            return (n, nil)
        } catch {
            return endT32Block(raising: error, count: count, remaining: n, itBefore: itBefore)
        }
    }

    /// Ends a Thumb block whose last instruction raised `error` (the
    /// interpreter's loop and the JIT's dispatcher): counts the block's
    /// instructions, the faulting one included, and enters the exception
    /// with the instruction's own ITSTATE `itBefore` saved (advanced for SVC
    /// and HVC).
    @inline(never)
    func endT32Block(raising error: CPUException, count: Int, remaining n: Int, itBefore: UInt32)
        -> (remaining: Int, stop: CoreStopReason?) {
        instructionCount &+= UInt64(count - n)
        var saved = itBefore
        switch error {
        case .supervisorCall, .hypervisorCall: saved = Core.itAdvance(saved)
        default: break
        }
        itState = saved
        if !takeException(error) {
            itState = itBefore
            hookStopped = false
            return (n, .hookStop)
        }
        return (n - 1, nil)
    }

    /// Decodes the Thumb instruction at `pc` and caches it in `slot`, except
    /// when it is a 32-bit instruction whose second halfword is on the next
    /// page: that one is fetched through a translation of the next page (a
    /// fault there is a prefetch abort at that address) and decoded again
    /// each time it runs.
    @inline(never)
    func decodeThumbSlot(_ slot: UnsafeMutablePointer<DecodedInstruction>, pc: UInt32) throws(CPUException)
        -> DecodedInstruction {
        markCode(pc, size: 4)
        let offset = pc & 0xFFF
        // Instruction fetches are little-endian regardless of CPSR.E.
        guard let p = memory.hostPointer(fetchPhysPage << 12 | UInt64(offset), length: 2) else {
            return T32Decoder.undefined
        }
        let hw1 = p.loadUnaligned(as: UInt16.self)
        if !T32Decoder.is32Bit(hw1) {
            let d = T32Decoder.shared.decode16(hw1, pc: pc)
            slot.pointee = d
            return d
        }
        if offset == 0xFFE {
            let hw2 = try fetchHalfwordSlow(pc &+ 2)
            return T32Decoder.shared.decode32(hw1, hw2, pc: pc)
        }
        let hw2 = (p + 2).loadUnaligned(as: UInt16.self)
        let d = T32Decoder.shared.decode32(hw1, hw2, pc: pc)
        slot.pointee = d
        return d
    }

    /// Fetches the halfword at `va` outside the current fetch page.
    func fetchHalfwordSlow(_ va: UInt32) throws(CPUException) -> UInt16 {
        let t = try translateAddress(va, .fetch, unprivileged: false)
        guard memory.region(containing: t.pa) != nil, let v = memory.read(t.pa, size: 2) else {
            var f = MemoryFault(kind: .externalAbort, address: va, longFormat: faultFormatIsLong)
            f.ipa = t.pa
            throw .prefetchAbort(f)
        }
        return UInt16(truncatingIfNeeded: v)
    }
}
