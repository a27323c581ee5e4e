/// Builds a decoder from `t32EncodingTable` and translates T32 instructions
/// into `DecodedInstruction`s.
///
/// Design: a T32 instruction is translated at decode time into the A32
/// operation with the same behaviour, so the A32 semantics execute it:
/// `op` = `Core.thumbOpBase | A32Op.rawValue`, `raw` = a synthesized A32 word
/// (cond = 0xE) with the same fields, `imm` = the precomputed immediate (not
/// limited to A32-encodable values). Thumb-only behaviour gets
/// `op` = `Core.thumbOpBase | T32Special.flag | T32Special.rawValue` (see
/// `T32Special` for the layout of `raw` and `imm` of each). `cond` is the
/// condition of a B<c> encoding, else 0xE. `extra`: bit 0 = carry-out of a
/// rotated immediate (as in A32), bit 6 = 16-bit form that sets the flags
/// only outside an IT block (the run loop clears S, bit 20 of `raw`, inside
/// one), bit 7 = 32-bit instruction.
///
/// UNPREDICTABLE encodings: where the ARM ARM makes the use of SP or PC as an
/// operand UNPREDICTABLE (most 32-bit forms forbid R13/R15), this decoder
/// makes the instruction UNDEFINED, consistently, as QEMU mostly does. Other
/// UNPREDICTABLE cases (should-be bits, branches inside an IT block other
/// than the last instruction, register lists with one entry, IT inside an IT
/// block) execute with the natural behaviour.
final class T32Decoder: Sendable {
    /// The table's lines, parsed (`DecodeMatcher.Entry.line` indexes this).
    let lines: [(enc: T32Enc, pattern: DecodePattern)]
    /// 16-bit lines by bits 15:8 of the halfword.
    private let matcher16: DecodeMatcher
    /// 32-bit lines by bits 12:4 of the first halfword.
    private let matcher32: DecodeMatcher
    /// The lines' fields by letter.
    private let fieldTable: DecodeFieldTable

    static let shared = T32Decoder()

    static let flagSetting16: UInt8 = 0x40
    static let is32BitFlag: UInt8 = 0x80

    init() {
        let lines = t32EncodingTable.map { (enc: $0.0, pattern: DecodePattern($0.1)) }
        let all = lines.map { (UInt16($0.enc.rawValue), $0.pattern) }
        self.lines = lines
        fieldTable = DecodeFieldTable(lines.map(\.pattern))
        matcher16 = DecodeMatcher(all, keyShift: 8, keyBits: 8) { $0.width == 16 }
        matcher32 = DecodeMatcher(all, keyShift: 20, keyBits: 9) { $0.width == 32 }
    }

    /// The encoding of a T32 instruction (16-bit: the halfword; 32-bit:
    /// `hw1 << 16 | hw2`, `wide` true) and its fields as the matching table
    /// line's letters name them (nil: UNDEFINED).
    func fields(_ w: UInt32, wide: Bool) -> (enc: T32Enc, fields: DecodeFields)? {
        guard let e = wide ? matcher32.match(w) : matcher16.match(w) else { return nil }
        return (T32Enc.fromRaw(e.op), fieldTable.fields(line: e.line, word: w))
    }

    /// Whether `hw1` is the first halfword of a 32-bit instruction.
    @inline(__always) static func is32Bit(_ hw1: UInt16) -> Bool { hw1 >> 11 >= 0x1D }

    /// The encoding of a 16-bit instruction.
    func encoding16(_ hw: UInt16) -> T32Enc {
        matcher16.match(UInt32(hw)).map { T32Enc.fromRaw($0.op) } ?? .undefined
    }

    /// The encoding of a 32-bit instruction (`hw1 << 16 | hw2`).
    func encoding32(_ w: UInt32) -> T32Enc {
        matcher32.match(w).map { T32Enc.fromRaw($0.op) } ?? .undefined
    }

    /// Decodes the 16-bit instruction `hw` at `pc`.
    func decode16(_ hw: UInt16, pc: UInt32) -> DecodedInstruction {
        let w = UInt32(hw)
        guard let e = matcher16.match(w) else { return T32Decoder.undefined }
        return T32Decoder.translate16(T32Enc.fromRaw(e.op), fieldTable.fields(line: e.line, word: w), pc: pc)
    }

    /// Decodes the 32-bit instruction `hw1:hw2` at `pc`.
    func decode32(_ hw1: UInt16, _ hw2: UInt16, pc: UInt32) -> DecodedInstruction {
        let w = UInt32(hw1) << 16 | UInt32(hw2)
        var d = T32Decoder.undefined
        if let e = matcher32.match(w) {
            d = T32Decoder.translate32(T32Enc.fromRaw(e.op), fieldTable.fields(line: e.line, word: w), pc: pc)
        }
        d.extra |= T32Decoder.is32BitFlag
        return d
    }
}

// MARK: - Building blocks

/// A32 data-processing opcodes (bits 24:21).
enum DPOpcode {
    static let and: UInt32 = 0, eor: UInt32 = 1, sub: UInt32 = 2, rsb: UInt32 = 3, add: UInt32 = 4
    static let adc: UInt32 = 5, sbc: UInt32 = 6, tst: UInt32 = 8, teq: UInt32 = 9, cmp: UInt32 = 10
    static let cmn: UInt32 = 11, orr: UInt32 = 12, mov: UInt32 = 13, bic: UInt32 = 14, mvn: UInt32 = 15
}

extension T32Decoder {
    @inline(__always) static func a32(_ op: A32Op, _ raw: UInt32, imm: UInt32 = 0, extra: UInt8 = 0,
                                      cond: UInt8 = 0xE) -> DecodedInstruction {
        DecodedInstruction(raw: raw, imm: imm, op: Core.thumbOpBase | op.rawValue, cond: cond, extra: extra)
    }

    @inline(__always) static func special(_ s: T32Special, _ raw: UInt32 = 0, imm: UInt32 = 0,
                                          extra: UInt8 = 0) -> DecodedInstruction {
        DecodedInstruction(raw: raw, imm: imm, op: Core.thumbOpBase | T32Special.flag | s.rawValue,
                           cond: 0xE, extra: extra)
    }

    static let undefined = a32(.undefined, 0xE7F0_00F0)

    @inline(__always) static func isSPorPC(_ r: UInt32) -> Bool { r == 13 || r == 15 }

    /// A32 data processing, immediate operand (the constant is in `imm`).
    static func dpImm(_ opc: UInt32, s: Bool, rn: UInt32, rd: UInt32, imm: UInt32, rotated: Bool = false,
                      flags16: Bool = false) -> DecodedInstruction {
        let raw = 0xE200_0000 | opc << 21 | (s ? 1 << 20 : 0) | rn << 16 | rd << 12 | (imm <= 0xFF ? imm : 0)
        return a32(.dpImm, raw, imm: imm, extra: (rotated ? 1 : 0) | (flags16 ? flagSetting16 : 0))
    }

    /// A32 data processing, register operand shifted by an immediate.
    static func dpReg(_ opc: UInt32, s: Bool, rn: UInt32, rd: UInt32, rm: UInt32, type: UInt32 = 0,
                      amount: UInt32 = 0, flags16: Bool = false) -> DecodedInstruction {
        let raw = 0xE000_0000 | opc << 21 | (s ? 1 << 20 : 0) | rn << 16 | rd << 12 | amount << 7 | type << 5 | rm
        return a32(.dpReg, raw, extra: flags16 ? flagSetting16 : 0)
    }

    /// A32 data processing, register operand shifted by a register.
    static func dpRegShiftReg(_ opc: UInt32, s: Bool, rd: UInt32, rm: UInt32, type: UInt32, rs: UInt32,
                              flags16: Bool) -> DecodedInstruction {
        let raw = 0xE000_0010 | opc << 21 | (s ? 1 << 20 : 0) | rd << 12 | rs << 8 | type << 5 | rm
        return a32(.dpRegShiftReg, raw, extra: flags16 ? flagSetting16 : 0)
    }

    /// Folds the Align(PC, 4) of a literal access into (U, imm): the
    /// handler computes R15 +/- imm with R15 = pc + 4, the architecture
    /// Align(pc + 4, 4) +/- imm = pc + 4 - (pc & 2) +/- imm.
    static func foldLiteral(add: Bool, imm: UInt32, pc: UInt32) -> (add: Bool, imm: UInt32) {
        let low = pc & 2
        if !add { return (false, imm &+ low) }
        if imm >= low { return (true, imm &- low) }
        return (false, low &- imm)
    }

    /// ThumbExpandImm_C: the constant and whether its carry-out is bit 31
    /// (otherwise the carry flag is unchanged). nil when UNPREDICTABLE.
    static func thumbExpandImm(_ imm12: UInt32) -> (UInt32, Bool)? {
        if imm12 >> 10 == 0 {
            let b = imm12 & 0xFF
            switch (imm12 >> 8) & 3 {
            case 0: return (b, false)
            case 1: return b == 0 ? nil : (b << 16 | b, false)
            case 2: return b == 0 ? nil : (b << 24 | b << 8, false)
            default: return b == 0 ? nil : (b * 0x0101_0101, false)
            }
        }
        return ((0x80 | (imm12 & 0x7F)).rotateRight(imm12 >> 7), true)
    }

    /// Word/byte load or store through the A32 handlers (immediate offset).
    static func ldstImm(load: Bool, byte: Bool, p: Bool, u: Bool, w: Bool, rn: UInt32, rt: UInt32,
                        imm: UInt32) -> DecodedInstruction {
        let op: A32Op = load ? (byte ? .ldrbImm : .ldrImm) : (byte ? .strbImm : .strImm)
        let raw = 0xE400_0000 | (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (byte ? 1 << 22 : 0) | (w ? 1 << 21 : 0)
            | (load ? 1 << 20 : 0) | rn << 16 | rt << 12 | (imm & 0xFFF)
        return a32(op, raw, imm: imm)
    }

    /// Word/byte load or store, register offset LSL #amount, offset addressing.
    static func ldstReg(load: Bool, byte: Bool, rn: UInt32, rt: UInt32, rm: UInt32, amount: UInt32) -> DecodedInstruction {
        let op: A32Op = load ? (byte ? .ldrbReg : .ldrReg) : (byte ? .strbReg : .strReg)
        let raw = 0xE780_0000 | (byte ? 1 << 22 : 0) | (load ? 1 << 20 : 0) | rn << 16 | rt << 12 | amount << 7 | rm
        return a32(op, raw)
    }

    /// Halfword / signed loads and stores through the A32 "extra" handlers.
    /// `sh`: 1 = unsigned halfword, 2 = signed byte, 3 = signed halfword.
    static func ldstExtraImm(load: Bool, sh: UInt32, p: Bool, u: Bool, w: Bool, rn: UInt32, rt: UInt32,
                             imm: UInt32) -> DecodedInstruction {
        let op: A32Op = !load ? .strh : (sh == 1 ? .ldrh : sh == 2 ? .ldrsb : .ldrsh)
        let raw = 0xE040_0090 | (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (w ? 1 << 21 : 0) | (load ? 1 << 20 : 0)
            | rn << 16 | rt << 12 | (imm & 0xF0) << 4 | sh << 5 | (imm & 0xF)
        return a32(op, raw, imm: imm)
    }

    static func ldstExtraReg(load: Bool, sh: UInt32, rn: UInt32, rt: UInt32, rm: UInt32) -> DecodedInstruction {
        let op: A32Op = !load ? .strh : (sh == 1 ? .ldrh : sh == 2 ? .ldrsb : .ldrsh)
        let raw = 0xE180_0090 | (load ? 1 << 20 : 0) | rn << 16 | rt << 12 | sh << 5 | rm
        return a32(op, raw)
    }

    static func bits(_ w: UInt32, _ hi: UInt32, _ lo: UInt32) -> UInt32 {
        (w >> lo) & ((1 << (hi - lo + 1)) - 1)
    }

    @inline(__always) static func signExtend(_ v: UInt32, bits: UInt32) -> UInt32 {
        UInt32(bitPattern: Int32(bitPattern: v << (32 - bits)) >> Int32(32 - bits))
    }
}

// MARK: - 16-bit translation

extension T32Decoder {
    /// Translates a 16-bit encoding; `f` holds the fields its table line's
    /// letters define.
    static func translate16(_ enc: T32Enc, _ f: DecodeFields, pc: UInt32) -> DecodedInstruction {
        let w = f.word
        switch enc {
        case .addSubReg16:
            return dpReg(f.flag("s") ? DPOpcode.sub : DPOpcode.add, s: true, rn: f["n"], rd: f["d"], rm: f["m"],
                         flags16: true)
        case .addSubImm3_16:
            return dpImm(f.flag("s") ? DPOpcode.sub : DPOpcode.add, s: true, rn: f["n"], rd: f["d"], imm: f["i"],
                         flags16: true)
        case .shiftImm16:
            // LSL #0 is MOVS Rd, Rm; LSR/ASR #0 mean #32 in both instruction sets.
            return dpReg(DPOpcode.mov, s: true, rn: 0, rd: f["d"], rm: f["m"], type: f["t"], amount: f["i"],
                         flags16: true)
        case .movImm16:
            return dpImm(DPOpcode.mov, s: true, rn: 0, rd: f["d"], imm: f["i"], flags16: true)
        case .cmpImm16:
            return dpImm(DPOpcode.cmp, s: true, rn: f["n"], rd: 0, imm: f["i"])
        case .addImm8_16:
            return dpImm(DPOpcode.add, s: true, rn: f["d"], rd: f["d"], imm: f["i"], flags16: true)
        case .subImm8_16:
            return dpImm(DPOpcode.sub, s: true, rn: f["d"], rd: f["d"], imm: f["i"], flags16: true)
        case .dpReg16:
            let rdn = f["d"], rm = f["m"]
            switch f["o"] {
            case 0x0: return dpReg(DPOpcode.and, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            case 0x1: return dpReg(DPOpcode.eor, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            case 0x2: return dpRegShiftReg(DPOpcode.mov, s: true, rd: rdn, rm: rdn, type: 0, rs: rm, flags16: true)
            case 0x3: return dpRegShiftReg(DPOpcode.mov, s: true, rd: rdn, rm: rdn, type: 1, rs: rm, flags16: true)
            case 0x4: return dpRegShiftReg(DPOpcode.mov, s: true, rd: rdn, rm: rdn, type: 2, rs: rm, flags16: true)
            case 0x5: return dpReg(DPOpcode.adc, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            case 0x6: return dpReg(DPOpcode.sbc, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            case 0x7: return dpRegShiftReg(DPOpcode.mov, s: true, rd: rdn, rm: rdn, type: 3, rs: rm, flags16: true)
            case 0x8: return dpReg(DPOpcode.tst, s: true, rn: rdn, rd: 0, rm: rm)
            case 0x9: return dpImm(DPOpcode.rsb, s: true, rn: rm, rd: rdn, imm: 0, flags16: true)   // NEG = RSBS Rd, Rn, #0
            case 0xA: return dpReg(DPOpcode.cmp, s: true, rn: rdn, rd: 0, rm: rm)
            case 0xB: return dpReg(DPOpcode.cmn, s: true, rn: rdn, rd: 0, rm: rm)
            case 0xC: return dpReg(DPOpcode.orr, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            case 0xD:   // MULS Rdm, Rn, Rdm
                return a32(.mul, 0xE010_0090 | rdn << 16 | rdn << 8 | rm, extra: flagSetting16)
            case 0xE: return dpReg(DPOpcode.bic, s: true, rn: rdn, rd: rdn, rm: rm, flags16: true)
            default: return dpReg(DPOpcode.mvn, s: true, rn: 0, rd: rdn, rm: rm, flags16: true)
            }
        case .addHi16:
            let rdn = f["d"], rm = f["m"]
            if rdn == 15 && rm == 15 { return undefined }
            return dpReg(DPOpcode.add, s: false, rn: rdn, rd: rdn, rm: rm)
        case .cmpHi16:
            let rn = f["n"], rm = f["m"]
            if rn == 15 || rm == 15 { return undefined }
            return dpReg(DPOpcode.cmp, s: true, rn: rn, rd: 0, rm: rm)
        case .movHi16:
            return dpReg(DPOpcode.mov, s: false, rn: 0, rd: f["d"], rm: f["m"])
        case .bx16:
            return a32(.bx, 0xE12F_FF10 | f["m"])
        case .blx16:
            let rm = f["m"]
            if rm == 15 { return undefined }
            return special(.blxReg, 0xE12F_FF30 | rm)
        case .ldrLit16:
            let (u, imm) = foldLiteral(add: true, imm: f["i"] << 2, pc: pc)
            return ldstImm(load: true, byte: false, p: true, u: u, w: false, rn: 15, rt: f["t"], imm: imm)
        case .ldstReg16:
            let rn = f["n"], rt = f["t"], rm = f["m"]
            switch f["o"] {
            case 0: return ldstReg(load: false, byte: false, rn: rn, rt: rt, rm: rm, amount: 0)
            case 1: return ldstExtraReg(load: false, sh: 1, rn: rn, rt: rt, rm: rm)
            case 2: return ldstReg(load: false, byte: true, rn: rn, rt: rt, rm: rm, amount: 0)
            case 3: return ldstExtraReg(load: true, sh: 2, rn: rn, rt: rt, rm: rm)
            case 4: return ldstReg(load: true, byte: false, rn: rn, rt: rt, rm: rm, amount: 0)
            case 5: return ldstExtraReg(load: true, sh: 1, rn: rn, rt: rt, rm: rm)
            case 6: return ldstReg(load: true, byte: true, rn: rn, rt: rt, rm: rm, amount: 0)
            default: return ldstExtraReg(load: true, sh: 3, rn: rn, rt: rt, rm: rm)
            }
        case .ldstWordImm16:
            return ldstImm(load: f.flag("l"), byte: false, p: true, u: true, w: false, rn: f["n"], rt: f["t"],
                           imm: f["i"] << 2)
        case .ldstByteImm16:
            return ldstImm(load: f.flag("l"), byte: true, p: true, u: true, w: false, rn: f["n"], rt: f["t"],
                           imm: f["i"])
        case .ldstHalfImm16:
            return ldstExtraImm(load: f.flag("l"), sh: 1, p: true, u: true, w: false, rn: f["n"], rt: f["t"],
                                imm: f["i"] << 1)
        case .ldstSP16:
            return ldstImm(load: f.flag("l"), byte: false, p: true, u: true, w: false, rn: 13, rt: f["t"],
                           imm: f["i"] << 2)
        case .adr16:
            let (u, imm) = foldLiteral(add: true, imm: f["i"] << 2, pc: pc)
            return dpImm(u ? DPOpcode.add : DPOpcode.sub, s: false, rn: 15, rd: f["d"], imm: imm)
        case .addSPImm16:
            return dpImm(DPOpcode.add, s: false, rn: 13, rd: f["d"], imm: f["i"] << 2)
        case .addSubSP16:
            return dpImm(f.flag("s") ? DPOpcode.sub : DPOpcode.add, s: false, rn: 13, rd: 13, imm: f["i"] << 2)
        case .cbz16:
            return special(f.flag("o") ? .cbnz : .cbz, f["n"], imm: f["i"] << 1)
        case .extend16:
            let rd = f["d"], rm = f["m"]
            switch f["o"] {   // the A32 extend-and-add forms with Rn = PC (no addition)
            case 0: return a32(.sxtah, 0xE6BF_0070 | rd << 12 | rm)   // SXTH
            case 1: return a32(.sxtab, 0xE6AF_0070 | rd << 12 | rm)   // SXTB
            case 2: return a32(.uxtah, 0xE6FF_0070 | rd << 12 | rm)   // UXTH
            default: return a32(.uxtab, 0xE6EF_0070 | rd << 12 | rm)  // UXTB
            }
        case .push16:
            let list = f["r"] | f["m"] << 14
            if list == 0 { return undefined }
            return a32(.stm, 0xE92D_0000 | list)   // STMDB SP!, {list}
        case .setend16:
            return a32(.setend, 0xF101_0000 | f["e"] << 9)
        case .cps16:
            let aif = f["a"] << 2 | f["i"] << 1 | f["f"]
            if aif == 0 { return undefined }
            let imod: UInt32 = f.flag("m") ? 3 : 2   // m: 1 = CPSID
            return a32(.cps, 0xF100_0000 | imod << 18 | aif << 6)
        case .rev16:
            let rd = f["d"], rm = f["m"]
            switch (w >> 6) & 3 {   // the op bits, fixed in each REV line
            case 0: return a32(.rev, 0xE6BF_0F30 | rd << 12 | rm)
            case 1: return a32(.rev16, 0xE6BF_0FB0 | rd << 12 | rm)
            default: return a32(.revsh, 0xE6FF_0FB0 | rd << 12 | rm)
            }
        case .pop16:
            let list = f["r"] | f["p"] << 15
            if list == 0 { return undefined }
            return a32(.ldm, 0xE8BD_0000 | list)   // LDMIA SP!, {list}
        case .bkpt16:
            let imm8 = f["i"]
            return a32(.bkpt, 0xE120_0070 | (imm8 >> 4) << 8 | (imm8 & 0xF))
        case .hint16:
            switch f["o"] {
            case 1: return a32(.yield, 0xE320_F001)
            case 2: return special(.wfe16)
            case 3: return special(.wfi16)
            case 4: return a32(.sev, 0xE320_F004)
            default: return a32(.nop, 0xE320_F000)
            }
        case .it16:
            if f["c"] == 0xF { return undefined }
            return special(.it, imm: f["c"] << 4 | f["m"])
        case .stm16:
            let list = f["r"]
            if list == 0 { return undefined }
            return a32(.stm, 0xE8A0_0000 | f["n"] << 16 | list)   // STMIA Rn!, {list}
        case .ldm16:
            let list = f["r"], rn = f["n"]
            if list == 0 { return undefined }
            let wb: UInt32 = list & (1 << rn) != 0 ? 0 : 1 << 21         // no writeback if Rn is loaded
            return a32(.ldm, 0xE890_0000 | wb | rn << 16 | list)
        case .udf16:
            let imm8 = f["i"]
            return a32(.udf, 0xE7F0_00F0 | (imm8 >> 4) << 8 | (imm8 & 0xF))
        case .svc16:
            return a32(.svc, 0xEF00_0000 | f["i"])
        case .bcond16:
            let imm = signExtend(f["i"] << 1, bits: 9)
            return a32(.b, 0xEA00_0000 | ((imm >> 2) & 0xFF_FFFF), imm: imm, cond: UInt8(f["c"]))
        case .b16:
            let imm = signExtend(f["i"] << 1, bits: 12)
            return a32(.b, 0xEA00_0000 | ((imm >> 2) & 0xFF_FFFF), imm: imm)
        default:
            return undefined
        }
    }
}

// MARK: - 32-bit translation

extension T32Decoder {
    /// Resolves a T32 data-processing opcode (A6.3.1, A6.3.11) to the A32
    /// opcode, including the Rd = PC test forms and the Rn = PC move forms.
    private static func dpPlan(_ op: UInt32, s: Bool, rn: UInt32, rd: UInt32)
        -> (opc: UInt32, rn: UInt32, rd: UInt32, orn: Bool)? {
        let test = rd == 15 && s
        switch op {
        case 0b0000: return test ? (DPOpcode.tst, rn, 0, false) : (DPOpcode.and, rn, rd, false)
        case 0b0001: return (DPOpcode.bic, rn, rd, false)
        case 0b0010: return rn == 15 ? (DPOpcode.mov, 0, rd, false) : (DPOpcode.orr, rn, rd, false)
        case 0b0011: return rn == 15 ? (DPOpcode.mvn, 0, rd, false) : (DPOpcode.orr, rn, rd, true)
        case 0b0100: return test ? (DPOpcode.teq, rn, 0, false) : (DPOpcode.eor, rn, rd, false)
        case 0b1000: return test ? (DPOpcode.cmn, rn, 0, false) : (DPOpcode.add, rn, rd, false)
        case 0b1010: return (DPOpcode.adc, rn, rd, false)
        case 0b1011: return (DPOpcode.sbc, rn, rd, false)
        case 0b1101: return test ? (DPOpcode.cmp, rn, 0, false) : (DPOpcode.sub, rn, rd, false)
        case 0b1110: return (DPOpcode.rsb, rn, rd, false)
        default: return nil
        }
    }

    /// Register constraints of the data-processing forms (SP/PC operands
    /// that the ARM ARM makes UNPREDICTABLE are UNDEFINED here).
    /// `rm` is nil for the immediate forms.
    private static func dpOperandsAllowed(opc: UInt32, rn: UInt32, rd: UInt32, rm: UInt32?, s: Bool,
                                          shifted: Bool, shiftType: UInt32, amount: UInt32) -> Bool {
        if let m = rm {
            let movSP = opc == DPOpcode.mov && !s && !shifted   // MOV.W SP, Rm / MOV.W Rm, SP allowed
            if movSP { if m == 15 || (rd == 13 && m == 13) { return false } }
            else if isSPorPC(m) { return false }
        }
        switch opc {
        case DPOpcode.tst, DPOpcode.teq: return !isSPorPC(rn)
        case DPOpcode.cmp, DPOpcode.cmn: return rn != 15
        case DPOpcode.mov:
            if rm != nil && !s && !shifted { return rd != 15 }
            return !isSPorPC(rd)
        case DPOpcode.mvn: return !isSPorPC(rd)
        case DPOpcode.add, DPOpcode.sub:
            if rn == 13 {   // SP plus/minus: Rd = SP only with LSL #0-3
                if rd == 15 { return false }
                if rd == 13 && rm != nil && (shiftType != 0 || amount > 3) { return false }
                return true
            }
            return rn != 15 && !isSPorPC(rd)
        default:
            return !isSPorPC(rn) && !isSPorPC(rd)
        }
    }

    /// Size of a single load: byte/word through the A32 word/byte handlers,
    /// or `sh` of the A32 extra load handlers. nil = UNDEFINED.
    private static func loadKind(signed: Bool, size: UInt32) -> (word: Bool, byte: Bool, sh: UInt32)? {
        switch (signed, size) {
        case (false, 0): return (false, true, 0)
        case (false, 2): return (true, false, 0)
        case (false, 1): return (false, false, 1)
        case (true, 0): return (false, false, 2)
        case (true, 1): return (false, false, 3)
        default: return nil
        }
    }

    /// A memory hint (PLD, PLDW, PLI or an unallocated hint): a NOP here.
    private static func hint(pli: Bool) -> DecodedInstruction {
        pli ? a32(.pli, 0xF450_F000) : a32(.pld, 0xF550_F000)
    }

    /// Translates a 32-bit encoding; `f` holds the fields its table line's
    /// letters define (no hand-written field extraction: a table line and
    /// its translation cannot disagree about where a field is).
    static func translate32(_ enc: T32Enc, _ f: DecodeFields, pc: UInt32) -> DecodedInstruction {
        let w = f.word   // for bits fixed in a line (which line of an encoding matched)
        switch enc {
        // Load/store multiple, RFE, SRS
        case .srs:
            let ia = (w >> 23) & 3 == 3   // bits 24:23, fixed in each line
            return a32(.srs, 0xF84D_0500 | (ia ? 1 << 23 : 1 << 24) | f["w"] << 21 | f["m"])
        case .rfe:
            let rn = f["n"]
            if rn == 15 { return undefined }
            let ia = (w >> 23) & 3 == 3
            return a32(.rfe, 0xF810_0A00 | (ia ? 1 << 23 : 1 << 24) | f["w"] << 21 | rn << 16)
        case .ldmStm:
            let load = f.flag("l"), wb = f.flag("w"), db = (w >> 23) & 3 == 2
            let rn = f["n"], list = f["r"]
            if rn == 15 || list & 0x2000 != 0 || list == 0 { return undefined }
            if !load && list & 0x8000 != 0 { return undefined }
            if load && list & 0xC000 == 0xC000 { return undefined }
            if wb && list & (1 << rn) != 0 { return undefined }
            let raw = 0xE800_0000 | (db ? 1 << 24 : 1 << 23) | (wb ? 1 << 21 : 0) | (load ? 1 << 20 : 0) | rn << 16 | list
            return a32(load ? .ldm : .stm, raw)

        // Load/store dual, exclusive, table branch
        case .strex:
            let rn = f["n"], rt = f["t"], rd = f["d"], imm8 = f["i"]
            if isSPorPC(rd) || isSPorPC(rt) || rn == 15 || rd == rn || rd == rt { return undefined }
            let raw = 0xE180_0F90 | rn << 16 | rd << 12 | rt
            return imm8 == 0 ? a32(.strex, raw) : special(.strex, raw, imm: imm8 << 2)
        case .ldrex:
            let rn = f["n"], rt = f["t"], imm8 = f["i"]
            if isSPorPC(rt) || rn == 15 { return undefined }
            let raw = 0xE190_0F9F | rn << 16 | rt << 12
            return imm8 == 0 ? a32(.ldrex, raw) : special(.ldrex, raw, imm: imm8 << 2)
        case .strexbh:
            let rn = f["n"], rt = f["t"], rd = f["d"]
            if isSPorPC(rd) || isSPorPC(rt) || rn == 15 || rd == rn || rd == rt { return undefined }
            let half = f.flag("h")
            return a32(half ? .strexh : .strexb, (half ? 0xE1E0_0F90 : 0xE1C0_0F90) | rn << 16 | rd << 12 | rt)
        case .strexd:
            let rn = f["n"], rt = f["t"], rt2 = f["u"], rd = f["d"]
            if isSPorPC(rd) || isSPorPC(rt) || isSPorPC(rt2) || rn == 15 || rd == rn || rd == rt || rd == rt2 {
                return undefined
            }
            return special(.strexd, rn << 16 | rt << 12 | rt2 << 8 | rd)
        case .tbb, .tbh:
            let rn = f["n"], rm = f["m"]
            if rn == 13 || isSPorPC(rm) { return undefined }
            return special(enc == .tbb ? .tbb : .tbh, rn << 16 | rm)
        case .ldrexbh:
            let rn = f["n"], rt = f["t"]
            if isSPorPC(rt) || rn == 15 { return undefined }
            let half = f.flag("h")
            return a32(half ? .ldrexh : .ldrexb, (half ? 0xE1F0_0F9F : 0xE1D0_0F9F) | rn << 16 | rt << 12)
        case .ldrexd:
            let rn = f["n"], rt = f["t"], rt2 = f["u"]
            if isSPorPC(rt) || isSPorPC(rt2) || rt == rt2 || rn == 15 { return undefined }
            return special(.ldrexd, rn << 16 | rt << 12 | rt2 << 8)
        case .ldrdStrd:
            // P (bit 24) is fixed in each line; W (bit 21) is a field of one
            // and fixed to 1 (post-indexed) in the other.
            let p = w & (1 << 24) != 0, wb = w & (1 << 21) != 0
            let u = f.flag("U"), load = f.flag("l"), rn = f["n"], rt = f["t"], rt2 = f["u"]
            if isSPorPC(rt) || isSPorPC(rt2) { return undefined }
            if wb && (rn == rt || rn == rt2) { return undefined }
            if load && rt == rt2 { return undefined }
            if rn == 15 && (!load || wb) { return undefined }
            let raw = (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (wb ? 1 << 21 : 0) | rn << 16 | rt << 12 | rt2 << 8
            return special(load ? .ldrd : .strd, raw, imm: f["i"] << 2)

        // Data processing
        case .pkh:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            return a32(.pkh, 0xE680_0010 | rn << 16 | rd << 12 | f["i"] << 7 | f["t"] << 6 | rm)
        case .dpShiftedReg:
            let s = f.flag("s"), rn = f["n"], rd = f["d"], rm = f["m"], type = f["t"], amount = f["i"]
            guard let plan = dpPlan(f["o"], s: s, rn: rn, rd: rd) else { return undefined }
            let shifted = type != 0 || amount != 0
            if !dpOperandsAllowed(opc: plan.opc, rn: rn, rd: rd, rm: rm, s: s, shifted: shifted,
                                  shiftType: type, amount: amount) { return undefined }
            var d = dpReg(plan.opc, s: s, rn: plan.rn, rd: plan.rd, rm: rm, type: type, amount: amount)
            if plan.orn { d.op = Core.thumbOpBase | T32Special.flag | T32Special.ornReg.rawValue }
            return d
        case .dpModImm:
            let s = f.flag("s"), rn = f["n"], rd = f["d"]
            guard let plan = dpPlan(f["o"], s: s, rn: rn, rd: rd), let expanded = thumbExpandImm(f["i"])
            else { return undefined }
            let (imm, rotated) = expanded
            if !dpOperandsAllowed(opc: plan.opc, rn: rn, rd: rd, rm: nil, s: s, shifted: false,
                                  shiftType: 0, amount: 0) { return undefined }
            var d = dpImm(plan.opc, s: s, rn: plan.rn, rd: plan.rd, imm: imm, rotated: rotated)
            if plan.orn { d.op = Core.thumbOpBase | T32Special.flag | T32Special.ornImm.rawValue }
            return d
        case .addSubW:
            let sub = w & (1 << 23) != 0   // fixed in each of the two lines
            let rn = f["n"], rd = f["d"], imm12 = f["i"]
            if rn == 15 {   // ADR.W
                if isSPorPC(rd) { return undefined }
                let (u, imm) = foldLiteral(add: !sub, imm: imm12, pc: pc)
                return dpImm(u ? DPOpcode.add : DPOpcode.sub, s: false, rn: 15, rd: rd, imm: imm)
            }
            if rn == 13 ? rd == 15 : isSPorPC(rd) { return undefined }
            return dpImm(sub ? DPOpcode.sub : DPOpcode.add, s: false, rn: rn, rd: rd, imm: imm12)
        case .movwMovt:
            let rd = f["d"]
            if isSPorPC(rd) { return undefined }
            let imm16 = f["h"] << 12 | f["i"]
            let top = f.flag("t")
            return a32(top ? .movt : .movw, (top ? 0xE340_0000 : 0xE300_0000) | (imm16 >> 12) << 16 | rd << 12
                       | (imm16 & 0xFFF), imm: imm16)
        case .ssat, .usat:
            let rn = f["n"], rd = f["d"], imm5 = f["i"], sat = f["s"]
            if isSPorPC(rd) || isSPorPC(rn) { return undefined }
            let sh = f.flag("h")
            let unsigned = enc == .usat
            if sh && imm5 == 0 {   // SSAT16 / USAT16 (4-bit saturate position)
                return a32(unsigned ? .usat16 : .ssat16,
                           (unsigned ? 0xE6E0_0F30 : 0xE6A0_0F30) | (sat & 0xF) << 16 | rd << 12 | rn)
            }
            return a32(unsigned ? .usat : .ssat, (unsigned ? 0xE6E0_0010 : 0xE6A0_0010) | sat << 16
                       | rd << 12 | imm5 << 7 | (sh ? 1 << 6 : 0) | rn)
        case .sbfx, .ubfx:
            let rn = f["n"], rd = f["d"]
            if isSPorPC(rd) || isSPorPC(rn) { return undefined }
            let u = enc == .ubfx
            return a32(u ? .ubfx : .sbfx, (u ? 0xE7E0_0050 : 0xE7A0_0050) | f["w"] << 16 | rd << 12
                       | f["i"] << 7 | rn)
        case .bfi:
            let rn = f["n"], rd = f["d"]
            if isSPorPC(rd) || rn == 13 { return undefined }
            return a32(.bfi, 0xE7C0_0010 | f["m"] << 16 | rd << 12 | f["i"] << 7 | rn)

        // Branches and miscellaneous control
        case .msr:
            let rn = f["n"], mask = f["m"]
            if isSPorPC(rn) || mask == 0 { return undefined }
            return a32(.msrReg, 0xE120_F000 | f["r"] << 22 | mask << 16 | rn)
        case .msrBanked:
            let rn = f["n"]
            if isSPorPC(rn) { return undefined }
            return a32(.msrBanked, 0xE120_F200 | f["r"] << 22 | f["m"] << 16 | f["M"] << 8 | rn)
        case .hint:
            let option = f["o"]
            switch option {
            case 1: return a32(.yield, 0xE320_F001)
            case 2: return a32(.wfe, 0xE320_F002)
            case 3: return a32(.wfi, 0xE320_F003)
            case 4: return a32(.sev, 0xE320_F004)
            case 0xF0...0xFF: return a32(.dbg, 0xE320_F000 | option)
            default: return a32(.nop, 0xE320_F000)
            }
        case .cps:
            let imod = f["i"], m = f["M"], aif = f["a"], mode = f["m"]
            if imod == 1 || (m == 0 && mode != 0) || (imod >= 2) != (aif != 0) { return undefined }
            return a32(.cps, 0xF100_0000 | imod << 18 | m << 17 | aif << 6 | mode)
        case .barrier:
            let option = f["i"]
            switch f["o"] {
            case 2: return a32(.clrex, 0xF57F_F01F)
            case 4: return a32(.dsb, 0xF57F_F040 | option)
            case 5: return a32(.dmb, 0xF57F_F050 | option)
            case 6: return a32(.isb, 0xF57F_F060 | option)
            default: return undefined
            }
        case .bxj:
            let rm = f["m"]
            if isSPorPC(rm) { return undefined }
            return a32(.bxj, 0xE12F_FF20 | rm)
        case .subsPCLR:
            let imm8 = f["i"]
            if f["n"] != 14 { return undefined }
            if imm8 == 0 { return a32(.eret, 0xE160_006E) }   // ERET is SUBS PC, LR, #0
            return special(.subsPCLR, 0xE25E_F000 | imm8, imm: imm8)
        case .mrs:
            let rd = f["d"]
            if isSPorPC(rd) { return undefined }
            return a32(.mrs, 0xE10F_0000 | f["r"] << 22 | rd << 12)
        case .mrsBanked:
            let rd = f["d"]
            if isSPorPC(rd) { return undefined }
            return a32(.mrsBanked, 0xE100_0200 | f["r"] << 22 | f["m"] << 16 | rd << 12 | f["M"] << 8)
        case .hvc:
            let imm16 = f["i"]
            return a32(.hvc, 0xE140_0070 | (imm16 >> 4) << 8 | (imm16 & 0xF))
        case .smc:
            return a32(.smc, 0xE160_0070 | f["i"])
        case .udf:
            let imm16 = f["i"]
            return a32(.udf, 0xE7F0_00F0 | (imm16 >> 4) << 8 | (imm16 & 0xF))
        case .bcond:
            // imm32 = SignExtend(S:J2:J1:imm6:imm11:'0')
            let imm = signExtend(f["s"] << 20 | f["K"] << 19 | f["J"] << 18 | f["i"] << 1, bits: 21)
            return a32(.b, 0xEA00_0000 | ((imm >> 2) & 0xFF_FFFF), imm: imm, cond: UInt8(f["c"]))
        case .b, .bl, .blxImm:
            // imm32 = SignExtend(S:I1:I2:imm10:imm11:'0'), I1 = NOT(J1 EOR S), I2 = NOT(J2 EOR S);
            // BLX's H bit (bit 0 of imm11) must be 0.
            let sBit = f["s"]
            let i1 = ~(f["J"] ^ sBit) & 1, i2 = ~(f["K"] ^ sBit) & 1
            let low = enc == .blxImm ? f["i"] << 1 | f["h"] : f["i"]
            let imm = signExtend(sBit << 24 | i1 << 23 | i2 << 22 | low << 1, bits: 25)
            switch enc {
            case .b: return a32(.b, 0xEA00_0000 | ((imm >> 2) & 0xFF_FFFF), imm: imm)
            case .bl: return special(.bl, imm: imm)
            default:
                if f["h"] != 0 { return undefined }
                // Target = Align(PC, 4) + imm = R15 + imm - (pc & 2).
                return special(.blxImm, imm: imm &- (pc & 2))
            }

        // Single loads
        case .loadLiteral, .loadImm12, .loadImm8, .loadReg:
            let signed = f.flag("s"), size = f["z"], rt = f["t"]
            guard let k = loadKind(signed: signed, size: size) else { return undefined }
            if rt == 13 && !k.word { return undefined }
            switch enc {
            case .loadLiteral:
                if rt == 15 && !k.word { return hint(pli: k.sh == 2) }
                let (u, imm) = foldLiteral(add: f.flag("u"), imm: f["i"], pc: pc)
                if k.sh == 0 { return ldstImm(load: true, byte: k.byte, p: true, u: u, w: false, rn: 15, rt: rt, imm: imm) }
                return ldstExtraImm(load: true, sh: k.sh, p: true, u: u, w: false, rn: 15, rt: rt, imm: imm)
            case .loadImm12:
                let rn = f["n"]
                if rt == 15 && !k.word { return hint(pli: k.sh == 2) }
                if k.sh == 0 { return ldstImm(load: true, byte: k.byte, p: true, u: true, w: false, rn: rn, rt: rt, imm: f["i"]) }
                return ldstExtraImm(load: true, sh: k.sh, p: true, u: true, w: false, rn: rn, rt: rt, imm: f["i"])
            case .loadImm8:
                let rn = f["n"], imm8 = f["i"], p = f.flag("p"), u = f.flag("u"), wb = f.flag("w")
                if p && u && !wb {   // LDRT, LDRBT, LDRHT, LDRSBT, LDRSHT
                    if isSPorPC(rt) { return undefined }
                    return special(.loadStoreUnprivileged, 1 << 20 | rn << 16 | rt << 12 | size << 8 | (signed ? 0x10 : 0),
                                   imm: imm8)
                }
                if !p && !wb { return undefined }
                if rt == 15 && !k.word { return p && !u && !wb ? hint(pli: k.sh == 2) : undefined }
                if wb && rn == rt { return undefined }
                // T32 post-indexing is P = 0, W = 1; A32 writes it P = 0, W = 0 (its P = 0, W = 1 is LDRT).
                let a32W = p && wb
                if k.sh == 0 { return ldstImm(load: true, byte: k.byte, p: p, u: u, w: a32W, rn: rn, rt: rt, imm: imm8) }
                return ldstExtraImm(load: true, sh: k.sh, p: p, u: u, w: a32W, rn: rn, rt: rt, imm: imm8)
            default: // .loadReg
                let rn = f["n"], rm = f["m"], amount = f["i"]
                if isSPorPC(rm) { return undefined }
                if rt == 15 && !k.word { return hint(pli: k.sh == 2) }
                if k.sh == 0 { return ldstReg(load: true, byte: k.byte, rn: rn, rt: rt, rm: rm, amount: amount) }
                if amount == 0 { return ldstExtraReg(load: true, sh: k.sh, rn: rn, rt: rt, rm: rm) }
                return special(.loadStoreExtraShifted, 1 << 20 | rn << 16 | rt << 12 | amount << 7 | k.sh << 5 | rm)
            }

        // Single stores
        case .storeImm12, .storeImm8, .storeReg:
            let size = f["z"], rn = f["n"], rt = f["t"]
            if size == 3 || rn == 15 || rt == 15 || (rt == 13 && size != 2) { return undefined }
            let byte = size == 0
            switch enc {
            case .storeImm12:
                if size == 1 { return ldstExtraImm(load: false, sh: 1, p: true, u: true, w: false, rn: rn, rt: rt, imm: f["i"]) }
                return ldstImm(load: false, byte: byte, p: true, u: true, w: false, rn: rn, rt: rt, imm: f["i"])
            case .storeImm8:
                let imm8 = f["i"], p = f.flag("p"), u = f.flag("u"), wb = f.flag("w")
                if p && u && !wb {   // STRT, STRBT, STRHT
                    if rt == 13 { return undefined }
                    return special(.loadStoreUnprivileged, rn << 16 | rt << 12 | size << 8, imm: imm8)
                }
                if !p && !wb { return undefined }
                if wb && rn == rt { return undefined }
                let a32W = p && wb
                if size == 1 { return ldstExtraImm(load: false, sh: 1, p: p, u: u, w: a32W, rn: rn, rt: rt, imm: imm8) }
                return ldstImm(load: false, byte: byte, p: p, u: u, w: a32W, rn: rn, rt: rt, imm: imm8)
            default: // .storeReg
                let rm = f["m"], amount = f["i"]
                if isSPorPC(rm) { return undefined }
                if size != 1 { return ldstReg(load: false, byte: byte, rn: rn, rt: rt, rm: rm, amount: amount) }
                if amount == 0 { return ldstExtraReg(load: false, sh: 1, rn: rn, rt: rt, rm: rm) }
                return special(.loadStoreExtraShifted, rn << 16 | rt << 12 | amount << 7 | 1 << 5 | rm)
            }

        // Data processing (register)
        case .shiftReg:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            return dpRegShiftReg(DPOpcode.mov, s: f.flag("s"), rd: rd, rm: rn, type: f["t"], rs: rm, flags16: false)
        case .extend:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rm) || rn == 13 { return undefined }
            let rest = rn << 16 | rd << 12 | f["r"] << 10 | rm
            switch f["o"] {
            case 0: return a32(.sxtah, 0xE6B0_0070 | rest)
            case 1: return a32(.uxtah, 0xE6F0_0070 | rest)
            case 2: return a32(.sxtab16, 0xE680_0070 | rest)
            case 3: return a32(.uxtab16, 0xE6C0_0070 | rest)
            case 4: return a32(.sxtab, 0xE6A0_0070 | rest)
            case 5: return a32(.uxtab, 0xE6E0_0070 | rest)
            default: return undefined
            }
        case .parallelAddSub:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            let a32op2: UInt32
            switch f["o"] {
            case 0b001: a32op2 = 0   // ADD16
            case 0b010: a32op2 = 1   // ASX
            case 0b110: a32op2 = 2   // SAX
            case 0b101: a32op2 = 3   // SUB16
            case 0b000: a32op2 = 4   // ADD8
            case 0b100: a32op2 = 7   // SUB8
            default: return undefined
            }
            let variant = f["h"] << 1 | f["q"]   // 0 plain, 1 saturating, 2 halving
            if variant == 3 { return undefined }
            let prefix = (f.flag("u") ? 4 : 0) | (variant + 1)
            return a32(.parallelAddSub, 0xE600_0F10 | prefix << 20 | rn << 16 | rd << 12 | a32op2 << 5 | rm)
        case .qaddsub:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            let opc: UInt32 = [0, 2, 1, 3][Int(f["o"])]   // QADD QDADD QSUB QDSUB
            return a32(.qaddsub, 0xE100_0050 | opc << 21 | rn << 16 | rd << 12 | rm)
        case .revFamily, .clz:
            // n: the copy of Rm in the first halfword, which must match.
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rm) || rn != rm { return undefined }
            if enc == .clz { return a32(.clz, 0xE16F_0F10 | rd << 12 | rm) }
            switch f["o"] {
            case 0: return a32(.rev, 0xE6BF_0F30 | rd << 12 | rm)
            case 1: return a32(.rev16, 0xE6BF_0FB0 | rd << 12 | rm)
            case 2: return a32(.rbit, 0xE6FF_0F30 | rd << 12 | rm)
            default: return a32(.revsh, 0xE6FF_0FB0 | rd << 12 | rm)
            }
        case .sel:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            return a32(.sel, 0xE680_0FB0 | rn << 16 | rd << 12 | rm)

        // Multiply, multiply accumulate (Ra = PC selects the non-accumulating form)
        case .mulMla, .mls, .smlaxy, .smlad, .smlawy, .smlsd, .smmla, .smmls, .usada8:
            let rn = f["n"], ra = f["a"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) || ra == 13 { return undefined }
            let noAcc = ra == 15
            let regs = rd << 16 | ra << 12 | rm << 8 | rn
            switch enc {
            case .mulMla: return noAcc ? a32(.mul, 0xE000_0090 | rd << 16 | rm << 8 | rn) : a32(.mla, 0xE020_0090 | regs)
            case .mls: return noAcc ? undefined : a32(.mls, 0xE060_0090 | regs)
            case .smlaxy:
                let nm = f["N"] << 5 | f["M"] << 6   // A32 places N at bit 5, M at bit 6
                return noAcc ? a32(.smulxy, 0xE160_0080 | rd << 16 | rm << 8 | nm | rn)
                    : a32(.smlaxy, 0xE100_0080 | regs | nm)
            case .smlad: return a32(.smlad, 0xE700_0010 | regs | f["X"] << 5)
            case .smlawy:
                return noAcc ? a32(.smulwy, 0xE120_00A0 | rd << 16 | rm << 8 | f["y"] << 6 | rn)
                    : a32(.smlawy, 0xE120_0080 | regs | f["y"] << 6)
            case .smlsd: return a32(.smlsd, 0xE700_0050 | regs | f["X"] << 5)
            case .smmla: return a32(.smmla, 0xE750_0010 | regs | f["r"] << 5)
            case .smmls: return noAcc ? undefined : a32(.smmls, 0xE750_00D0 | regs | f["r"] << 5)
            default: return a32(.usad8, 0xE780_0010 | regs)
            }

        // Long multiply, long multiply accumulate, divide
        case .sdiv, .udiv:
            let rn = f["n"], rd = f["d"], rm = f["m"]
            if isSPorPC(rd) || isSPorPC(rn) || isSPorPC(rm) { return undefined }
            return a32(enc == .sdiv ? .sdiv : .udiv, (enc == .sdiv ? 0xE710_F010 : 0xE730_F010) | rd << 16 | rm << 8 | rn)
        case .smull, .umull, .smlal, .smlalxy, .smlald, .smlsld, .umlal, .umaal:
            let lo = f["l"], hi = f["h"], rn = f["n"], rm = f["m"]
            if isSPorPC(lo) || isSPorPC(hi) || isSPorPC(rn) || isSPorPC(rm) || lo == hi { return undefined }
            let regs = hi << 16 | lo << 12 | rm << 8 | rn
            switch enc {
            case .smull: return a32(.smull, 0xE0C0_0090 | regs)
            case .umull: return a32(.umull, 0xE080_0090 | regs)
            case .smlal: return a32(.smlal, 0xE0E0_0090 | regs)
            case .umlal: return a32(.umlal, 0xE0A0_0090 | regs)
            case .umaal: return a32(.umaal, 0xE040_0090 | regs)
            case .smlalxy: return a32(.smlalxy, 0xE140_0080 | regs | f["N"] << 5 | f["M"] << 6)
            case .smlald: return a32(.smlald, 0xE740_0010 | regs | f["X"] << 5)
            default: return a32(.smlsld, 0xE740_0050 | regs | f["X"] << 5)
            }

        // Coprocessor: the A32 form with cond = AL; the 0xF-space "2" forms and
        // Advanced SIMD are UNDEFINED (no coprocessor accepts them).
        case .coprocessor:
            // t: the "2" forms (0xF space); bits 25:24 = 11: Advanced SIMD data processing.
            if f.flag("t") || (w >> 24) & 3 == 3 { return undefined }
            let raw = 0xE000_0000 | w & 0x0FFF_FFFF   // the A32 form: the same low 28 bits
            let d = A32Decoder.shared.decode(raw)
            let op = A32Op.fromDecoded(d.op)
            if op.isVFP {
                // VLDM/VSTM with a PC base are UNDEFINED in T32 even without
                // writeback (A32 allows it); the A32 decode has the rest.
                if op == .vldm || op == .vstm, VFPOperands(d).n == 15 { return a32(.vfpUndefined, raw) }
                return a32(op, raw, imm: d.imm, extra: d.extra)
            }
            switch op {
            case .mcr, .mrc, .mcrr, .mrrc, .cdp, .ldcStc, .neonTransfer: return a32(op, raw)
            default: return undefined
            }
        case .neonDataProcessing:
            return a32(.neonDataProcessing, 0xF200_0000 | (w >> 4) & 0x0100_0000 | w & 0x00FF_FFFF)
        case .neonLoadStore:
            return a32(.neonLoadStore, 0xF400_0000 | w & 0x00FF_FFFF)
        default:
            return undefined
        }
    }
}
