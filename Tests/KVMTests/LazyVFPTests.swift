import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The lazy VFP switch: only guests that use VFP pay for it, and neither
/// side's registers leak into the other.
final class LazyVFPTests: XCTestCase {
    /// loop: vadd.f64 d1, d1, d2 ; hvc #0 ; b loop
    static let vfpGuest: [UInt32] = [0xEE31_1B02, 0xE140_0070, 0xEAFF_FFFC]

    func testGuestVFPSurvivesTenThousandExitsAndTheHostPatternStays() throws {
        let t = try TestVM(Self.vfpGuest)
        let core = t.vcpu.core
        for i in 0..<32 { core.setVFPDouble(i, 0xDEAD_0000_0000_0000 | UInt64(i)) }
        core.setFPSCR(0x0300_0000)
        t.vcpu.set(.cpacr, 0xF << 20)                 // guest enabled cp10/cp11
        try t.vcpu.setRegister(.vfpD(2), Double(1).bitPattern)        // d2 = 1.0
        for _ in 0..<10_000 {
            guard case .hypercall = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
            // Between runs the host's registers are back on the core.
            XCTAssertEqual(core.vfpDouble(1), 0xDEAD_0000_0000_0001)
        }
        XCTAssertEqual(Double(bitPattern: (try t.vcpu.register(.vfpD(1)))), 10_000)
        for i in 0..<32 { XCTAssertEqual(core.vfpDouble(i), 0xDEAD_0000_0000_0000 | UInt64(i)) }
        XCTAssertEqual(core.fpscr, 0x0300_0000)
        XCTAssertEqual(t.vcpu.statistics.vfpSwitches, 10_000, "one lazy switch per run that used VFP")
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x07], 0, "VFP traps never reached the host")
    }

    func testGuestThatNeverUsesVFPCostsNoSwitch() throws {
        let t = try TestVM(WorldSwitchTests.hypercallGuest)
        for _ in 0..<2 { _ = try t.vcpu.run() }
        XCTAssertEqual(t.vcpu.statistics.vfpSwitches, 0)
    }

    func testGuestWithVFPDisabledTakesItsOwnUndefined() throws {
        // Guest FPEXC.EN = 0: after the lazy switch the instruction is
        // UNDEFINED in the guest, whose vector (VBAR + 4) does hvc #0.
        var words = Self.vfpGuest
        words += Array(repeating: 0xE1A0_0000, count: 5) + Array(repeating: 0xE140_0070, count: 8)   // vectors at +0x20
        let t = try TestVM(words)
        t.vcpu.set(.cpacr, 0xF << 20)
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase) + 0x20)
        t.vcpu.set(.fpexc, 0)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.undefined.rawValue)
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 0x20 + 4 + 4, "after the hvc at its undefined vector")
        XCTAssertEqual(t.vcpu.statistics.vfpSwitches, 1)
    }

    /// A guest whose first floating-point use is an Advanced SIMD
    /// instruction: it traps with HSR.TA set (coproc 0) and switches once,
    /// as a VFP instruction does.
    func testGuestNEONUseSwitchesLazilyToo() throws {
        // loop: vadd.i32 q0, q0, q1 ; hvc #0 ; b loop
        let t = try TestVM([0xF220_0842, 0xE140_0070, 0xEAFF_FFFC])
        let core = t.vcpu.core
        for i in 0..<32 { core.setVFPDouble(i, 0xDEAD_0000_0000_0000 | UInt64(i)) }
        t.vcpu.set(.cpacr, 0xF << 20)
        try t.vcpu.setRegister(.vfpD(2), 0x0000_0002_0000_0001)   // q1 = {1, 2, 3, 4}
        try t.vcpu.setRegister(.vfpD(3), 0x0000_0004_0000_0003)
        for _ in 0..<3 {
            guard case .hypercall = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
        }
        XCTAssertEqual(try t.vcpu.register(.vfpD(0)), 0x0000_0006_0000_0003)
        XCTAssertEqual(try t.vcpu.register(.vfpD(1)), 0x0000_000C_0000_0009)
        for i in 0..<32 { XCTAssertEqual(core.vfpDouble(i), 0xDEAD_0000_0000_0000 | UInt64(i)) }
        XCTAssertEqual(t.vcpu.statistics.vfpSwitches, 3)
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x07], 0, "NEON traps never reached the host")
    }
}
