import XCTest
@testable import ARMv7

/// The A32 decode table maps encodings to the right operations.
final class A32DecoderTests: XCTestCase {
    func testCommonEncodings() {
        let d = A32Decoder.shared
        let cases: [(UInt32, A32Op)] = [
            (0xE3A0_4409, .dpImm), (0xE28F_5034, .dpImm), (0xE4D5_0001, .ldrbImm), (0xE350_0000, .dpImm),
            (0x15C4_0000, .strbImm), (0x1AFF_FFFB, .b), (0xE59F_2030, .ldrImm), (0xE021_1080, .dpReg),
            (0xE140_0070, .hvc), (0xE12F_FF1E, .bx), (0xE10F_0000, .mrs), (0xE7F0_00F0, .udf),
            (0xE0810392, .umull), (0xE1A0_0000, .dpReg), (0xE320_F003, .wfi), (0xF57F_F04F, .dsb),
            (0xEE11_0F10, .mrc), (0xE8BD_8010, .ldm), (0xE92D_4010, .stm), (0xE1C0_00D0, .ldrd),
            (0xE6EF_0070, .uxtab), (0xE6BF_0F30, .rev), (0xE7E0_0050, .ubfx), (0xE160_0010, .clz),
            (0xE710_F110, .sdiv), (0xF102_0013, .cps),
        ]
        for (raw, op) in cases {
            XCTAssertEqual(d.operation(raw), op, String(raw, radix: 16))
        }
    }

    func testOperationTagsMatchRawValues() {
        XCTAssertEqual(MemoryLayout<A32Op>.size, 1)
        for op in A32Op.allCases { XCTAssertEqual(A32Op.fromDecoded(op.rawValue), op) }
    }

    func testRotatedImmediate() {
        let x = A32Decoder.shared.decode(0xE3A0_4409)   // mov r4, #0x09000000
        XCTAssertEqual(x.imm, 0x0900_0000)
        XCTAssertEqual(x.extra, 1)
    }
}
