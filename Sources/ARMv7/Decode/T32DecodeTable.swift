/// T32 (Thumb-2) encodings of ARMv7-A with the Virtualization Extensions,
/// one table line per encoding (ARM ARM DDI0406C, A6.2 and A6.3).
///
/// Each line names the encoding and gives its bit pattern: 16 characters for
/// a 16-bit instruction, 32 characters (first halfword, then second) for a
/// 32-bit one (syntax: `DecodePattern`). Line order does not matter: where
/// two lines can match the same word, one is strictly more specific and
/// wins (see `DecodeMatcher`). An instruction that matches no line is
/// UNDEFINED.
///
/// Should-be-one / should-be-zero bits, written (1)/(0) in the ARM ARM, are
/// don't-care here (`x`): violating them is UNPREDICTABLE and this core
/// executes the instruction as if they were right.
enum T32Enc: UInt8, CaseIterable {
    case undefined
    // 16-bit: shift (immediate), add, subtract, move, compare
    case addSubReg16, addSubImm3_16, shiftImm16, movImm16, cmpImm16, addImm8_16, subImm8_16
    // 16-bit: data processing, special data / branch and exchange
    case dpReg16, addHi16, cmpHi16, movHi16, bx16, blx16
    // 16-bit: loads and stores
    case ldrLit16, ldstReg16, ldstWordImm16, ldstByteImm16, ldstHalfImm16, ldstSP16
    // 16-bit: PC/SP-relative address, miscellaneous
    case adr16, addSPImm16, addSubSP16, cbz16, extend16, push16, setend16, cps16, rev16, pop16
    case bkpt16, hint16, it16, stm16, ldm16, udf16, svc16, bcond16, b16

    // 32-bit: load/store multiple, RFE, SRS
    case srs, rfe, ldmStm
    // 32-bit: load/store dual, exclusive, table branch
    case strex, ldrex, strexbh, strexd, tbb, tbh, ldrexbh, ldrexd, ldrdStrd
    // 32-bit: data processing
    case pkh, dpShiftedReg, dpModImm
    case addSubW, movwMovt, ssat, usat, sbfx, ubfx, bfi
    // 32-bit: branches and miscellaneous control
    case msr, msrBanked, hint, cps, barrier, bxj, subsPCLR, mrs, mrsBanked, hvc, smc, udf
    case bcond, b, blxImm, bl
    // 32-bit: single loads and stores
    case loadLiteral, storeImm12, storeImm8, storeReg, loadImm12, loadImm8, loadReg
    // 32-bit: data processing (register)
    case shiftReg, extend, parallelAddSub, qaddsub, revFamily, sel, clz
    // 32-bit: multiply, multiply accumulate, long multiply, divide
    case mulMla, mls, smlaxy, smlad, smlawy, smlsd, smmla, smmls, usada8
    case smull, sdiv, umull, udiv, smlal, smlalxy, smlald, smlsld, umlal, umaal
    // 32-bit: coprocessor, Advanced SIMD and floating point
    case coprocessor
    // 32-bit: Advanced SIMD data processing and element loads/stores
    case neonDataProcessing, neonLoadStore

    /// The encoding with raw value `raw` (a matcher entry's). Raw values
    /// are declaration order, the enum's in-memory tag.
    @inline(__always) static func fromRaw(_ raw: UInt16) -> T32Enc {
        unsafeBitCast(UInt8(truncatingIfNeeded: raw), to: T32Enc.self)
    }
}

let t32EncodingTable: [(T32Enc, String)] = [
    // MARK: 16-bit (A6.2)
    // Shift (immediate), add, subtract, move, and compare (A6.2.1)
    (.addSubReg16, "000110smmmnnnddd"),            // ADDS/SUBS Rd, Rn, Rm (s: 1 = SUB)
    (.addSubImm3_16, "000111siiinnnddd"),          // ADDS/SUBS Rd, Rn, #imm3
    (.shiftImm16, "000ttiiiiimmmddd"),             // LSLS/LSRS/ASRS Rd, Rm, #imm5; MOVS Rd, Rm
    (.movImm16, "00100dddiiiiiiii"),               // MOVS Rd, #imm8
    (.cmpImm16, "00101nnniiiiiiii"),               // CMP Rn, #imm8
    (.addImm8_16, "00110dddiiiiiiii"),             // ADDS Rdn, #imm8
    (.subImm8_16, "00111dddiiiiiiii"),             // SUBS Rdn, #imm8
    // Data processing (A6.2.2): AND EOR LSL LSR ASR ADC SBC ROR TST RSB CMP CMN ORR MUL BIC MVN
    (.dpReg16, "010000oooommmddd"),
    // Special data instructions and branch and exchange (A6.2.3)
    (.addHi16, "01000100dmmmmddd"),                // ADD Rdn, Rm (any registers)
    (.cmpHi16, "01000101nmmmmnnn"),                // CMP Rn, Rm (any registers)
    (.movHi16, "01000110dmmmmddd"),                // MOV Rd, Rm (any registers)
    (.bx16, "010001110mmmmxxx"),                   // BX Rm
    (.blx16, "010001111mmmmxxx"),                  // BLX Rm
    // Load/store single data item (A6.2.4)
    (.ldrLit16, "01001tttiiiiiiii"),               // LDR Rt, [PC, #imm8*4]
    (.ldstReg16, "0101ooommmnnnttt"),              // STR STRH STRB LDRSB LDR LDRH LDRB LDRSH [Rn, Rm]
    (.ldstWordImm16, "0110liiiiinnnttt"),          // STR/LDR Rt, [Rn, #imm5*4]
    (.ldstByteImm16, "0111liiiiinnnttt"),          // STRB/LDRB Rt, [Rn, #imm5]
    (.ldstHalfImm16, "1000liiiiinnnttt"),          // STRH/LDRH Rt, [Rn, #imm5*2]
    (.ldstSP16, "1001ltttiiiiiiii"),               // STR/LDR Rt, [SP, #imm8*4]
    // PC- and SP-relative addresses
    (.adr16, "10100dddiiiiiiii"),                  // ADR Rd, label
    (.addSPImm16, "10101dddiiiiiiii"),             // ADD Rd, SP, #imm8*4
    // Miscellaneous 16-bit instructions (A6.2.5)
    (.addSubSP16, "10110000siiiiiii"),             // ADD/SUB SP, SP, #imm7*4
    (.cbz16, "1011o0i1iiiiinnn"),                  // CBZ/CBNZ Rn, label (o: 1 = CBNZ)
    (.extend16, "10110010oommmddd"),               // SXTH SXTB UXTH UXTB
    (.push16, "1011010mrrrrrrrr"),                 // PUSH {list, LR}
    (.setend16, "101101100101exxx"),               // SETEND
    (.cps16, "10110110011m0aif"),                  // CPSIE/CPSID (m: 1 = CPSID)
    (.rev16, "1011101000mmmddd"),                  // REV
    (.rev16, "1011101001mmmddd"),                  // REV16
    (.rev16, "1011101011mmmddd"),                  // REVSH
    (.pop16, "1011110prrrrrrrr"),                  // POP {list, PC}
    (.bkpt16, "10111110iiiiiiii"),                 // BKPT #imm8
    (.hint16, "10111111oooo0000"),                 // NOP YIELD WFE WFI SEV
    (.it16, "10111111ccccmmmm"),                   // IT
    // Load/store multiple
    (.stm16, "11000nnnrrrrrrrr"),                  // STM Rn!, {list}
    (.ldm16, "11001nnnrrrrrrrr"),                  // LDM Rn{!}, {list}
    // Conditional branch and supervisor call (A6.2.6)
    (.udf16, "11011110iiiiiiii"),                  // UDF #imm8
    (.svc16, "11011111iiiiiiii"),                  // SVC #imm8
    (.bcond16, "1101cccciiiiiiii"),                // B<c> label
    (.b16, "11100iiiiiiiiiii"),                    // B label

    // MARK: 32-bit (A6.3), first halfword then second
    // Load/store multiple, RFE, SRS (A6.3.5)
    (.srs, "1110100000w0xxxx11xxxxxxxxxmmmmm"),    // SRSDB SP{!}, #mode
    (.rfe, "1110100000w1nnnn11xxxxxxxxxxxxxx"),    // RFEDB Rn{!}
    (.ldmStm, "1110100010wlnnnnrrrrrrrrrrrrrrrr"), // STM/LDM Rn{!} (IA), POP.W (r: list with PC, LR, SP)
    (.ldmStm, "1110100100wlnnnnrrrrrrrrrrrrrrrr"), // STMDB/LDMDB Rn{!}, PUSH.W
    (.srs, "1110100110w0xxxx11xxxxxxxxxmmmmm"),    // SRSIA SP{!}, #mode
    (.rfe, "1110100110w1nnnn11xxxxxxxxxxxxxx"),    // RFEIA Rn{!}
    // Load/store dual, load/store exclusive, table branch (A6.3.6)
    (.strex, "111010000100nnnnttttddddiiiiiiii"),  // STREX Rd, Rt, [Rn, #imm8*4]
    (.ldrex, "111010000101nnnnttttxxxxiiiiiiii"),  // LDREX Rt, [Rn, #imm8*4]
    (.strexbh, "111010001100nnnnttttxxxx010hdddd"),// STREXB/STREXH Rd, Rt, [Rn]
    (.strexd, "111010001100nnnnttttuuuu0111dddd"), // STREXD Rd, Rt, Rt2, [Rn]
    (.tbb, "111010001101nnnnxxxxxxxx0000mmmm"),    // TBB [Rn, Rm]
    (.tbh, "111010001101nnnnxxxxxxxx0001mmmm"),    // TBH [Rn, Rm, LSL #1]
    (.ldrexbh, "111010001101nnnnttttxxxx010hxxxx"),// LDREXB/LDREXH Rt, [Rn]
    (.ldrexd, "111010001101nnnnttttuuuu0111xxxx"), // LDREXD Rt, Rt2, [Rn]
    (.ldrdStrd, "11101000U11lnnnnttttuuuuiiiiiiii"),// LDRD/STRD Rt, Rt2, [Rn], #+/-imm8*4
    (.ldrdStrd, "11101001U1wlnnnnttttuuuuiiiiiiii"),// LDRD/STRD Rt, Rt2, [Rn, #+/-imm8*4]{!}, LDRD literal
    // Data processing (shifted register) (A6.3.11)
    (.pkh, "111010101100nnnnxiiiddddiit0mmmm"),    // PKHBT/PKHTB
    (.dpShiftedReg, "1110101oooosnnnnxiiiddddiittmmmm"), // AND TST BIC ORR MOV ORN MVN EOR TEQ ADD CMN ADC SBC SUB CMP RSB
    // Coprocessor, Advanced SIMD, floating point (A6.3.18): the low 28 bits are the A32 form
    (.coprocessor, "111t11xxxxxxxxxxxxxxxxxxxxxxxxxx"),
    // Advanced SIMD (A6.3.18, A7.4, A7.7): the A32 form moves U from bit 28 to bit 24
    (.neonDataProcessing, "111u1111xxxxxxxxxxxxxxxxxxxxxxxx"),
    (.neonLoadStore, "11111001xxx0xxxxxxxxxxxxxxxxxxxx"),
    // Data processing (modified immediate) (A6.3.1)
    (.dpModImm, "11110i0oooosnnnn0iiiddddiiiiiiii"),
    // Data processing (plain binary immediate) (A6.3.3)
    (.addSubW, "11110i100000nnnn0iiiddddiiiiiiii"),// ADDW Rd, Rn, #imm12 (ADR.W add form when Rn = PC)
    (.addSubW, "11110i101010nnnn0iiiddddiiiiiiii"),// SUBW Rd, Rn, #imm12 (ADR.W subtract form when Rn = PC)
    (.movwMovt, "11110i10t100hhhh0iiiddddiiiiiiii"),// MOVW (t=0) / MOVT (t=1): imm16 = h:i
    (.ssat, "11110x1100h0nnnn0iiiddddiixsssss"),   // SSAT (h: ASR), SSAT16
    (.sbfx, "11110x110100nnnn0iiiddddiixwwwww"),   // SBFX
    (.bfi, "11110x110110nnnn0iiiddddiixmmmmm"),    // BFI, BFC (Rn = PC)
    (.usat, "11110x1110h0nnnn0iiiddddiixsssss"),   // USAT (h: ASR), USAT16
    (.ubfx, "11110x111100nnnn0iiiddddiixwwwww"),   // UBFX
    // Branches and miscellaneous control (A6.3.4)
    (.msr, "11110011100rnnnn10x0mmmmxx0xxxxx"),    // MSR <spec_reg>, Rn
    (.msrBanked, "11110011100rnnnn10x0mmmmxx1Mxxxx"), // MSR <banked_reg>, Rn
    (.hint, "111100111010xxxx10x0x000oooooooo"),   // NOP YIELD WFE WFI SEV DBG
    (.cps, "111100111010xxxx10x0xiiMaaammmmm"),    // CPS, CPSIE, CPSID (imod:M != 000)
    (.barrier, "111100111011xxxx10x0xxxxooooiiii"),// CLREX DSB DMB ISB
    (.bxj, "111100111100mmmm10x0xxxxxxxxxxxx"),    // BXJ Rm
    (.subsPCLR, "111100111101nnnn10x0xxxxiiiiiiii"),// SUBS PC, LR, #imm8 (ERET when imm8 = 0)
    (.mrs, "11110011111rxxxx10x0ddddxx0xxxxx"),    // MRS Rd, <spec_reg>
    (.mrsBanked, "11110011111rmmmm10x0ddddxx1Mxxxx"), // MRS Rd, <banked_reg>
    (.hvc, "111101111110iiii1000iiiiiiiiiiii"),    // HVC #imm16
    (.smc, "111101111111iiii1000xxxxxxxxxxxx"),    // SMC #imm4
    (.udf, "111101111111iiii1010iiiiiiiiiiii"),    // UDF #imm16
    (.undefined, "11110x111xxxxxxx10x0xxxxxxxxxxxx"), // rest of the B<c> space with c = 111x
    (.bcond, "11110scccciiiiii10J0Kiiiiiiiiiii"), // B<c>.W
    (.b, "11110siiiiiiiiii10J1Kiiiiiiiiiii"),      // B.W
    (.blxImm, "11110siiiiiiiiii11J0Kiiiiiiiiiih"),  // BLX label
    (.bl, "11110siiiiiiiiii11J1Kiiiiiiiiiii"),     // BL label
    // Single loads (A6.3.7 word, A6.3.8 halfword, A6.3.9 byte; s = signed, zz = size)
    (.loadLiteral, "1111100suzz11111ttttiiiiiiiiiiii"),   // LDR{S}{B,H} literal, PLD/PLI literal
    (.loadImm12, "1111100s1zz1nnnnttttiiiiiiiiiiii n!=1111"),     // LDR{S}{B,H} Rt, [Rn, #imm12], PLD/PLI
    (.loadImm8, "1111100s0zz1nnnntttt1puwiiiiiiii n!=1111"),      // LDR{S}{B,H}{T} Rt, [Rn, #+/-imm8]{!}
    (.loadReg, "1111100s0zz1nnnntttt000000iimmmm n!=1111"),       // LDR{S}{B,H} Rt, [Rn, Rm, LSL #imm2], PLD/PLI
    // Single stores (A6.3.10)
    (.storeImm12, "111110001zz0nnnnttttiiiiiiiiiiii"),    // STR{B,H} Rt, [Rn, #imm12]
    (.storeImm8, "111110000zz0nnnntttt1puwiiiiiiii"),     // STR{B,H}{T} Rt, [Rn, #+/-imm8]{!}
    (.storeReg, "111110000zz0nnnntttt000000iimmmm"),      // STR{B,H} Rt, [Rn, Rm, LSL #imm2]
    // Data processing (register) (A6.3.12)
    (.shiftReg, "111110100ttsnnnn1111dddd0000mmmm"), // LSL LSR ASR ROR (register)
    (.extend, "111110100ooonnnn1111dddd1xrrmmmm"),   // SXTAH UXTAH SXTAB16 UXTAB16 SXTAB UXTAB (Rn = PC: no add)
    (.parallelAddSub, "111110101ooonnnn1111dddd0uhqmmmm"), // S/Q/SH/U/UQ/UH ADD16 ASX SAX SUB16 ADD8 SUB8
    (.qaddsub, "111110101000nnnn1111dddd10oommmm"),  // QADD QDADD QSUB QDSUB
    (.revFamily, "111110101001nnnn1111dddd10oommmm"),// REV REV16 RBIT REVSH (n: Rm again)
    (.sel, "111110101010nnnn1111dddd1000mmmm"),      // SEL
    (.clz, "111110101011nnnn1111dddd1000mmmm"),      // CLZ (n: Rm again)
    // Multiply, multiply accumulate, absolute difference (A6.3.16)
    (.mulMla, "111110110000nnnnaaaadddd0000mmmm"),   // MLA (MUL when Ra = PC)
    (.mls, "111110110000nnnnaaaadddd0001mmmm"),      // MLS
    (.smlaxy, "111110110001nnnnaaaadddd00NMmmmm"),   // SMLA<x><y> (SMUL<x><y> when Ra = PC)
    (.smlad, "111110110010nnnnaaaadddd000Xmmmm"),    // SMLAD{X} (SMUAD{X})
    (.smlawy, "111110110011nnnnaaaadddd000ymmmm"),   // SMLAW<y> (SMULW<y>)
    (.smlsd, "111110110100nnnnaaaadddd000Xmmmm"),    // SMLSD{X} (SMUSD{X})
    (.smmla, "111110110101nnnnaaaadddd000rmmmm"),    // SMMLA{R} (SMMUL{R})
    (.smmls, "111110110110nnnnaaaadddd000rmmmm"),    // SMMLS{R}
    (.usada8, "111110110111nnnnaaaadddd0000mmmm"),   // USADA8 (USAD8)
    // Long multiply, long multiply accumulate, divide (A6.3.17)
    (.smull, "111110111000nnnnllllhhhh0000mmmm"),
    (.sdiv, "111110111001nnnnxxxxdddd1111mmmm"),
    (.umull, "111110111010nnnnllllhhhh0000mmmm"),
    (.udiv, "111110111011nnnnxxxxdddd1111mmmm"),
    (.smlal, "111110111100nnnnllllhhhh0000mmmm"),
    (.smlalxy, "111110111100nnnnllllhhhh10NMmmmm"),
    (.smlald, "111110111100nnnnllllhhhh110Xmmmm"),
    (.smlsld, "111110111101nnnnllllhhhh110Xmmmm"),
    (.umlal, "111110111110nnnnllllhhhh0000mmmm"),
    (.umaal, "111110111110nnnnllllhhhh0110mmmm"),
]
