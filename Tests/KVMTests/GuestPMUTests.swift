import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The guest owns the core's PMU while it runs: its accesses do not trap,
/// its counters count its own instructions and cycles, and they stand still
/// while the VCPU is out (the world switch suspends and saves them).
final class GuestPMUTests: XCTestCase {
    /// Enables counter 0 on instructions and the cycle counter, runs a
    /// 100-iteration loop (200 instructions), reads both into r2/r3, exits.
    static let countingGuest: [UInt32] = [
        0xE3A0_0001,   // mov r0, #1
        0xEE09_0F1C,   // mcr p15, 0, r0, c9, c12, 0   PMCR.E
        0xE3A0_0008,   // mov r0, #8
        0xEE09_0F3D,   // mcr p15, 0, r0, c9, c13, 1   PMXEVTYPER (SEL = 0): instructions
        0xE3A0_0102,   // mov r0, #0x80000000
        0xE380_0001,   // orr r0, r0, #1
        0xEE09_0F3C,   // mcr p15, 0, r0, c9, c12, 1   PMCNTENSET: cycle counter and counter 0
        0xE3A0_1064,   // mov r1, #100
        0xE251_1001,   // loop: subs r1, r1, #1
        0x1AFF_FFFD,   // bne loop
        0xEE19_2F5D,   // mrc p15, 0, r2, c9, c13, 2   PMXEVCNTR
        0xEE19_3F1D,   // mrc p15, 0, r3, c9, c13, 0   PMCCNTR
        0xE140_0070,   // hvc #0
        0xEAFF_FFFD,   // b (back to the reads)
    ]

    func testGuestCountsItsInstructionsWithoutTrapping() throws {
        let t = try TestVM(Self.countingGuest)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x03], 0, "PMU accesses do not trap")
        let pmu = t.vcpu.context.cp15.pmu
        // Counted at chunk granularity: the whole run, setup and exit included.
        XCTAssertGreaterThanOrEqual(pmu.eventCount[0], 203)
        XCTAssertLessThanOrEqual(pmu.eventCount[0], 214)
        XCTAssertGreaterThan(pmu.cycleCount, 0)
        XCTAssertEqual(pmu.control & 1, 1)
    }

    func testCountersStandStillWhileTheVCPUIsOut() throws {
        let t = try TestVM(Self.countingGuest)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
        let first = t.vcpu.context.cp15.pmu
        usleep(50_000)                              // 50 ms = 50 M cycles at 1 GHz if it kept counting
        guard case .hypercall = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
        let second = t.vcpu.context.cp15.pmu
        XCTAssertLessThanOrEqual(second.eventCount[0] &- first.eventCount[0], 4, "three instructions ran")
        XCTAssertLessThan(second.cycleCount &- first.cycleCount, 10_000_000, "the 50 ms outside were not counted")
        XCTAssertFalse(t.vcpu.context.watchPMU && second.interruptAsserted)
    }

    /// Counter 0 counts instructions from 0xFFFFFF00 with its overflow
    /// interrupt enabled; the guest spins with IRQs unmasked. The overflow
    /// ends the slice, KVM raises PPI 7 (INTID 23) in the vGIC, and the
    /// guest takes it at its IRQ vector, where it reads PMOVSR and exits.
    static let overflowGuest: [UInt32] = [
        0xEA00_0006, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xEAFF_FFFE, 0xE320_F000,  // vectors
        0xEE19_0F7C, 0xE140_0070,   // IRQ: mrc PMOVSR into r0 ; hvc #0
        0xE3E0_00FF,                // start: mvn r0, #0xFF
        0xEE09_0F5D,                // mcr PMXEVCNTR (SEL = 0)
        0xE3A0_0008, 0xEE09_0F3D,   // PMXEVTYPER = instructions
        0xE3A0_0001,                // mov r0, #1
        0xEE09_0F3E,                // mcr PMINTENSET
        0xEE09_0F3C,                // mcr PMCNTENSET
        0xEE09_0F1C,                // mcr PMCR (E)
        0xF108_0080,                // cpsie i
        0xEAFF_FFFE,                // b .
    ]

    func testOverflowInterruptReachesTheGuestAsPPI7() throws {
        let t = try TestVM(Self.overflowGuest)
        let gic = try t.vm.createInterruptController(distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000)
        gic.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        gic.writeDistributor(offset: 0x100, size: 4, value: 1 << 23, cpu: 0)    // PPI 7 = INTID 23 enabled
        t.vcpu.context.vgic.vmcr = GICHVMCR.enableGrp0 | (0xF0 >> 3) << GICHVMCR.priMaskShift
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase))
        guard case .hypercall(let pmovsr, _) = try t.vcpu.run() else { return XCTFail("no hypercall exit") }
        XCTAssertEqual(pmovsr, 1, "counter 0 overflowed")
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.irq.rawValue, "taken at the IRQ vector")
        let lr = t.vcpu.context.vgic.lr
        XCTAssertTrue((0..<4).contains { lr[$0] & GICHListRegister.virtualIDMask == 23 },
                      "INTID 23 went through a list register")
    }
}
