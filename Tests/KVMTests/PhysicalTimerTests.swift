import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The guest's physical timer traps (CNTHCTL.PL1PCEN clear while it runs)
/// and KVM emulates it per VCPU as PPI 30; the host's own physical timer is
/// never touched by a guest.
final class PhysicalTimerTests: XCTestCase {
    /// CNTP_TVAL = 100 ms, CNTP_CTL = ENABLE, WFI, then report CNTP_CTL with hvc #0.
    static let guest: [UInt32] = [
        0xE305_0E10, 0xE340_005F,   // movw/movt r0, #6_250_000
        0xEE0E_0F12,                // mcr p15,0,r0,c14,c2,0 (CNTP_TVAL)
        0xE3A0_0001,                // mov r0, #1
        0xEE0E_0F32,                // mcr p15,0,r0,c14,c2,1 (CNTP_CTL)
        0xE320_F003,                // wfi
        0xEE1E_1F32,                // mrc p15,0,r1,c14,c2,1 (CNTP_CTL)
        0xE1A0_0001, 0xE140_0070,   // mov r0, r1 ; hvc #0
    ]

    func testPhysicalTimerIsEmulatedAndWakesWFIThroughPPI30() throws {
        let t = try TestVM(Self.guest)
        let gic = try t.vm.createInterruptController(distributorBase: 0x0800_0000, cpuInterfaceBase: 0x0801_0000)
        gic.writeDistributor(offset: 0x000, size: 4, value: 1, cpu: 0)
        gic.writeDistributor(offset: 0x100, size: 4, value: 1 << 30, cpu: 0)    // PPI 30 enabled
        t.vcpu.context.vgic.vmcr = GICHVMCR.enableGrp0 | (0xF0 >> 3) << GICHVMCR.priMaskShift
        let hostCTL = t.vcpu.core.sys.cntpCtl
        let start = Date()
        guard case .hypercall(let ctl, _) = try t.vcpu.run() else { return XCTFail() }
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.09, "WFI waited for the emulated timer")
        XCTAssertEqual(ctl, 5, "CNTP_CTL reads ENABLE | ISTATUS once it fired")
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[Int(HSRClass.cp15_32.rawValue)], 3, "TVAL, CTL and the CTL read trapped")
        XCTAssertEqual(t.vcpu.core.sys.cntpCtl, hostCTL, "the host's physical timer is untouched")
        let lr = t.vcpu.context.vgic.lr
        XCTAssertTrue((0..<4).contains { lr[$0] & GICHListRegister.virtualIDMask == 30 && lr[$0] & GICHListRegister.pending != 0 },
                      "PPI 30 waits in a list register")
    }

    func testVirtualCounterStartsNearZeroAndMatchesAcrossVCPUs() throws {
        // mrrc p15,1,r0,r1,c14 (CNTVCT) ; hvc #0
        let t = try TestVM([0xEC51_0F1E, 0xE140_0070], vcpus: 2)
        t.vcpus[1].power = .on
        t.vcpus[1].set(.pc, UInt32(TestVM.ramBase))
        guard case .hypercall(let low0, _) = try t.vcpus[0].run(),
              case .hypercall(let low1, _) = try t.vcpus[1].run() else { return XCTFail() }
        XCTAssertLessThan(low0, 62_500_000, "under a second of virtual time since the VM was created")
        XCTAssertGreaterThanOrEqual(low1, low0, "one counter for both VCPUs: read later, never smaller")
        XCTAssertEqual((try t.vcpus[0].register(.cntvoff)), (try t.vcpus[1].register(.cntvoff)))
    }
}
