/// VFP extension register loads and stores (ARM ARM A7.6): VLDR/VSTR,
/// VLDM/VSTM IA and DB with writeback (VPUSH = VSTMDB SP!, VPOP = VLDMIA SP!),
/// and the FLDMX/FSTMX forms (odd imm8 with doubles: imm8/2 registers, the
/// base moves by imm8 words). Register counts and the UNDEFINED forms were
/// settled at decode (`VFPDecoder`).
extension Core {
    /// VLDR / VSTR.
    func vfpLoadStoreSingle(_ load: Bool, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        if dp { try vfpCheckRegister(o.d) }
        // A PC base is Align(PC, 4) (R15 reads as pc+8 in A32, pc+4 in T32).
        let base = o.n == 15 ? r[15] & ~3 : r[o.n]
        let offset = UInt32(o.a) << 2
        let address = o.has(VFPOperands.Flag.add) ? base &+ offset : base &- offset
        if dp {
            try vfpTransferDouble(o.d, address, load: load)
        } else {
            try requireAlignment(address, 4, write: !load)
            if load { setSReg(o.d, try read32(address)) } else { try write32(address, sReg(o.d)) }
        }
    }

    /// VLDM / VSTM (increment after, or decrement before).
    func vfpLoadStoreMultiple(_ load: Bool, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        let count = o.m
        if dp { try vfpCheckRegister(o.d + count - 1) }
        let offset = UInt32(o.a) << 2
        let up = o.has(VFPOperands.Flag.add)
        let base = r[o.n]
        var address = up ? base : base &- offset
        try requireAlignment(address, 4, write: !load)
        for i in 0..<count {
            if dp {
                try vfpTransferDouble(o.d + i, address, load: load)
                address &+= 8
            } else {
                if load { setSReg(o.d + i, try read32(address)) } else { try write32(address, sReg(o.d + i)) }
                address &+= 4
            }
        }
        // Written back after the transfers, so an abort leaves Rn unchanged.
        if o.has(VFPOperands.Flag.writeback) { r[o.n] = up ? base &+ offset : base &- offset }
    }

    /// One doubleword as two word accesses (in memory order for the current
    /// endianness: the low word first when little-endian).
    @inline(__always)
    func vfpTransferDouble(_ d: Int, _ address: UInt32, load: Bool) throws(CPUException) {
        try requireAlignment(address, 4, write: !load)
        if load {
            let w1 = try read32(address), w2 = try read32(address &+ 4)
            setDReg(d, bigEndian ? UInt64(w1) << 32 | UInt64(w2) : UInt64(w2) << 32 | UInt64(w1))
        } else {
            let v = dReg(d)
            let lo = UInt32(truncatingIfNeeded: v), hi = UInt32(truncatingIfNeeded: v >> 32)
            try write32(address, bigEndian ? hi : lo)
            try write32(address &+ 4, bigEndian ? lo : hi)
        }
    }
}
