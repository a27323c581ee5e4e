/// VFP extension register loads and stores (ARM ARM A7.6): VLDR/VSTR,
/// VLDM/VSTM IA and DB with writeback (VPUSH = VSTMDB SP!, VPOP = VLDMIA SP!),
/// and the FLDMX/FSTMX forms (odd imm8 with doubles: imm8/2 registers, the
/// base moves by imm8 words).
extension Core {
    func vfpLoadStore(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0
        let w = raw & (1 << 21) != 0, load = raw & (1 << 20) != 0
        // Unallocated P/U/W combinations (P = U with W, or P = U = 0).
        let isSingleTransfer = p && !w
        if !isSingleTransfer && !(p != u) { throw .undefined }
        try vfpCheckEnabled(raw, cond: cond)
        let dp = raw & 0x100 != 0
        let vd = Int((raw >> 12) & 0xF), bD = Int((raw >> 22) & 1)
        let d = dp ? bD << 4 | vd : vd << 1 | bD
        let n = Int((raw >> 16) & 0xF)
        let imm8 = raw & 0xFF
        let offset = imm8 << 2

        if isSingleTransfer {
            // VLDR / VSTR; a PC base is Align(PC, 4) (R15 reads as pc+8 in A32).
            if dp { try vfpCheckRegister(d) }
            let base = n == 15 ? r[15] & ~3 : r[n]
            let address = u ? base &+ offset : base &- offset
            if dp {
                try vfpTransferDouble(d, address, load: load)
            } else {
                try requireAlignment(address, 4, write: !load)
                if load { setSReg(d, try read32(address)) } else { try write32(address, sReg(d)) }
            }
            return
        }

        // VLDM / VSTM
        let count = dp ? Int(imm8 >> 1) : Int(imm8)
        if count == 0 || d + count > 32 || (dp && count > 16) { throw .undefined }
        if n == 15 && (w || thumb) { throw .undefined }
        if dp { try vfpCheckRegister(d + count - 1) }
        let base = r[n]
        var address = u ? base : base &- offset
        try requireAlignment(address, 4, write: !load)
        for i in 0..<count {
            if dp {
                try vfpTransferDouble(d + i, address, load: load)
                address &+= 8
            } else {
                if load { setSReg(d + i, try read32(address)) } else { try write32(address, sReg(d + i)) }
                address &+= 4
            }
        }
        // Written back after the transfers, so an abort leaves Rn unchanged.
        if w { r[n] = u ? base &+ offset : base &- offset }
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
