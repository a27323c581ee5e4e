/// Advanced SIMD data-processing instructions with three registers of
/// different lengths (ARM ARM DDI 0406C A7.4.2): long (D, D -> Q), wide
/// (Q, D -> Q) and narrow (Q, Q -> D) forms. Element sizes are 8 << size
/// with size 0–2 (size 3 decodes elsewhere).
extension Core {
    /// A7.4.2: decodes A (bits 11:8) and U (bit 24).
    func neonThreeRegistersDifferentLength(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        switch (raw >> 8) & 0xF {
        case 0b0000, 0b0001, 0b0010, 0b0011:
            try neonAddSubtractLongOrWide(raw, ops)
        case 0b0100, 0b0110:
            try neonAddSubtractHighHalf(raw, ops)
        case 0b0101, 0b0111:
            try neonAbsoluteDifferenceLong(raw, ops)
        case 0b1000, 0b1010:
            try neonMultiplyAccumulateLong(ops, subtract: raw & (1 << 9) != 0)
        case 0b1001 where !ops.u, 0b1011 where !ops.u:
            try neonSaturatingDoublingMultiplyAccumulateLong(ops, subtract: raw & (1 << 9) != 0)
        case 0b1100:
            try neonMultiplyLong(ops)
        case 0b1110:
            try neonPolynomialMultiplyLong(ops)
        case 0b1101 where !ops.u:
            try neonSaturatingDoublingMultiplyLong(ops)
        default:
            throw .undefined
        }
    }

    /// VADDL, VADDW, VSUBL, VSUBW: Qd = Dn (or Qn for the wide forms) ± Dm,
    /// operands zero- or sign-extended.
    private func neonAddSubtractLongOrWide(_ raw: UInt32, _ ops: NEONOperands) throws(CPUException) {
        let wide = raw & (1 << 8) != 0, subtract = raw & (1 << 9) != 0
        if ops.d & 1 != 0 || (wide && ops.n & 1 != 0) { throw .undefined }
        let esize = 8 << ops.size, unsigned = ops.u
        let n0 = dReg(ops.n), n1 = wide ? dReg(ops.n + 1) : 0, m = dReg(ops.m)
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            let a: Int64
            if wide {
                let x = NEONMixedWidth.element(n0, n1, e, 2 * esize)
                a = unsigned ? Int64(bitPattern: x) : NEONMixedWidth.signExtend(x, 2 * esize)
            } else {
                a = NEONMixedWidth.integer(n0, e, esize, unsigned: unsigned)
            }
            let b = NEONMixedWidth.integer(m, e, esize, unsigned: unsigned)
            return UInt64(bitPattern: subtract ? a &- b : a &+ b)
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VADDHN, VRADDHN, VSUBHN, VRSUBHN: Dd = high halves of Qn ± Qm
    /// (U: rounded by adding half of the discarded part).
    private func neonAddSubtractHighHalf(_ raw: UInt32, _ ops: NEONOperands) throws(CPUException) {
        if ops.n & 1 != 0 || ops.m & 1 != 0 { throw .undefined }
        let esize = 8 << ops.size, wide = 2 * esize
        let subtract = raw & (1 << 9) != 0
        let round: UInt64 = ops.u ? 1 << UInt64(esize - 1) : 0
        let n0 = dReg(ops.n), n1 = dReg(ops.n + 1), m0 = dReg(ops.m), m1 = dReg(ops.m + 1)
        let result = NEONMixedWidth.build64(esize) { e in
            let a = NEONMixedWidth.element(n0, n1, e, wide), b = NEONMixedWidth.element(m0, m1, e, wide)
            // The sum is taken modulo 2^wide: bits above `wide` never reach the result.
            let sum = (subtract ? a &- b : a &+ b) &+ round
            return sum >> UInt64(esize)
        }
        setDReg(ops.d, result)
    }

    /// VABAL (bit 8 = 0: accumulate) and VABDL: Qd (+)= |Dn − Dm|.
    private func neonAbsoluteDifferenceLong(_ raw: UInt32, _ ops: NEONOperands) throws(CPUException) {
        if ops.d & 1 != 0 { throw .undefined }
        let accumulate = raw & (1 << 9) == 0
        let esize = 8 << ops.size, unsigned = ops.u
        let n = dReg(ops.n), m = dReg(ops.m)
        let d0 = accumulate ? dReg(ops.d) : 0, d1 = accumulate ? dReg(ops.d + 1) : 0
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            let a = NEONMixedWidth.integer(n, e, esize, unsigned: unsigned)
            let b = NEONMixedWidth.integer(m, e, esize, unsigned: unsigned)
            let difference = UInt64(a >= b ? a - b : b - a)
            return NEONMixedWidth.element(d0, d1, e, 2 * esize) &+ difference
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VMLAL, VMLSL (integer): Qd ±= Dn × Dm.
    private func neonMultiplyAccumulateLong(_ ops: NEONOperands, subtract: Bool) throws(CPUException) {
        if ops.d & 1 != 0 { throw .undefined }
        let esize = 8 << ops.size, unsigned = ops.u
        let n = dReg(ops.n), m = dReg(ops.m), d0 = dReg(ops.d), d1 = dReg(ops.d + 1)
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            // Wrapping: a 32 × 32-bit unsigned product needs all 64 bits.
            let product = UInt64(bitPattern: NEONMixedWidth.integer(n, e, esize, unsigned: unsigned)
                                 &* NEONMixedWidth.integer(m, e, esize, unsigned: unsigned))
            let acc = NEONMixedWidth.element(d0, d1, e, 2 * esize)
            return subtract ? acc &- product : acc &+ product
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VQDMLAL, VQDMLSL: Qd = SignedSat(Qd ± SignedSat(2 × Dn × Dm)).
    private func neonSaturatingDoublingMultiplyAccumulateLong(_ ops: NEONOperands, subtract: Bool) throws(CPUException) {
        if ops.size == 0 || ops.d & 1 != 0 { throw .undefined }
        let esize = 8 << ops.size, wide = 2 * esize
        let n = dReg(ops.n), m = dReg(ops.m), d0 = dReg(ops.d), d1 = dReg(ops.d + 1)
        let (lo, hi) = NEONMixedWidth.build128(wide) { e in
            let product = neonWideSaturatingDoubledProduct(NEONLane.getSigned(n, e, esize),
                                                       NEONLane.getSigned(m, e, esize), wide: wide)
            let acc = NEONMixedWidth.element(d0, d1, e, wide)
            let accValue = NEONMixedWidth.signExtend(acc, wide)
            // -Int64.max is representable, so negating a saturated product is safe.
            return UInt64(bitPattern: neonWideSaturatingAdd(accValue, subtract ? -product : product, bits: wide))
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VMULL (integer): Qd = Dn × Dm.
    private func neonMultiplyLong(_ ops: NEONOperands) throws(CPUException) {
        if ops.d & 1 != 0 { throw .undefined }
        let esize = 8 << ops.size, unsigned = ops.u
        let n = dReg(ops.n), m = dReg(ops.m)
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            UInt64(bitPattern: NEONMixedWidth.integer(n, e, esize, unsigned: unsigned)
                   &* NEONMixedWidth.integer(m, e, esize, unsigned: unsigned))
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VMULL.P8: carry-less products of bytes into 16-bit lanes (only U = 0,
    /// size = 0 exist in ARMv7; VMULL.P64 is ARMv8).
    private func neonPolynomialMultiplyLong(_ ops: NEONOperands) throws(CPUException) {
        if ops.u || ops.size != 0 || ops.d & 1 != 0 { throw .undefined }
        let n = dReg(ops.n), m = dReg(ops.m)
        let (lo, hi) = NEONMixedWidth.build128(16) { e in
            polynomialMultiply(NEONLane.get(n, e, 8), NEONLane.get(m, e, 8), bits: 8)
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VQDMULL: Qd = SignedSat(2 × Dn × Dm).
    private func neonSaturatingDoublingMultiplyLong(_ ops: NEONOperands) throws(CPUException) {
        if ops.size == 0 || ops.d & 1 != 0 { throw .undefined }
        let esize = 8 << ops.size
        let n = dReg(ops.n), m = dReg(ops.m)
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            UInt64(bitPattern: neonWideSaturatingDoubledProduct(NEONLane.getSigned(n, e, esize),
                                                            NEONLane.getSigned(m, e, esize), wide: 2 * esize))
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }
}

/// PolynomialMult: the carry-less product of two `bits`-bit polynomials over GF(2).
@inline(__always) private func polynomialMultiply(_ a: UInt64, _ b: UInt64, bits: Int) -> UInt64 {
    var result: UInt64 = 0
    for i in 0..<bits where (b >> UInt64(i)) & 1 != 0 { result ^= a << UInt64(i) }
    return result
}
