@testable import ARMv7
import XCTest

/// The MMU seen through the core: fetches and loads of running code.
final class MMURunLoopTests: XCTestCase {
    typealias F = MMUFixture

    func runUntilException(_ fx: MMUFixture) -> [ExceptionEvent] {
        var events: [ExceptionEvent] = []
        fx.core.exceptionHook = { _, e in events.append(e); return true }
        _ = fx.core.run(budget: 16)
        return events
    }

    func testDataAbortThroughTheLoadSlowPath() throws {
        let fx = try MMUFixture()
        fx.setL1(0xC000_0000, F.section(0x0000_0000))
        fx.w32(0x8000, 0xE591_0000)            // LDR r0, [r1]
        fx.w32(0x9000, 0x1122_3344)
        fx.enableShort()
        fx.core.pc = 0xC000_8000
        fx.core.r[1] = 0xC000_9000
        XCTAssertEqual(fx.core.run(budget: 1), .budgetExhausted)
        XCTAssertEqual(fx.core.r[0], 0x1122_3344)
        fx.core.pc = 0xC000_8000
        fx.core.r[1] = 0x4000_0008
        let events = runUntilException(fx)
        XCTAssertEqual(events.first?.kind, .dataAbort)
        XCTAssertEqual(fx.core.sys.dfsr, 0x005)
        XCTAssertEqual(fx.core.sys.dfar, 0x4000_0008)
    }

    func testPrefetchAbortOnUnmappedCode() throws {
        let fx = try MMUFixture()
        fx.setL1(0xC000_0000, F.section(0x0000_0000, xn: true))
        fx.enableShort()
        fx.core.pc = 0xC000_8000
        let events = runUntilException(fx)
        XCTAssertEqual(events.first?.kind, .prefetchAbort)
        XCTAssertEqual(fx.core.sys.ifsr, 0x00D)
        XCTAssertEqual(fx.core.sys.ifar, 0xC000_8000)
    }

    func testStage2FaultIsTakenToHypWithHPFAR() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0000_0000, 0x0000_0000, 0b11)])
        fx.w32(0x8000, 0xE581_0000)            // STR r0, [r1]
        fx.enableStage2()
        fx.core.pc = 0x8000
        fx.core.r[1] = 0x0123_4568
        let events = runUntilException(fx)
        guard case .hyp(let offset, let hsr)? = events.first?.kind else {
            return XCTFail("expected an entry to Hyp mode, got \(events)")
        }
        XCTAssertEqual(offset, 0x14)
        XCTAssertEqual(hsr >> 26, 0x24, "data abort from a lower level")
        XCTAssertEqual(hsr & 0x3F, 0b000110, "translation fault level 2")
        XCTAssertNotEqual(hsr & 1 << 6, 0, "WnR")
        XCTAssertEqual(fx.core.sys.hdfar, 0x0123_4568)
        XCTAssertEqual(fx.core.sys.hpfar, 0x0001_2340, "FIPA[39:12] in bits 31:4")
    }
}
