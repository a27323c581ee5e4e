/// Advanced SIMD data processing, three registers of the same length
/// (ARM ARM DDI 0406C A7.4.1): decode of table A7-9 and the integer and
/// bitwise operations. Floating-point forms are in NEONThreeSameFloat.swift,
/// the shifts by a register in NEONThreeSameShift.swift.
extension Core {
    /// Three registers of the same length: `raw` is 1111001U 0Dxx nnnn dddd AAAA NQMB mmmm.
    func neonThreeRegistersSameLength(_ raw: UInt32) throws(CPUException) {
        let o = NEONOperands(raw)
        // Q operations need even register numbers (a plain test: no variadic array).
        try o.checkQ(o.d, o.n, o.m)
        let b = raw & (1 << 4) != 0
        switch (raw >> 8) & 0xF {                 // A; then B, U, C as in table A7-9
        case 0x0:                                   // VQADD, VHADD
            try b ? threeSameSaturatingAdd(o, subtract: false) : threeSameHalving(o, op: .add)
        case 0x1:                                   // VAND...VBIF, VRHADD
            if b { threeSameBitwise(o) } else { try threeSameHalving(o, op: .roundingAdd) }
        case 0x2:                                   // VQSUB, VHSUB
            try b ? threeSameSaturatingAdd(o, subtract: true) : threeSameHalving(o, op: .subtract)
        case 0x3: try threeSameCompare(o, orEqual: b)                   // VCGE, VCGT
        case 0x4:                                   // VQSHL, VSHL (register)
            b ? threeSameSaturatingShift(o, rounding: false) : threeSameShift(o, rounding: false)
        case 0x5:                                   // VQRSHL, VRSHL
            b ? threeSameSaturatingShift(o, rounding: true) : threeSameShift(o, rounding: true)
        case 0x6: try threeSameMaxMin(o, max: !b)                       // VMIN, VMAX
        case 0x7: try threeSameAbsoluteDifference(o, accumulate: b)     // VABA, VABD
        case 0x8:                                   // VTST, VCEQ; VADD, VSUB
            if b { try threeSameTest(o, equal: o.u) } else { threeSameAddSub(o, subtract: o.u) }
        case 0x9:                                   // VMUL; VMLA, VMLS
            try b ? threeSameMultiply(o, polynomial: o.u) : threeSameMultiplyAccumulate(o, subtract: o.u)
        case 0xA: try threeSamePairwise(o, op: b ? .min : .max)         // VPMIN, VPMAX
        case 0xB:
            if !b {
                try threeSameDoublingMultiplyHigh(o, rounding: o.u)     // VQDMULH, VQRDMULH
            } else if !o.u {
                try threeSamePairwise(o, op: .add)                      // VPADD
            } else {
                throw .undefined
            }
        default:
            try threeSameFloat(raw, o)              // A = 11xx: single precision
        }
    }

    // MARK: Lane iteration

    /// Writes Vd with `op(n, m, d)` of each lane (zero-extended lane values;
    /// the low `esize` bits of the result are kept). Each D register is read
    /// before it is written, which is all overlapping Q operands need.
    @inline(__always)
    func threeSameLanes(_ o: NEONOperands, esize: Int, _ op: (UInt64, UInt64, UInt64) -> UInt64) {
        let lanes = 64 / esize
        for r in 0..<o.regs {
            let a = dReg(o.n + r), b = dReg(o.m + r), old = dReg(o.d + r)
            var result: UInt64 = 0
            for i in 0..<lanes {
                let x = op(NEONLane.get(a, i, esize), NEONLane.get(b, i, esize), NEONLane.get(old, i, esize))
                result = NEONLane.set(result, i, esize, x)
            }
            setDReg(o.d + r, result)
        }
    }

    /// As `threeSameLanes` with sign-extended lane values.
    @inline(__always)
    func threeSameSignedLanes(_ o: NEONOperands, esize: Int, _ op: (Int64, Int64, Int64) -> Int64) {
        threeSameLanes(o, esize: esize) { a, b, d in
            UInt64(bitPattern: op(threeSameSignExtend(a, esize), threeSameSignExtend(b, esize),
                                  threeSameSignExtend(d, esize)))
        }
    }

    /// Element size in bits of an operation that has no 64-bit form (size 11 UNDEFINED).
    @inline(__always)
    func threeSameElementSizeBelow64(_ o: NEONOperands) throws(CPUException) -> Int {
        if o.size == 3 { throw .undefined }
        return 8 << o.size
    }

    // MARK: Arithmetic

    enum ThreeSameHalvingOp { case add, roundingAdd, subtract }

    /// VHADD, VRHADD, VHSUB: the exact sum or difference (plus 1 for VRHADD) halved.
    func threeSameHalving(_ o: NEONOperands, op: ThreeSameHalvingOp) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if o.u {
            threeSameLanes(o, esize: esize) { a, b, _ in
                switch op {
                case .add: return (a &+ b) >> 1
                case .roundingAdd: return (a &+ b &+ 1) >> 1
                case .subtract: return UInt64(bitPattern: (Int64(bitPattern: a) &- Int64(bitPattern: b)) >> 1)
                }
            }
        } else {
            threeSameSignedLanes(o, esize: esize) { a, b, _ in
                switch op {
                case .add: return (a &+ b) >> 1
                case .roundingAdd: return (a &+ b &+ 1) >> 1
                case .subtract: return (a &- b) >> 1
                }
            }
        }
    }

    /// VQADD, VQSUB: saturating, all four sizes (QC on saturation).
    func threeSameSaturatingAdd(_ o: NEONOperands, subtract: Bool) throws(CPUException) {
        let esize = 8 << o.size
        if esize == 64 {
            threeSameLanes(o, esize: 64) { a, b, _ in
                if o.u {
                    let (r, overflow) = subtract ? a.subtractingReportingOverflow(b) : a.addingReportingOverflow(b)
                    if !overflow { return r }
                    neonSetQC()
                    return subtract ? 0 : .max
                }
                let x = Int64(bitPattern: a), y = Int64(bitPattern: b)
                let (r, overflow) = subtract ? x.subtractingReportingOverflow(y) : x.addingReportingOverflow(y)
                if !overflow { return UInt64(bitPattern: r) }
                neonSetQC()
                return UInt64(bitPattern: x < 0 ? Int64.min : Int64.max)
            }
        } else if o.u {
            threeSameLanes(o, esize: esize) { a, b, _ in
                let x = Int64(a), y = Int64(b)
                return neonSaturateUnsigned(subtract ? x - y : x + y, esize)
            }
        } else {
            threeSameSignedLanes(o, esize: esize) { a, b, _ in
                Int64(bitPattern: neonSaturateSigned(subtract ? a - b : a + b, esize))
            }
        }
    }

    /// VADD, VSUB (integer): lanes wrap; done on whole words, the carries
    /// kept inside each lane by masking the lanes' top bits.
    func threeSameAddSub(_ o: NEONOperands, subtract: Bool) {
        let esize = 8 << o.size
        let top: UInt64 = esize == 64 ? 0 : 0x8000_0000_0000_0000 >> UInt64(64 - esize) &* threeSameLaneOnes(esize)
        for r in 0..<o.regs {
            let a = dReg(o.n + r), b = dReg(o.m + r)
            let result: UInt64
            if subtract {
                // Borrow-free: set each lane's top bit in a, clear it in b.
                result = ((a | top) &- (b & ~top)) ^ ((a ^ ~b) & top)
            } else {
                result = ((a & ~top) &+ (b & ~top)) ^ ((a ^ b) & top)
            }
            setDReg(o.d + r, result)
        }
    }

    /// VABD, VABA: |n - m| (exact, then truncated), accumulated into Vd for VABA.
    func threeSameAbsoluteDifference(_ o: NEONOperands, accumulate: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if o.u {
            threeSameLanes(o, esize: esize) { a, b, d in
                let diff = a > b ? a - b : b - a
                return accumulate ? d &+ diff : diff
            }
        } else {
            threeSameSignedLanes(o, esize: esize) { a, b, d in
                let diff = a > b ? a - b : b - a
                return accumulate ? d &+ diff : diff
            }
        }
    }

    /// VMAX, VMIN (integer).
    func threeSameMaxMin(_ o: NEONOperands, max: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if o.u {
            threeSameLanes(o, esize: esize) { a, b, _ in (a > b) == max ? a : b }
        } else {
            threeSameSignedLanes(o, esize: esize) { a, b, _ in (a > b) == max ? a : b }
        }
    }

    // MARK: Comparisons

    /// VCGT (B = 0), VCGE (B = 1), register forms: all ones where true.
    func threeSameCompare(_ o: NEONOperands, orEqual: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if o.u {
            threeSameLanes(o, esize: esize) { a, b, _ in (orEqual ? a >= b : a > b) ? ~0 : 0 }
        } else {
            threeSameSignedLanes(o, esize: esize) { a, b, _ in (orEqual ? a >= b : a > b) ? -1 : 0 }
        }
    }

    /// VTST (U = 0: n AND m nonzero) and VCEQ (U = 1, integer).
    func threeSameTest(_ o: NEONOperands, equal: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        threeSameLanes(o, esize: esize) { a, b, _ in
            (equal ? a == b : a & b != 0) ? ~0 : 0
        }
    }

    // MARK: Bitwise

    /// VAND, VBIC, VORR (VMOV register), VORN (U = 0) and VEOR, VBSL, VBIT,
    /// VBIF (U = 1), selected by bits 21:20.
    func threeSameBitwise(_ o: NEONOperands) {
        for r in 0..<o.regs {
            let n = dReg(o.n + r), m = dReg(o.m + r), d = dReg(o.d + r)
            let result: UInt64
            switch (o.u, o.size) {
            case (false, 0): result = n & m
            case (false, 1): result = n & ~m
            case (false, 2): result = n | m
            case (false, _): result = n | ~m
            case (true, 0): result = n ^ m
            case (true, 1): result = (n & d) | (m & ~d)     // VBSL: Vd selects
            case (true, 2): result = (n & m) | (d & ~m)     // VBIT: insert where Vm is 1
            case (true, _): result = (n & ~m) | (d & m)     // VBIF: insert where Vm is 0
            }
            setDReg(o.d + r, result)
        }
    }

    // MARK: Multiplication

    /// VMLA, VMLS (integer): Vd ± n × m, wrapping.
    func threeSameMultiplyAccumulate(_ o: NEONOperands, subtract: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        threeSameLanes(o, esize: esize) { a, b, d in
            subtract ? d &- a &* b : d &+ a &* b
        }
    }

    /// VMUL: integer (U = 0, wrapping) or polynomial over GF(2) (U = 1, 8-bit only).
    func threeSameMultiply(_ o: NEONOperands, polynomial: Bool) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if polynomial {
            guard esize == 8 else { throw .undefined }
            threeSameLanes(o, esize: 8) { a, b, _ in threeSamePolynomialMultiply8(a, b) }
        } else {
            threeSameLanes(o, esize: esize) { a, b, _ in a &* b }
        }
    }

    /// VQDMULH, VQRDMULH: the high half of 2 × n × m (rounded for VQRDMULH),
    /// saturated; 16- and 32-bit signed lanes only.
    func threeSameDoublingMultiplyHigh(_ o: NEONOperands, rounding: Bool) throws(CPUException) {
        guard o.size == 1 || o.size == 2 else { throw .undefined }
        let esize = 8 << o.size
        threeSameSignedLanes(o, esize: esize) { a, b, _ in
            // (2ab [+ 2^(esize-1)]) >> esize, without forming 2ab (it
            // overflows 64 bits for -2^31 × -2^31).
            let product = a * b
            let round: Int64 = rounding ? 1 << Int64(esize - 2) : 0
            return Int64(bitPattern: neonSaturateSigned((product + round) >> Int64(esize - 1), esize))
        }
    }

    // MARK: Pairwise

    enum ThreeSamePairwiseOp { case max, min, add }

    /// VPMAX, VPMIN, VPADD (integer, D registers only): adjacent lane pairs
    /// of Vn give the low half of Vd, those of Vm the high half.
    func threeSamePairwise(_ o: NEONOperands, op: ThreeSamePairwiseOp) throws(CPUException) {
        let esize = try threeSameElementSizeBelow64(o)
        if o.q { throw .undefined }
        let signed = !o.u && op != .add
        let half = 32 / esize
        let a = dReg(o.n), b = dReg(o.m)
        var result: UInt64 = 0
        for i in 0..<(64 / esize) {
            let source = i < half ? a : b
            let j = (i % half) * 2
            let x: UInt64, y: UInt64
            if signed {
                x = UInt64(bitPattern: NEONLane.getSigned(source, j, esize))
                y = UInt64(bitPattern: NEONLane.getSigned(source, j + 1, esize))
            } else {
                x = NEONLane.get(source, j, esize)
                y = NEONLane.get(source, j + 1, esize)
            }
            let r: UInt64
            switch op {
            case .add: r = x &+ y
            case .max: r = (signed ? Int64(bitPattern: x) > Int64(bitPattern: y) : x > y) ? x : y
            case .min: r = (signed ? Int64(bitPattern: x) < Int64(bitPattern: y) : x < y) ? x : y
            }
            result = NEONLane.set(result, i, esize, r)
        }
        setDReg(o.d, result)
    }
}

/// `x`'s low `esize` bits as a signed value.
@inline(__always) func threeSameSignExtend(_ x: UInt64, _ esize: Int) -> Int64 {
    let shift = Int64(64 - esize)
    return Int64(bitPattern: x << UInt64(shift)) >> shift
}

/// A 1 in the lowest bit of each `esize`-bit lane (esize < 64).
@inline(__always) func threeSameLaneOnes(_ esize: Int) -> UInt64 {
    switch esize {
    case 8: return 0x0101_0101_0101_0101
    case 16: return 0x0001_0001_0001_0001
    default: return 0x0000_0001_0000_0001
    }
}

/// Polynomial (carry-less) product of two 8-bit values, low 8 bits.
@inline(__always) func threeSamePolynomialMultiply8(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var result: UInt64 = 0
    for i in 0..<8 where (b >> UInt64(i)) & 1 != 0 {
        result ^= a << UInt64(i)
    }
    return result & 0xFF
}
