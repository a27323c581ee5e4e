/// Advanced SIMD data-processing instructions with two registers and a
/// scalar (ARM ARM DDI 0406C A7.4.3): the second operand is one element of
/// D0–D7 (16-bit: Vm<2:0>, index M:Vm<3>) or D0–D15 (32-bit: Vm, index M).
/// For the same-length forms bit 24 is Q, not U.
extension Core {
    /// A7.4.3: decodes A (bits 11:8) and U (bit 24).
    func neonTwoRegistersScalar(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        let a = (raw >> 8) & 0xF
        switch a {
        case 0b0000, 0b0100:
            try neonIntegerMultiplyByScalar(raw, ops, accumulate: a == 0 ? 1 : -1)
        case 0b0001, 0b0101:
            try neonFloatMultiplyByScalar(raw, ops, accumulate: a == 1 ? 1 : -1)
        case 0b1000:
            try neonIntegerMultiplyByScalar(raw, ops, accumulate: 0)
        case 0b1001:
            try neonFloatMultiplyByScalar(raw, ops, accumulate: 0)
        case 0b0010, 0b0110, 0b1010:
            try neonMultiplyLongByScalar(ops, accumulate: a == 0b1010 ? 0 : a == 0b0010 ? 1 : -1)
        case 0b0011 where !ops.u, 0b0111 where !ops.u, 0b1011 where !ops.u:
            try neonSaturatingDoublingMultiplyLongByScalar(ops, accumulate: a == 0b1011 ? 0 : a == 0b0011 ? 1 : -1)
        case 0b1100, 0b1101:
            try neonSaturatingDoublingMultiplyHighByScalar(raw, ops, rounding: a == 0b1101)
        default:
            throw .undefined
        }
    }

    /// The scalar operand: (D register, element index) for 16- or 32-bit
    /// elements; 8-bit elements (size 0) are UNDEFINED for every instruction
    /// of the group.
    @inline(__always) private func neonScalar(_ ops: NEONOperands) throws(CPUException) -> UInt64 {
        switch ops.size {
        case 1: return NEONLane.get(dReg(ops.m & 7), ops.m >> 3, 16)
        case 2: return NEONLane.get(dReg(ops.m & 15), ops.m >> 4, 32)
        default: throw .undefined
        }
    }

    /// Q (bit 24) of the same-length forms; Vd and Vn must then be even.
    @inline(__always) private func neonScalarRegisterCount(_ raw: UInt32, _ ops: NEONOperands) throws(CPUException) -> Int {
        guard raw & (1 << 24) != 0 else { return 1 }
        if ops.d & 1 != 0 || ops.n & 1 != 0 { throw .undefined }
        return 2
    }

    /// VMUL (accumulate 0), VMLA (+1), VMLS (−1) by scalar, integer:
    /// Dd[e] = (Dd[e] ±) Dn[e] × scalar, modulo 2^esize.
    private func neonIntegerMultiplyByScalar(_ raw: UInt32, _ ops: NEONOperands, accumulate: Int) throws(CPUException) {
        if ops.size == 3 || ops.size == 0 { throw .undefined }
        let regs = try neonScalarRegisterCount(raw, ops)
        let scalar = try neonScalar(ops)
        let esize = 8 << ops.size
        for r in 0..<regs {
            let n = dReg(ops.n + r), d = dReg(ops.d + r)
            var result: UInt64 = 0
            for e in 0..<(64 / esize) {
                let product = NEONLane.get(n, e, esize) &* scalar
                let acc = NEONLane.get(d, e, esize)
                let value = accumulate == 0 ? product : accumulate > 0 ? acc &+ product : acc &- product
                result = NEONLane.set(result, e, esize, value)
            }
            setDReg(ops.d + r, result)
        }
    }

    /// VMUL (accumulate 0), VMLA (+1), VMLS (−1) by scalar, single precision
    /// (bit 8 = F, size 2 only): the product is rounded before it is added
    /// (not fused), with the standard FPSCR value.
    private func neonFloatMultiplyByScalar(_ raw: UInt32, _ ops: NEONOperands, accumulate: Int) throws(CPUException) {
        if ops.size != 2 { throw .undefined }
        let regs = try neonScalarRegisterCount(raw, ops)
        let scalar = try neonScalar(ops)
        for r in 0..<regs {
            let n = dReg(ops.n + r), d = dReg(ops.d + r)
            let result = neonStandardFP { (fp: inout VFPArith) -> UInt64 in
                var v: UInt64 = 0
                for e in 0..<2 {
                    var product = fp.mul(NEONLane.get(n, e, 32), scalar, .single)
                    if accumulate != 0 {
                        if accumulate < 0 { product ^= FPFormat.single.signBit }   // FPNeg
                        product = fp.add(NEONLane.get(d, e, 32), product, .single)
                    }
                    v = NEONLane.set(v, e, 32, product)
                }
                return v
            }
            setDReg(ops.d + r, result)
        }
    }

    /// VMULL (accumulate 0), VMLAL (+1), VMLSL (−1) by scalar:
    /// Qd = (Qd ±) Dn × scalar, signed or unsigned (U).
    private func neonMultiplyLongByScalar(_ ops: NEONOperands, accumulate: Int) throws(CPUException) {
        if ops.size == 3 || ops.d & 1 != 0 { throw .undefined }
        let scalar = try neonScalar(ops)
        let esize = 8 << ops.size, unsigned = ops.u
        let b = unsigned ? Int64(bitPattern: scalar) : NEONMixedWidth.signExtend(scalar, esize)
        let n = dReg(ops.n)
        let d0 = accumulate != 0 ? dReg(ops.d) : 0, d1 = accumulate != 0 ? dReg(ops.d + 1) : 0
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in
            let product = UInt64(bitPattern: NEONMixedWidth.integer(n, e, esize, unsigned: unsigned) &* b)
            let acc = NEONMixedWidth.element(d0, d1, e, 2 * esize)
            return accumulate >= 0 ? acc &+ product : acc &- product
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VQDMULL (accumulate 0), VQDMLAL (+1), VQDMLSL (−1) by scalar:
    /// Qd = SignedSat((Qd ±) SignedSat(2 × Dn × scalar)).
    private func neonSaturatingDoublingMultiplyLongByScalar(_ ops: NEONOperands, accumulate: Int) throws(CPUException) {
        if ops.size == 3 || ops.d & 1 != 0 { throw .undefined }
        let scalar = try neonScalar(ops)
        let esize = 8 << ops.size, wide = 2 * esize
        let b = NEONMixedWidth.signExtend(scalar, esize)
        let n = dReg(ops.n)
        let d0 = accumulate != 0 ? dReg(ops.d) : 0, d1 = accumulate != 0 ? dReg(ops.d + 1) : 0
        let (lo, hi) = NEONMixedWidth.build128(wide) { e in
            let product = neonWideSaturatingDoubledProduct(NEONLane.getSigned(n, e, esize), b, wide: wide)
            if accumulate == 0 { return UInt64(bitPattern: product) }
            let acc = NEONMixedWidth.signExtend(NEONMixedWidth.element(d0, d1, e, wide), wide)
            return UInt64(bitPattern: neonWideSaturatingAdd(acc, accumulate > 0 ? product : -product, bits: wide))
        }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }

    /// VQDMULH, VQRDMULH by scalar: Dd[e] = SignedSat((2 × Dn[e] × scalar
    /// (+ 2^(esize−1))) >> esize).
    private func neonSaturatingDoublingMultiplyHighByScalar(_ raw: UInt32, _ ops: NEONOperands, rounding: Bool) throws(CPUException) {
        if ops.size == 3 || ops.size == 0 { throw .undefined }
        let regs = try neonScalarRegisterCount(raw, ops)
        let scalar = try neonScalar(ops)
        let esize = 8 << ops.size
        let b = NEONMixedWidth.signExtend(scalar, esize)
        // (2ab + 2^(esize-1)) >> esize == (ab + 2^(esize-2)) >> (esize-1), without overflow.
        let round: Int64 = rounding ? 1 << Int64(esize - 2) : 0
        for r in 0..<regs {
            let n = dReg(ops.n + r)
            var result: UInt64 = 0
            for e in 0..<(64 / esize) {
                let high = (NEONLane.getSigned(n, e, esize) * b + round) >> Int64(esize - 1)
                result = NEONLane.set(result, e, esize, neonSaturateSigned(high, esize))
            }
            setDReg(ops.d + r, result)
        }
    }
}
