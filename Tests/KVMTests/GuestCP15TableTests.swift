import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The guest CP15 table is the description the world switch's save/load
/// lists, the register interface and trap emulation must agree with.
final class GuestCP15TableTests: XCTestCase {
    func testEncodingsAreSortedAndUnique() {
        let keys = GuestCP15Table.registers.map(\.key)
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(Set(keys).count, keys.count)
    }

    func testEveryStoredRegisterSurvivesTheWorldSwitchSaveAndLoad() {
        for (i, r) in GuestCP15Table.registers.enumerated() {
            guard case let .stored(field, _, mask) = r.kind else { continue }
            var guest = GuestCP15()
            let value = UInt64(0x1357_9BDF_2468_ACE0 &* UInt64(i + 1)) & mask
            field.set(&guest, value)
            var sys = SystemRegisters()
            guest.load(into: &sys)
            var back = GuestCP15()
            back.save(from: &sys)
            XCTAssertEqual(field.get(back), field.get(guest), "\(r.name) is not in the world switch's lists")
        }
    }

    func testResetValuesAreTheCortexA15Ones() throws {
        let t = try TestVM([])
        XCTAssertEqual(try t.vcpu.register(.sctlr), 0x00C5_0078)
        XCTAssertEqual(try t.vcpu.register(.cp15(crn: 10, opc1: 0, crm: 2, opc2: 0)), 0x0009_8AA4, "PRRR")
        XCTAssertEqual(try t.vcpu.register(.cp15(crn: 10, opc1: 0, crm: 2, opc2: 1)), 0x44E0_48E0, "NMRR")
        XCTAssertThrowsError(try t.vcpu.register(.cp15(crn: 0, opc1: 0, crm: 1, opc2: 0)),
                             "ID registers are trapped constants, not VCPU state")
    }

    func testACTLRAndL2CTLRFollowTheVCPUCount() throws {
        // mrc p15,0,r0,c1,c0,1 (ACTLR) ; mrc p15,1,r1,c9,c0,2 (L2CTLR) ; hvc #0
        let t = try TestVM([0xEE11_0F30, 0xEE39_1F50, 0xE140_0070], vcpus: 2)
        guard case .hypercall(let actlr, let rest) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(actlr, 1 << 6, "SMP bit with two VCPUs")
        XCTAssertEqual(rest[0], 1 << 24, "two cores")
    }
}
