import CGuestState
import XCTest
@testable import ARMv7

/// The guest-state block is the contract between the core and generated
/// code: fields sit at the offsets GuestState.h fixes, and every register the
/// core shows through its Swift API lives in the block.
final class GuestStateLayoutTests: XCTestCase {
    func testFieldOffsetsAreTheOnesGeneratedCodeUses() {
        typealias S = ARMGuestState
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.r), 0)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.pc), 64)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.next_pc), 68)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.nf), 72)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.ge), 92)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.it_state), 96)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.thumb), 108)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.banked_sp), 112)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.other_r8_12), 208)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.elr_hyp), 240)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.fpscr), 244)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.instruction_count), 256)
        XCTAssertEqual(MemoryLayout<S>.offset(of: \S.d), 272)
        XCTAssertEqual(MemoryLayout<S>.size, 528)
        XCTAssertEqual(MemoryLayout<S>.alignment, 16)
    }

    func testCoreRegistersLiveInTheBlock() {
        let t = TestMachine([])
        let c = t.core
        let s = c.state
        c.setRegister(3, 0x1234_5678)
        XCTAssertEqual(s.pointee.r.3, 0x1234_5678)
        c.writeCPSR(0x9000_0000 | PSR.t | 0x1F, mask: 0xFFFF_FFFF, exceptionReturn: true)   // N, V, Thumb, System
        XCTAssertEqual(s.pointee.nf & PSR.n, PSR.n, "N")
        XCTAssertNotEqual(s.pointee.zf, 0, "Z clear")
        XCTAssertEqual(s.pointee.vf & PSR.n, PSR.n, "V")
        XCTAssertTrue(s.pointee.thumb)
        XCTAssertEqual(s.pointee.mode, ProcessorMode.system.rawValue)
        c.switchMode(.irq)
        XCTAssertEqual(s.pointee.mode, ProcessorMode.irq.rawValue)
        XCTAssertEqual(s.pointee.banked_sp.0, c.bankedRegister(13, mode: .user), "User SP parked in bank 0")
        c.setVFPDouble(7, 0x0123_4567_89AB_CDEF)
        XCTAssertEqual(s.pointee.d.7, 0x0123_4567_89AB_CDEF)
        c.fpscr = 0x0300_0000
        XCTAssertEqual(s.pointee.fpscr, 0x0300_0000)
        XCTAssertEqual(Int(bitPattern: c.vfpRegs) % 16, 0, "D registers 16-byte aligned")
    }

    func testExecutionUpdatesTheBlock() {
        // mov r0, #5 ; adds r1, r0, #0 (clears Z) ; b .
        let t = TestMachine([0xE3A0_0005, 0xE290_1000, 0xEAFF_FFFE], at: 0x100)
        t.run(2)
        XCTAssertEqual(t.core.state.pointee.r.1, 5)
        XCTAssertEqual(t.core.state.pointee.instruction_count, 2)
        XCTAssertEqual(t.core.state.pointee.pc, TestMachine.ramBase + 0x108)
    }
}
