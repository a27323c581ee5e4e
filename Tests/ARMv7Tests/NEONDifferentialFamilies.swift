import Foundation

// NEON differential testing, part 1: the instruction families of ARMv7
// Advanced SIMD (ARM ARM DDI 0406C tables A7-8 to A7-17, A7.7, A7.8, A7.9) as
// bit patterns of the A32 form. The same table names a word for reports (a
// small disassembler), biases the generator towards every family and
// restricts a run to some families.

/// Where an A32-form NEON word lives (and so how its T32 form is made).
enum NEONSpace: String {
    /// 1111001U: data processing (T32 111U1111).
    case dataProcessing
    /// 11110100 xxx0: element and structure loads/stores (T32 11111001 xxx0).
    case loadStore
    /// cccc 1110 .... .... 1011 ...1: 8/16/32-bit scalar transfers and VDUP (core).
    case transfer
    /// cccc 1100 010. .... 1011 00.1: VMOV between two core registers and a D register.
    case transfer64
}

/// One instruction family: a name and the A32 bit patterns it covers.
struct NEONFamily {
    var name: String
    var space: NEONSpace
    /// (mask, value) pairs; a word is in the family if it matches one (and no
    /// earlier family in `NEONFamilies.all`).
    var patterns: [(mask: UInt32, value: UInt32)]
    /// UNDEFINED on a Cortex-A15 (reserved, or an ARMv8 extension).
    var undefined: Bool { name.hasPrefix("UNDEF") }
}

enum NEONFamilies {
    /// Parses "1111001. 0... ...." style patterns: 0/1 fixed, anything else free.
    static func pattern(_ s: String) -> (mask: UInt32, value: UInt32) {
        let bits = s.filter { !$0.isWhitespace }
        precondition(bits.count == 32, "pattern \(s) has \(bits.count) bits")
        var mask: UInt32 = 0, value: UInt32 = 0
        for (i, c) in bits.enumerated() {
            let b = UInt32(31 - i)
            if c == "0" { mask |= 1 << b } else if c == "1" { mask |= 1 << b; value |= 1 << b }
        }
        return (mask, value)
    }

    private static func f(_ name: String, _ space: NEONSpace, _ ps: String...) -> NEONFamily {
        NEONFamily(name: name, space: space, patterns: ps.map(pattern))
    }

    /// Three registers of the same length (A7.4.1): U, opc = bits 11-8, op = bit 4.
    private static func same(_ name: String, u: String, opc: String, b: String, size: String = "..") -> NEONFamily {
        f(name, .dataProcessing, "1111001\(u) 0.\(size) .... .... \(opc) ...\(b) ....")
    }
    /// Float three-same: bit 21 selects, bit 20 (sz) = 1 is half precision (not on an A15).
    private static func sameF(_ name: String, u: String, opc: String, b: String, bit21: String) -> NEONFamily {
        f(name, .dataProcessing, "1111001\(u) 0.\(bit21). .... .... \(opc) ...\(b) ....")
    }
    /// Three registers of different lengths (A7.4.2); size != 11 by table order.
    private static func diff(_ name: String, u: String, opc: String) -> NEONFamily {
        f(name, .dataProcessing, "1111001\(u) 1... .... .... \(opc) .0.0 ....")
    }
    /// Two registers and a scalar (A7.4.3); size != 11 by table order.
    private static func scalar(_ name: String, u: String, opc: String) -> NEONFamily {
        f(name, .dataProcessing, "1111001\(u) 1... .... .... \(opc) .1.0 ....")
    }
    /// Two registers and a shift amount (A7.4.4).
    private static func shift(_ name: String, u: String, opc: String, lq: String = "..") -> NEONFamily {
        f(name, .dataProcessing, "1111001\(u) 1... .... .... \(opc) \(lq).1 ....")
    }
    /// Two registers, miscellaneous (A7.4.5): A = bits 17-16, B = bits 10-6.
    private static func misc(_ name: String, a: String, b: String) -> NEONFamily {
        let b5 = Array(b)
        return f(name, .dataProcessing, "11110011 1.11 ..\(a) .... 0\(b5[0])\(b5[1])\(b5[2]) \(b5[3])\(b5[4]).0 ....")
    }
    private static func ls(_ name: String, _ ps: String...) -> NEONFamily {
        NEONFamily(name: name, space: .loadStore, patterns: ps.map(pattern))
    }

    /// Every family, most specific first.
    static let all: [NEONFamily] = {
        var t: [NEONFamily] = []
        // A7.4.1 three registers of the same length.
        t += [same("VHADD", u: ".", opc: "0000", b: "0"), same("VQADD", u: ".", opc: "0000", b: "1"),
              same("VRHADD", u: ".", opc: "0001", b: "0"),
              same("VAND", u: "0", opc: "0001", b: "1", size: "00"), same("VBIC(reg)", u: "0", opc: "0001", b: "1", size: "01"),
              same("VORR(reg)", u: "0", opc: "0001", b: "1", size: "10"), same("VORN", u: "0", opc: "0001", b: "1", size: "11"),
              same("VEOR", u: "1", opc: "0001", b: "1", size: "00"), same("VBSL", u: "1", opc: "0001", b: "1", size: "01"),
              same("VBIT", u: "1", opc: "0001", b: "1", size: "10"), same("VBIF", u: "1", opc: "0001", b: "1", size: "11"),
              same("VHSUB", u: ".", opc: "0010", b: "0"), same("VQSUB", u: ".", opc: "0010", b: "1"),
              same("VCGT(reg)", u: ".", opc: "0011", b: "0"), same("VCGE(reg)", u: ".", opc: "0011", b: "1"),
              same("VSHL(reg)", u: ".", opc: "0100", b: "0"), same("VQSHL(reg)", u: ".", opc: "0100", b: "1"),
              same("VRSHL", u: ".", opc: "0101", b: "0"), same("VQRSHL", u: ".", opc: "0101", b: "1"),
              same("VMAX(int)", u: ".", opc: "0110", b: "0"), same("VMIN(int)", u: ".", opc: "0110", b: "1"),
              same("VABD(int)", u: ".", opc: "0111", b: "0"), same("VABA", u: ".", opc: "0111", b: "1"),
              same("VADD(int)", u: "0", opc: "1000", b: "0"), same("VSUB(int)", u: "1", opc: "1000", b: "0"),
              same("VTST", u: "0", opc: "1000", b: "1"), same("VCEQ(reg)", u: "1", opc: "1000", b: "1"),
              same("VMLA(int)", u: "0", opc: "1001", b: "0"), same("VMLS(int)", u: "1", opc: "1001", b: "0"),
              same("VMUL(int)", u: "0", opc: "1001", b: "1"), same("VMUL.P8", u: "1", opc: "1001", b: "1"),
              same("VPMAX(int)", u: ".", opc: "1010", b: "0"), same("VPMIN(int)", u: ".", opc: "1010", b: "1"),
              same("VQDMULH", u: "0", opc: "1011", b: "0"), same("VQRDMULH", u: "1", opc: "1011", b: "0"),
              same("VPADD(int)", u: "0", opc: "1011", b: "1"), same("UNDEF(3same VQRDMLAH)", u: "1", opc: "1011", b: "1"),
              same("UNDEF(3same SHA)", u: ".", opc: "1100", b: "0"),
              sameF("VFMA", u: "0", opc: "1100", b: "1", bit21: "0"), sameF("VFMS", u: "0", opc: "1100", b: "1", bit21: "1"),
              same("UNDEF(3same VQRDMLSH)", u: "1", opc: "1100", b: "1"),
              sameF("VADD(f32)", u: "0", opc: "1101", b: "0", bit21: "0"), sameF("VSUB(f32)", u: "0", opc: "1101", b: "0", bit21: "1"),
              sameF("VPADD(f32)", u: "1", opc: "1101", b: "0", bit21: "0"), sameF("VABD(f32)", u: "1", opc: "1101", b: "0", bit21: "1"),
              sameF("VMLA(f32)", u: "0", opc: "1101", b: "1", bit21: "0"), sameF("VMLS(f32)", u: "0", opc: "1101", b: "1", bit21: "1"),
              sameF("VMUL(f32)", u: "1", opc: "1101", b: "1", bit21: "0"), sameF("UNDEF(3same 1101)", u: "1", opc: "1101", b: "1", bit21: "1"),
              sameF("VCEQ(f32)", u: "0", opc: "1110", b: "0", bit21: "0"), sameF("UNDEF(3same 1110)", u: "0", opc: "1110", b: ".", bit21: "."),
              sameF("VCGE(f32)", u: "1", opc: "1110", b: "0", bit21: "0"), sameF("VCGT(f32)", u: "1", opc: "1110", b: "0", bit21: "1"),
              sameF("VACGE", u: "1", opc: "1110", b: "1", bit21: "0"), sameF("VACGT", u: "1", opc: "1110", b: "1", bit21: "1"),
              sameF("VMAX(f32)", u: "0", opc: "1111", b: "0", bit21: "0"), sameF("VMIN(f32)", u: "0", opc: "1111", b: "0", bit21: "1"),
              sameF("VPMAX(f32)", u: "1", opc: "1111", b: "0", bit21: "0"), sameF("VPMIN(f32)", u: "1", opc: "1111", b: "0", bit21: "1"),
              sameF("VRECPS", u: "0", opc: "1111", b: "1", bit21: "0"), sameF("VRSQRTS", u: "0", opc: "1111", b: "1", bit21: "1"),
              sameF("UNDEF(3same VMAXNM)", u: "1", opc: "1111", b: "1", bit21: ".")]
        // A7.4.6 one register and a modified immediate (bits 21-19 = 000, bit 7 = 0).
        let imm = "1111001. 1.00 0... .... "
        t += [f("VORR(imm)", .dataProcessing, imm + "0..1 0.01 ....", imm + "10.1 0.01 ...."),
              f("VBIC(imm)", .dataProcessing, imm + "0..1 0.11 ....", imm + "10.1 0.11 ...."),
              f("VMOV(imm)", .dataProcessing, imm + "0..0 0.01 ....", imm + "10.0 0.01 ....", imm + "110. 0.01 ....",
                imm + "1110 0..1 ....", imm + "1111 0.01 ...."),
              f("VMVN(imm)", .dataProcessing, imm + "0..0 0.11 ....", imm + "10.0 0.11 ....", imm + "110. 0.11 ...."),
              f("UNDEF(imm 1111 op1)", .dataProcessing, imm + "1111 0.11 ....")]
        // A7.4.4 two registers and a shift amount (bit 23 = 1, bit 4 = 1).
        t += [shift("VSHR", u: ".", opc: "0000"), shift("VSRA", u: ".", opc: "0001"),
              shift("VRSHR", u: ".", opc: "0010"), shift("VRSRA", u: ".", opc: "0011"),
              shift("VSRI", u: "1", opc: "0100"), shift("UNDEF(shift 0100 U0)", u: "0", opc: "0100"),
              shift("VSHL(imm)", u: "0", opc: "0101"), shift("VSLI", u: "1", opc: "0101"),
              shift("VQSHLU(imm)", u: "1", opc: "0110"), shift("UNDEF(shift 0110 U0)", u: "0", opc: "0110"),
              shift("VQSHL(imm)", u: ".", opc: "0111"),
              shift("VSHRN", u: "0", opc: "1000", lq: "00"), shift("VRSHRN", u: "0", opc: "1000", lq: "01"),
              shift("VQSHRUN", u: "1", opc: "1000", lq: "00"), shift("VQRSHRUN", u: "1", opc: "1000", lq: "01"),
              shift("VQSHRN", u: ".", opc: "1001", lq: "00"), shift("VQRSHRN", u: ".", opc: "1001", lq: "01"),
              shift("VSHLL/VMOVL", u: ".", opc: "1010", lq: "00"),
              shift("VCVT(fixed)", u: ".", opc: "111.", lq: "0."),
              f("UNDEF(shift other)", .dataProcessing, "1111001. 1... .... .... .... ...1 ....")]
        // Size = 11 (bit 23 = 1, bit 4 = 0): VEXT, two registers misc, VTBL/VTBX, VDUP (scalar).
        t += [f("VEXT", .dataProcessing, "11110010 1.11 .... .... .... ...0 ....")]
        t += [misc("VREV64", a: "00", b: "0000."), misc("VREV32", a: "00", b: "0001."), misc("VREV16", a: "00", b: "0010."),
              misc("VPADDL", a: "00", b: "010.."), misc("VCLS", a: "00", b: "1000."), misc("VCLZ", a: "00", b: "1001."),
              misc("VCNT", a: "00", b: "1010."), misc("VMVN(reg)", a: "00", b: "1011."), misc("VPADAL", a: "00", b: "110.."),
              misc("VQABS", a: "00", b: "1110."), misc("VQNEG", a: "00", b: "1111."),
              misc("VCGT(#0)", a: "01", b: ".000."), misc("VCGE(#0)", a: "01", b: ".001."), misc("VCEQ(#0)", a: "01", b: ".010."),
              misc("VCLE(#0)", a: "01", b: ".011."), misc("VCLT(#0)", a: "01", b: ".100."),
              misc("VABS", a: "01", b: ".110."), misc("VNEG", a: "01", b: ".111."),
              misc("VSWP", a: "10", b: "0000."), misc("VTRN", a: "10", b: "0001."), misc("VUZP", a: "10", b: "0010."),
              misc("VZIP", a: "10", b: "0011."), misc("VMOVN", a: "10", b: "01000"), misc("VQMOVUN", a: "10", b: "01001"),
              misc("VQMOVN", a: "10", b: "0101."), misc("VSHLL(max)", a: "10", b: "01100"),
              misc("VCVT.F16.F32", a: "10", b: "11000"), misc("VCVT.F32.F16", a: "10", b: "11100"),
              misc("VRECPE", a: "11", b: "10.0."), misc("VRSQRTE", a: "11", b: "10.1."), misc("VCVT(f32<->int)", a: "11", b: "11..."),
              f("UNDEF(misc other)", .dataProcessing, "11110011 1.11 .... .... 0... ...0 ....")]
        t += [f("VTBL", .dataProcessing, "11110011 1.11 .... .... 10.. .0.0 ...."),
              f("VTBX", .dataProcessing, "11110011 1.11 .... .... 10.. .1.0 ...."),
              f("VDUP(scalar)", .dataProcessing, "11110011 1.11 .... .... 1100 0..0 ...."),
              f("UNDEF(size11 other)", .dataProcessing, "11110011 1.11 .... .... .... ...0 ....")]
        // A7.4.2 three registers of different lengths (bit 6 = 0).
        t += [diff("VADDL", u: ".", opc: "0000"), diff("VADDW", u: ".", opc: "0001"),
              diff("VSUBL", u: ".", opc: "0010"), diff("VSUBW", u: ".", opc: "0011"),
              diff("VADDHN", u: "0", opc: "0100"), diff("VRADDHN", u: "1", opc: "0100"), diff("VABAL", u: ".", opc: "0101"),
              diff("VSUBHN", u: "0", opc: "0110"), diff("VRSUBHN", u: "1", opc: "0110"), diff("VABDL", u: ".", opc: "0111"),
              diff("VMLAL(int)", u: ".", opc: "1000"), diff("VMLSL(int)", u: ".", opc: "1010"),
              diff("VQDMLAL", u: "0", opc: "1001"), diff("VQDMLSL", u: "0", opc: "1011"),
              diff("VMULL(int)", u: ".", opc: "1100"), diff("VQDMULL", u: "0", opc: "1101"), diff("VMULL.P8", u: "0", opc: "1110"),
              f("UNDEF(3diff other)", .dataProcessing, "1111001. 1... .... .... .... .0.0 ....")]
        // A7.4.3 two registers and a scalar (bit 6 = 1).
        t += [scalar("VMLA(scalar int)", u: ".", opc: "0000"), scalar("VMLA(scalar f32)", u: ".", opc: "0001"),
              scalar("VMLS(scalar int)", u: ".", opc: "0100"), scalar("VMLS(scalar f32)", u: ".", opc: "0101"),
              scalar("VMLAL(scalar)", u: ".", opc: "0010"), scalar("VMLSL(scalar)", u: ".", opc: "0110"),
              scalar("VQDMLAL(scalar)", u: "0", opc: "0011"), scalar("VQDMLSL(scalar)", u: "0", opc: "0111"),
              scalar("VMUL(scalar int)", u: ".", opc: "1000"), scalar("VMUL(scalar f32)", u: ".", opc: "1001"),
              scalar("VMULL(scalar)", u: ".", opc: "1010"), scalar("VQDMULL(scalar)", u: "0", opc: "1011"),
              scalar("VQDMULH(scalar)", u: ".", opc: "1100"), scalar("VQRDMULH(scalar)", u: ".", opc: "1101"),
              f("UNDEF(scalar other)", .dataProcessing, "1111001. 1... .... .... .... .1.0 ....")]
        // A7.7 element and structure loads/stores: A = bit 23, L = bit 21, B = bits 11-8.
        for (l, op) in [("0", "VST"), ("1", "VLD")] {
            let m = "11110100 0.\(l)0 .... .... "
            t += [ls("\(op)1(multi 1)", m + "0111 .... ...."), ls("\(op)1(multi 2)", m + "1010 .... ...."),
                  ls("\(op)1(multi 3)", m + "0110 .... ...."), ls("\(op)1(multi 4)", m + "0010 .... ...."),
                  ls("\(op)2(multi)", m + "100. .... ....", m + "0011 .... ...."),
                  ls("\(op)3(multi)", m + "010. .... ...."), ls("\(op)4(multi)", m + "000. .... ...."),
                  ls("UNDEF(\(op) multi type)", m + ".... .... ....")]
            let s = "11110100 1.\(l)0 .... .... "
            for n in 1...4 {
                let nn = String(n - 1, radix: 2).leftPad(2)
                t += [ls("\(op)\(n)(lane)", s + "0.\(nn) .... ....", s + "10\(nn) .... ....")]
                if l == "1" { t += [ls("VLD\(n)(all lanes)", s + "11\(nn) .... ....")] }
            }
            if l == "0" { t += [ls("UNDEF(VST lane size 11)", s + "11.. .... ....")] }
        }
        // A7.8 transfers (cp11) and A7.9 (64-bit).
        t += [f("VMOV(core->scalar)", .transfer, ".... 1110 0..0 .... .... 1011 ...1 ...."),
              f("VDUP(core)", .transfer, ".... 1110 1..0 .... .... 1011 .0.1 ...."),
              f("UNDEF(xfer VDUP B=1x)", .transfer, ".... 1110 1..0 .... .... 1011 .1.1 ...."),
              f("VMOV(scalar->core)", .transfer, ".... 1110 ...1 .... .... 1011 ...1 ...."),
              f("VMOV(2core<->D)", .transfer64, ".... 1100 010. .... .... 1011 00.1 ....")]
        return t
    }()

    /// Family names (each once, table order).
    static let names: [String] = {
        var seen = Set<String>(), out: [String] = []
        for fam in all where seen.insert(fam.name).inserted { out.append(fam.name) }
        return out
    }()

    /// Pattern entries bucketed by bits 11-8 (an entry whose mask leaves some
    /// of them free is in every bucket it can match), in table order: a word
    /// is classified by scanning one short list.
    private struct Entry { var mask: UInt32; var value: UInt32; var family: Int }
    private static let buckets: [[Entry]] = {
        var b = [[Entry]](repeating: [], count: 16)
        for (k, fam) in all.enumerated() {
            for p in fam.patterns {
                for v in 0..<16 where (UInt32(v) << 8) & p.mask == p.value & 0xF00 & p.mask {
                    b[v].append(Entry(mask: p.mask, value: p.value, family: k))
                }
            }
        }
        return b
    }()

    /// The index in `all` of the family of an A32-form word.
    static func familyIndex(of word: UInt32) -> Int? {
        let bucket = buckets[Int((word >> 8) & 0xF)]
        let conditional = word >> 28 != 0xF
        for e in bucket where word & e.mask == e.value {
            let space = all[e.family].space
            if (space == .transfer || space == .transfer64) != conditional { continue }
            return e.family
        }
        return nil
    }

    /// The family of an A32-form word.
    static func family(of word: UInt32) -> NEONFamily? { familyIndex(of: word).map { all[$0] } }

    /// Indices in `all` of the families called `name`.
    static let indicesByName: [String: [Int]] = {
        var d: [String: [Int]] = [:]
        for (k, fam) in all.enumerated() { d[fam.name, default: []].append(k) }
        return d
    }()

    /// The group of ARM ARM A7.4's table a word belongs to, named as the
    /// core's per-group functions are (the dispatch of executeNEONDataProcessing).
    static func group(of word: UInt32) -> String {
        if word >> 28 != 0xF { return word & 0x0F00_0000 == 0x0C00_0000 ? "VFP 64-bit transfer" : "neonCoreTransfer" }
        if word >> 24 == 0xF4 { return "neonElementLoadStore" }
        let u = word & (1 << 24) != 0
        let a = (word >> 19) & 0x1F, b = (word >> 8) & 0xF, c = (word >> 4) & 0xF
        if a & 0x10 == 0 { return "neonThreeRegistersSameLength" }
        if c & 1 == 1 { return a & 7 == 0 && c & 8 == 0 ? "neonOneRegisterModifiedImmediate" : "neonTwoRegistersShift" }
        if a & 6 != 6 { return c & 4 == 0 ? "neonThreeRegistersDifferentLength" : "neonTwoRegistersScalar" }
        if !u { return "neonExtract" }
        if b & 8 == 0 { return "neonTwoRegistersMiscellaneous" }
        if b & 0xC == 8 { return "neonTableLookup" }
        return b == 0xC && c & 8 == 0 ? "neonDuplicateScalar" : "(reserved)"
    }

    static func name(of word: UInt32) -> String { family(of: word)?.name ?? "?" }

    /// A short description: family, size/Q/U fields and registers.
    static func describe(_ word: UInt32) -> String {
        let fam = family(of: word)
        let name = fam?.name ?? "?"
        func bits(_ hi: Int, _ lo: Int) -> UInt32 { (word >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1) }
        switch fam?.space {
        case .dataProcessing?:
            let d = bits(22, 22) << 4 | bits(15, 12), n = bits(7, 7) << 4 | bits(19, 16), m = bits(5, 5) << 4 | bits(3, 0)
            let u = "U=\(bits(24, 24))"
            switch group(of: word) {
            case "neonOneRegisterModifiedImmediate":
                let imm8 = bits(24, 24) << 7 | bits(18, 16) << 4 | bits(3, 0)
                return "\(name) cmode=\(String(bits(11, 8), radix: 2).leftPad(4)) op=\(bits(5, 5)) Q=\(bits(6, 6)) imm8=\(String(format: "%02x", imm8)) d\(d)"
            case "neonTwoRegistersShift":
                return "\(name) \(u) L=\(bits(7, 7)) imm6=\(bits(21, 16)) Q=\(bits(6, 6)) d\(d) m\(m)"
            case "neonTwoRegistersMiscellaneous":
                return "\(name) size=\(bits(19, 18)) Q=\(bits(6, 6)) d\(d) m\(m)"
            case "neonExtract":
                return "\(name) imm4=\(bits(11, 8)) Q=\(bits(6, 6)) d\(d) n\(n) m\(m)"
            case "neonTableLookup":
                return "\(name) len=\(bits(9, 8) + 1) d\(d) n\(n) m\(m)"
            case "neonDuplicateScalar":
                return "\(name) imm4=\(String(bits(19, 16), radix: 2).leftPad(4)) Q=\(bits(6, 6)) d\(d) m\(m)"
            case "neonTwoRegistersScalar":
                return "\(name) \(u) size=\(bits(21, 20)) d\(d) n\(n) m\(m & 0xF)[..]"
            default:
                return "\(name) \(u) size=\(bits(21, 20)) Q=\(bits(6, 6)) d\(d) n\(n) m\(m)"
            }
        case .loadStore?:
            let d = bits(22, 22) << 4 | bits(15, 12)
            return "\(name) d\(d) [r\(bits(19, 16))] rm=\(bits(3, 0)) type/size=\(String(bits(11, 8), radix: 2).leftPad(4)) bits7-4=\(String(bits(7, 4), radix: 2).leftPad(4))"
        case .transfer?:
            let dn = bits(7, 7) << 4 | bits(19, 16)
            return "\(name) cond=\(String(bits(31, 28), radix: 16)) opc1=\(bits(22, 21)) opc2=\(bits(6, 5)) U=\(bits(23, 23)) d\(dn) r\(bits(15, 12))"
        case .transfer64?:
            return "\(name) cond=\(String(bits(31, 28), radix: 16)) L=\(bits(20, 20)) r\(bits(15, 12)) r\(bits(19, 16)) d\(bits(5, 5) << 4 | bits(3, 0))"
        case nil:
            return "?"
        }
    }
}
