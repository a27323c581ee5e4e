import XCTest
@testable import ARMv7

/// The decode tables are order-independent: wherever two lines can match
/// the same word, one is strictly more specific (its fixed bits a strict
/// superset of the other's); and their field letters extract fields.
final class DecodeTableTests: XCTestCase {
    /// Pairs of lines of `lines` that can match the same word with neither
    /// strictly more specific.
    private func ambiguities(_ lines: [DecodePattern]) -> [String] {
        var found: [String] = []
        for i in lines.indices {
            for j in lines.indices where j > i {
                let a = lines[i], b = lines[j]
                if a.overlaps(b) && !a.isStrictlyMoreSpecific(than: b) && !b.isStrictlyMoreSpecific(than: a) {
                    found.append("\(a) | \(b)")
                }
            }
        }
        return found
    }

    func testA32AndVFPLinesDoNotOverlapAmbiguously() {
        let lines = A32Decoder.shared.lines.map(\.pattern)
        // The two condition spaces are separate matchers.
        let uncond = lines.filter { A32Decoder.isUnconditional($0) }
        let cond = lines.filter { !A32Decoder.isUnconditional($0) }
        XCTAssertEqual(ambiguities(uncond), [])
        XCTAssertEqual(ambiguities(cond), [])
    }

    func testVFPLinesDoNotOverlapAmbiguously() {
        XCTAssertEqual(ambiguities(vfpEncodingTable.map { DecodePattern($0.1) }), [])
    }

    func testT32LinesDoNotOverlapAmbiguously() {
        let lines = T32Decoder.shared.lines.map(\.pattern)
        XCTAssertEqual(ambiguities(lines.filter { $0.width == 16 }), [])
        XCTAssertEqual(ambiguities(lines.filter { $0.width == 32 }), [])
    }

    func testEncodingTagsMatchRawValues() {
        XCTAssertEqual(MemoryLayout<T32Enc>.size, 1)
        for e in T32Enc.allCases { XCTAssertEqual(T32Enc.fromRaw(UInt16(e.rawValue)), e) }
    }

    func testOverlapCheckSeesAmbiguityAndSideConditions() {
        let a = DecodePattern("1111100suzz11111ttttiiiiiiiiiiii")
        let b = DecodePattern("1111100s1zz1nnnnttttiiiiiiiiiiii")
        XCTAssertTrue(a.overlaps(b))
        XCTAssertFalse(a.isStrictlyMoreSpecific(than: b) || b.isStrictlyMoreSpecific(than: a))
        let c = DecodePattern("1111100s1zz1nnnnttttiiiiiiiiiiii n!=1111")
        XCTAssertFalse(a.overlaps(c))
        XCTAssertFalse(c.matches(0xF8DF_1004))   // ldr.w r1, [pc, #4]
        XCTAssertTrue(c.matches(0xF8D0_1004))    // ldr.w r1, [r0, #4]
    }

    /// Reversing a table does not change any decode.
    func testMatcherIsOrderIndependent() {
        let lines = A32Decoder.shared.lines.map { ($0.op.rawValue, $0.pattern) }
        let forward = DecodeMatcher(lines, keyShift: 20, keyBits: 8) { !A32Decoder.isUnconditional($0) }
        let backward = DecodeMatcher(Array(lines.reversed()), keyShift: 20, keyBits: 8) {
            !A32Decoder.isUnconditional($0)
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let w = UInt32.random(in: 0...0xEFFF_FFFF, using: &rng)
            XCTAssertEqual(forward.match(w)?.op, backward.match(w)?.op, String(w, radix: 16))
        }
        let t32 = T32Decoder.shared.lines.map { (UInt16($0.enc.rawValue), $0.pattern) }
        let f32 = DecodeMatcher(t32, keyShift: 20, keyBits: 9) { $0.width == 32 }
        let b32 = DecodeMatcher(Array(t32.reversed()), keyShift: 20, keyBits: 9) { $0.width == 32 }
        for _ in 0..<200_000 {
            let w = UInt32.random(in: 0xE800_0000...0xFFFF_FFFF, using: &rng)
            XCTAssertEqual(f32.match(w)?.op, b32.match(w)?.op, String(w, radix: 16))
        }
    }

    /// Every coprocessor 10/11 encoding decodes to a VFP operation or
    /// UNDEFINED, never to the generic coprocessor operations (VFP is not
    /// re-decoded at execution).
    func testCoprocessor10And11SpaceIsAllVFP() {
        var rng = SystemRandomNumberGenerator()
        let generic: Set<A32Op> = [.cdp, .mcr, .mrc, .mcrr, .mrrc, .ldcStc]
        for _ in 0..<200_000 {
            var w = UInt32.random(in: 0...UInt32.max, using: &rng)
            w = w & ~0xF000_0000 | UInt32.random(in: 0...0xE, using: &rng) << 28
            w = w & ~0x0E00_0000 | (w & 1 == 0 ? 0x0C00_0000 : 0x0E00_0000)   // bits 27:25 = 110 or 111
            if w & 0x0F00_0000 == 0x0F00_0000 { continue }   // SVC
            w = w & ~0xE00 | 0xA00                           // coprocessor 10 or 11
            let op = A32Decoder.shared.operation(w)
            XCTAssertFalse(generic.contains(op), "\(String(w, radix: 16)): \(op)")
        }
    }

    func testFieldLettersExtractFields() {
        let p = DecodePattern("11110i0oooosnnnn0iiiddddiiiiiiii")
        let w: UInt32 = 0xF510_7F80 | 0x0400_0000   // i = 1, imm3 = 111, imm8 = 0x80
        XCTAssertEqual(p.field("i", w), 0xF80)
        XCTAssertEqual(p.field("n", w), 0)
        XCTAssertEqual(p.field("d", w), 0xF)
        XCTAssertEqual(p.field("s", w), 1)
    }

    /// The fields API names the ARM ARM's fields (spot checks of lines
    /// whose letters used to collide).
    func testA32AndT32FieldsAreNamedFields() {
        // ldr r2, [r1, r3, lsl #2]
        let ldr = A32Decoder.shared.fields(0xE791_2103)!
        XCTAssertEqual(ldr.op, .ldrReg)
        XCTAssertEqual([ldr.fields["n"], ldr.fields["t"], ldr.fields["m"], ldr.fields["i"], ldr.fields["y"]],
                       [1, 2, 3, 2, 0])
        // mrc p15, 0, r0, c1, c0, 2
        let mrc = A32Decoder.shared.fields(0xEE11_0F50)!
        XCTAssertEqual(mrc.op, .mrc)
        XCTAssertEqual([mrc.fields["o"], mrc.fields["n"], mrc.fields["t"], mrc.fields["k"], mrc.fields["p"],
                        mrc.fields["m"]], [0, 1, 0, 15, 2, 0])
        // ssat r0, #8, r1, lsl #3 (sat_imm = 7)
        let ssat = A32Decoder.shared.fields(0xE6A7_0191)!
        XCTAssertEqual(ssat.op, .ssat)
        XCTAssertEqual([ssat.fields["w"], ssat.fields["d"], ssat.fields["i"], ssat.fields["h"], ssat.fields["n"]],
                       [7, 0, 3, 0, 1])
        // bl.w with S = 1, J1 = J2 = 1
        let bl = T32Decoder.shared.fields(0xF7FF_FFFE, wide: true)!
        XCTAssertEqual(bl.enc, .bl)
        XCTAssertEqual([bl.fields["s"], bl.fields["J"], bl.fields["K"], bl.fields["i"]], [1, 1, 1, 0x1F_FFFE])
    }

    func testVFPOperandsAreDecoded() {
        let d = A32Decoder.shared
        // vadd.f64 d0, d1, d18
        let add = d.decode(0xEE31_0B22)
        XCTAssertEqual(A32Op.fromDecoded(add.op), .vadd)
        XCTAssertEqual(VFPOperands(add), VFPOperands(d: 0, n: 1, m: 18, flags: VFPOperands.Flag.double))
        // vmul.f32 s1, s2, s3
        let mul = d.decode(0xEE61_0A21)
        XCTAssertEqual(A32Op.fromDecoded(mul.op), .vmul)
        XCTAssertEqual(VFPOperands(mul), VFPOperands(d: 1, n: 2, m: 3))
        // vldr d0, [pc, #8]
        let ldr = d.decode(0xED9F_0B02)
        XCTAssertEqual(A32Op.fromDecoded(ldr.op), .vldr)
        XCTAssertEqual(VFPOperands(ldr), VFPOperands(d: 0, n: 15, a: 2,
                                                     flags: VFPOperands.Flag.double | VFPOperands.Flag.add))
        // vpush {d8-d15} = vstmdb sp!, {d8-d15}
        let push = d.decode(0xED2D_8B10)
        XCTAssertEqual(A32Op.fromDecoded(push.op), .vstm)
        XCTAssertEqual(VFPOperands(push), VFPOperands(d: 8, n: 13, m: 8, a: 16,
                                                      flags: VFPOperands.Flag.double | VFPOperands.Flag.writeback))
        // vmrs APSR_nzcv, fpscr
        XCTAssertEqual(A32Op.fromDecoded(d.decode(0xEEF1_FA10).op), .vmrsFPSCR)
        // vmov r0, r1, d5
        let mov = d.decode(0xEC51_0B15)
        XCTAssertEqual(A32Op.fromDecoded(mov.op), .vmovDoubleToCore)
        XCTAssertEqual(VFPOperands(mov), VFPOperands(d: 5, n: 0, m: 1, flags: VFPOperands.Flag.double))
        // vcvt.f32.u32 s0, s0, #16 would be fbits 16; vcvt.s32.f64 s0, d1 rounds towards zero
        let cvt = d.decode(0xEEBD_0BC1)
        XCTAssertEqual(A32Op.fromDecoded(cvt.op), .vcvtToInt)
        XCTAssertEqual(VFPOperands(cvt), VFPOperands(d: 0, m: 1, flags: VFPOperands.Flag.double
                                                     | VFPOperands.Flag.roundTowardsZero))
    }
}
