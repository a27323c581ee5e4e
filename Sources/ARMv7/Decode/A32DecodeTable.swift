/// Operations of the A32 instruction set. Raw value 0 means "not decoded".
enum A32Op: UInt16, CaseIterable {
    case undecoded = 0
    case undefined
    // Data processing: opcode in bits 24:21 is re-read from the raw word.
    case dpImm, dpReg, dpRegShiftReg
    case movw, movt
    // Multiplies
    case mul, mla, umaal, mls, umull, umlal, smull, smlal
    case smlaxy, smlawy, smulwy, smlalxy, smulxy
    case smlad, smlsd, smlald, smlsld, smmla, smmls, sdiv, udiv, usad8
    // Saturating / media
    case qaddsub, parallelAddSub, pkh, ssat, usat, ssat16, usat16, sel
    case sxtab16, sxtab, sxtah, uxtab16, uxtab, uxtah
    case rev, rev16, rbit, revsh, clz, sbfx, ubfx, bfi
    // Loads and stores
    case ldrImm, strImm, ldrbImm, strbImm, ldrReg, strReg, ldrbReg, strbReg
    case strh, ldrh, ldrsb, ldrsh, ldrd, strd
    case ldrex, strex, ldrexb, strexb, ldrexh, strexh, ldrexd, strexd, swp
    case ldm, stm, ldmUser, stmUser, ldmReturn
    // Branches
    case b, bl, blxImm, bx, bxj, blxReg
    // System
    case mrs, msrReg, msrImm, mrsBanked, msrBanked, cps, setend, srs, rfe, eret
    case svc, bkpt, hvc, smc, udf
    case nop, yield, wfe, wfi, sev, dbg, clrex, dsb, dmb, isb, pld, pli
    case mcr, mrc, mcrr, mrrc, cdp, ldcStc
    // Advanced SIMD (NEON): decoded at execution from the A32-form word by
    // `Core.executeNEONDataProcessing` and friends (Sources/ARMv7/NEON).
    case neonDataProcessing, neonLoadStore, neonTransfer
    // VFP (coprocessors 10 and 11; table in VFPDecodeTable.swift). Operands
    // are decoded into `imm` and `extra`: see `VFPOperands`. Keep these
    // cases last and contiguous (`isVFP` tests a range).
    case vfpUndefined
    case vmla, vmls, vnmla, vnmls, vmul, vnmul, vadd, vsub, vdiv, vfma, vfms, vfnma, vfnms
    case vmovImm, vmovReg, vabs, vneg, vsqrt
    case vcvtbF32F16, vcvttF32F16, vcvtbF16F32, vcvttF16F32, vcvtF64F32, vcvtF32F64
    case vcmp, vcmpe, vcmpZero, vcmpeZero
    case vcvtFromInt, vcvtToInt, vcvtFromFixed, vcvtToFixed
    case vmovCoreToSingle, vmovSingleToCore, vmovCoreToScalar, vmovScalarToCore
    case vmovCoreToSinglePair, vmovSinglePairToCore, vmovCoreToDouble, vmovDoubleToCore
    case vmrsFPSCR, vmsrFPSCR, vmrs, vmsr
    case vldr, vstr, vldm, vstm

    /// Whether this is a VFP operation (executed by `Core.executeVFP`).
    @inline(__always) var isVFP: Bool { rawValue >= A32Op.vfpUndefined.rawValue }

    /// The operation stored in a decoded slot. Raw values equal declaration
    /// order, which is the enum's in-memory tag, so this is a plain byte move
    /// (checked by A32DecoderTests.testOperationTagsMatchRawValues).
    @inline(__always) static func fromDecoded(_ raw: UInt16) -> A32Op {
        unsafeBitCast(UInt8(truncatingIfNeeded: raw), to: A32Op.self)
    }
}

/// The A32 encoding table, one line per encoding (syntax: `DecodePattern`).
/// Line order does not matter: where two lines can match the same word, one
/// is strictly more specific and wins (see `DecodeMatcher`). Lines whose
/// pattern starts with `cccc` match only when the condition is not 0b1111;
/// lines starting with `1111` are the unconditional space. The VFP lines
/// (`vfpEncodingTable`) join these in the same matcher.
///
/// The letters are fields (`A32Decoder.fields`), named after the ARM ARM's:
/// n d t m s a = Rn Rd Rt Rm Rs Ra; h l = RdHi RdLo; u = Rt2; i = an
/// immediate (split parts concatenate, e.g. imm4H:imm4L); o p = opcodes
/// (opc1, opc2); t or y = shift type (y where t is Rt); r = rotation or
/// register list; M N = the top/bottom-half selectors; k = coprocessor;
/// c = condition; other letters are the single bits of the same name
/// (p u w l s b e). The interpreter's A32 handlers read the raw word.
let a32EncodingTable: [(A32Op, String)] = [
    // Unconditional space
    (.cps, "111100010000jjM00000000aaaxmmmmm"),
    (.neonDataProcessing, "1111001xxxxxxxxxxxxxxxxxxxxxxxxx"), // A7.4: U is bit 24
    (.neonLoadStore, "11110100xxx0xxxxxxxxxxxxxxxxxxxx"),      // A7.7: VLDn/VSTn
    (.setend, "1111000100000001000000e000000000"),
    (.pli, "11110100u101nnnn1111iiiiiiiiiiii"),
    (.pld, "11110101ur01nnnn1111iiiiiiiiiiii"),
    (.pli, "11110110u101nnnn1111iiiiitt0mmmm"),
    (.pld, "11110111ur01nnnn1111iiiiitt0mmmm"),
    (.clrex, "11110101011111111111000000011111"),
    (.dsb, "1111010101111111111100000100oooo"),
    (.dmb, "1111010101111111111100000101oooo"),
    (.isb, "1111010101111111111100000110oooo"),
    (.srs, "1111100pu1w0110100000101000mmmmm"),
    (.rfe, "1111100pu0w1nnnn0000101000000000"),
    (.blxImm, "1111101hiiiiiiiiiiiiiiiiiiiiiiii"),
    (.udf, "111001111111iiiiiiiiiiii1111iiii"),

    // Multiplies and synchronisation primitives (bits 7:4 = 1001)
    (.mul, "cccc0000000sdddd0000mmmm1001nnnn"),
    (.mla, "cccc0000001sddddaaaammmm1001nnnn"),
    (.umaal, "cccc00000100hhhhllllmmmm1001nnnn"),
    (.mls, "cccc00000110ddddaaaammmm1001nnnn"),
    (.umull, "cccc0000100shhhhllllmmmm1001nnnn"),
    (.umlal, "cccc0000101shhhhllllmmmm1001nnnn"),
    (.smull, "cccc0000110shhhhllllmmmm1001nnnn"),
    (.smlal, "cccc0000111shhhhllllmmmm1001nnnn"),
    (.swp, "cccc00010b00nnnntttt00001001mmmm"),
    (.strex, "cccc00011000nnnndddd11111001tttt"),
    (.ldrex, "cccc00011001nnnntttt111110011111"),
    (.strexd, "cccc00011010nnnndddd11111001tttt"),
    (.ldrexd, "cccc00011011nnnntttt111110011111"),
    (.strexb, "cccc00011100nnnndddd11111001tttt"),
    (.ldrexb, "cccc00011101nnnntttt111110011111"),
    (.strexh, "cccc00011110nnnndddd11111001tttt"),
    (.ldrexh, "cccc00011111nnnntttt111110011111"),

    // Extra loads and stores
    (.strh, "cccc000pu0w0nnnntttt00001011mmmm"),
    (.ldrh, "cccc000pu0w1nnnntttt00001011mmmm"),
    (.strh, "cccc000pu1w0nnnnttttiiii1011iiii"),
    (.ldrh, "cccc000pu1w1nnnnttttiiii1011iiii"),
    (.ldrd, "cccc000pu0w0nnnntttt00001101mmmm"),
    (.ldrsb, "cccc000pu0w1nnnntttt00001101mmmm"),
    (.ldrd, "cccc000pu1w0nnnnttttiiii1101iiii"),
    (.ldrsb, "cccc000pu1w1nnnnttttiiii1101iiii"),
    (.strd, "cccc000pu0w0nnnntttt00001111mmmm"),
    (.ldrsh, "cccc000pu0w1nnnntttt00001111mmmm"),
    (.strd, "cccc000pu1w0nnnnttttiiii1111iiii"),
    (.ldrsh, "cccc000pu1w1nnnnttttiiii1111iiii"),

    // Miscellaneous
    (.mrs, "cccc00010r00xxxxddddxx0x0000xxxx"),
    (.mrsBanked, "cccc00010r00mmmmddddxx1M0000xxxx"),
    (.msrReg, "cccc00010r10mmmmxxxxxx0x0000nnnn"),
    (.msrBanked, "cccc00010r10mmmmxxxxxx1M0000nnnn"),
    (.bx, "cccc00010010xxxxxxxxxxxx0001mmmm"),
    (.bxj, "cccc00010010xxxxxxxxxxxx0010mmmm"),
    (.blxReg, "cccc00010010xxxxxxxxxxxx0011mmmm"),
    (.clz, "cccc00010110xxxxddddxxxx0001mmmm"),
    (.qaddsub, "cccc00010oo0nnnnddddxxxx0101mmmm"),
    (.eret, "cccc00010110xxxxxxxxxxxx0110xxxx"),
    (.bkpt, "cccc00010010iiiiiiiiiiii0111iiii"),
    (.hvc, "cccc00010100iiiiiiiiiiii0111iiii"),
    (.smc, "cccc00010110xxxxxxxxxxxx0111iiii"),
    (.smlaxy, "cccc00010000ddddaaaammmm1MN0nnnn"),
    (.smlawy, "cccc00010010ddddaaaammmm1M00nnnn"),
    (.smulwy, "cccc00010010ddddxxxxmmmm1M10nnnn"),
    (.smlalxy, "cccc00010100hhhhllllmmmm1MN0nnnn"),
    (.smulxy, "cccc00010110ddddxxxxmmmm1MN0nnnn"),
    (.nop, "cccc0011001000001111000000000000"),
    (.yield, "cccc0011001000001111000000000001"),
    (.wfe, "cccc0011001000001111000000000010"),
    (.wfi, "cccc0011001000001111000000000011"),
    (.sev, "cccc0011001000001111000000000100"),
    (.dbg, "cccc001100100000111100001111oooo"),
    (.nop, "cccc00110010000011110000xxxxxxxx"),
    (.msrImm, "cccc00110R10mmmm1111rrrriiiiiiii"),
    (.movw, "cccc00110000iiiiddddiiiiiiiiiiii"),
    (.movt, "cccc00110100iiiiddddiiiiiiiiiiii"),

    // Data processing (test/compare forms need S = 1; S = 0 is the misc space above)
    (.dpReg, "cccc000oooo1nnnnddddiiiiitt0mmmm"),
    (.dpReg, "cccc0000ooo0nnnnddddiiiiitt0mmmm"),
    (.dpReg, "cccc00011oo0nnnnddddiiiiitt0mmmm"),
    (.dpRegShiftReg, "cccc000oooo1nnnnddddssss0tt1mmmm"),
    (.dpRegShiftReg, "cccc0000ooo0nnnnddddssss0tt1mmmm"),
    (.dpRegShiftReg, "cccc00011oo0nnnnddddssss0tt1mmmm"),
    (.dpImm, "cccc001oooo1nnnnddddrrrriiiiiiii"),
    (.dpImm, "cccc0010ooo0nnnnddddrrrriiiiiiii"),
    (.dpImm, "cccc00111oo0nnnnddddrrrriiiiiiii"),

    // Media
    (.parallelAddSub, "cccc01100ooonnnnddddxxxxppp1mmmm"),
    (.pkh, "cccc01101000nnnnddddiiiiit01mmmm"),
    (.sxtab16, "cccc01101000nnnnddddrrxx0111mmmm"),
    (.sel, "cccc01101000nnnnddddxxxx1011mmmm"),
    (.ssat, "cccc0110101wwwwwddddiiiiih01nnnn"),
    (.ssat16, "cccc01101010iiiiddddxxxx0011nnnn"),
    (.sxtab, "cccc01101010nnnnddddrrxx0111mmmm"),
    (.rev, "cccc01101011xxxxddddxxxx0011mmmm"),
    (.sxtah, "cccc01101011nnnnddddrrxx0111mmmm"),
    (.rev16, "cccc01101011xxxxddddxxxx1011mmmm"),
    (.uxtab16, "cccc01101100nnnnddddrrxx0111mmmm"),
    (.usat, "cccc0110111wwwwwddddiiiiih01nnnn"),
    (.usat16, "cccc01101110iiiiddddxxxx0011nnnn"),
    (.uxtab, "cccc01101110nnnnddddrrxx0111mmmm"),
    (.rbit, "cccc01101111xxxxddddxxxx0011mmmm"),
    (.uxtah, "cccc01101111nnnnddddrrxx0111mmmm"),
    (.revsh, "cccc01101111xxxxddddxxxx1011mmmm"),
    (.smlad, "cccc01110000ddddaaaammmm00M1nnnn"),
    (.smlsd, "cccc01110000ddddaaaammmm01M1nnnn"),
    (.sdiv, "cccc01110001ddddxxxxmmmm0001nnnn"),
    (.udiv, "cccc01110011ddddxxxxmmmm0001nnnn"),
    (.smlald, "cccc01110100hhhhllllmmmm00M1nnnn"),
    (.smlsld, "cccc01110100hhhhllllmmmm01M1nnnn"),
    (.smmla, "cccc01110101ddddaaaammmm00r1nnnn"),
    (.smmls, "cccc01110101ddddaaaammmm11r1nnnn"),
    (.usad8, "cccc01111000ddddaaaammmm0001nnnn"),
    (.sbfx, "cccc0111101wwwwwddddlllll101nnnn"),
    (.bfi, "cccc0111110mmmmmddddlllll001nnnn"),
    (.ubfx, "cccc0111111wwwwwddddlllll101nnnn"),
    (.undefined, "cccc01111111xxxxxxxxxxxx1111xxxx"),

    // Word and unsigned byte loads and stores
    (.strImm, "cccc010pu0w0nnnnttttiiiiiiiiiiii"),
    (.ldrImm, "cccc010pu0w1nnnnttttiiiiiiiiiiii"),
    (.strbImm, "cccc010pu1w0nnnnttttiiiiiiiiiiii"),
    (.ldrbImm, "cccc010pu1w1nnnnttttiiiiiiiiiiii"),
    (.strReg, "cccc011pu0w0nnnnttttiiiiiyy0mmmm"),
    (.ldrReg, "cccc011pu0w1nnnnttttiiiiiyy0mmmm"),
    (.strbReg, "cccc011pu1w0nnnnttttiiiiiyy0mmmm"),
    (.ldrbReg, "cccc011pu1w1nnnnttttiiiiiyy0mmmm"),

    // Block transfers and branches
    (.stm, "cccc100pu0w0nnnnrrrrrrrrrrrrrrrr"),
    (.ldm, "cccc100pu0w1nnnnrrrrrrrrrrrrrrrr"),
    (.stmUser, "cccc100pu1w0nnnnrrrrrrrrrrrrrrrr"),
    (.ldmUser, "cccc100pu1w1nnnn0rrrrrrrrrrrrrrr"),
    (.ldmReturn, "cccc100pu1w1nnnn1rrrrrrrrrrrrrrr"),
    (.b, "cccc1010iiiiiiiiiiiiiiiiiiiiiiii"),
    (.bl, "cccc1011iiiiiiiiiiiiiiiiiiiiiiii"),

    // Coprocessor space
    (.mcrr, "cccc11000100uuuuttttkkkkoooommmm"),
    (.mrrc, "cccc11000101uuuuttttkkkkoooommmm"),
    (.undefined, "cccc1100000xxxxxxxxxxxxxxxxxxxxx"),
    (.ldcStc, "cccc110puxwlnnnnddddkkkkiiiiiiii"),
    (.cdp, "cccc1110oooonnnnddddkkkkppp0mmmm"),
    (.mcr, "cccc1110ooo0nnnnttttkkkkppp1mmmm"),
    (.mrc, "cccc1110ooo1nnnnttttkkkkppp1mmmm"),
    (.svc, "cccc1111iiiiiiiiiiiiiiiiiiiiiiii"),
]
