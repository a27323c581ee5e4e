import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// Delivery rules the GICv2 spec states and list registers must respect:
/// a uniprocessor GIC sends every SPI to its one CPU, and an interrupt the
/// distributor withdraws before the guest acknowledged it (its level fell,
/// it was disabled) leaves the list registers.
final class VGICRoutingAndRetractionTests: XCTestCase {
    private func makeGIC(cpus: Int) -> VGIC {
        let g = VGIC(cpus: cpus, distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000,
                     hardwareCPUInterface: true)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        return g
    }

    private func queuedIDs(_ s: VGICCPUState) -> [UInt32] {
        (0..<VGICCPUState.listRegisterCount).compactMap { n in
            s.lr[n] & GICHListRegister.stateMask == 0 ? nil : s.lr[n] & GICHListRegister.virtualIDMask
        }
    }

    func testUniprocessorSPIReachesTheCPUWithoutITARGETSR() {
        let g = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 2, cpu: 0)   // enable SPI 34, targets left 0
        g.setSPI(34, true)
        XCTAssertTrue(g.hasPendingInterrupt(cpu: 0), "GICv2 4.3.12: all interrupts target the one processor")
        var s = VGICCPUState()
        var c = FlushCache()   // kept across entries, as a VCPU keeps it
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [34])
    }

    func testMultiprocessorSPIWithoutTargetIsNotForwarded() {
        let g = makeGIC(cpus: 2)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 2, cpu: 0)
        g.setSPI(34, true)
        XCTAssertFalse(g.hasPendingInterrupt(cpu: 0))
        XCTAssertFalse(g.hasPendingInterrupt(cpu: 1))
    }

    func testLevelThatFallsBeforeAcknowledgeLeavesTheListRegister() {
        let g = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 2, cpu: 0)
        g.setSPI(34, true)
        var s = VGICCPUState()
        var c = FlushCache()   // kept across entries, as a VCPU keeps it
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [34])
        g.sync(cpu: 0, from: &s)      // an exit, the guest has not acknowledged it
        g.setSPI(34, false)           // the device clears its interrupt
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [], "a level no longer pending must not be taken")
        g.setSPI(34, true)
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [34], "and is queued again when it rises")
    }

    func testDisabledEdgeLeavesTheListRegisterButStaysPending() {
        let g = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0xC08, size: 4, value: 2 << 4, cpu: 0)   // ID 34 edge-triggered
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 2, cpu: 0)
        g.setSPI(34, true); g.setSPI(34, false)
        var s = VGICCPUState()
        var c = FlushCache()   // kept across entries, as a VCPU keeps it
        g.flush(cpu: 0, into: &s, cache: &c)
        g.sync(cpu: 0, from: &s)
        g.writeDistributor(offset: 0x184, size: 4, value: 1 << 2, cpu: 0)   // ICENABLER
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [])
        XCTAssertNotEqual(g.readDistributor(offset: 0x204, size: 4, cpu: 0) & (1 << 2), 0,
                          "the latched edge is pending in the distributor again")
    }

    func testActiveInterruptIsNotRetracted() {
        let g = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 2, cpu: 0)
        g.setSPI(34, true)
        var s = VGICCPUState()
        var c = FlushCache()   // kept across entries, as a VCPU keeps it
        g.flush(cpu: 0, into: &s, cache: &c)
        s.lr[0] = s.lr[0] & ~GICHListRegister.stateMask | GICHListRegister.active   // the guest read IAR
        g.sync(cpu: 0, from: &s)
        g.setSPI(34, false)
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(queuedIDs(s), [34], "an acknowledged interrupt stays until the guest completes it")
    }
}

/// GICD_ISPENDR on a level-sensitive line latches pending until the guest
/// acknowledges it or GICD_ICPENDR clears it, whatever the input does
/// (GICv2 spec 4.3.7, 4.3.8).
final class VGICSoftwarePendingTests: XCTestCase {
    private func makeGIC() -> VGIC {
        let g = VGIC(cpus: 1, distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        g.writeCPUInterface(offset: 0x000, value: 1, cpu: 0)
        g.writeCPUInterface(offset: 0x004, value: 0xF0, cpu: 0)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 8, cpu: 0)   // enable SPI 40 (level)
        return g
    }

    private func pending40(_ g: VGIC) -> Bool {
        g.readDistributor(offset: 0x204, size: 4, cpu: 0) & (1 << 8) != 0
    }

    func testLatchSurvivesTheInputStayingOrGoingLow() {
        let g = makeGIC()
        g.writeDistributor(offset: 0x204, size: 4, value: 1 << 8, cpu: 0)   // ISPENDR
        g.setSPI(40, false)
        XCTAssertTrue(pending40(g), "the device's low input does not clear a software pend")
        g.setSPI(40, true); g.setSPI(40, false)
        XCTAssertTrue(pending40(g))
    }

    func testAcknowledgeConsumesTheLatch() {
        let g = makeGIC()
        g.writeDistributor(offset: 0x204, size: 4, value: 1 << 8, cpu: 0)
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 40)       // IAR
        XCTAssertFalse(pending40(g), "active, no longer pending: the input is low")
        g.writeCPUInterface(offset: 0x010, value: 40, cpu: 0)               // EOIR
        XCTAssertFalse(pending40(g))
    }

    func testICPENDRClearsTheLatchButNotAHighInput() {
        let g = makeGIC()
        g.writeDistributor(offset: 0x204, size: 4, value: 1 << 8, cpu: 0)
        g.writeDistributor(offset: 0x284, size: 4, value: 1 << 8, cpu: 0)   // ICPENDR
        XCTAssertFalse(pending40(g))
        g.setSPI(40, true)
        g.writeDistributor(offset: 0x284, size: 4, value: 1 << 8, cpu: 0)
        XCTAssertTrue(pending40(g), "a level still high stays pending")
    }

    func testListRegisterAcknowledgeConsumesTheLatch() {
        let g = VGIC(cpus: 1, distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000, hardwareCPUInterface: true)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 8, cpu: 0)
        g.writeDistributor(offset: 0x204, size: 4, value: 1 << 8, cpu: 0)
        var s = VGICCPUState()
        var c = FlushCache()   // kept across entries, as a VCPU keeps it
        g.flush(cpu: 0, into: &s, cache: &c)
        s.lr[0] = s.lr[0] & ~GICHListRegister.stateMask | GICHListRegister.active   // guest read IAR
        g.sync(cpu: 0, from: &s)
        XCTAssertFalse(pending40(g))
        s.lr[0] &= ~GICHListRegister.stateMask                                      // guest EOI
        g.sync(cpu: 0, from: &s)
        g.flush(cpu: 0, into: &s, cache: &c)
        XCTAssertEqual(s.lr[0] & GICHListRegister.stateMask, 0, "not delivered twice")
    }
}
