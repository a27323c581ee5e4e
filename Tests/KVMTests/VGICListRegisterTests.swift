import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// End to end through the core's GIC virtual CPU interface: the distributor
/// queues an interrupt into a list register at entry, the guest takes the
/// virtual IRQ, reads GICV_IAR and writes GICV_EOIR through its stage-2
/// mapping of GICV (no traps), and the sync at exit gives the interrupt back.
final class VGICListRegisterTests: XCTestCase {
    /// Vectors at the RAM base; the guest enables GICV (CTLR, PMR), unmasks
    /// IRQs and waits; its IRQ handler acknowledges, completes and reports
    /// the IAR value with hvc #0.
    static let guest: [UInt32] = [
        0xEA00_0006, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xEAFF_FFFE,
        0xEA00_0009, 0xEAFF_FFFE,   // 0x18: b irq ; 0x1c: FIQ
        0xE300_4000, 0xE340_4801,   // 0x20: movw/movt r4, #0x08010000 (the guest's GICC)
        0xE3A0_0001, 0xE584_0000,   // GICV_CTLR = 1
        0xE3A0_00F0, 0xE584_0004,   // GICV_PMR = 0xF0
        0xF108_0080,                // cpsie i
        0xE320_F003, 0xEAFF_FFFD,   // 0x3c: wfi ; b 0x3c
        0xE594_100C,                // 0x44: ldr r1, [r4, #0xC]  (IAR)
        0xE584_1010,                // str r1, [r4, #0x10]       (EOIR)
        0xE1A0_0001, 0xE140_0070,   // mov r0, r1 ; hvc #0
    ]

    private func makeVM(vcpus: Int = 1) throws -> (TestVM, VGIC) {
        let t = try TestVM(Self.guest, vcpus: vcpus)
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase))
        let gic = try t.vm.createInterruptController(distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000)
        gic.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        return (t, gic)
    }

    func testLevelSPIIsTakenThroughGICVAndPendingAgainWhileHigh() throws {
        let (t, gic) = try makeVM()
        gic.writeDistributor(offset: 0x104, size: 4, value: 1 << 8, cpu: 0)     // enable SPI 40
        gic.writeDistributor(offset: 0x800 + 40, size: 1, value: 1, cpu: 0)
        gic.writeDistributor(offset: 0x400 + 40, size: 1, value: 0xA0, cpu: 0)
        gic.setSPI(40, true)
        guard case .hypercall(let iar, _) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(iar, 40)
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[Int(HSRClass.dataAbortLower.rawValue)], 0,
                       "GICV accesses do not trap")
        XCTAssertNotEqual(gic.readDistributor(offset: 0x204, size: 4, cpu: 0) & (1 << 8), 0,
                          "completed while the line is still high: pending again")
        XCTAssertEqual(t.vcpu.context.vgic.apr, 0, "no active priority left after EOI")
    }

    func testSGIFromAnotherVCPUCarriesItsSource() throws {
        let (t, gic) = try makeVM(vcpus: 2)
        gic.writeDistributor(offset: 0xF00, size: 4, value: 1 << 16 | 3, cpu: 1)   // SGI 3 from CPU 1 to CPU 0
        guard case .hypercall(let iar, _) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(iar, 3 | 1 << 10, "GICV_IAR: ID 3, CPUID 1")
        XCTAssertFalse(gic.hasPendingInterrupt(cpu: 0), "an edge is consumed")
    }

    func testInterruptRaisedByAnotherThreadWakesTheWaitingGuest() throws {
        let (t, gic) = try makeVM()
        gic.writeDistributor(offset: 0x104, size: 4, value: 1 << 9, cpu: 0)     // enable SPI 41
        gic.writeDistributor(offset: 0x800 + 41, size: 1, value: 1, cpu: 0)
        gic.writeDistributor(offset: 0xC08, size: 4, value: 2 << 18, cpu: 0)    // ID 41 edge-triggered
        let raiser = Thread { usleep(100_000); gic.setSPI(41, true); gic.setSPI(41, false) }
        raiser.start()
        let start = Date()
        guard case .hypercall(let iar, _) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(iar, 41)
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.09)
    }

    func testMoreInterruptsThanListRegistersAreAllDelivered() throws {
        let (t, gic) = try makeVM()
        // Six edge SPIs pending at once: four fit, underflow maintenance brings the rest.
        for id in 40..<46 {
            gic.writeDistributor(offset: 0x800 + id, size: 1, value: 1, cpu: 0)
            gic.writeDistributor(offset: 0x400 + id, size: 1, value: UInt32(0x80 + (id - 40) * 8), cpu: 0)
        }
        gic.writeDistributor(offset: 0xC08, size: 4, value: 0xAAAA_0000, cpu: 0)   // 40–47 edge
        gic.writeDistributor(offset: 0x104, size: 4, value: 0x3F << 8, cpu: 0)
        for id in 40..<46 { gic.setSPI(id, true); gic.setSPI(id, false) }
        var seen: [UInt32] = []
        for _ in 0..<6 {
            guard case .hypercall(let iar, _) = try t.vcpu.run() else { return XCTFail() }
            seen.append(iar)
            t.vcpu.set(.pc, UInt32(TestVM.ramBase) + 0x3C)   // back to the wait loop
            t.vcpu.set(.cpsr, 0x153)                         // SVC, IRQs unmasked
        }
        XCTAssertEqual(seen, Array(40..<46), "in priority order, none lost")
    }
}
