import XCTest
@testable import ARMv7

/// Fingerprints of whole decode spaces, so that restructuring a decoder
/// (table-driven field extraction, ...) is checked to change no decode:
/// every 16-bit T32 halfword, every 32-bit T32 first halfword with a spread
/// of second halfwords, and a deterministic sample of A32 words. The
/// expected values were recorded from the decoders when this test was added;
/// a deliberate decode change must update them (and say why).
final class DecodeGoldenTests: XCTestCase {
    private struct FNV {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        mutating func add(_ v: UInt64) {
            for i in 0..<8 { h = (h ^ ((v >> (8 * UInt64(i))) & 0xFF)) &* 0x100_0000_01B3 }
        }
        mutating func add(_ d: DecodedInstruction) {
            add(UInt64(d.raw) | UInt64(d.imm) << 32)
            add(UInt64(d.op) | UInt64(d.cond) << 16 | UInt64(d.extra) << 24)
        }
    }

    /// Second halfwords to pair with every first halfword: all-zeros,
    /// all-ones and a fixed pseudo-random spread.
    private static let secondHalfwords: [UInt16] = {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        var out: [UInt16] = [0, 0xFFFF, 0xF000, 0x0F00, 0x8000, 0x0FFF]
        for _ in 0..<250 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.append(UInt16(truncatingIfNeeded: x >> 40))
        }
        return out
    }()

    func testT32DecodesAreUnchanged() {
        let d = T32Decoder.shared
        var h16 = FNV()
        for hw in 0...0xFFFF where !T32Decoder.is32Bit(UInt16(hw)) {
            h16.add(d.decode16(UInt16(hw), pc: 0x8000_1000))
            h16.add(d.decode16(UInt16(hw), pc: 0x8000_1002))
        }
        var h32 = FNV()
        for hw1 in 0xE800...0xFFFF {
            for hw2 in Self.secondHalfwords {
                h32.add(d.decode32(UInt16(hw1), hw2, pc: 0x8000_1002))
            }
        }
        XCTAssertEqual(String(h16.h, radix: 16), "d019333273c6376d", "16-bit T32 decodes changed")
        XCTAssertEqual(String(h32.h, radix: 16), "a0c369155fa92924", "32-bit T32 decodes changed")
    }

    func testA32DecodesAreUnchanged() {
        var x: UInt64 = 0x2545_F491_4F6C_DD1D
        var h = FNV()
        for _ in 0..<2_000_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            h.add(A32Decoder.shared.decode(UInt32(truncatingIfNeeded: x >> 32)))
        }
        XCTAssertEqual(String(h.h, radix: 16), "87559400439a85ae", "A32 decodes changed")
    }
}
