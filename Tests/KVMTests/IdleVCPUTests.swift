import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// A VCPU in WFI sleeps on its host thread until the vGIC signals it; it
/// does not spin (an idle guest uses under 5 % of a host core).
final class IdleVCPUTests: XCTestCase {
    /// CNTV_TVAL = 200 ms of 62.5 MHz ticks, CNTV_CTL = ENABLE, WFI, hvc #0.
    static let sleeper: [UInt32] = [
        0xE30B_0C20, 0xE340_00BE,   // movw/movt r0, #12_500_000
        0xEE0E_0F13,                // mcr p15,0,r0,c14,c3,0 (CNTV_TVAL)
        0xE3A0_0001,                // mov r0, #1
        0xEE0E_0F33,                // mcr p15,0,r0,c14,c3,1 (CNTV_CTL)
        0xE320_F003,                // wfi
        0xE140_0070,                // hvc #0
    ]

    private func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    func testWFISleepsUntilTheVirtualTimerInterruptInAListRegister() throws {
        try sleepUntilTimer(hardwareCPUInterface: true)
    }

    func testWFISleepsUntilTheVirtualTimerInterruptOnTheEmulatedInterface() throws {
        try sleepUntilTimer(hardwareCPUInterface: false)
    }

    private func sleepUntilTimer(hardwareCPUInterface: Bool) throws {
        let t = try TestVM(Self.sleeper)
        let gic = try t.vm.createInterruptController(distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000,
                                                     hardwareCPUInterface: hardwareCPUInterface)
        gic.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)          // distributor on
        gic.writeDistributor(offset: 0x100, size: 4, value: 1 << 27, cpu: 0)    // PPI 27 enabled
        if hardwareCPUInterface {
            // GICV_CTLR.EnableGrp0 and GICV_PMR = 0xF0, as the guest would have written them.
            t.vcpu.context.vgic.vmcr = GICHVMCR.enableGrp0 | (0xF0 >> 3) << GICHVMCR.priMaskShift
        } else {
            gic.writeCPUInterface(offset: 0x000, value: 1, cpu: 0)
            gic.writeCPUInterface(offset: 0x004, value: 0xF0, cpu: 0)
        }
        let wall = Date(), cpu = threadCPUSeconds()
        guard case .hypercall = try t.vcpu.run() else { return XCTFail("the guest did not get past WFI") }
        let elapsed = Date().timeIntervalSince(wall), used = threadCPUSeconds() - cpu
        XCTAssertGreaterThan(elapsed, 0.19, "WFI ended before the timer fired")
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertLessThan(used / elapsed, 0.05, "WFI spun: \(used) s of CPU in \(elapsed) s")
        if hardwareCPUInterface {
            let lr = t.vcpu.context.vgic.lr
            let ids = (0..<4).filter { lr[$0] & GICHListRegister.stateMask == GICHListRegister.pending }
                .map { lr[$0] & GICHListRegister.virtualIDMask }
            XCTAssertEqual(ids, [27], "PPI 27 waits in a list register (the guest has IRQs masked)")
            XCTAssertNotEqual(lr[0] & GICHListRegister.eoi, 0, "level-sensitive: EOI maintenance requested")
        } else {
            XCTAssertTrue(gic.hasPendingInterrupt(cpu: 0), "PPI 27 is pending (the guest has IRQs masked)")
        }
    }

    func testWFIThatNothingCanEndIsAHaltExit() throws {
        // No timer armed, no interrupt controller: KVM_EXIT_HLT-like, never a hang.
        let t = try TestVM([0xE320_F003, 0xE140_0070])
        XCTAssertEqual(try t.vcpu.run(), .halted)
    }
}
