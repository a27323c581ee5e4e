/// VRECPE and VRSQRTE (ARM ARM DDI 0406C A8.8.x, A2.7.x): 8-bit estimates
/// of 1/x and 1/sqrt(x), for unsigned fixed-point (UnsignedRecipEstimate,
/// UnsignedRSqrtEstimate) and single-precision (FPRecipEstimate,
/// FPRSqrtEstimate, under the standard FPSCR value) elements.
extension Core {
    /// VRECPE.U32 / VRECPE.F32 (size 2 only).
    func neonReciprocalEstimate(_ ops: NEONOperands, size: Int, float: Bool) throws(CPUException) {
        if size != 2 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        if float {
            neonMiscMapSingles(ops) { (fp: inout VFPArith, x: UInt64) in NEONEstimate.floatReciprocal(x, &fp) }
        } else {
            neonMiscMapElements(ops, esize: 32) { x in NEONEstimate.unsignedReciprocal(x) }
        }
    }

    /// VRSQRTE.U32 / VRSQRTE.F32 (size 2 only).
    func neonReciprocalSquareRootEstimate(_ ops: NEONOperands, size: Int, float: Bool) throws(CPUException) {
        if size != 2 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        if float {
            neonMiscMapSingles(ops) { (fp: inout VFPArith, x: UInt64) in NEONEstimate.floatReciprocalSquareRoot(x, &fp) }
        } else {
            neonMiscMapElements(ops, esize: 32) { x in NEONEstimate.unsignedReciprocalSquareRoot(x) }
        }
    }

    /// Applies `f` to every 32-bit element of Dm (Qm), into Dd (Qd), with
    /// the standard FPSCR value.
    @inline(__always) func neonMiscMapSingles(_ ops: NEONOperands, _ f: (inout VFPArith, UInt64) -> UInt64) {
        for r in 0..<ops.regs {
            let m = dReg(ops.m + r)
            let result = neonStandardFP { (fp: inout VFPArith) -> UInt64 in
                f(&fp, m & 0xFFFF_FFFF) | f(&fp, m >> 32) << 32
            }
            setDReg(ops.d + r, result)
        }
    }
}

/// The estimate functions; the table look-ups of the ARM ARM's
/// recip_estimate and recip_sqrt_estimate (C, in double precision) are
/// evaluated with the same double operations.
enum NEONEstimate {
    /// recip_estimate of a in [0.5, 1) with q = floor(a × 512) (256–511):
    /// 1/a in units of 1/256, 256–511.
    @inline(__always) static func reciprocal(_ q: UInt64) -> UInt64 {
        let r = 1.0 / ((Double(q) + 0.5) / 512.0)
        return UInt64(256.0 * r + 0.5)
    }

    /// recip_sqrt_estimate of a in [0.25, 1): `q` = floor(a × 512) for
    /// a < 0.5 (`lowRange`), else floor(a × 256) (128–255 either way);
    /// 1/sqrt(a) in units of 1/256, 256–511.
    @inline(__always) static func reciprocalSquareRoot(_ q: UInt64, lowRange: Bool) -> UInt64 {
        let r = 1.0 / ((Double(q) + 0.5) / (lowRange ? 512.0 : 256.0)).squareRoot()
        return UInt64(256.0 * r + 0.5)
    }

    /// UnsignedRecipEstimate: the operand is a fraction 0.x (bit 31 = 1/2);
    /// below 1/2 the result is all ones.
    @inline(__always) static func unsignedReciprocal(_ x: UInt64) -> UInt64 {
        guard x & 0x8000_0000 != 0 else { return 0xFFFF_FFFF }
        return reciprocal(x >> 23) << 23
    }

    /// UnsignedRSqrtEstimate: below 1/4 the result is all ones.
    @inline(__always) static func unsignedReciprocalSquareRoot(_ x: UInt64) -> UInt64 {
        if x & 0x8000_0000 != 0 { return reciprocalSquareRoot(x >> 24, lowRange: false) << 23 }
        if x & 0x4000_0000 != 0 { return reciprocalSquareRoot(x >> 23, lowRange: true) << 23 }
        return 0xFFFF_FFFF
    }

    /// FPRecipEstimate (single precision, standard FPSCR in `fp`).
    @inline(__always) static func floatReciprocal(_ x: UInt64, _ fp: inout VFPArith) -> UInt64 {
        let s = FPFormat.single
        let u = fp.unpack(x, s)
        switch u.kind {
        case .quietNaN, .signallingNaN: return fp.processNaN(x, u.kind, s)
        case .infinity: return s.zero(u.sign)
        case .zero:
            fp.raise(FPSCRBit.dzc)
            return s.infinity(u.sign)
        case .finite:
            let exponent = (x >> 23) & 0xFF
            if exponent >= 253 {      // |x| >= 2^126: the result is too small, flushed
                fp.raise(FPSCRBit.ufc)
                return s.zero(u.sign)
            }
            let estimate = reciprocal(256 | (x >> 15) & 0xFF)
            return (x & s.signBit) | (253 - exponent) << 23 | (estimate & 0xFF) << 15
        }
    }

    /// FPRSqrtEstimate (single precision, standard FPSCR in `fp`).
    @inline(__always) static func floatReciprocalSquareRoot(_ x: UInt64, _ fp: inout VFPArith) -> UInt64 {
        let s = FPFormat.single
        let u = fp.unpack(x, s)
        switch u.kind {
        case .quietNaN, .signallingNaN: return fp.processNaN(x, u.kind, s)
        case .zero:
            fp.raise(FPSCRBit.dzc)
            return s.infinity(u.sign)
        case _ where u.sign:
            return fp.invalid(s)
        case .infinity: return 0
        case .finite:
            let exponent = (x >> 23) & 0xFF
            // An odd exponent scales the operand into [0.25, 0.5), an even one into [0.5, 1).
            let estimate = reciprocalSquareRoot(128 | (x >> 16) & 0x7F, lowRange: exponent & 1 != 0)
            return ((380 - exponent) / 2) << 23 | (estimate & 0xFF) << 15
        }
    }
}
