import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// How the Hyp vector finds the faulting IPA (the seed's HPFAR/ATS1CPR logic).
final class FaultIPATests: XCTestCase {
    /// MMU on with an identity section for RAM (0x40000000) and a section
    /// mapping VA 0x50000000 to IPA 0x60000000 (a read-only slot); then
    /// `str r3, [0x50000010]` and `hvc #0`.
    static let romWriter: [UInt32] = [0xE304_0000, 0xE344_0000, 0xEE02_0F10, 0xE3E0_0000, 0xEE03_0F10,
                                      0xEE11_0F10, 0xE380_0001, 0xEE01_0F10, 0xF57F_F06F, 0xE3A0_2205,
                                      0xE3A0_305A, 0xE582_3010, 0xE140_0070]

    func testStage2PermissionFaultIPAComesFromATS1CPR() throws {
        let t = try TestVM(Self.romWriter)
        TestVM.write([0x4000_0C02], to: t.slot, offset: 0x4000 + 0x400 * 4)   // VA 0x400xxxxx -> IPA 0x400xxxxx
        TestVM.write([0x6000_0C02], to: t.slot, offset: 0x4000 + 0x500 * 4)   // VA 0x500xxxxx -> IPA 0x600xxxxx
        let rom = try t.vm.addMemory(guestBase: 0x6000_0000, size: 0x1000, readOnly: true)
        // Map the ROM page read-only up front so the write is a *permission* fault.
        try t.vm.stage2.mapPage(ipa: 0x6000_0000, pa: rom.hostBase, writable: false)
        guard case .mmio(let a) = try t.vcpu.run() else { return XCTFail("expected an MMIO exit for the ROM write") }
        XCTAssertEqual(a, MMIOAccess(address: 0x6000_0010, size: 4, isWrite: true, value: 0x5A))
        let hsr = t.vcpu.context.exit.hsr
        XCTAssertEqual(hsr >> 26, 0x24)
        XCTAssertEqual(hsr & 0x3C, 0x0C, "a permission fault: HPFAR is not valid, the IPA came from PAR")
        XCTAssertEqual(t.vcpu.context.exit.faultIPA, 0x6000_0010)
        XCTAssertEqual((try t.vcpu.register(.par64)), 0, "the guest's PAR is preserved around ATS1CPR")
    }

    func testAccessFlagFaultReportsHPFAR() throws {
        // Stage-2 entry for the code page with AF = 0: the first fetch faults
        // with an access-flag fault whose IPA comes from HPFAR; KVM remaps it.
        let t = try TestVM(WorldSwitchTests.hypercallGuest)
        try t.vm.stage2.mapPage(ipa: TestVM.ramBase, pa: t.slot.hostBase)
        let d = t.vm.stage2.lookup(ipa: TestVM.ramBase)!
        // Clear AF (bit 10) in the level-3 descriptor.
        let root = t.vm.stage2.root
        let host = t.system.host
        let l1 = host.read64(root + ((TestVM.ramBase >> 30) & 0x3FF) * 8) & 0xFF_FFFF_F000
        let l2 = host.read64(l1 + ((TestVM.ramBase >> 21) & 0x1FF) * 8) & 0xFF_FFFF_F000
        host.write64(l2 + ((TestVM.ramBase >> 12) & 0x1FF) * 8, d & ~(1 << 10))
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x20], 1, "one prefetch abort (access flag), then mapped")
        XCTAssertEqual(HSR(t.vcpu.context.exit.hsr).exceptionClass, .hvc)
    }

    func testUnresolvableIPAMakesHypReEnterTheGuest() throws {
        // resolveFaultIPA with the guest's stage 1 loaded and a FAR that its
        // tables do not map: ATS1CPR fails, so Hyp must re-enter the guest.
        let t = try TestVM([])
        let core = t.vcpu.core
        let hyp = t.vcpu.hyp
        TestVM.write([0x4000_0C02], to: t.slot, offset: 0x4000 + 0x400 * 4)
        core.switchMode(.hyp)
        core.sys.vttbr = t.vm.vttbr(vmid: t.vm.vmid)
        core.sys.vtcr = Stage2Tables.vtcr
        core.sys.hcr = HCR.vm
        // The level-1 entry for 0x400xxxxx lives at 0x40005000: map that table page.
        try t.vm.stage2.mapPage(ipa: 0x4000_5000, pa: t.slot.hostBase + 0x5000)
        core.sys.ttbr0 = 0x4000_4000
        core.sys.dacr = 0xFFFF_FFFF
        core.sys.sctlr |= 1
        core.sys.par = 0x1234_5000
        let permissionFault = HSR(HSRClass.dataAbortLower.syndrome(iss: 0x0F))
        XCTAssertNil(hyp.resolveFaultIPA(hsr: permissionFault, far: 0x7000_0000), "no stage-1 mapping: re-enter")
        XCTAssertEqual(hyp.resolveFaultIPA(hsr: permissionFault, far: 0x4000_0123), 0x4000_0 << 4,
                       "mapped: HPFAR-format IPA[39:12] from PAR")
        XCTAssertEqual(core.sys.par, 0x1234_5000, "PAR restored")
        // Translation faults use HPFAR as the core recorded it.
        core.sys.hpfar = 0xABCD_0
        XCTAssertEqual(hyp.resolveFaultIPA(hsr: HSR(0x24 << 26 | 0x05), far: 0x7000_0000), 0xABCD_0)
    }
}
