import XCTest
@testable import ARMv7

/// The PMUv2 counts what the ARM ARM (C12.8) says it counts: instructions,
/// cycles, exceptions, software increments, with the privilege filters, the
/// cycle counter's ÷64 divider, overflow flags and the overflow request.
final class PMUCountingTests: XCTestCase {
    /// A core spinning on `b .` (one instruction per iteration), counting
    /// cycles one per instruction (the deterministic counter source).
    private func spinningCore() -> TestMachine {
        let t = TestMachine([0xEAFF_FFFE], at: 0x100)
        t.core.counterSource = .instructionCount(ticksPerInstruction: 1)
        t.core.pmuResume()
        return t
    }

    func testInstructionsAndCyclesWithPrivilegeFilters() {
        let t = spinningCore()
        XCTAssertEqual(t.core.mode, .supervisor)
        t.core.sys.pmu.control = 1                      // PMCR.E
        t.core.sys.pmu.countEnable = 0x8000_000F
        t.core.sys.pmu.eventType[0] = 0x08              // instructions
        t.core.sys.pmu.eventType[1] = 0x11              // cycles
        t.core.sys.pmu.eventType[2] = 0x08 | 1 << 31    // P: not at PL1
        t.core.sys.pmu.eventType[3] = 0x08 | 1 << 31 | 1 << 29  // P and NSK: counts at Non-secure PL1
        t.run(1000)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 1000)
        XCTAssertEqual(t.core.sys.pmu.eventCount[1], 1000)
        XCTAssertEqual(t.core.sys.pmu.eventCount[2], 0)
        XCTAssertEqual(t.core.sys.pmu.eventCount[3], 1000)
        XCTAssertEqual(t.core.sys.pmu.cycleCount, 1000)
    }

    func testDisabledCountersAndPMCREStandStill() {
        let t = spinningCore()
        t.core.sys.pmu.countEnable = 0x8000_0001
        t.core.sys.pmu.eventType[0] = 0x08
        t.run(500)                                      // PMCR.E clear
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 0)
        XCTAssertEqual(t.core.sys.pmu.cycleCount, 0)
        t.core.sys.pmu.control = 1
        t.core.sys.pmu.countEnable = 0x8000_0000        // counter 0 disabled
        t.run(500)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 0)
        XCTAssertEqual(t.core.sys.pmu.cycleCount, 500)
    }

    func testCycleCounterDividerCountsEverySixtyFourthCycle() {
        let t = spinningCore()
        t.core.sys.pmu.control = 1 | 1 << 3             // E, D
        t.core.sys.pmu.countEnable = 0x8000_0000
        t.run(1000)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.cycleCount, 1000 / 64)
    }

    func testOverflowSetsTheFlagAndRaisesTheRequestWhenEnabled() {
        let t = spinningCore()
        t.core.sys.pmu.control = 1
        t.core.sys.pmu.countEnable = 0x3
        t.core.sys.pmu.eventType[0] = 0x08
        t.core.sys.pmu.eventType[1] = 0x08
        t.core.sys.pmu.eventCount[0] = 0xFFFF_FF00     // wraps after 256 instructions
        t.core.sys.pmu.eventCount[1] = 0xFFFF_FF00
        t.core.sys.pmu.interruptEnable = 0x2            // only counter 1 interrupts
        t.run(200)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.overflow, 0)
        XCTAssertFalse(t.core.pmuInterruptRequest)
        t.run(100)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 44)
        XCTAssertEqual(t.core.sys.pmu.overflow, 0x3)
        XCTAssertTrue(t.core.pmuInterruptRequest)
        // PMOVSR write-one-to-clear drops the request.
        t.core.r[0] = 0x2
        let clear = TestMachine.ramBase + 0x200
        t.write([Asm.mcr(15, 0, rt: 0, crn: 9, crm: 12, 3)], at: clear)
        t.core.branch(to: clear, thumb: false)
        t.run(1)
        XCTAssertEqual(t.core.sys.pmu.overflow, 0x1)
        XCTAssertFalse(t.core.pmuInterruptRequest)
    }

    func testSoftwareIncrementAndExceptionsTaken() {
        // mcr PMSWINC, r0 ; svc #0 ; (vector at 0x08: b .)
        let t = TestMachine([Asm.mcr(15, 0, rt: 0, crn: 9, crm: 12, 4), 0xEF00_0000], at: 0x100)
        t.write([0xEAFF_FFFE], at: TestMachine.ramBase + 0x8)
        t.core.sys.vbar = TestMachine.ramBase
        t.core.pmuResume()
        t.core.sys.pmu.control = 1
        t.core.sys.pmu.countEnable = 0x7
        t.core.sys.pmu.eventType[0] = 0x00              // software increment
        t.core.sys.pmu.eventType[1] = 0x00              // ... but not written below
        t.core.sys.pmu.eventType[2] = 0x09              // exceptions taken
        t.core.r[0] = 0x1
        t.run(3)
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 1)
        XCTAssertEqual(t.core.sys.pmu.eventCount[1], 0)
        XCTAssertEqual(t.core.sys.pmu.eventCount[2], 1)
        XCTAssertEqual(t.core.mode, .supervisor)
    }

    func testSuspendedCountersStandStill() {
        let t = spinningCore()
        t.core.sys.pmu.control = 1
        t.core.sys.pmu.countEnable = 0x8000_0001
        t.core.sys.pmu.eventType[0] = 0x08
        t.run(100)
        t.core.pmuSuspend()
        t.run(100)                                      // another context's instructions
        t.core.pmuResume()
        t.run(100)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 200)
        XCTAssertEqual(t.core.sys.pmu.cycleCount, 200)
    }

    func testReadingCountersFromTheGuestSeesTheCounts() {
        // 300 x nop, then mrc PMXEVCNTR (SEL = 0) into r1, mrc PMCCNTR into r2
        var program = Array(repeating: UInt32(0xE320_F000), count: 300)
        program += [Asm.mrc(15, 0, rt: 1, crn: 9, crm: 13, 2), Asm.mrc(15, 0, rt: 2, crn: 9, crm: 13, 0), 0xEAFF_FFFE]
        let t = TestMachine(program, at: 0x100)
        t.core.counterSource = .instructionCount(ticksPerInstruction: 1)
        t.core.pmuResume()
        t.core.sys.pmu.control = 1
        t.core.sys.pmu.countEnable = 0x8000_0001
        t.core.sys.pmu.eventType[0] = 0x08
        t.run(400)
        // The reads (instructions 301 and 302) see the counts at the start of
        // their chunk: 256 instructions in deterministic runs.
        XCTAssertEqual(t.core.r[1], 256)
        XCTAssertEqual(t.core.r[2], 256)
        t.core.pmuSync()
        XCTAssertEqual(t.core.sys.pmu.eventCount[0], 400)
    }
}
