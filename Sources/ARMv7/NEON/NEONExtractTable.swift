/// VEXT, VTBL/VTBX and VDUP (scalar) (ARM ARM DDI 0406C A8.8.x): byte
/// extraction from a register pair, byte table look-up, and an element
/// broadcast.
extension Core {
    /// VEXT: the bytes imm4 (bits 11:8) upward of the concatenation Vm:Vn.
    func neonExtract(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        let position = Int((raw >> 8) & 0xF)
        if !ops.q && position >= 8 { throw .undefined }
        try ops.checkQ(ops.d, ops.n, ops.m)
        if ops.q {
            let source = (dReg(ops.n), dReg(ops.n + 1), dReg(ops.m), dReg(ops.m + 1))
            @inline(__always) func word(_ i: Int) -> UInt64 {
                switch i { case 0: source.0; case 1: source.1; case 2: source.2; default: source.3 }
            }
            // 64 bits starting at byte `byte` of the 32-byte concatenation (byte < 24).
            @inline(__always) func bytes(from byte: Int) -> UInt64 {
                let i = byte / 8, shift = UInt64(byte % 8 * 8)
                return shift == 0 ? word(i) : word(i) >> shift | word(i + 1) << (64 - shift)
            }
            let lo = bytes(from: position), hi = bytes(from: position + 8)
            setDReg(ops.d, lo)
            setDReg(ops.d + 1, hi)
        } else {
            let n = dReg(ops.n), m = dReg(ops.m), shift = UInt64(position * 8)
            setDReg(ops.d, shift == 0 ? n : n >> shift | m << (64 - shift))
        }
    }

    /// VTBL (bit 6 = 0: out-of-range indexes give 0) and VTBX (they leave
    /// the byte of Dd): each byte of Dm indexes the table of len + 1
    /// registers from Dn. A list past D31 is UNPREDICTABLE; QEMU makes it
    /// UNDEFINED, and so do we.
    func neonTableLookup(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        let length = Int((raw >> 8) & 3) + 1
        if ops.n + length > 32 { throw .undefined }
        let extend = raw & (1 << 6) != 0
        let indexes = dReg(ops.m), old = dReg(ops.d)
        var result: UInt64 = 0
        for i in 0..<8 {
            let index = Int(NEONLane.get(indexes, i, 8))
            let byte: UInt64
            if index < 8 * length {
                byte = NEONLane.get(dReg(ops.n + index / 8), index % 8, 8)
            } else {
                byte = extend ? NEONLane.get(old, i, 8) : 0
            }
            result |= byte << UInt64(8 * i)
        }
        setDReg(ops.d, result)
    }

    /// VDUP (scalar): every element of Dd (Qd) = Dm[index]; imm4 (bits
    /// 19:16) gives the size by its lowest set bit and the index above it.
    func neonDuplicateScalar(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        let imm4 = Int((raw >> 16) & 0xF)
        if imm4 & 7 == 0 { throw .undefined }
        try ops.checkQ(ops.d)
        let sizeLog = imm4.trailingZeroBitCount           // 0, 1 or 2: 8-, 16-, 32-bit
        let esize = 8 << sizeLog
        let scalar = NEONLane.get(dReg(ops.m), imm4 >> (sizeLog + 1), esize)
        // Replicate by multiplying with 0x0101..., 0x00010001..., 0x0000000100000001.
        let pattern = scalar &* (UInt64.max / ((1 << UInt64(esize)) - 1))
        for r in 0..<ops.regs { setDReg(ops.d + r, pattern) }
    }
}
