/// Computes the operands of a VFP encoding from its table line's fields,
/// once, at decode time (see `VFPOperands` for the layout). Encodings that
/// are UNDEFINED for a reason visible in the word alone (a PC operand, a
/// register list past D31, ...) become `.vfpUndefined` here, so execution
/// only checks what depends on the core's state (enables, traps, D32DIS,
/// FPSCR.Len, the mode).
enum VFPDecoder {
    static func decode(_ op: A32Op, _ p: DecodeFields) -> (op: A32Op, operands: VFPOperands) {
        let word = p.word
        // Register numbers: doubles are D:Vd, singles Vd:D (likewise N, M).
        func single(_ hi: Unicode.Scalar, _ lo: Unicode.Scalar) -> Int {
            Int(p[hi] << 1 | p[lo])
        }
        func double(_ hi: Unicode.Scalar, _ lo: Unicode.Scalar) -> Int {
            Int(p[hi] << 4 | p[lo])
        }
        func reg(_ dp: Bool, _ v: Unicode.Scalar, _ bit: Unicode.Scalar) -> Int {
            dp ? double(bit, v) : single(v, bit)
        }
        let undefinedAfterChecks = (A32Op.vfpUndefined, VFPOperands())
        switch op {
        case .vmla, .vmls, .vnmla, .vnmls, .vmul, .vnmul, .vadd, .vsub, .vdiv, .vfma, .vfms, .vfnma, .vfnms:
            let dp = p["z"] != 0
            return (op, VFPOperands(d: reg(dp, "d", "D"), n: reg(dp, "n", "N"), m: reg(dp, "m", "M"),
                                    flags: dp ? VFPOperands.Flag.double : 0))
        case .vmovImm:
            let dp = p["z"] != 0
            return (op, VFPOperands(d: reg(dp, "d", "D"), a: Int(p["i"]),
                                    flags: dp ? VFPOperands.Flag.double : 0))
        case .vmovReg, .vabs, .vneg, .vsqrt, .vcmp, .vcmpe:
            let dp = p["z"] != 0
            return (op, VFPOperands(d: reg(dp, "d", "D"), m: reg(dp, "m", "M"),
                                    flags: dp ? VFPOperands.Flag.double : 0))
        case .vcmpZero, .vcmpeZero:
            let dp = p["z"] != 0
            return (op, VFPOperands(d: reg(dp, "d", "D"), flags: dp ? VFPOperands.Flag.double : 0))
        case .vcvtbF32F16, .vcvttF32F16, .vcvtbF16F32, .vcvttF16F32:
            return (op, VFPOperands(d: single("d", "D"), m: single("m", "M")))
        case .vcvtF64F32:
            return (op, VFPOperands(d: double("D", "d"), m: single("m", "M")))
        case .vcvtF32F64:
            return (op, VFPOperands(d: single("d", "D"), m: double("M", "m"), flags: VFPOperands.Flag.double))
        case .vcvtFromInt:
            let dp = p["z"] != 0
            let flags = (dp ? VFPOperands.Flag.double : 0) | (p["s"] == 0 ? VFPOperands.Flag.unsigned : 0)
            return (op, VFPOperands(d: reg(dp, "d", "D"), m: single("m", "M"), flags: flags))
        case .vcvtToInt:
            let dp = p["z"] != 0
            let flags = (dp ? VFPOperands.Flag.double : 0)
                | (p["s"] == 0 ? VFPOperands.Flag.unsigned : 0)
                | (p["r"] != 0 ? VFPOperands.Flag.roundTowardsZero : 0)
            return (op, VFPOperands(d: single("d", "D"), m: reg(dp, "m", "M"), flags: flags))
        case .vcvtFromFixed, .vcvtToFixed:
            let dp = p["z"] != 0
            let size32 = p["s"] != 0
            let fbits = (size32 ? 32 : 16) - single("m", "M")   // imm5 = imm4:i
            if fbits < 0 { return undefinedAfterChecks }
            let flags = (dp ? VFPOperands.Flag.double : 0) | (size32 ? VFPOperands.Flag.size32 : 0)
                | (p["u"] != 0 ? VFPOperands.Flag.unsigned : 0)
            return (op, VFPOperands(d: reg(dp, "d", "D"), a: fbits, flags: flags))
        case .vmovCoreToSingle, .vmovSingleToCore:
            let t = Int(p["t"])
            if t == 15 { return undefinedAfterChecks }
            return (op, VFPOperands(d: single("n", "N"), n: t))
        case .vmovCoreToScalar, .vmovScalarToCore:
            let t = Int(p["t"])
            if t == 15 { return undefinedAfterChecks }
            return (op, VFPOperands(d: double("N", "n"), n: t, a: Int(p["h"])))
        case .vmrsFPSCR:
            return (op, VFPOperands(n: Int(p["t"])))
        case .vmsrFPSCR:
            let t = Int(p["t"])
            if t == 15 { return undefinedAfterChecks }
            return (op, VFPOperands(n: t))
        case .vmrs, .vmsr:
            let t = Int(p["t"])
            // Other system registers: Rt = PC is UNDEFINED before any check.
            if t == 15 { return (.undefined, VFPOperands()) }
            return (op, VFPOperands(n: t, a: Int(p["r"])))
        case .vmovCoreToSinglePair, .vmovSinglePairToCore, .vmovCoreToDouble, .vmovDoubleToCore:
            let t = Int(p["t"]), t2 = Int(p["u"])
            let toCore = op == .vmovSinglePairToCore || op == .vmovDoubleToCore
            if t == 15 || t2 == 15 || (toCore && t == t2) { return undefinedAfterChecks }
            let dp = op == .vmovCoreToDouble || op == .vmovDoubleToCore
            let m = dp ? double("M", "m") : single("m", "M")
            if !dp && m == 31 { return undefinedAfterChecks }
            return (op, VFPOperands(d: m, n: t, m: t2, flags: dp ? VFPOperands.Flag.double : 0))
        case .vldr, .vstr:
            let dp = p["z"] != 0
            let flags = (dp ? VFPOperands.Flag.double : 0) | (p["U"] != 0 ? VFPOperands.Flag.add : 0)
            return (op, VFPOperands(d: reg(dp, "d", "D"), n: Int(p["n"]), a: Int(p["i"]),
                                    flags: flags))
        case .vldm, .vstm:
            // IA lines have a W field; the DB lines fix W = 1.
            let dp = p["z"] != 0
            let increment = word & (1 << 23) != 0
            let writeback = word & (1 << 21) != 0
            let imm8 = Int(p["i"]), d = reg(dp, "d", "D"), n = Int(p["n"])
            // FLDMX/FSTMX: an odd imm8 with doubles moves imm8 words for imm8/2 registers.
            let count = dp ? imm8 >> 1 : imm8
            if count == 0 || d + count > 32 || (dp && count > 16) { return undefinedAfterChecks }
            if n == 15 && writeback { return undefinedAfterChecks }
            let flags = (dp ? VFPOperands.Flag.double : 0) | (increment ? VFPOperands.Flag.add : 0)
                | (writeback ? VFPOperands.Flag.writeback : 0)
            return (op, VFPOperands(d: d, n: n, m: count, a: imm8, flags: flags))
        default:
            return (op, VFPOperands())
        }
    }
}
