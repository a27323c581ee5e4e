/// Advanced SIMD conversions of A7.4.5, under the standard FPSCR value:
/// VCVT between half and single precision (FPSCR.AHP still selects the
/// half-precision format) and VCVT between single precision and 32-bit
/// integers (to integer rounds toward zero, from integer to nearest).
extension Core {
    /// VCVT.F16.F32 Dd, Qm / VCVT.F32.F16 Qd, Dm (size 1 only).
    func neonConvertHalfPrecision(_ ops: NEONOperands, size: Int, toSingle: Bool) throws(CPUException) {
        if size != 1 || (toSingle ? ops.d : ops.m) & 1 != 0 { throw .undefined }
        if toSingle {
            let m = dReg(ops.m)
            let (lo, hi) = neonStandardFP { (fp: inout VFPArith) -> (UInt64, UInt64) in
                NEONMixedWidth.build128(32) { e in fp.halfToSingle(NEONLane.get(m, e, 16)) }
            }
            setDReg(ops.d, lo)
            setDReg(ops.d + 1, hi)
        } else {
            let m0 = dReg(ops.m), m1 = dReg(ops.m + 1)
            let result = neonStandardFP { (fp: inout VFPArith) -> UInt64 in
                NEONMixedWidth.build64(16) { e in fp.singleToHalf(NEONMixedWidth.element(m0, m1, e, 32)) }
            }
            setDReg(ops.d, result)
        }
    }

    /// VCVT.S32.F32, VCVT.U32.F32, VCVT.F32.S32, VCVT.F32.U32 (size 2 only).
    func neonConvertFloatInteger(_ ops: NEONOperands, size: Int, toInteger: Bool, unsigned: Bool) throws(CPUException) {
        if size != 2 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        if toInteger {
            neonMiscMapSingles(ops) { (fp: inout VFPArith, x: UInt64) in
                fp.toFixed(x, .single, bits: 32, fbits: 0, unsigned: unsigned, roundTowardsZero: true) & 0xFFFF_FFFF
            }
        } else {
            neonMiscMapSingles(ops) { (fp: inout VFPArith, x: UInt64) in
                fp.fromFixed(x, bits: 32, fbits: 0, unsigned: unsigned, .single, roundToNearest: true)
            }
        }
    }
}
