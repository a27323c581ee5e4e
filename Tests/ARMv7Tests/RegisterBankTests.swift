import XCTest
@testable import ARMv7

/// Banked registers and CPSR write rules (ARM ARM B1.3).
final class RegisterBankTests: XCTestCase {
    func testEveryModeKeepsItsOwnBankedRegisters() {
        let t = TestMachine([])
        let c = t.core
        let modes: [ProcessorMode] = [.user, .fiq, .irq, .supervisor, .abort, .undefined]
        for (i, m) in modes.enumerated() {
            c.switchMode(m)
            for reg in 8...14 { c.setRegister(reg, UInt32(i * 100 + reg)) }
            if m.hasSPSR { c.spsr = UInt32(0x10 + i) }
        }
        for (i, m) in modes.enumerated() {
            c.switchMode(m)
            XCTAssertEqual(c.register(13), UInt32(i * 100 + 13), "SP of \(m)")
            XCTAssertEqual(c.register(14), UInt32(i * 100 + 14), "LR of \(m)")
            let ownHigh = m == .fiq ? i : 5   // r8-r12 are shared by all but FIQ: last writer (und, index 5) wins
            XCTAssertEqual(c.register(8), UInt32(ownHigh * 100 + 8), "R8 of \(m)")
            if m.hasSPSR { XCTAssertEqual(c.spsr, UInt32(0x10 + i)) }
        }
        c.switchMode(.system)
        XCTAssertEqual(c.register(13), 13, "System shares the User bank")
        c.switchMode(.hyp)
        XCTAssertEqual(c.register(14), 14, "Hyp shares LR with User")
    }

    func testBankedRegisterAccessorsReachOtherModes() {
        let t = TestMachine([])
        let c = t.core
        c.setBankedRegister(13, mode: .irq, 0x1234)
        c.setBankedRegister(10, mode: .fiq, 0xF10)
        XCTAssertEqual(c.bankedRegister(13, mode: .irq), 0x1234)
        c.switchMode(.irq)
        XCTAssertEqual(c.register(13), 0x1234)
        c.switchMode(.fiq)
        XCTAssertEqual(c.register(10), 0xF10)
    }

    func testMSRBankedAndMRSBankedFromSVC() {
        // mov r0,#0x55 ; msr sp_irq, r0 ; mrs r1, sp_irq ; mrs r2, elr_hyp (UNDEFINED outside Hyp)
        let t = TestMachine([0xE3A0_0055, 0xE121_F300, 0xE101_1300, 0xE10E_2300], at: 0x100)
        t.core.sys.vbar = TestMachine.ramBase
        t.run(3)
        XCTAssertEqual(t.core.bankedRegister(13, mode: .irq), 0x55)
        XCTAssertEqual(t.core.register(1), 0x55)
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
    }

    func testIllegalModeValuesAndUserWritesAreIgnored() {
        let t = TestMachine([])
        let c = t.core
        c.writeCPSR(0x15, mask: 0x1F, exceptionReturn: false)   // reserved mode encoding
        XCTAssertEqual(c.mode, .supervisor)
        c.writeCPSR(0x1A, mask: 0x1F, exceptionReturn: false)   // Hyp from PL1
        XCTAssertEqual(c.mode, .supervisor)
        c.writeCPSR(0x10, mask: 0x1F, exceptionReturn: false)
        XCTAssertEqual(c.mode, .user)
        let aifBefore = c.cpsr & 0x1C0
        c.writeCPSR(0xF00F_0013, mask: 0xFFFF_FFFF, exceptionReturn: false)
        XCTAssertEqual(c.mode, .user, "PL0 cannot change mode")
        XCTAssertEqual(c.cpsr & 0xF000_0000, 0xF000_0000, "but can write the flags")
        XCTAssertEqual(c.cpsr & 0x1C0, aifBefore, "AIF unchanged")
        XCTAssertEqual(aifBefore, 0x1C0)
    }

    func testMRSMasksExecutionStateBits() {
        // mrs r0, apsr
        let t = TestMachine([0xE10F_0000], at: 0x100)
        t.core.writeCPSR(0xF80F_0013, mask: 0xFFFF_FFFF, exceptionReturn: false)
        t.run(1)
        XCTAssertEqual(t.core.register(0) & 0xF80F_0000, 0xF80F_0000)
        XCTAssertEqual(t.core.register(0) & 0x1F, 0x13)
    }
}
