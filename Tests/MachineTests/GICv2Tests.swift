import XCTest
@testable import Machine

/// The VMM's GICv2 follows the GIC architecture's acknowledge/EOI flow.
final class GICv2Tests: XCTestCase {
    func testLevelInterruptIsAcknowledgedAndCompleted() {
        let gic = GICv2(cpus: 1)
        var line = false
        gic.output = { _, l in line = l }
        let d = gic.distributor, c = gic.cpuInterface
        XCTAssertEqual(d.mmioRead(offset: 0x004, size: 4) & 0x1F, UInt64(GICv2.lineCount / 32 - 1), "TYPER lines")
        d.mmioWrite(offset: 0x000, size: 4, value: 1)                 // GICD_CTLR
        c.mmioWrite(offset: 0x000, size: 4, value: 1)                 // GICC_CTLR
        c.mmioWrite(offset: 0x004, size: 4, value: 0xF0)              // PMR
        d.mmioWrite(offset: 0x100 + 4, size: 4, value: 1 << 1)        // enable id 33
        d.mmioWrite(offset: 0x400 + 33, size: 1, value: 0xA0)         // priority
        gic.setLevel(33, true)
        XCTAssertTrue(line)
        XCTAssertEqual(c.mmioRead(offset: 0x00C, size: 4), 33, "IAR")
        XCTAssertFalse(line, "active: no longer signalled")
        XCTAssertEqual(c.mmioRead(offset: 0x00C, size: 4), 1023, "nothing else pending")
        gic.setLevel(33, false)
        c.mmioWrite(offset: 0x010, size: 4, value: 33)                // EOIR
        XCTAssertFalse(line)
        gic.setLevel(33, true)
        XCTAssertTrue(line, "a new level assertion is pending again")
    }

    func testPriorityMaskAndDisabledInterruptsAreNotSignalled() {
        let gic = GICv2(cpus: 1)
        var line = false
        gic.output = { _, l in line = l }
        let d = gic.distributor, c = gic.cpuInterface
        d.mmioWrite(offset: 0x000, size: 4, value: 1)
        c.mmioWrite(offset: 0x000, size: 4, value: 1)
        c.mmioWrite(offset: 0x004, size: 4, value: 0x80)
        d.mmioWrite(offset: 0x400 + 27, size: 1, value: 0xA0)         // below the mask
        gic.setLevel(27, true)
        XCTAssertFalse(line, "disabled")
        d.mmioWrite(offset: 0x100, size: 4, value: 1 << 27)
        XCTAssertFalse(line, "priority 0xA0 is masked by PMR 0x80")
        c.mmioWrite(offset: 0x004, size: 4, value: 0xF0)
        XCTAssertTrue(line)
    }

    func testSoftwareGeneratedInterruptToSelf() {
        let gic = GICv2(cpus: 1)
        var line = false
        gic.output = { _, l in line = l }
        let d = gic.distributor, c = gic.cpuInterface
        d.mmioWrite(offset: 0x000, size: 4, value: 1)
        c.mmioWrite(offset: 0x000, size: 4, value: 1)
        c.mmioWrite(offset: 0x004, size: 4, value: 0xF0)
        d.mmioWrite(offset: 0x100, size: 4, value: 0xFFFF)            // SGIs are always enabled on GICv2
        d.mmioWrite(offset: 0xF00, size: 4, value: 2 << 24 | 5)       // SGI 5 to this CPU
        XCTAssertTrue(line)
        XCTAssertEqual(c.mmioRead(offset: 0x00C, size: 4), 5)
    }

    func testPrimeCellIDsForTheRTC() {
        let rtc = PL031()
        XCTAssertEqual((0..<8).map { rtc.mmioRead(offset: 0xFE0 + UInt64($0 * 4), size: 4) },
                       [0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1])
        let t = rtc.mmioRead(offset: 0, size: 4)
        XCTAssertGreaterThan(t, 1_700_000_000, "seconds since 1970 from the host clock")
        rtc.mmioWrite(offset: 0x08, size: 4, value: 1000)
        XCTAssertLessThan(rtc.mmioRead(offset: 0, size: 4), 1100, "LR sets the counter")
    }
}
