/// VFP data processing (ARM ARM A7.5): arithmetic, moves, compares and
/// conversions, on operands the decoder already resolved (`VFPOperands`).
extension Core {
    /// VMLA VMLS VNMLA VNMLS VMUL VNMUL VADD VSUB VDIV VFMA VFMS VFNMA VFNMS.
    func vfpThreeRegister(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        if dp { try vfpCheckRegister(o.d | o.n | o.m) }
        try vfpCheckScalar()
        let fmt: FPFormat = dp ? .double : .single
        let a = vfpRead(o.n, dp: dp), b = vfpRead(o.m, dp: dp)
        let sign = fmt.signBit
        var fp = VFPArith(fpscr: fpscr)
        let result: UInt64
        switch op {
        case .vmla: result = fp.add(vfpRead(o.d, dp: dp), fp.mul(a, b, fmt), fmt)
        case .vmls: result = fp.add(vfpRead(o.d, dp: dp), fp.mul(a, b, fmt) ^ sign, fmt)
        case .vnmls: result = fp.add(vfpRead(o.d, dp: dp) ^ sign, fp.mul(a, b, fmt), fmt)
        case .vnmla: result = fp.add(vfpRead(o.d, dp: dp) ^ sign, fp.mul(a, b, fmt) ^ sign, fmt)
        case .vmul: result = fp.mul(a, b, fmt)
        case .vnmul: result = fp.mul(a, b, fmt) ^ sign
        case .vadd: result = fp.add(a, b, fmt)
        case .vsub: result = fp.sub(a, b, fmt)
        case .vdiv: result = fp.div(a, b, fmt)
        case .vfnms: result = fp.mulAdd(vfpRead(o.d, dp: dp) ^ sign, a, b, fmt)
        case .vfnma: result = fp.mulAdd(vfpRead(o.d, dp: dp) ^ sign, a ^ sign, b, fmt)
        case .vfma: result = fp.mulAdd(vfpRead(o.d, dp: dp), a, b, fmt)
        default: result = fp.mulAdd(vfpRead(o.d, dp: dp), a ^ sign, b, fmt)   // .vfms
        }
        fpscr = fp.fpscr
        vfpWrite(o.d, dp: dp, result)
    }

    /// VMOV (immediate), VMOV (register), VABS, VNEG, VSQRT.
    func vfpMoveOrUnary(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        let fmt: FPFormat = dp ? .double : .single
        if op == .vmovImm {
            if dp { try vfpCheckRegister(o.d) }
            try vfpCheckScalar()
            vfpWrite(o.d, dp: dp, Core.vfpExpandImmediate(UInt64(o.a), fmt))
            return
        }
        if dp { try vfpCheckRegister(o.d | o.m) }
        try vfpCheckScalar()
        let a = vfpRead(o.m, dp: dp)
        let result: UInt64
        switch op {
        case .vmovReg: result = a
        case .vabs: result = a & ~fmt.signBit
        case .vneg: result = a ^ fmt.signBit
        default:   // .vsqrt
            var fp = VFPArith(fpscr: fpscr)
            result = fp.sqrt(a, fmt)
            fpscr = fp.fpscr
        }
        vfpWrite(o.d, dp: dp, result)
    }

    /// VFPExpandImm: imm8 = abcdefgh -> sign a, exponent NOT(b):b..b:cd,
    /// fraction efgh followed by zeros.
    @inline(__always) static func vfpExpandImmediate(_ imm8: UInt64, _ fmt: FPFormat) -> UInt64 {
        let sign = (imm8 >> 7) & 1
        let b = (imm8 >> 6) & 1
        let cd = (imm8 >> 4) & 3
        let efgh = imm8 & 0xF
        let e = UInt64(fmt.e)
        let exp = (b ^ 1) << (e - 1) | (b != 0 ? ((1 << (e - 3)) - 1) << 2 : 0) | cd
        return sign << (e + UInt64(fmt.f)) | exp << UInt64(fmt.f) | efgh << UInt64(fmt.f - 4)
    }

    /// VCVTB / VCVTT between half and single precision (bottom or top half).
    func vfpConvertHalf(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let top = op == .vcvttF32F16 || op == .vcvttF16F32
        var fp = VFPArith(fpscr: fpscr)
        if op == .vcvtbF32F16 || op == .vcvttF32F16 {
            let s = sReg(o.m)
            let h = top ? s >> 16 : s & 0xFFFF
            setSReg(o.d, UInt32(truncatingIfNeeded: fp.halfToSingle(UInt64(h))))
        } else {
            let h = UInt32(truncatingIfNeeded: fp.singleToHalf(UInt64(sReg(o.m))))
            let old = sReg(o.d)
            setSReg(o.d, top ? (old & 0xFFFF) | h << 16 : (old & 0xFFFF_0000) | h)
        }
        fpscr = fp.fpscr
    }

    /// VCMP / VCMPE (quiet NaNs signal too), against a register or #0.0.
    func vfpCompare(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        let withZero = op == .vcmpZero || op == .vcmpeZero
        if dp { try vfpCheckRegister(withZero ? o.d : o.d | o.m) }
        var fp = VFPArith(fpscr: fpscr)
        let b: UInt64 = withZero ? 0 : vfpRead(o.m, dp: dp)
        let nzcv = fp.compare(vfpRead(o.d, dp: dp), b, dp ? .double : .single,
                              quietNaNsSignal: op == .vcmpe || op == .vcmpeZero)
        fpscr = (fp.fpscr & 0x0FFF_FFFF) | nzcv
    }

    /// VCVT between single and double, between float and 32-bit integer,
    /// and between float and fixed point (in place).
    func vfpConvert(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = o.isDouble
        let fmt: FPFormat = dp ? .double : .single
        let unsigned = o.has(VFPOperands.Flag.unsigned)
        var fp = VFPArith(fpscr: fpscr)
        switch op {
        case .vcvtF64F32:
            try vfpCheckRegister(o.d)
            setDReg(o.d, fp.convert(UInt64(sReg(o.m)), from: .single, to: .double))
        case .vcvtF32F64:
            try vfpCheckRegister(o.m)
            setSReg(o.d, UInt32(truncatingIfNeeded: fp.convert(dReg(o.m), from: .double, to: .single)))
        case .vcvtFromInt:
            if dp { try vfpCheckRegister(o.d) }
            let r = fp.fromFixed(UInt64(sReg(o.m)), bits: 32, fbits: 0, unsigned: unsigned, fmt)
            fpscr = fp.fpscr
            vfpWrite(o.d, dp: dp, r)
            return
        case .vcvtToInt:
            if dp { try vfpCheckRegister(o.m) }
            let r = fp.toFixed(vfpRead(o.m, dp: dp), fmt, bits: 32, fbits: 0, unsigned: unsigned,
                               roundTowardsZero: o.has(VFPOperands.Flag.roundTowardsZero))
            setSReg(o.d, UInt32(truncatingIfNeeded: r))
        default:   // .vcvtFromFixed, .vcvtToFixed
            if dp { try vfpCheckRegister(o.d) }
            let size = o.has(VFPOperands.Flag.size32) ? 32 : 16
            let r: UInt64
            if op == .vcvtToFixed {
                r = fp.toFixed(vfpRead(o.d, dp: dp), fmt, bits: size, fbits: o.a, unsigned: unsigned,
                               roundTowardsZero: true)
            } else {
                r = fp.fromFixed(vfpRead(o.d, dp: dp), bits: size, fbits: o.a, unsigned: unsigned, fmt,
                                 roundToNearest: true)
            }
            fpscr = fp.fpscr
            vfpWrite(o.d, dp: dp, dp ? r : r & 0xFFFF_FFFF)
            return
        }
        fpscr = fp.fpscr
    }
}
