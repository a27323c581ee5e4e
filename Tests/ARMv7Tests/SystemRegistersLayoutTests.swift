import XCTest
@testable import ARMv7

/// The system-register file must stay plain data: the MMU and the world
/// switch copy it, and a heap-backed member (an array) turns every copy into
/// retains and releases (a boot profile showed it as the top symbol).
final class SystemRegistersLayoutTests: XCTestCase {
    func testSystemRegistersAreTriviallyCopyable() {
        XCTAssertTrue(_isPOD(SystemRegisters.self))
        XCTAssertTrue(_isPOD(PMURegisters.self))
        XCTAssertTrue(_isPOD(DebugRegisters.self))
    }

    func testInlineRegistersHoldTheirCountAndIgnoreOthers() {
        var bank = InlineRegisters(count: 6)
        for i in 0..<6 { bank[i] = UInt32(0x1111_1111 * (i + 1)) }
        bank[6] = 0xDEAD
        bank[-1] = 0xBEEF
        XCTAssertEqual((0..<6).map { bank[$0] }, (0..<6).map { UInt32(0x1111_1111 * ($0 + 1)) })
        XCTAssertEqual(bank[6], 0)
        XCTAssertEqual(bank[-1], 0)
        var other = bank
        XCTAssertEqual(other, bank)
        other[5] = 0
        XCTAssertNotEqual(other, bank)
    }
}
