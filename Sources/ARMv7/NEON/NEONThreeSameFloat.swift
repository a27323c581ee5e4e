/// The single-precision forms of A7.4.1 (A = 11xx): arithmetic, fused and
/// chained multiply-accumulate, comparisons, max/min and the Newton-Raphson
/// steps, all with the Advanced SIMD standard FPSCR value. Bit 20 (sz) must
/// be 0; bit 21 (op) selects between the two operations of an encoding.
extension Core {
    /// A = 1100 to 1111 of table A7-9.
    func threeSameFloat(_ raw: UInt32, _ o: NEONOperands) throws(CPUException) {
        if o.size & 1 != 0 { throw .undefined }
        let op = o.size >> 1 != 0
        let b = raw & (1 << 4) != 0
        switch ((raw >> 8) & 0xF, o.u, b) {
        case (0xC, false, true):                                   // VFMA, VFMS
            threeSameFloatLanes(o) { fp, n, m, d in
                fp.mulAdd(d, op ? n ^ FPFormat.single.signBit : n, m, .single)
            }
        case (0xD, false, false):                                  // VADD, VSUB
            threeSameFloatLanes(o) { fp, n, m, _ in op ? fp.sub(n, m, .single) : fp.add(n, m, .single) }
        case (0xD, true, false):
            if op {                                                // VABD
                threeSameFloatLanes(o) { fp, n, m, _ in fp.sub(n, m, .single) & 0x7FFF_FFFF }
            } else {                                               // VPADD
                try threeSameFloatPairwise(o) { fp, x, y in fp.add(x, y, .single) }
            }
        case (0xD, false, true):                                   // VMLA, VMLS: two roundings
            threeSameFloatLanes(o) { fp, n, m, d in
                let product = fp.mul(n, m, .single)
                return op ? fp.sub(d, product, .single) : fp.add(d, product, .single)
            }
        case (0xD, true, true) where !op:                          // VMUL
            threeSameFloatLanes(o) { fp, n, m, _ in fp.mul(n, m, .single) }
        case (0xE, false, false) where !op:                        // VCEQ
            threeSameFloatLanes(o) { fp, n, m, _ in fp.threeSameCompare(n, m, .equal) }
        case (0xE, true, false):                                   // VCGE, VCGT
            threeSameFloatLanes(o) { fp, n, m, _ in
                fp.threeSameCompare(n, m, op ? .greater : .greaterOrEqual)
            }
        case (0xE, true, true):                                    // VACGE, VACGT
            threeSameFloatLanes(o) { fp, n, m, _ in
                fp.threeSameCompare(n & 0x7FFF_FFFF, m & 0x7FFF_FFFF, op ? .greater : .greaterOrEqual)
            }
        case (0xF, false, false):                                  // VMAX, VMIN
            threeSameFloatLanes(o) { fp, n, m, _ in fp.threeSameMaxMin(n, m, max: !op) }
        case (0xF, true, false):                                   // VPMAX, VPMIN
            try threeSameFloatPairwise(o) { fp, x, y in fp.threeSameMaxMin(x, y, max: !op) }
        case (0xF, false, true):                                   // VRECPS, VRSQRTS
            threeSameFloatLanes(o) { fp, n, m, _ in
                op ? fp.threeSameRSqrtStep(n, m) : fp.threeSameRecipStep(n, m)
            }
        default:
            throw .undefined
        }
    }

    /// Writes Vd with `op(n, m, d)` of each 32-bit lane under the standard FPSCR.
    @inline(__always)
    func threeSameFloatLanes(_ o: NEONOperands, _ op: (inout VFPArith, UInt64, UInt64, UInt64) -> UInt64) {
        neonStandardFP { fp in
            for r in 0..<o.regs {
                let n = dReg(o.n + r), m = dReg(o.m + r), d = dReg(o.d + r)
                let low = op(&fp, n & 0xFFFF_FFFF, m & 0xFFFF_FFFF, d & 0xFFFF_FFFF)
                let high = op(&fp, n >> 32, m >> 32, d >> 32)
                setDReg(o.d + r, high << 32 | low & 0xFFFF_FFFF)
            }
        }
    }

    /// VPADD, VPMAX, VPMIN (float, D registers only): Vd = op of Vn's two
    /// lanes, op of Vm's two lanes.
    @inline(__always)
    func threeSameFloatPairwise(_ o: NEONOperands, _ op: (inout VFPArith, UInt64, UInt64) -> UInt64) throws(CPUException) {
        if o.q { throw .undefined }
        let n = dReg(o.n), m = dReg(o.m)
        let result: UInt64 = neonStandardFP { fp in
            let low = op(&fp, n & 0xFFFF_FFFF, n >> 32)
            let high = op(&fp, m & 0xFFFF_FFFF, m >> 32)
            return high << 32 | low & 0xFFFF_FFFF
        }
        setDReg(o.d, result)
    }
}

/// The comparisons of VCEQ, VCGE, VCGT (and, on absolute values, VACGE, VACGT).
enum ThreeSameFPCondition { case equal, greaterOrEqual, greater }

extension VFPArith {
    /// FPCompareEQ/GE/GT on singles: all ones when true. A NaN compares
    /// false; it raises Invalid Operation for GE and GT, and for EQ only
    /// when signalling.
    @inline(__always)
    mutating func threeSameCompare(_ a: UInt64, _ b: UInt64, _ condition: ThreeSameFPCondition) -> UInt64 {
        let x = unpack(a, .single), y = unpack(b, .single)
        // Pattern matching rather than ==: no Equatable witness call per lane
        // when this file is compiled apart from FPKind's.
        switch (x.kind, y.kind) {
        case (.signallingNaN, _), (_, .signallingNaN):
            raise(FPSCRBit.ioc)
            return 0
        case (.quietNaN, _), (_, .quietNaN):
            if condition != .equal { raise(FPSCRBit.ioc) }
            return 0
        default:
            break
        }
        let kx = orderKey(a, x, .single), ky = orderKey(b, y, .single)
        let result: Bool
        switch condition {
        case .equal: result = kx == ky
        case .greaterOrEqual: result = kx >= ky
        case .greater: result = kx > ky
        }
        return result ? 0xFFFF_FFFF : 0
    }

    /// FPMax / FPMin (ARMv7): NaNs propagate as in arithmetic; a zero result
    /// takes the sign most positive (max) or most negative (min) of the two
    /// operands' signs, so max(-0, +0) = +0 and min(-0, +0) = -0.
    @inline(__always)
    mutating func threeSameMaxMin(_ a: UInt64, _ b: UInt64, max: Bool) -> UInt64 {
        let fmt = FPFormat.single
        let x = unpack(a, fmt), y = unpack(b, fmt)
        if let nan = processNaNs(a, x, b, y, fmt) { return nan }
        let kx = orderKey(a, x, fmt), ky = orderKey(b, y, fmt)
        let first = max ? kx > ky : kx < ky
        if case .zero = (first ? x : y).kind {
            return fmt.zero(max ? x.sign && y.sign : x.sign || y.sign)
        }
        return first ? a : b        // infinity or a normal number: exact
    }

    /// FPRecipStep (VRECPS): 2 - a × b with the product rounded first;
    /// infinity × zero counts as a zero product (result 2.0).
    @inline(__always)
    mutating func threeSameRecipStep(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let two: UInt64 = 0x4000_0000
        if threeSameInfinityTimesZero(a, b) { return two }
        return sub(two, mul(a, b, .single), .single)
    }

    /// FPRSqrtStep (VRSQRTS): (3 - a × b) / 2 with the product and the
    /// difference rounded; infinity × zero counts as a zero product (1.5).
    @inline(__always)
    mutating func threeSameRSqrtStep(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let three: UInt64 = 0x4040_0000, two: UInt64 = 0x4000_0000
        if threeSameInfinityTimesZero(a, b) { return 0x3FC0_0000 }
        return div(sub(three, mul(a, b, .single), .single), two, .single)
    }

    /// One operand infinite and the other zero (a flushed denormal counts,
    /// and raises Input Denormal).
    @inline(__always)
    mutating func threeSameInfinityTimesZero(_ a: UInt64, _ b: UInt64) -> Bool {
        switch (unpack(a, .single).kind, unpack(b, .single).kind) {
        case (.infinity, .zero), (.zero, .infinity): return true
        default: return false
        }
    }
}
