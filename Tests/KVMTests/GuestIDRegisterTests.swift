import XCTest
import ARMv7
@testable import KVM

/// Guests read the ID registers through HCR.TID3: the core's values, the
/// PMUv2 included (guests own the core's PMU while they run).
final class GuestIDRegisterTests: XCTestCase {
    func testGuestSeesThePMUv2AndTheCoresOtherIDs() throws {
        let t = try TestVM([
            0xEE10_0F51,   // mrc p15, 0, r0, c0, c1, 2   (ID_DFR0)
            0xEE10_1F12,   // mrc p15, 0, r1, c0, c2, 0   (ID_ISAR0)
            0xEE10_2F11,   // mrc p15, 0, r2, c0, c1, 0   (ID_PFR0)
            0xE140_0070,   // hvc #0
        ])
        guard case .hypercall(let dfr0, let rest) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(dfr0 >> 24 & 0xF, 2, "PerfMon: PMUv2 (Cortex-A15 TRM)")
        XCTAssertEqual(dfr0 & 0x00FF_FFFF, CortexA15ID.idDFR0 & 0x00FF_FFFF, "debug fields as the core's")
        XCTAssertEqual(rest[0], CortexA15ID.idISAR0)
        XCTAssertEqual(rest[1], CortexA15ID.idPFR0)
    }
}
