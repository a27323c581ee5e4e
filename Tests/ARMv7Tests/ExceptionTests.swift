import XCTest
@testable import ARMv7

/// Exception entry and return follow the ARMv7 rules (ARM ARM B1.8, B1.9).
final class ExceptionTests: XCTestCase {
    let base = TestMachine.ramBase

    func testSVCFromUserEntersSupervisorWithReturnAddressAndSPSR() {
        // Vectors at RAM base (VBAR); user code at +0x100: svc #0; then the handler returns with movs pc, lr.
        let t = TestMachine([], stopOn: { _ in false })
        t.write([0xEAFF_FFFE, 0xEAFF_FFFE, 0xE1B0_F00E], at: base)       // b . ; b . ; movs pc, lr
        t.write([0xEF00_0000, 0xE3A0_5007, 0xEAFF_FFFE], at: base + 0x100) // svc #0 ; mov r5,#7 ; b .
        t.core.sys.vbar = base
        t.core.writeCPSR(0x6000_0010, mask: 0xFFFF_FFFF, exceptionReturn: true)  // user mode, Z and C set
        t.core.branch(to: base + 0x100, thumb: false)
        t.run(1)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.pc, base + 8)
        XCTAssertEqual(t.core.register(14), base + 0x104)
        XCTAssertEqual(t.core.spsr, 0x6000_0010)
        XCTAssertEqual(t.core.cpsr & 0x80, 0x80, "I is set on entry")
        XCTAssertEqual(t.core.cpsr & 0x100, 0, "A is not changed by SVC entry")
        t.run(2)
        XCTAssertEqual(t.core.mode, .user)
        XCTAssertEqual(t.core.register(5), 7)
        XCTAssertEqual(t.core.cpsr & 0xF000_0000, 0x6000_0000)
    }

    func testUndefinedInstructionLRIsNextInstruction() {
        let t = TestMachine([0xE7F0_00F0], at: 0x100)
        t.core.sys.vbar = base
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
        XCTAssertEqual(t.core.pc, base + 4)
        XCTAssertEqual(t.core.register(14), base + 0x104)
        XCTAssertEqual(t.events.first?.kind, .undefined)
    }

    func testDataAbortOnUnbackedAddressReportsSyncExternalAbort() {
        // mov r1, #0x20000000 ; ldr r0, [r1]
        let t = TestMachine([0xE3A0_1202, 0xE591_0000], at: 0x100)
        t.core.sys.vbar = base
        t.run(2)
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.pc, base + 0x10)
        XCTAssertEqual(t.core.register(14), base + 0x104 + 8)
        XCTAssertEqual(t.core.sys.dfar, 0x2000_0000)
        XCTAssertEqual(t.core.sys.dfsr & 0x40F, 0x008, "short-format synchronous external abort")
        XCTAssertEqual(t.core.cpsr & 0x1C0, 0x1C0, "A and I set, F unchanged (set at reset)")
    }

    func testPrefetchAbortFromBKPT() {
        let t = TestMachine([0xE120_0071], at: 0x100)
        t.core.sys.vbar = base
        t.run(1)
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.pc, base + 0x0C)
        XCTAssertEqual(t.core.register(14), base + 0x104)
        XCTAssertEqual(t.core.sys.ifsr & 0x40F, 0x002, "debug event")
    }

    func testIRQAndFIQEntryUseNextInstructionPlusFour() {
        let t = TestMachine([0xE1A0_0000, 0xE1A0_0000, 0xE1A0_0000], at: 0x100)
        t.core.sys.vbar = base
        t.core.writeCPSR(0x13, mask: 0xFFFF_FFFF, exceptionReturn: true)   // SVC, interrupts enabled
        t.run(1)
        t.core.lines.setIRQ(true)
        t.run(1)
        XCTAssertEqual(t.core.mode, .irq)
        XCTAssertEqual(t.core.register(14), base + 0x104 + 4)
        XCTAssertEqual(t.core.pc &- base, 0x18 + 4, "took IRQ then executed one instruction at the vector")
        t.core.lines.setIRQ(false)
        t.core.lines.setFIQ(true)
        t.core.writeCPSR(0x12, mask: 0xFF, exceptionReturn: true)          // unmask F (I stays clear)
        t.run(0)
        XCTAssertEqual(t.core.mode, .fiq)
        XCTAssertEqual(t.core.cpsr & 0x1C0, 0x1C0)
    }

    func testMaskedIRQIsNotTaken() {
        let t = TestMachine([0xE1A0_0000, 0xE1A0_0000], at: 0x100)
        t.core.lines.setIRQ(true)   // reset state has I set
        t.run(2)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.pc, base + 0x108)
    }

    func testHVCEntersHypWithSyndromeAndERETReturns() {
        let t = TestMachine([0xE140_0071, 0xE3A0_5001], at: 0x100)      // hvc #1 ; mov r5, #1
        t.write([0xE160_006E], at: base + 0x214)                          // HVBAR+0x14: eret
        t.core.sys.hvbar = base + 0x200
        t.run(1)
        XCTAssertEqual(t.core.mode, .hyp)
        XCTAssertEqual(t.core.pc, base + 0x214)
        XCTAssertEqual(t.core.sys.hsr, 0x12 << 26 | 1 << 25 | 1)
        XCTAssertEqual(t.core.elrHyp, base + 0x104)
        XCTAssertEqual(t.core.savedPSR(of: .hyp).map { $0 & 0x1F }, 0x13)
        t.run(2)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.register(5), 1)
    }

    func testHVCFromUserModeIsUndefined() {
        let t = TestMachine([0xE140_0070], at: 0x100)
        t.core.sys.vbar = base
        t.core.writeCPSR(0x10, mask: 0xFFFF_FFFF, exceptionReturn: true)
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
    }

    func testSMCIsUndefinedUnlessHCRTSCTrapsIt() {
        let t = TestMachine([0xE160_0070], at: 0x100)   // smc #0
        t.core.sys.vbar = base
        t.core.sys.hvbar = base + 0x200
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
        let t2 = TestMachine([0xE160_0070], at: 0x100)
        t2.core.sys.hvbar = base + 0x200
        t2.core.sys.hcr = HCR.tsc
        t2.run(1)
        XCTAssertEqual(t2.core.mode, .hyp)
        XCTAssertEqual(t2.core.sys.hsr >> 26, 0x13)
        XCTAssertEqual(t2.core.elrHyp, base + 0x100, "SMC trap returns to the SMC itself")
    }

    func testWFITrapsToHypWithHCRTWI() {
        let t = TestMachine([0x0320_F003], at: 0x100)   // wfieq
        t.core.sys.hvbar = base + 0x200
        t.core.sys.hcr = HCR.twi
        t.core.writeCPSR(0x4000_0013, mask: 0xFFFF_FFFF, exceptionReturn: true)
        t.run(1)
        XCTAssertEqual(t.core.mode, .hyp)
        XCTAssertEqual(t.core.sys.hsr, 0x01 << 26 | 1 << 25 | 1 << 24 | 0 << 20)
    }

    func testHypModeUndefinedGoesToHypVector() {
        let t = TestMachine([0xE7F0_00F0], at: 0x100)
        t.core.sys.hvbar = base + 0x200
        t.core.writeCPSR(0x1A, mask: 0xFFFF_FFFF, exceptionReturn: true)
        XCTAssertEqual(t.core.mode, .supervisor, "PL1 cannot enter Hyp by writing the CPSR")
        t.core.switchMode(.hyp)
        t.run(1)
        XCTAssertEqual(t.core.pc, base + 0x204)
        XCTAssertEqual(t.core.sys.hsr >> 26, 0)
    }
}

/// Virtual exceptions injected through HCR.VI/VA reach the guest.
final class VirtualExceptionTests: XCTestCase {
    let base = TestMachine.ramBase

    func testVirtualIRQIsTakenByTheGuestWhenUnmasked() {
        let t = TestMachine([0xE1A0_0000, 0xE1A0_0000], at: 0x100)
        t.core.sys.vbar = base
        t.core.sys.hcr = HCR.imo | HCR.vi
        t.core.writeCPSR(0x1D3, mask: 0xFFFF_FFFF, exceptionReturn: true)   // SVC, I masked
        t.run(1)
        XCTAssertEqual(t.core.mode, .supervisor, "masked by CPSR.I")
        t.core.writeCPSR(0x153, mask: 0xFF, exceptionReturn: true)          // unmask I
        t.run(0)
        XCTAssertEqual(t.core.mode, .irq)
        XCTAssertEqual(t.core.pc, base + 0x18)
    }

    func testVirtualAbortIsTakenOnceAndClearsHCRVA() {
        let t = TestMachine([0xE1A0_0000, 0xE1A0_0000], at: 0x100)
        t.core.sys.vbar = base
        t.core.sys.hcr = HCR.amo | HCR.va
        t.core.writeCPSR(0x0D3, mask: 0xFFFF_FFFF, exceptionReturn: true)   // SVC, A unmasked
        t.run(0)
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.sys.hcr & HCR.va, 0)
        XCTAssertEqual(t.core.sys.dfsr & 0x40F, 0x406, "asynchronous external abort")
    }

    func testPhysicalIRQRoutedToHypByIMO() {
        let t = TestMachine([0xE1A0_0000], at: 0x100)
        t.core.sys.hvbar = base + 0x200
        t.core.sys.hcr = HCR.imo
        t.core.lines.setIRQ(true)
        t.run(0)   // CPSR.I is set, but IMO routes the physical IRQ to Hyp regardless
        XCTAssertEqual(t.core.mode, .hyp)
        XCTAssertEqual(t.core.pc, base + 0x218)
        XCTAssertEqual(t.core.elrHyp, base + 0x100)
    }
}

/// The retired-instruction counter counts every executed instruction.
final class InstructionCountTests: XCTestCase {
    func testCountsInstructionsAcrossBlocks() {
        // 1000 NOPs (mov r0, r0) then a branch to self.
        let t = TestMachine(Array(repeating: 0xE1A0_0000, count: 1000) + [0xEAFF_FFFE], at: 0x100)
        t.run(1500)
        XCTAssertEqual(t.core.instructionCount, 1500)
        XCTAssertEqual(t.core.pc, TestMachine.ramBase + 0x100 + 4000)
    }
}

/// An interrupt unmasked for a single instruction is still taken there.
final class InterruptLatencyTests: XCTestCase {
    func testShortIRQWindowIsNotMissed() {
        // cpsie i ; cpsid i ; b .   (the IRQ line is already high)
        let t = TestMachine([0xF108_0080, 0xF10C_0080, 0xEAFF_FFFE], at: 0x100)
        t.core.sys.vbar = TestMachine.ramBase
        t.core.lines.setIRQ(true)
        t.run(3)
        XCTAssertEqual(t.core.mode, .irq, "taken right after CPSIE, before CPSID masks it again")
        XCTAssertEqual(t.core.register(14), TestMachine.ramBase + 0x104 + 4)
    }
}

/// WFI, WFE and an unmasked pending interrupt end the block after the
/// instruction completes (`BlockEndSignal`), with the budget accounting the
/// deterministic runs rely on.
final class BlockEndSignalTests: XCTestCase {
    static let nop: UInt32 = 0xE320_F000, wfi: UInt32 = 0xE320_F003

    func testWFIEndsTheRunAfterItself() {
        let t = TestMachine([Self.nop, Self.nop, Self.wfi, Self.nop], at: 0x100)
        XCTAssertEqual(t.run(100), .waitForInterrupt)
        XCTAssertEqual(t.core.instructionCount, 3)
        XCTAssertEqual(t.core.pc, TestMachine.ramBase + 0x10C)
        // The run goes on after the WFI.
        XCTAssertEqual(t.run(1), .budgetExhausted)
        XCTAssertEqual(t.core.instructionCount, 4)
        XCTAssertEqual(t.core.pc, TestMachine.ramBase + 0x110)
    }

    func testWFIAsTheLastInstructionOfTheBudgetStillEndsTheRun() {
        let t = TestMachine([Self.nop, Self.nop, Self.wfi, Self.nop], at: 0x100)
        XCTAssertEqual(t.run(3), .waitForInterrupt)
        XCTAssertEqual(t.core.instructionCount, 3)
        XCTAssertEqual(t.core.pc, TestMachine.ramBase + 0x10C)
    }

    /// CPSIE with the IRQ line high: the interrupt is taken right after it,
    /// and the block charged the budget one more than it ran (n - 1).
    func testInterruptWindowChargesOneExtra() {
        let t = TestMachine([0xF108_0080, Self.nop], at: 0x100)   // cpsie i
        t.write([UInt32](repeating: Self.nop, count: 32), at: TestMachine.ramBase + 0x18)
        t.core.sys.vbar = TestMachine.ramBase
        t.core.lines.setIRQ(true)
        XCTAssertEqual(t.run(10), .budgetExhausted)
        XCTAssertEqual(t.core.mode, .irq)
        XCTAssertEqual(t.core.register(14), TestMachine.ramBase + 0x104 + 4)
        XCTAssertEqual(t.core.instructionCount, 9)
        XCTAssertEqual(t.core.pc, TestMachine.ramBase + 0x18 + 8 * 4)
    }

    func testInterruptWindowOnTheLastInstructionOfTheBudget() {
        let t = TestMachine([0xF108_0080, Self.nop], at: 0x100)   // cpsie i
        t.core.sys.vbar = TestMachine.ramBase
        t.core.lines.setIRQ(true)
        XCTAssertEqual(t.run(1), .budgetExhausted)
        XCTAssertEqual(t.core.mode, .irq)
        XCTAssertEqual(t.core.register(14), TestMachine.ramBase + 0x104 + 4)
        XCTAssertEqual(t.core.instructionCount, 1)
    }
}
