import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The ONE_REG-like register API reads and writes what the guest sees.
final class RegisterAccessTests: XCTestCase {
    func testCoreCP15AndVFPRegistersRoundTripAndReachTheGuest() throws {
        // mrc p15,0,r1,c13,c0,2 (TPIDRURW) ; hvc #0
        let t = try TestVM([0xEE1D_1F50, 0xE140_0070])
        let v = t.vcpu
        try v.setRegister(.cp15(crn: 13, opc1: 0, crm: 0, opc2: 2), 0xBEEF)
        try v.setRegister(.cp15x64(opc1: 0, crm: 2), 0x12_3456_7000)
        try v.setRegister(.vfpD(31), 0x4000_0000_0000_0000)
        try v.setRegister(.banked(.irq, 13), 0x4008_0000)
        try v.setRegister(.core(5), 55)
        XCTAssertEqual(try v.register(.cp15x64(opc1: 0, crm: 2)), 0x12_3456_7000)
        XCTAssertEqual(try v.register(.cp15(crn: 2, opc1: 0, crm: 0, opc2: 0)), 0x3456_7000)
        XCTAssertEqual(try v.register(.vfpD(31)), 0x4000_0000_0000_0000)
        guard case .hypercall = try v.run() else { return XCTFail() }
        XCTAssertEqual(try v.register(.core(1)), 0xBEEF, "the guest read the value set through the API")
        XCTAssertEqual(try v.register(.core(5)), 55)
        XCTAssertEqual(try v.register(.banked(.irq, 13)), 0x4008_0000)
        XCTAssertEqual(try v.register(.pc), TestVM.ramBase + 8)
    }

    func testInvalidRegistersAndValuesAreRefused() throws {
        let t = try TestVM([])
        let v = t.vcpu
        XCTAssertThrowsError(try v.setRegister(.cpsr, 0x1A), "Hyp mode is not a guest mode")
        XCTAssertThrowsError(try v.setRegister(.cpsr, 0x15), "reserved mode")
        XCTAssertThrowsError(try v.setRegister(.core(16), 0))
        XCTAssertThrowsError(try v.setRegister(.core(1), 1 << 32))
        XCTAssertThrowsError(try v.register(.vfpD(32)))
        XCTAssertThrowsError(try v.register(.cp15(crn: 1, opc1: 4, crm: 1, opc2: 0)), "HCR is not a guest register")
        XCTAssertThrowsError(try v.register(.spsr(.user)))
        XCTAssertThrowsError(try v.register(.banked(.hyp, 13)))
        XCTAssertEqual(try v.register(.cpsr), 0x1D3, "reset state: SVC, A/I/F masked")
    }
}
