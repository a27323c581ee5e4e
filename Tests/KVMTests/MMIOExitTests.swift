import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// MMIO accesses of every size, with and without an instruction syndrome.
final class MMIOExitTests: XCTestCase {
    /// r4 = 0x09000000; strb/strh/str (ISV); ldr/ldrh/ldrsb (ISV); ldr r5,[r4,#4]! ,
    /// ldrd r6,r7,[r4], ldm r4,{r8,r9} (no ISV: decoded by the host); hvc #0
    static let guest: [UInt32] = [
        0xE300_4000, 0xE340_4900, 0xE3A0_00AB, 0xE5C4_0001, 0xE30B_0EEF, 0xE1C4_00B2, 0xE305_0678,
        0xE341_0234, 0xE584_0004, 0xE594_1008, 0xE1D4_20BC, 0xE1D4_31D0, 0xE5B4_5004, 0xE1C4_60D0,
        0xE894_0300, 0xE140_0070,
    ]

    func testEverySizeWithAndWithoutSyndrome() throws {
        let t = try TestVM(Self.guest)
        var accesses: [MMIOAccess] = []
        func reply(_ a: MMIOAccess) -> UInt64 { 0xF000_0000 | a.address & 0xFFF | UInt64(a.size) << 16 }
        loop: while true {
            switch try t.vcpu.run() {
            case .mmio(let a):
                accesses.append(a)
                if !a.isWrite { t.vcpu.completeMMIORead(reply(a)) }
            case .hypercall: break loop
            case let other: return XCTFail("unexpected exit \(other)")
            }
        }
        let expected: [MMIOAccess] = [
            MMIOAccess(address: 0x0900_0001, size: 1, isWrite: true, value: 0xAB),
            MMIOAccess(address: 0x0900_0002, size: 2, isWrite: true, value: 0xBEEF),
            MMIOAccess(address: 0x0900_0004, size: 4, isWrite: true, value: 0x1234_5678),
            MMIOAccess(address: 0x0900_0008, size: 4, isWrite: false, value: 0),
            MMIOAccess(address: 0x0900_000C, size: 2, isWrite: false, value: 0),
            MMIOAccess(address: 0x0900_0010, size: 1, isWrite: false, value: 0),
            MMIOAccess(address: 0x0900_0004, size: 4, isWrite: false, value: 0),   // ldr r5,[r4,#4]!
            MMIOAccess(address: 0x0900_0004, size: 4, isWrite: false, value: 0),   // ldrd
            MMIOAccess(address: 0x0900_0008, size: 4, isWrite: false, value: 0),
            MMIOAccess(address: 0x0900_0004, size: 4, isWrite: false, value: 0),   // ldm
            MMIOAccess(address: 0x0900_0008, size: 4, isWrite: false, value: 0),
        ]
        XCTAssertEqual(accesses, expected)
        let r = (0..<16).map { t.vcpu.reg(.core($0)) }
        XCTAssertEqual(r[1], 0xF004_0008)
        XCTAssertEqual(r[2], 0x0002_000C & 0xFFFF, "halfword read is zero-extended")
        XCTAssertEqual(r[3], 0x0000_0010, "0x10 sign-extends to itself")
        XCTAssertEqual(r[4], 0x0900_0004, "writeback of the pre-indexed load")
        XCTAssertEqual(r[5], 0xF004_0004)
        XCTAssertEqual(r[6], 0xF004_0004)
        XCTAssertEqual(r[7], 0xF004_0008)
        XCTAssertEqual(r[8], 0xF004_0004)
        XCTAssertEqual(r[9], 0xF004_0008)
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 16 * 4)
    }

    func testSignedByteReadIsSignExtended() throws {
        // r4 = 0x09000000 ; ldrsb r3,[r4,#16] ; hvc #0
        let t = try TestVM([0xE300_4000, 0xE340_4900, 0xE1D4_31D0, 0xE140_0070])
        guard case .mmio(let a) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(a.size, 1)
        t.vcpu.completeMMIORead(0x80)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.core(3)), 0xFFFF_FF80)
    }

    func testThumbLoadsAndStoresCarryASyndrome() throws {
        // Thumb: movs r0,#0x41 ; str r0,[r2] ; strh r0,[r2,#2] ; ldrb r1,[r2,#3] ; str.w r0,[r2,#8] ; hvc #0
        let halfwords: [UInt16] = [0x2041, 0x6010, 0x8050, 0x78D1, 0xF8C2, 0x0008, 0xF7E0, 0x8000]
        let words = stride(from: 0, to: halfwords.count, by: 2).map { UInt32(halfwords[$0]) | UInt32(halfwords[$0 + 1]) << 16 }
        let t = try TestVM(words)
        t.vcpu.set(.cpsr, t.vcpu.reg(.cpsr) | 1 << 5)
        t.vcpu.set(.core(2), 0x0900_0000)
        var accesses: [MMIOAccess] = []
        loop: while true {
            switch try t.vcpu.run() {
            case .mmio(let a):
                accesses.append(a)
                if !a.isWrite { t.vcpu.completeMMIORead(0x7F) }
            case .hypercall: break loop
            case let other: return XCTFail("unexpected exit \(other)")
            }
        }
        XCTAssertEqual(accesses, [
            MMIOAccess(address: 0x0900_0000, size: 4, isWrite: true, value: 0x41),
            MMIOAccess(address: 0x0900_0002, size: 2, isWrite: true, value: 0x41),
            MMIOAccess(address: 0x0900_0003, size: 1, isWrite: false, value: 0),
            MMIOAccess(address: 0x0900_0008, size: 4, isWrite: true, value: 0x41),
        ])
        XCTAssertEqual(t.vcpu.reg(.core(1)), 0x7F)
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 0x10, "16- and 32-bit lengths from HSR.IL")
    }
}
