import Foundation
import XCTest
@testable import ARMv7

/// Opt-in (VFP_SPEED=1, meaningful only with `swift test -c release`):
/// nanoseconds per VFP instruction in a loop, against the same loop with
/// integer instructions in place of the VFP ones.
final class VFPSpeedTests: XCTestCase {
    func measure(_ body: [UInt32], iterations: UInt32, setup: (Core) -> Void) -> Double {
        // body ; subs r0, r0, #1 ; bne loop ; b .
        let branch = 0x1A00_0000 | (UInt32(bitPattern: Int32(-(body.count + 3))) & 0xFF_FFFF)
        let t = TestMachine(body + [0xE250_0001, branch, 0xEAFF_FFFE], at: 0x100)
        t.core.sys.cpacr = 0x00F0_0000
        t.core.fpexc = FPEXCBit.en
        t.core.setRegister(0, iterations)
        setup(t.core)
        let n = Int(iterations) * (body.count + 2)
        let start = DispatchTime.now().uptimeNanoseconds
        t.run(n)
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start)
        return ns / Double(Int(iterations) * body.count)
    }

    func testVFPInstructionCost() throws {
        guard ProcessInfo.processInfo.environment["VFP_SPEED"] == "1" else { throw XCTSkip("set VFP_SPEED=1") }
        let setup: (Core) -> Void = { c in
            c.setVFPDouble(1, 0x3FF8_0000_0000_0000)   // 1.5
            c.setVFPDouble(2, 0x3FB9_9999_9999_999A)   // 0.1
            c.setVFPDouble(4, 0x4049_0000_0000_0000)
        }
        let n = UInt32(ProcessInfo.processInfo.environment["VFP_SPEED_N"].flatMap { Int($0) } ?? 2_000_000)
        let integer = measure([0xE081_1002, 0xE023_3001, 0xE081_1002, 0xE023_3001], iterations: n, setup: setup)
        let vfp = measure([0xEE30_0B01, 0xEE21_3B02, 0xEE34_4A85, 0xEE64_5A85], iterations: n, setup: setup)
        let fma = measure([0xEEA1_4B02, 0xEEA1_4B02, 0xEEA1_4B02, 0xEEA1_4B02], iterations: n, setup: setup)
        let div = measure([0xEE81_5B02, 0xEE81_5B02, 0xEE81_5B02, 0xEE81_5B02], iterations: n, setup: setup)
        print(String(format: "ns/instruction: integer %.2f, vadd/vmul f32+f64 %.2f, vfma.f64 %.2f, vdiv.f64 %.2f",
                     integer, vfp, fma, div))
        let slow = measure([0xEE30_0B01, 0xEE21_3B02, 0xEE34_4A85, 0xEE64_5A85], iterations: n) { c in
            setup(c); c.fpscr = 0x00C0_0000   // round towards zero: exact integer path
        }
        print(String(format: "ns/instruction: vadd/vmul f32+f64 with RZ (integer path) %.2f", slow))
    }
}
