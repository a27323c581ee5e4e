/// The VFP encodings of ARMv7-A (coprocessors 10 and 11; ARM ARM DDI0406C
/// A7.5 data processing, A7.6 extension register loads and stores, A7.8
/// transfers between core and extension registers), in their A32 form. The
/// T32 forms have the same low 28 bits and reach these lines through
/// `T32Decoder`'s coprocessor translation. Advanced SIMD data processing and
/// element loads/stores are in `a32EncodingTable`'s unconditional space; its
/// core-register transfers (8/16-bit scalars, VDUP) are `.neonTransfer` here.
///
/// The lines join `a32EncodingTable` in one matcher and are strictly more
/// specific than its generic coprocessor lines (CDP, MCR, MRC, MCRR, MRRC,
/// LDC/STC), so every cp10/11 word decodes to a VFP operation or UNDEFINED:
/// nothing in that space is re-decoded at execution.
///
/// Field letters: D:dddd / dddd:D (bit 22, 15:12), N / nnnn (bit 7, 19:16),
/// M / mmmm (bit 5, 3:0) are the ARM ARM's D:Vd, N:Vn, M:Vm; z = sz (1 =
/// double); t = Rt, u = Rt2, r = the VMRS/VMSR register; i = an immediate.
///
/// UNDEFINED comes in two kinds, because the current behaviour distinguishes
/// them: `.vfpUndefined` after the CheckVFPEnabled checks (so a disabled or
/// trapped VFP reports that instead), `.undefined` straight away (encodings
/// outside the VFP register-transfer forms).
let vfpEncodingTable: [(A32Op, String)] = [
    // Three-register data processing: opc1 = bits 23, 21:20; op = bit 6
    (.vmla, "cccc11100D00nnnndddd101zN0M0mmmm"),
    (.vmls, "cccc11100D00nnnndddd101zN1M0mmmm"),
    (.vnmls, "cccc11100D01nnnndddd101zN0M0mmmm"),
    (.vnmla, "cccc11100D01nnnndddd101zN1M0mmmm"),
    (.vmul, "cccc11100D10nnnndddd101zN0M0mmmm"),
    (.vnmul, "cccc11100D10nnnndddd101zN1M0mmmm"),
    (.vadd, "cccc11100D11nnnndddd101zN0M0mmmm"),
    (.vsub, "cccc11100D11nnnndddd101zN1M0mmmm"),
    (.vdiv, "cccc11101D00nnnndddd101zN0M0mmmm"),
    (.vfnms, "cccc11101D01nnnndddd101zN0M0mmmm"),
    (.vfnma, "cccc11101D01nnnndddd101zN1M0mmmm"),
    (.vfma, "cccc11101D10nnnndddd101zN0M0mmmm"),
    (.vfms, "cccc11101D10nnnndddd101zN1M0mmmm"),

    // Other data processing: opc1 = 1x11, opc2 = bits 19:16
    (.vmovImm, "cccc11101D11iiiidddd101zx0x0iiii"),     // imm8 = imm4H:imm4L
    (.vmovReg, "cccc11101D110000dddd101z01M0mmmm"),
    (.vabs, "cccc11101D110000dddd101z11M0mmmm"),
    (.vneg, "cccc11101D110001dddd101z01M0mmmm"),
    (.vsqrt, "cccc11101D110001dddd101z11M0mmmm"),
    (.vcvtbF32F16, "cccc11101D110010dddd101001M0mmmm"), // half <-> double (sz = 1) is ARMv8
    (.vcvttF32F16, "cccc11101D110010dddd101011M0mmmm"),
    (.vcvtbF16F32, "cccc11101D110011dddd101001M0mmmm"),
    (.vcvttF16F32, "cccc11101D110011dddd101011M0mmmm"),
    (.vcmp, "cccc11101D110100dddd101z01M0mmmm"),
    (.vcmpe, "cccc11101D110100dddd101z11M0mmmm"),
    (.vcmpZero, "cccc11101D110101dddd101z01x0xxxx"),
    (.vcmpeZero, "cccc11101D110101dddd101z11x0xxxx"),
    (.vcvtF64F32, "cccc11101D110111dddd101011M0mmmm"),  // single to double
    (.vcvtF32F64, "cccc11101D110111dddd101111M0mmmm"),  // double to single
    (.vcvtFromInt, "cccc11101D111000dddd101zs1M0mmmm"), // s: signed
    (.vcvtToInt, "cccc11101D11110sdddd101zr1M0mmmm"),   // s: signed; r: round towards zero
    (.vcvtFromFixed, "cccc11101D11101udddd101zs1M0mmmm"),// u: unsigned; s: 32-bit; imm5 = mmmm:M
    (.vcvtToFixed, "cccc11101D11111udddd101zs1M0mmmm"),
    (.vfpUndefined, "cccc1110xxxxxxxxxxxx101xxxx0xxxx"),// the rest of the CDP space

    // 8-, 16- and 32-bit transfers (MCR/MRC space)
    (.vmovCoreToSingle, "cccc11100000nnnntttt1010N0010000"),
    (.vmovSingleToCore, "cccc11100001nnnntttt1010N0010000"),
    (.vmovCoreToScalar, "cccc111000h0nnnntttt1011N0010000"), // h: which half of Dn = N:nnnn
    (.vmovScalarToCore, "cccc111000h1nnnntttt1011N0010000"),
    (.vmsrFPSCR, "cccc111011100001tttt101000010000"),
    (.vmrsFPSCR, "cccc111011110001tttt101000010000"),
    (.vmsr, "cccc11101110rrrrtttt101000010000"),
    (.vmrs, "cccc11101111rrrrtttt101000010000"),
    (.undefined, "cccc1110xxx0xxxxxxxx101xxxx1xxxx"),
    (.undefined, "cccc1110xxx1xxxxxxxx101xxxx1xxxx"),
    // 8/16-bit scalars and VDUP (core register): Advanced SIMD (A7.8), cp11
    (.neonTransfer, "cccc1110xxx0xxxxxxxx1011xxx1xxxx"),
    (.neonTransfer, "cccc1110xxx1xxxxxxxx1011xxx1xxxx"),

    // 64-bit transfers (MCRR/MRRC space)
    (.vmovCoreToSinglePair, "cccc11000100uuuutttt101000M1mmmm"),
    (.vmovSinglePairToCore, "cccc11000101uuuutttt101000M1mmmm"),
    (.vmovCoreToDouble, "cccc11000100uuuutttt101100M1mmmm"),
    (.vmovDoubleToCore, "cccc11000101uuuutttt101100M1mmmm"),
    (.undefined, "cccc11000100xxxxxxxx101xxxxxxxxx"),
    (.undefined, "cccc11000101xxxxxxxx101xxxxxxxxx"),

    // Extension register loads and stores (LDC/STC space): P U D W L
    (.vstr, "cccc1101UD00nnnndddd101ziiiiiiii"),
    (.vldr, "cccc1101UD01nnnndddd101ziiiiiiii"),
    (.vstm, "cccc11001DW0nnnndddd101ziiiiiiii"),   // increment after
    (.vldm, "cccc11001DW1nnnndddd101ziiiiiiii"),
    (.vstm, "cccc11010D10nnnndddd101ziiiiiiii"),   // decrement before, writeback (VPUSH)
    (.vldm, "cccc11010D11nnnndddd101ziiiiiiii"),
    (.undefined, "cccc1101xxxxxxxxxxxx101xxxxxxxxx"),   // P = U = W = 1
    (.undefined, "cccc11000x1xxxxxxxxx101xxxxxxxxx"),   // P = U = 0, W = 1
]
