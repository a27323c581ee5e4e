import XCTest
@testable import Devices

/// The MMIO bus: sorted non-overlapping windows, binary-search lookup,
/// per-window access-size rules.
final class MMIOBusTests: XCTestCase {
    /// Remembers the last access and answers reads with a fixed pattern.
    final class Recorder: MMIODevice {
        var last: (offset: UInt64, size: Int, value: UInt64?)?
        func mmioRead(offset: UInt64, size: Int) -> UInt64 {
            last = (offset, size, nil)
            return 0x1122_3344_5566_7788
        }
        func mmioWrite(offset: UInt64, size: Int, value: UInt64) { last = (offset, size, value) }
    }

    func testWindowsAreKeptSortedAndFoundByAddress() throws {
        var bus = MMIOBus<Int>()
        // Mapped out of order on purpose.
        for (n, base) in [0x0A00_0000, 0x0900_0000, 0x0A00_0200, 0x0901_0000, 0x0800_0000].enumerated() {
            try bus.map(n, base: UInt64(base), size: base >= 0x0A00_0000 ? 0x200 : 0x1000)
        }
        XCTAssertEqual(bus.regions.map(\.base), [0x0800_0000, 0x0900_0000, 0x0901_0000, 0x0A00_0000, 0x0A00_0200])
        XCTAssertEqual(bus.region(containing: 0x0900_0FFF)?.device, 1)
        XCTAssertEqual(bus.region(containing: 0x0901_0000)?.device, 3)
        XCTAssertEqual(bus.region(containing: 0x0A00_01FF)?.device, 0)
        XCTAssertEqual(bus.region(containing: 0x0A00_0200)?.device, 2)
        XCTAssertEqual(bus.region(containing: 0x0800_0000)?.device, 4)
        for hole: UInt64 in [0, 0x07FF_FFFF, 0x0800_1000, 0x0902_0000, 0x0A00_0400, .max] {
            XCTAssertNil(bus.region(containing: hole), "0x\(String(hole, radix: 16))")
        }
    }

    func testOverlappingEmptyAndWrappingWindowsAreRefused() throws {
        var bus = MMIOBus<Int>()
        try bus.map(0, base: 0x1000, size: 0x1000)
        XCTAssertThrowsError(try bus.map(1, base: 0x1000, size: 0x10)) { XCTAssertEqual($0 as? MMIOBusError, .overlap(base: 0x1000)) }
        XCTAssertThrowsError(try bus.map(1, base: 0x1FFF, size: 0x10))
        XCTAssertThrowsError(try bus.map(1, base: 0x0800, size: 0x801))
        XCTAssertThrowsError(try bus.map(1, base: 0x0, size: 0x10000))
        XCTAssertThrowsError(try bus.map(1, base: 0x3000, size: 0)) { XCTAssertEqual($0 as? MMIOBusError, .badWindow(base: 0x3000, size: 0)) }
        XCTAssertThrowsError(try bus.map(1, base: .max - 0xF, size: 0x100))
        try bus.map(1, base: 0x0800, size: 0x800)   // touching is fine
        try bus.map(2, base: 0x2000, size: 0x800)
        XCTAssertEqual(bus.regions.map(\.device), [1, 0, 2])
        XCTAssertTrue(bus.overlaps(base: 0x2700, size: 0x200))
        XCTAssertFalse(bus.overlaps(base: 0x2800, size: 0x200))
    }

    func testDevicesSeeOffsetsAndMaskedValues() throws {
        var bus = MMIOBus<any MMIODevice>()
        let d = Recorder()
        try bus.map(d, base: 0x9000, size: 0x100)
        XCTAssertEqual(bus.read(0x9010, size: 2), 0x7788, "masked to the access size")
        XCTAssertEqual(d.last?.offset, 0x10)
        XCTAssertEqual(d.last?.size, 2)
        XCTAssertTrue(bus.write(0x90FC, size: 1, value: 0x1FF))
        XCTAssertEqual(d.last?.offset, 0xFC)
        XCTAssertEqual(d.last?.value, 0xFF)
        XCTAssertEqual(bus.read(0x9000, size: 8), 0x1122_3344_5566_7788)
        XCTAssertNil(bus.read(0x9100, size: 4), "nothing mapped: a fault")
        XCTAssertFalse(bus.write(0x8FFF, size: 1, value: 0))
    }

    func testWidthRulesIgnoreOrFaultOtherSizes() throws {
        var bus = MMIOBus<any MMIODevice>()
        let words = Recorder(), strict = Recorder()
        try bus.map(words, base: 0x1000, size: 0x1000, rules: .wordsOnly)
        try bus.map(strict, base: 0x2000, size: 0x1000,
                    rules: MMIOAccessRules(widths: [.word, .halfword], disallowed: .fault))
        XCTAssertEqual(bus.read(0x1004, size: 4), 0x5566_7788)
        words.last = nil
        XCTAssertEqual(bus.read(0x1004, size: 1), 0, "a disallowed read is zero")
        XCTAssertTrue(bus.write(0x1004, size: 2, value: 5), "and a disallowed write is dropped")
        XCTAssertNil(words.last, "the device never sees either")
        XCTAssertEqual(bus.read(0x2002, size: 2), 0x7788)
        XCTAssertNil(bus.read(0x2000, size: 1))
        XCTAssertFalse(bus.write(0x2000, size: 8, value: 0))
        XCTAssertFalse(MMIOAccessRules.Widths.all.allows(size: 3))
    }
}
