import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// Stage-2 data aborts raised by translated code carry the instruction
/// syndrome the architecture requires for single loads and stores without
/// writeback (ISV = 1, SAS, SSE, SRT) and the right HSR.IL, also when the
/// interpreter never decoded the instruction: an instruction-cache
/// invalidation empties the decodes while the translated block stays valid.
/// Without the syndrome the host had to read the instruction through the
/// guest's page tables, which can fail where the core still executes (a
/// Debian guest's virtio interrupt handler got an external abort that way).
final class TranslatedMMIOSyndromeTests: XCTestCase {
    /// Runs `t` to its HVC, answering MMIO reads with 0x7F; returns the
    /// accesses with the HSR of each exit.
    func runCollectingSyndromes(_ t: TestVM) throws -> [(access: MMIOAccess, hsr: HSR)] {
        try t.vcpu.core.setEngine(.jit, translationThreshold: 1)
        var exits: [(access: MMIOAccess, hsr: HSR)] = []
        loop: while true {
            switch try t.vcpu.run() {
            case .mmio(let a):
                exits.append((a, HSR(t.vcpu.context.exit.hsr)))
                if !a.isWrite { t.vcpu.completeMMIORead(0x7F) }
            case .hypercall: break loop
            case let other:
                XCTFail("unexpected exit \(other)")
                break loop
            }
        }
        return exits
    }

    func testARMLoadAfterInstructionCacheInvalidation() throws {
        // r4 = 0x09000000; r5 = 4
        // loop: ldr r1,[r4,#8] ; mcr p15,0,r0,c7,c5,0 (ICIALLU) ; subs r5,r5,#1 ; bne loop
        // hvc #0
        let t = try TestVM([0xE300_4000, 0xE340_4900, 0xE3A0_5004,
                            0xE594_1008, 0xEE07_0F15, 0xE255_5001, 0x1AFF_FFFB, 0xE140_0070])
        let exits = try runCollectingSyndromes(t)
        XCTAssertEqual(exits.count, 4)
        for (i, e) in exits.enumerated() {
            XCTAssertEqual(e.access, MMIOAccess(address: 0x0900_0008, size: 4, isWrite: false, value: 0), "\(i)")
            XCTAssertTrue(e.hsr.instructionSyndromeValid, "exit \(i): HSR \(String(e.hsr.rawValue, radix: 16))")
            XCTAssertEqual(e.hsr.transferRegister, 1, "exit \(i)")
            XCTAssertEqual(e.hsr.accessSize, 4, "exit \(i)")
            XCTAssertEqual(e.hsr.instructionLength, 4, "exit \(i)")
        }
        XCTAssertEqual(t.vcpu.reg(.core(1)), 0x7F)
        XCTAssertEqual(t.vcpu.reg(.core(5)), 0)
    }

    func testThumbStoresAfterInstructionCacheInvalidation() throws {
        // Thumb, r2 = 0x09000000, r5 = 3:
        // loop: strh r0,[r2,#2] ; str.w r0,[r2,#8] ; mcr p15,0,r0,c7,c5,0 ; subs r5,#1 ; bne loop
        // hvc #0
        let halfwords: [UInt16] = [0x8050, 0xF8C2, 0x0008, 0xEE07, 0x0F15, 0x3D01, 0xD1F8, 0xF7E0, 0x8000, 0xBF00]
        let words = stride(from: 0, to: halfwords.count, by: 2).map { UInt32(halfwords[$0]) | UInt32(halfwords[$0 + 1]) << 16 }
        let t = try TestVM(words)
        t.vcpu.set(.cpsr, t.vcpu.reg(.cpsr) | 1 << 5)
        t.vcpu.set(.core(0), 0x41)
        t.vcpu.set(.core(2), 0x0900_0000)
        t.vcpu.set(.core(5), 3)
        let exits = try runCollectingSyndromes(t)
        XCTAssertEqual(exits.count, 6)
        for (i, e) in exits.enumerated() {
            let wide = i % 2 == 1
            XCTAssertEqual(e.access, MMIOAccess(address: wide ? 0x0900_0008 : 0x0900_0002, size: wide ? 4 : 2,
                                                isWrite: true, value: 0x41), "\(i)")
            XCTAssertTrue(e.hsr.instructionSyndromeValid, "exit \(i): HSR \(String(e.hsr.rawValue, radix: 16))")
            XCTAssertEqual(e.hsr.transferRegister, 0, "exit \(i)")
            XCTAssertEqual(e.hsr.instructionLength, wide ? 4 : 2, "exit \(i): HSR.IL")
        }
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 0x12, "after the HVC")
    }
}
