import XCTest
@testable import ARMv7

final class TimerTests: XCTestCase {
    /// A harness whose counter is the instruction count (one tick each).
    private func deterministic(count: UInt64) -> CP15Harness {
        let h = CP15Harness()
        h.core.counterSource = .instructionCount(ticksPerInstruction: 1)
        h.core.instructionCount = count
        return h
    }

    func testVirtualCountIsPhysicalMinusOffset() {
        let h = deterministic(count: 1000)
        h.core.sys.cntvoff = 100
        h.run([Asm.mrrc(0, rt: 0, rt2: 1, crm: 14), Asm.mrrc(1, rt: 2, rt2: 3, crm: 14)])
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(UInt64(h.core.r[1]) << 32 | UInt64(h.core.r[0]), 1000)
        XCTAssertEqual(UInt64(h.core.r[3]) << 32 | UInt64(h.core.r[2]), 900)
        // The offset is written from Hyp with MCRR.
        h.core.r[4] = 0xFFFF_FFFF
        h.core.r[5] = 0
        h.run([Asm.mcrr(4, rt: 4, rt2: 5, crm: 14)], mode: .hyp)
        XCTAssertEqual(h.core.sys.cntvoff, 0xFFFF_FFFF)
        XCTAssertEqual(h.core.virtualCount, h.core.physicalCount &- 0xFFFF_FFFF)
    }

    func testCompareValueDrivesTheOutputs() {
        let h = deterministic(count: 400)
        h.core.sys.cntvCtl = 1
        h.core.sys.cntvCval = 500
        XCTAssertFalse(h.core.timerOutputs().virtual)
        h.core.instructionCount = 500
        XCTAssertTrue(h.core.timerOutputs().virtual)
        XCTAssertFalse(h.core.timerOutputs().physical)
        h.core.sys.cntvoff = 1   // virtual count 499
        XCTAssertFalse(h.core.timerOutputs().virtual)
        h.core.sys.cntvoff = 0
        h.core.sys.cntvCtl = 3   // masked
        XCTAssertFalse(h.core.timerOutputs().virtual)
        // ISTATUS still shows the condition while masked.
        h.core.instructionCount = 500
        h.run([Asm.mrc(0, rt: 0, crn: 14, crm: 3, 1)])
        XCTAssertEqual(h.core.r[0], 7)
        h.core.sys.cntvCtl = 0   // disabled: no condition
        h.core.instructionCount = 500
        h.run([Asm.mrc(0, rt: 0, crn: 14, crm: 3, 1)])
        XCTAssertEqual(h.core.r[0], 0)

        // Physical and Hyp timers compare against the physical count.
        h.core.sys.cntvoff = 1000
        h.core.sys.cntpCtl = 1; h.core.sys.cntpCval = 501
        h.core.sys.cnthpCtl = 1; h.core.sys.cnthpCval = 500
        h.core.instructionCount = 500
        var out = h.core.timerOutputs()
        XCTAssertFalse(out.physical)
        XCTAssertTrue(out.hyp)
        h.core.instructionCount = 501
        out = h.core.timerOutputs()
        XCTAssertTrue(out.physical)
    }

    func testTimerValueIsSignedDistanceToCompare() {
        let h = deterministic(count: 1000)
        h.core.r[0] = 0xFFFF_FFF0    // -16
        h.core.r[1] = 50
        h.run([Asm.mcr(0, rt: 0, crn: 14, crm: 3, 0), Asm.mrc(0, rt: 2, crn: 14, crm: 3, 0)])
        XCTAssertEqual(h.core.sys.cntvCval, 984)
        XCTAssertEqual(h.core.r[2], 0xFFFF_FFF0)
        h.core.sys.cntvoff = 200     // virtual count 800
        h.core.instructionCount = 1000
        h.run([Asm.mcr(0, rt: 1, crn: 14, crm: 3, 0), Asm.mrrc(3, rt: 4, rt2: 5, crm: 14)])
        XCTAssertEqual(h.core.sys.cntvCval, 850)
        XCTAssertEqual(h.core.r[4], 850)
        // Physical TVAL against the physical count.
        h.core.instructionCount = 1000
        h.run([Asm.mcr(0, rt: 1, crn: 14, crm: 2, 0), Asm.mrc(0, rt: 6, crn: 14, crm: 2, 0)])
        XCTAssertEqual(h.core.sys.cntpCval, 1050)
        XCTAssertEqual(h.core.r[6], 50)
        // Hyp timer TVAL from Hyp mode.
        h.core.instructionCount = 1000
        h.run([Asm.mcr(4, rt: 0, crn: 14, crm: 2, 0)], mode: .hyp)
        XCTAssertEqual(h.core.sys.cnthpCval, 984)
    }

    func testNextDeadlineIsEarliestEnabledUnmaskedTimer() {
        let h = deterministic(count: 0)
        XCTAssertNil(h.core.nextTimerDeadline())
        h.core.sys.cntvCtl = 1; h.core.sys.cntvCval = 500; h.core.sys.cntvoff = 100
        XCTAssertEqual(h.core.nextTimerDeadline(), 600)
        h.core.sys.cntpCtl = 1; h.core.sys.cntpCval = 550
        XCTAssertEqual(h.core.nextTimerDeadline(), 550)
        h.core.sys.cntpCtl = 3   // masked: ignored
        XCTAssertEqual(h.core.nextTimerDeadline(), 600)
        h.core.sys.cnthpCtl = 1; h.core.sys.cnthpCval = 10
        XCTAssertEqual(h.core.nextTimerDeadline(), 10)
    }

    func testCNTKCTLGatesPL0Access() {
        let h = deterministic(count: 77)
        let readVCT = Asm.mrrc(1, rt: 0, rt2: 1, crm: 14)
        let readPCT = Asm.mrrc(0, rt: 0, rt2: 1, crm: 14)
        let readFRQ = Asm.mrc(0, rt: 0, crn: 14, crm: 0, 0)
        let readVCTL = Asm.mrc(0, rt: 0, crn: 14, crm: 3, 1)
        let readPCTL = Asm.mrc(0, rt: 0, crn: 14, crm: 2, 1)
        for w in [readVCT, readPCT, readFRQ, readVCTL, readPCTL] {
            XCTAssertEqual(h.exception(of: w, mode: .user), .undefined)
        }
        h.core.sys.cntkctl = 1 << 1   // PL0VCTEN
        h.core.instructionCount = 77
        XCTAssertNil(h.exception(of: readVCT, mode: .user))
        XCTAssertEqual(h.core.r[0], 77)
        XCTAssertNil(h.exception(of: readFRQ, mode: .user))
        XCTAssertEqual(h.core.r[0], 62_500_000)
        XCTAssertEqual(h.exception(of: readPCT, mode: .user), .undefined)
        XCTAssertEqual(h.exception(of: readVCTL, mode: .user), .undefined)
        // CNTFRQ is never writable from PL0; it is from PL1.
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 14, crm: 0, 0), mode: .user), .undefined)
        XCTAssertNil(h.exception(of: Asm.mcr(0, rt: 0, crn: 14, crm: 0, 0), mode: .supervisor))
        h.core.sys.cntkctl = (1 << 8) | (1 << 0)   // PL0VTEN, PL0PCTEN
        XCTAssertNil(h.exception(of: readVCTL, mode: .user))
        XCTAssertNil(h.exception(of: readPCT, mode: .user))
        XCTAssertEqual(h.exception(of: readVCT, mode: .user), .undefined)
        // PL0PTEN opens the physical timer at PL0, but CNTHCTL.PL1PCEN = 0
        // still traps it to Hyp.
        h.core.sys.cntkctl = 1 << 9
        XCTAssertNil(h.exception(of: readPCTL, mode: .user))
        h.core.sys.cnthctl = CNTHCTL.pl1pcten
        XCTAssertEqual(h.hypTrapSyndrome([readPCTL], mode: .user),
                       expectedHSR32(opc1: 0, crn: 14, crm: 2, opc2: 1, rt: 0, read: true))
    }

    func testCNTKCTLIsAPL1RegisterAndMasked() {
        let h = CP15Harness()
        h.core.r[0] = 0xFFFF_FFFF
        h.run([Asm.mcr(0, rt: 0, crn: 14, crm: 1, 0), Asm.mrc(0, rt: 1, crn: 14, crm: 1, 0)])
        XCTAssertEqual(h.core.r[1], 0x3FF)
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 1, crn: 14, crm: 1, 0), mode: .user), .undefined)
    }

    func testHostClockCounterAdvancesAt62_5MHz() {
        let h = CP15Harness()
        let a = h.core.physicalCount
        usleep(2000)
        let b = h.core.physicalCount
        // 2 ms is 125 000 ticks; allow a generous upper bound for a busy host.
        XCTAssertGreaterThanOrEqual(b &- a, 125_000)
        XCTAssertLessThan(b &- a, 125_000 * 500)
    }
}
