/// Execution of the VFP instructions (coprocessors 10 and 11): ARM ARM DDI
/// 0406C A7.5 (data processing), A7.6/A7.8 (core transfers), A7.6
/// (extension register loads and stores), with the enable and trap checks
/// of B1.11.x (CPACR, HCPTR, FPEXC).
///
/// The decoder (`VFPDecoder`, table `vfpEncodingTable`) has already chosen
/// the operation and computed its operands (`VFPOperands`); execution only
/// checks what depends on the core's state. `raw` is the A32 form of the
/// instruction (T32 encodings have the same low 28 bits); its bit 8 says
/// whether coprocessor 10 or 11 is accessed, for the enable checks.
extension Core {
    /// Executes one VFP instruction whose condition passed.
    @inline(never)
    func executeVFP(_ op: A32Op, _ d: DecodedInstruction) throws(CPUException) {
        let o = VFPOperands(d)
        let raw = d.raw, cond = d.cond
        switch op {
        case .vmla, .vmls, .vnmla, .vnmls, .vmul, .vnmul, .vadd, .vsub, .vdiv, .vfma, .vfms, .vfnma, .vfnms:
            try vfpThreeRegister(op, o, raw, cond: cond)
        case .vmovImm, .vmovReg, .vabs, .vneg, .vsqrt:
            try vfpMoveOrUnary(op, o, raw, cond: cond)
        case .vcvtbF32F16, .vcvttF32F16, .vcvtbF16F32, .vcvttF16F32:
            try vfpConvertHalf(op, o, raw, cond: cond)
        case .vcmp, .vcmpe, .vcmpZero, .vcmpeZero:
            try vfpCompare(op, o, raw, cond: cond)
        case .vcvtF64F32, .vcvtF32F64, .vcvtFromInt, .vcvtToInt, .vcvtFromFixed, .vcvtToFixed:
            try vfpConvert(op, o, raw, cond: cond)
        case .vmovCoreToSingle, .vmovSingleToCore, .vmovCoreToScalar, .vmovScalarToCore:
            try vfpCoreTransfer(op, o, raw, cond: cond)
        case .vmrsFPSCR, .vmsrFPSCR, .vmrs, .vmsr:
            try vfpSystemRegisterTransfer(op, o, raw, cond: cond)
        case .vmovCoreToSinglePair, .vmovSinglePairToCore, .vmovCoreToDouble, .vmovDoubleToCore:
            try vfpTransfer64(op, o, raw, cond: cond)
        case .vldr, .vstr:
            try vfpLoadStoreSingle(op == .vldr, o, raw, cond: cond)
        case .vldm, .vstm:
            try vfpLoadStoreMultiple(op == .vldm, o, raw, cond: cond)
        default:   // .vfpUndefined: UNDEFINED once the VFP is known to be usable
            try vfpCheckEnabled(raw, cond: cond)
            throw .undefined
        }
    }

    // MARK: Enable and trap checks

    /// CheckVFPEnabled: CPACR.cp10/cp11 (not in Hyp mode), then HCPTR.TCP10/
    /// TCP11 (a trap to Hyp mode from PL0/PL1, UNDEFINED in Hyp mode), then
    /// FPEXC.EN unless `checkFPEXC` is false (VMRS/VMSR of the system
    /// registers other than the FPSCR).
    @inline(__always)
    func vfpCheckEnabled(_ raw: UInt32, cond: UInt8, checkFPEXC: Bool = true) throws(CPUException) {
        let cp11 = (raw >> 8) & 1
        let trapBit: UInt32 = 1 << (10 + cp11)
        if mode != .hyp {
            let access = (sys.cpacr >> (20 + 2 * cp11)) & 3
            if access != 3 && (access != 1 || mode == .user) { throw .undefined }
            if sys.hcptr & trapBit != 0 {
                // HSR EC 0x07: CV, COND, TA = 0 (not Advanced SIMD), coproc.
                let iss: UInt32 = 1 << 24 | UInt32(cond & 0xF) << 20 | (10 + cp11)
                throw .hypTrap(syndrome: HSRClass.hcptr.syndrome(iss: iss))
            }
        } else if sys.hcptr & trapBit != 0 {
            throw .undefined
        }
        if checkFPEXC && fpexc & FPEXCBit.en == 0 { throw .undefined }
    }

    /// CPACR.D32DIS: D16–D31 are UNDEFINED outside Hyp mode when it is set.
    @inline(__always) func vfpCheckRegister(_ d: Int) throws(CPUException) {
        if d >= 16 && sys.cpacr & (1 << 30) != 0 && mode != .hyp { throw .undefined }
    }

    /// The A15 has no short vectors: a data-processing instruction that
    /// would be a vector operation with FPSCR.Len/Stride nonzero is UNDEFINED.
    @inline(__always) func vfpCheckScalar() throws(CPUException) {
        if fpscr & FPSCRBit.lenStride != 0 {
            fpexc |= FPEXCBit.dex
            throw .undefined
        }
    }
}
