/// Advanced SIMD two registers, miscellaneous (ARM ARM DDI 0406C A7.4.5):
/// the decoder, and the element-wise integer and floating-point operations.
/// Here size is bits 19:18; A is bits 17:16, B bits 10:6 (B<0> is Q).
extension Core {
    /// A7.4.5: decodes A and B.
    func neonTwoRegistersMiscellaneous(_ raw: UInt32) throws(CPUException) {
        let ops = NEONOperands(raw)
        let size = Int((raw >> 18) & 3)
        let b = (raw >> 6) & 0x1F
        switch (raw >> 16) & 3 {
        case 0b00:
            switch b >> 1 {
            case 0b0000, 0b0001, 0b0010: try neonReverse(ops, size: size, op: Int(b >> 1))
            case 0b0100, 0b0101: try neonPairwiseAddLong(ops, size: size, unsigned: b & 2 != 0, accumulate: false)
            case 0b1100, 0b1101: try neonPairwiseAddLong(ops, size: size, unsigned: b & 2 != 0, accumulate: true)
            case 0b1000, 0b1001, 0b1010, 0b1011, 0b1110, 0b1111:
                try neonIntegerUnary(ops, size: size, op: b >> 1)
            default: throw .undefined
            }
        case 0b01:
            let op = (b >> 1) & 7
            if op == 0b101 { throw .undefined }
            if b & 0x10 != 0 {
                try neonFloatUnary(ops, size: size, op: op)
            } else {
                try neonIntegerCompareOrSign(ops, size: size, op: op)
            }
        case 0b10:
            switch b {
            case 0b00000, 0b00001: try neonSwap(ops, size: size)
            case 0b00010, 0b00011: try neonTranspose(ops, size: size)
            case 0b00100, 0b00101: try neonUnzip(ops, size: size)
            case 0b00110, 0b00111: try neonZip(ops, size: size)
            case 0b01000, 0b01001, 0b01010, 0b01011: try neonMoveNarrow(ops, size: size, op: b & 3)
            case 0b01100: try neonShiftLeftLongMaximum(ops, size: size)
            case 0b11000, 0b11100: try neonConvertHalfPrecision(ops, size: size, toSingle: b & 0b00100 != 0)
            default: throw .undefined
            }
        default:
            switch b >> 1 {
            case 0b1000, 0b1010: try neonReciprocalEstimate(ops, size: size, float: b & 0b00100 != 0)
            case 0b1001, 0b1011: try neonReciprocalSquareRootEstimate(ops, size: size, float: b & 0b00100 != 0)
            case 0b1100, 0b1101, 0b1110, 0b1111:
                try neonConvertFloatInteger(ops, size: size, toInteger: b & 0b00100 != 0, unsigned: b & 0b00010 != 0)
            default: throw .undefined
            }
        }
    }

    /// Applies `f` to every `esize`-bit element of Dm (Qm), into Dd (Qd).
    /// Reads each source register before writing its destination register;
    /// with Q, Dd+1 ≠ Dm when Dd ≠ Dm, as both are even.
    @inline(__always) func neonMiscMapElements(_ ops: NEONOperands, esize: Int, _ f: (UInt64) -> UInt64) {
        for r in 0..<ops.regs {
            let m = dReg(ops.m + r)
            var result: UInt64 = 0
            for e in 0..<(64 / esize) { result = NEONLane.set(result, e, esize, f(NEONLane.get(m, e, esize))) }
            setDReg(ops.d + r, result)
        }
    }

    /// VCLS, VCLZ, VCNT, VMVN, VQABS, VQNEG (B<4:1> = `op`).
    private func neonIntegerUnary(_ ops: NEONOperands, size: Int, op: UInt32) throws(CPUException) {
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size
        switch op {
        case 0b1000:  // VCLS: leading bits equal to the sign bit, not counting it
            if size == 3 { throw .undefined }
            neonMiscMapElements(ops, esize: esize) { x in
                let v = NEONMixedWidth.signExtend(x, esize)
                return UInt64((v ^ (v >> 63)).leadingZeroBitCount - (64 - esize) - 1)
            }
        case 0b1001:  // VCLZ
            if size == 3 { throw .undefined }
            neonMiscMapElements(ops, esize: esize) { x in UInt64(x.leadingZeroBitCount - (64 - esize)) }
        case 0b1010:  // VCNT
            if size != 0 { throw .undefined }
            neonMiscMapElements(ops, esize: 8) { x in UInt64(x.nonzeroBitCount) }
        case 0b1011:  // VMVN (register)
            if size != 0 { throw .undefined }
            for r in 0..<ops.regs { setDReg(ops.d + r, ~dReg(ops.m + r)) }
        case 0b1110:  // VQABS
            if size == 3 { throw .undefined }
            neonMiscMapElements(ops, esize: esize) { x in
                let v = NEONMixedWidth.signExtend(x, esize)
                return neonSaturateSigned(v < 0 ? -v : v, esize)
            }
        default:      // VQNEG
            if size == 3 { throw .undefined }
            neonMiscMapElements(ops, esize: esize) { x in neonSaturateSigned(-NEONMixedWidth.signExtend(x, esize), esize) }
        }
    }

    /// VCGT, VCGE, VCEQ, VCLE, VCLT #0, VABS, VNEG on signed integers
    /// (B<3:1> = `op`; B<4> = F = 0).
    private func neonIntegerCompareOrSign(_ ops: NEONOperands, size: Int, op: UInt32) throws(CPUException) {
        if size == 3 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size
        let ones: UInt64 = ~0
        switch op {
        case 0b000: neonMiscMapElements(ops, esize: esize) { x in NEONMixedWidth.signExtend(x, esize) > 0 ? ones : 0 }
        case 0b001: neonMiscMapElements(ops, esize: esize) { x in NEONMixedWidth.signExtend(x, esize) >= 0 ? ones : 0 }
        case 0b010: neonMiscMapElements(ops, esize: esize) { x in x == 0 ? ones : 0 }
        case 0b011: neonMiscMapElements(ops, esize: esize) { x in NEONMixedWidth.signExtend(x, esize) <= 0 ? ones : 0 }
        case 0b100: neonMiscMapElements(ops, esize: esize) { x in NEONMixedWidth.signExtend(x, esize) < 0 ? ones : 0 }
        case 0b110:   // VABS: the most negative value stays itself (modulo 2^esize)
            neonMiscMapElements(ops, esize: esize) { x in
                let v = NEONMixedWidth.signExtend(x, esize)
                return UInt64(bitPattern: v < 0 ? -v : v)
            }
        default:      // VNEG
            neonMiscMapElements(ops, esize: esize) { x in 0 &- x }
        }
    }

    /// The floating-point forms (F = 1, size 2 only): comparisons with zero
    /// under the standard FPSCR value (GT/GE/LE/LT signal on every NaN, EQ
    /// only on signalling ones; denormals compare as zero), and VABS/VNEG,
    /// which only change the sign bit.
    private func neonFloatUnary(_ ops: NEONOperands, size: Int, op: UInt32) throws(CPUException) {
        if size != 2 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let sign = FPFormat.single.signBit
        switch op {
        case 0b110: neonMiscMapElements(ops, esize: 32) { x in x & ~sign }
        case 0b111: neonMiscMapElements(ops, esize: 32) { x in x ^ sign }
        default:
            let ones: UInt64 = 0xFFFF_FFFF
            for r in 0..<ops.regs {
                let m = dReg(ops.m + r)
                let result = neonStandardFP { (fp: inout VFPArith) -> UInt64 in
                    var v: UInt64 = 0
                    for e in 0..<2 {
                        // NZCV: 0110 equal, 1000 less than zero, 0010 greater, 0011 unordered.
                        let nzcv = fp.compare(NEONLane.get(m, e, 32), 0, .single, quietNaNsSignal: op != 0b010) >> 28
                        let holds: Bool
                        switch op {
                        case 0b000: holds = nzcv == 0b0010                    // > 0
                        case 0b001: holds = nzcv == 0b0010 || nzcv == 0b0110  // >= 0
                        case 0b010: holds = nzcv == 0b0110                    // == 0
                        case 0b011: holds = nzcv == 0b1000 || nzcv == 0b0110  // <= 0
                        default: holds = nzcv == 0b1000                       // < 0
                        }
                        if holds { v |= ones << UInt64(32 * e) }
                    }
                    return v
                }
                setDReg(ops.d + r, result)
            }
        }
    }

    /// VPADDL, VPADAL: adjacent pairs of `esize`-bit elements summed into
    /// 2 × esize-bit elements (and added to Dd's).
    private func neonPairwiseAddLong(_ ops: NEONOperands, size: Int, unsigned: Bool, accumulate: Bool) throws(CPUException) {
        if size == 3 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size, wide = 2 * esize
        for r in 0..<ops.regs {
            let m = dReg(ops.m + r), d = dReg(ops.d + r)
            let result = NEONMixedWidth.build64(wide) { e in
                let sum = NEONMixedWidth.integer(m, 2 * e, esize, unsigned: unsigned)
                        + NEONMixedWidth.integer(m, 2 * e + 1, esize, unsigned: unsigned)
                return UInt64(bitPattern: sum) &+ (accumulate ? NEONLane.get(d, e, wide) : 0)
            }
            setDReg(ops.d + r, result)
        }
    }

    /// VMOVN (op 0), VQMOVUN (1), VQMOVN.S (2), VQMOVN.U (3): Dd = the
    /// elements of Qm narrowed to half their width (saturating but VMOVN).
    private func neonMoveNarrow(_ ops: NEONOperands, size: Int, op: UInt32) throws(CPUException) {
        if size == 3 || ops.m & 1 != 0 { throw .undefined }
        let esize = 8 << size, wide = 2 * esize
        let m0 = dReg(ops.m), m1 = dReg(ops.m + 1)
        let result = NEONMixedWidth.build64(esize) { e in
            let x = NEONMixedWidth.element(m0, m1, e, wide)
            switch op {
            case 0: return x
            case 1: return neonSaturateUnsigned(NEONMixedWidth.signExtend(x, wide), esize)
            case 2: return neonSaturateSigned(NEONMixedWidth.signExtend(x, wide), esize)
            default:
                // Unsigned source: x < 2^wide <= 2^64; saturate without the signed helper.
                let max: UInt64 = (1 << UInt64(esize)) - 1
                if x > max { neonSetQC(); return max }
                return x
            }
        }
        setDReg(ops.d, result)
    }

    /// VSHLL with the maximum shift (A2): Qd = Dm's elements shifted left by
    /// their width into double-width elements.
    private func neonShiftLeftLongMaximum(_ ops: NEONOperands, size: Int) throws(CPUException) {
        if size == 3 || ops.d & 1 != 0 { throw .undefined }
        let esize = 8 << size
        let m = dReg(ops.m)
        let (lo, hi) = NEONMixedWidth.build128(2 * esize) { e in NEONLane.get(m, e, esize) << UInt64(esize) }
        setDReg(ops.d, lo)
        setDReg(ops.d + 1, hi)
    }
}
