import ARMv7
import Hyp

/// mmio.c, extended: the MMIO accesses of one trapped instruction. With a
/// valid syndrome (ISV = 1) that is one access described by HSR; without one
/// the A32 instruction Hyp fetched is decoded (single loads/stores in every
/// addressing mode, LDRD/STRD, LDM/STM), which Linux 3.9 refused.
struct MMIOEmulation {
    struct Step {
        var access: MMIOAccess
        /// Register receiving a read, and whether to sign-extend it.
        var destination: Int
        var signExtend: Bool
    }

    var steps: [Step] = []
    var index = 0
    /// The value the VMM supplied for the current read.
    var readValue: UInt64?
    var writeback: (register: Int, value: UInt32)?
    var length: UInt32 = 4
    var bigEndian = false
    /// A step has been handed to the VMM and not yet completed.
    var inFlight = false

    var active: Bool { !steps.isEmpty }

    /// Builds the steps for the trapped access; false if it cannot be emulated.
    mutating func decode(hsr: HSR, instruction: UInt32?, ipa: UInt64, far: UInt32, length: UInt32,
                         context: VCPUContext) -> Bool {
        steps.removeAll(keepingCapacity: true)   // no allocation per exit
        index = 0
        readValue = nil
        writeback = nil
        inFlight = false
        self.length = length
        bigEndian = context.regs.cpsr & PSR.e != 0
        let regs = context.regs
        if hsr.instructionSyndromeValid {
            let size = hsr.accessSize
            let rt = hsr.transferRegister
            let write = hsr.isWrite
            let value = write ? UInt64(regs.current(rt)) & mask(size) : 0
            steps.append(Step(access: MMIOAccess(address: ipa, size: size, isWrite: write, value: swapped(value, size)),
                              destination: rt, signExtend: hsr.signExtends))
            return true
        }
        guard let word = instruction, length == 4, regs.cpsr & PSR.t == 0 else { return false }
        return decodeA32(word, ipa: ipa, far: far, regs: regs)
    }

    /// A32 loads and stores that come without a syndrome.
    private mutating func decodeA32(_ w: UInt32, ipa: UInt64, far: UInt32, regs: GuestRegisters) -> Bool {
        let rn = Int((w >> 16) & 0xF), rt = Int((w >> 12) & 0xF)
        let p = w & (1 << 24) != 0, u = w & (1 << 23) != 0, wb = w & (1 << 21) != 0, load = w & (1 << 20) != 0
        let base = regs.current(rn)
        // Guest-physical address of the word at virtual address `va` (same page as the fault).
        func ipaOf(_ va: UInt32) -> UInt64 { UInt64(bitPattern: Int64(bitPattern: ipa) &+ Int64(Int32(bitPattern: va &- far))) }
        func single(size: Int, signed: Bool, offset: UInt32) -> Bool {
            let offAddr = u ? base &+ offset : base &- offset
            let va = p ? offAddr : base
            let value = load ? 0 : UInt64(regs.current(rt)) & mask(size)
            steps.append(Step(access: MMIOAccess(address: ipaOf(va), size: size, isWrite: !load,
                                                 value: swapped(value, size)),
                              destination: rt, signExtend: signed))
            if !p || wb { writeback = (rn, offAddr) }
            return rn != 15 && !(load && (!p || wb) && rn == rt)
        }
        switch (w >> 25) & 7 {
        case 0b010:   // LDR/STR/LDRB/STRB immediate
            return single(size: w & (1 << 22) != 0 ? 1 : 4, signed: false, offset: w & 0xFFF)
        case 0b011 where w & 0x10 == 0:   // register offset
            let m = regs.current(Int(w & 0xF))
            let amount = (w >> 7) & 0x1F
            let off: UInt32
            switch (w >> 5) & 3 {
            case 0: off = m << amount
            case 1: off = amount == 0 ? 0 : m >> amount
            case 2: off = UInt32(bitPattern: Int32(bitPattern: m) >> Int32(amount == 0 ? 31 : amount))
            default: off = amount == 0 ? m >> 1 : m.rotateRightBy(amount)
            }
            return single(size: w & (1 << 22) != 0 ? 1 : 4, signed: false, offset: off)
        case 0b000 where w & 0x90 == 0x90 && w & 0x60 != 0:   // halfword, signed, dual
            let off = w & (1 << 22) != 0 ? ((w >> 4) & 0xF0) | (w & 0xF) : regs.current(Int(w & 0xF))
            switch ((w >> 5) & 3, load) {
            case (1, _): return single(size: 2, signed: false, offset: off)
            case (2, true): return single(size: 1, signed: true, offset: off)
            case (3, true): return single(size: 2, signed: true, offset: off)
            default:   // LDRD (2, false) / STRD (3, false)
                guard rt & 1 == 0, rt != 14 else { return false }
                let isLoad = (w >> 5) & 3 == 2
                let offAddr = u ? base &+ off : base &- off
                let va = p ? offAddr : base
                for i in 0..<2 {
                    let v = isLoad ? 0 : UInt64(regs.current(rt + i))
                    steps.append(Step(access: MMIOAccess(address: ipaOf(va &+ UInt32(4 * i)), size: 4, isWrite: !isLoad,
                                                         value: swapped(v, 4)),
                                      destination: rt + i, signExtend: false))
                }
                if !p || wb { writeback = (rn, offAddr) }
                return rn != 15
            }
        case 0b100:   // LDM/STM
            let list = w & 0xFFFF
            guard list != 0, list & 0x8000 == 0, w & (1 << 22) == 0, rn != 15 else { return false }
            let count = UInt32(list.nonzeroBitCount)
            var va: UInt32
            switch (p, u) {
            case (false, true): va = base
            case (true, true): va = base &+ 4
            case (false, false): va = base &- 4 &* count &+ 4
            case (true, false): va = base &- 4 &* count
            }
            for i in 0..<15 where list & (1 << UInt32(i)) != 0 {
                let v = load ? 0 : UInt64(regs.current(i))
                steps.append(Step(access: MMIOAccess(address: ipaOf(va), size: 4, isWrite: !load, value: swapped(v, 4)),
                                  destination: i, signExtend: false))
                va &+= 4
            }
            if wb && !(load && list & (1 << UInt32(rn)) != 0) {
                writeback = (rn, u ? base &+ 4 &* count : base &- 4 &* count)
            }
            return true
        default:
            return false
        }
    }

    /// Completes the in-flight step (if any) and returns the next exit, or
    /// nil after the last step has been retired into the guest context.
    mutating func nextAccess(_ vcpu: VCPU) throws(KVMError) -> VCPUExit? {
        guard active else { return nil }
        let ctx = vcpu.context
        if inFlight { retireStep(ctx) }
        while index < steps.count {
            inFlight = true
            // Devices emulated in the kernel side (the vGIC) answer here,
            // without an exit to the VMM.
            guard let value = vcpu.kernelMMIO(steps[index].access) else {
                return .mmio(steps[index].access)
            }
            readValue = value
            retireStep(ctx)
        }
        if let wb = writeback { ctx.regs.setCurrent(wb.register, wb.value) }
        ctx.skipInstruction(length: length)
        steps.removeAll(keepingCapacity: true)
        return nil
    }

    /// Writes the in-flight read's value to its register and moves on.
    private mutating func retireStep(_ ctx: VCPUContext) {
        let step = steps[index]
        if !step.access.isWrite {
            var v = swapped((readValue ?? 0) & mask(step.access.size), step.access.size)
            if step.signExtend {
                let shift = UInt64(64 - 8 * step.access.size)
                v = UInt64(bitPattern: Int64(bitPattern: v << shift) >> Int64(shift))
            }
            ctx.regs.setCurrent(step.destination, UInt32(truncatingIfNeeded: v))
        }
        index += 1
        inFlight = false
        readValue = nil
    }

    private func mask(_ size: Int) -> UInt64 { size >= 8 ? ~0 : (1 << UInt64(size * 8)) - 1 }

    /// Data is big-endian when the guest set CPSR.E: the bus sees bytes reversed.
    private func swapped(_ v: UInt64, _ size: Int) -> UInt64 {
        guard bigEndian else { return v }
        switch size {
        case 2: return UInt64(UInt16(truncatingIfNeeded: v).byteSwapped)
        case 4: return UInt64(UInt32(truncatingIfNeeded: v).byteSwapped)
        case 8: return v.byteSwapped
        default: return v
        }
    }
}

extension VCPU {
    /// Supplies the value of the MMIO read the last exit asked for.
    public func completeMMIORead(_ value: UInt64) {
        mmio.readValue = value
    }
}

extension UInt32 {
    func rotateRightBy(_ n: UInt32) -> UInt32 {
        let s = n & 31
        return s == 0 ? self : (self >> s) | (self << (32 - s))
    }
}
