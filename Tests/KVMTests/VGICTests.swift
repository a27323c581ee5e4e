import XCTest
@testable import KVM

/// The in-kernel GICv2 distributor and emulated CPU interface follow the GIC
/// Architecture Specification v2 (acknowledge/EOI flow, SGI filters and
/// sources, ITARGETSR masking, byte access to byte registers).
final class VGICTests: XCTestCase {
    private func makeGIC(cpus: Int) -> (VGIC, Box) {
        let g = VGIC(cpus: cpus, distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000)
        let box = Box(count: cpus)
        g.notify = { [unowned g] cpu in box.lines[cpu] = g.irqOutput(cpu: cpu) }
        return (g, box)
    }

    final class Box { var lines: [Bool]; init(count: Int) { lines = Array(repeating: false, count: count) } }

    private func enableCPU(_ g: VGIC, _ cpu: Int, pmr: UInt32 = 0xF0) {
        g.writeCPUInterface(offset: 0x000, value: 1, cpu: cpu)
        g.writeCPUInterface(offset: 0x004, value: pmr, cpu: cpu)
    }

    func testLevelInterruptIsAcknowledgedAndCompleted() {
        let (g, box) = makeGIC(cpus: 1)
        XCTAssertEqual(g.readDistributor(offset: 0x004, size: 4, cpu: 0) & 0x1F, UInt32(VGIC.lineCount / 32 - 1), "TYPER lines")
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        enableCPU(g, 0)
        g.writeDistributor(offset: 0x100 + 4, size: 4, value: 1 << 1, cpu: 0)   // enable ID 33
        g.writeDistributor(offset: 0x400 + 33, size: 1, value: 0xA0, cpu: 0)    // priority
        g.writeDistributor(offset: 0x800 + 33, size: 1, value: 1, cpu: 0)       // target CPU 0
        g.setSPI(33, true)
        XCTAssertTrue(box.lines[0])
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 33, "IAR")
        XCTAssertFalse(box.lines[0], "active: no longer signalled")
        XCTAssertEqual(g.readCPUInterface(offset: 0x014, cpu: 0), 0xA0, "running priority")
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 1023, "nothing else pending")
        g.setSPI(33, false)
        g.writeCPUInterface(offset: 0x010, value: 33, cpu: 0)                  // EOIR
        XCTAssertFalse(box.lines[0])
        XCTAssertEqual(g.readCPUInterface(offset: 0x014, cpu: 0), 0xFF, "idle priority after EOI")
        g.setSPI(33, true)
        XCTAssertTrue(box.lines[0], "a new level assertion is pending again")
    }

    func testLevelStillHighAtEOIIsPendingAgain() {
        let (g, box) = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        enableCPU(g, 0)
        g.writeDistributor(offset: 0x100, size: 4, value: 1 << 27, cpu: 0)
        g.setPPI(27, cpu: 0, true)
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 27)
        g.writeCPUInterface(offset: 0x010, value: 27, cpu: 0)
        XCTAssertTrue(box.lines[0], "level-sensitive and still asserted")
    }

    func testPriorityMaskAndDisabledInterruptsAreNotSignalled() {
        let (g, box) = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        enableCPU(g, 0, pmr: 0x80)
        g.writeDistributor(offset: 0x400 + 27, size: 1, value: 0xA0, cpu: 0)
        g.setPPI(27, cpu: 0, true)
        XCTAssertFalse(box.lines[0], "disabled")
        g.writeDistributor(offset: 0x100, size: 4, value: 1 << 27, cpu: 0)
        XCTAssertFalse(box.lines[0], "priority 0xA0 is masked by PMR 0x80")
        XCTAssertTrue(g.hasPendingInterrupt(cpu: 0), "still pending for WFI purposes")
        g.writeCPUInterface(offset: 0x004, value: 0xF0, cpu: 0)
        XCTAssertTrue(box.lines[0])
    }

    func testSGIsCarryTheirSourceAndFollowTheTargetFilter() {
        let (g, box) = makeGIC(cpus: 4)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        for c in 0..<4 { enableCPU(g, c) }
        // Filter 0, list {1, 3}, from CPU 2.
        g.writeDistributor(offset: 0xF00, size: 4, value: 0b1010 << 16 | 7, cpu: 2)
        XCTAssertEqual(box.lines, [false, true, false, true])
        let iar = g.readCPUInterface(offset: 0x00C, cpu: 1)
        XCTAssertEqual(iar & 0x3FF, 7)
        XCTAssertEqual((iar >> 10) & 7, 2, "CPUID = the sender")
        // Filter 1: everyone but the sender.
        g.writeDistributor(offset: 0xF00, size: 4, value: 1 << 24 | 3, cpu: 0)
        XCTAssertEqual(box.lines[0], false)
        XCTAssertTrue(g.hasPendingInterrupt(cpu: 2))
        // Filter 2: only the sender.
        g.writeDistributor(offset: 0xF00, size: 4, value: 2 << 24 | 4, cpu: 0)
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 4, "from CPU 0: CPUID 0")
    }

    func testSameSGIFromTwoSourcesIsTakenTwice() {
        let (g, _) = makeGIC(cpus: 3)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        enableCPU(g, 0)
        g.writeDistributor(offset: 0xF00, size: 4, value: 1 << 16 | 1, cpu: 1)
        g.writeDistributor(offset: 0xF00, size: 4, value: 1 << 16 | 1, cpu: 2)
        XCTAssertEqual(g.readDistributor(offset: 0xF11, size: 1, cpu: 0), 0b110, "SGI 1 pending from CPUs 1 and 2")
        let first = g.readCPUInterface(offset: 0x00C, cpu: 0)
        XCTAssertEqual(first, 1 | 1 << 10)
        g.writeCPUInterface(offset: 0x010, value: first, cpu: 0)
        let second = g.readCPUInterface(offset: 0x00C, cpu: 0)
        XCTAssertEqual(second, 1 | 2 << 10)
    }

    func testTargetsAreMaskedToExistingCPUsAndRouteSPIs() {
        let (g, box) = makeGIC(cpus: 2)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        for c in 0..<2 { enableCPU(g, c) }
        g.writeDistributor(offset: 0x800 + 40, size: 1, value: 0xFE, cpu: 0)
        XCTAssertEqual(g.readDistributor(offset: 0x800 + 40, size: 1, cpu: 0), 0x02, "only CPU 1 exists of 1–7")
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 8, cpu: 0)   // enable 40
        g.setSPI(40, true)
        XCTAssertEqual(box.lines, [false, true])
        // Private targets read as the reading CPU.
        XCTAssertEqual(g.readDistributor(offset: 0x800 + 27, size: 1, cpu: 1), 0x02)
    }

    func testWordAndByteAccessToPriorities() {
        let (g, _) = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x420, size: 4, value: 0x1020_3047, cpu: 0)   // IDs 32–35
        XCTAssertEqual(g.readDistributor(offset: 0x420, size: 4, cpu: 0), 0x1020_3040, "five priority bits")
        XCTAssertEqual(g.readDistributor(offset: 0x422, size: 1, cpu: 0), 0x20)
        g.writeDistributor(offset: 0x423, size: 1, value: 0xFF, cpu: 0)
        XCTAssertEqual(g.readDistributor(offset: 0x420, size: 4, cpu: 0), 0xF820_3040)
    }

    func testEdgeConfigurationLatchesPulses() {
        let (g, box) = makeGIC(cpus: 1)
        g.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        enableCPU(g, 0)
        g.writeDistributor(offset: 0xC08, size: 4, value: 2 << 2, cpu: 0)    // ID 33 edge
        g.writeDistributor(offset: 0x104, size: 4, value: 1 << 1, cpu: 0)
        g.writeDistributor(offset: 0x800 + 33, size: 1, value: 1, cpu: 0)
        g.setSPI(33, true)
        g.setSPI(33, false)
        XCTAssertTrue(box.lines[0], "an edge stays pending after the pulse")
        XCTAssertEqual(g.readCPUInterface(offset: 0x00C, cpu: 0), 33)
        g.writeCPUInterface(offset: 0x010, value: 33, cpu: 0)
        XCTAssertFalse(box.lines[0])
    }

    func testGarbageAccessesDoNotCrash() {
        let (g, _) = makeGIC(cpus: 2)
        for o in stride(from: 0, to: 0x1000, by: 1) {
            g.writeDistributor(offset: o, size: 1 << (o % 3), value: 0xFFFF_FFFF, cpu: o & 1)
            _ = g.readDistributor(offset: o, size: 1 << (o % 3), cpu: o & 1)
        }
        for o in stride(from: 0, to: 0x2000, by: 4) {
            g.writeCPUInterface(offset: o, value: 0xFFFF_FFFF, cpu: 1)
            _ = g.readCPUInterface(offset: o, cpu: 1)
        }
    }
}
