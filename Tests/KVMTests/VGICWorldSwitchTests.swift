import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// The world switch restores a VCPU's GIC virtual interface state into the
/// core's GICH bank before entry and saves it (with MISR, EISR, ELRSR) after
/// the exit, leaving GICH_HCR = 0 for the host (KVM/ARM's
/// restore_vgic_state / save_vgic_state).
final class VGICWorldSwitchTests: XCTestCase {
    /// The guest's GIC CPU interface address; the test maps the core's GICV
    /// page there (the KVM layer's job in the product).
    static let guestGICC: UInt64 = 0x0801_0000

    /// +0x00 hvc #0 (first run maps the page) ; +0x04 cpsie i ; +0x08 b .
    /// IRQ vector (VBAR = +0x40, so +0x58): b +0x80
    /// +0x80 ldr r0,[r4,#IAR] ; +0x84 hvc #0 ; +0x88 str r0,[r4,#EOIR] ; +0x8C hvc #0
    static func guest() -> [UInt32] {
        var w = [UInt32](repeating: 0xE1A0_0000, count: 0x90 / 4)
        w[0] = 0xE140_0070
        w[1] = 0xF108_0080
        w[2] = 0xEAFF_FFFE
        w[0x58 / 4] = 0xEA00_0008
        w[0x80 / 4] = 0xE594_000C
        w[0x84 / 4] = 0xE140_0070
        w[0x88 / 4] = 0xE584_0010
        w[0x8C / 4] = 0xE140_0070
        return w
    }

    /// A VM whose VCPU has run to its first HVC (RAM and VMID set up) with
    /// GICV mapped at `guestGICC` and r4 pointing at it.
    func makeVM(_ words: [UInt32] = guest()) throws -> TestVM {
        let t = try TestVM(words)
        try t.vm.stage2.mapPage(ipa: Self.guestGICC, pa: HostMemory.gicVirtualInterface.cpuInterfaceBase,
                                writable: true, executable: false)
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase) + 0x40)
        t.vcpu.set(.core(4), UInt32(Self.guestGICC))
        guard case .hypercall = try t.vcpu.run() else { XCTFail("no first HVC"); return t }
        return t
    }

    static let enabledVMCR: UInt32 = GICHVMCR.enableGrp0 | 0x1F << GICHVMCR.priMaskShift

    func testListRegistersSurviveTheRoundTripAndTheHostSeesGICHDisabled() throws {
        let t = try makeVM()
        let v = t.vcpu.context
        v.vgic.hcr = GICHControl.en
        v.vgic.vmcr = Self.enabledVMCR
        v.vgic.lr[0] = GICHListRegister.pending(id: 27, priority: 0xA0)
        let sgi = GICHListRegister.pending(id: 3, priority: 0xC0, cpuID: 1)
        v.vgic.lr[1] = sgi

        // The guest takes the virtual IRQ, acknowledges 27 (the higher priority) and exits.
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 27, arguments: [0, 0, 0]))
        XCTAssertEqual(v.regs.cpsr & 0x1F, ProcessorMode.irq.rawValue)
        XCTAssertEqual(v.vgic.lr[0] & GICHListRegister.stateMask, GICHListRegister.active)
        XCTAssertEqual(v.vgic.lr[0] & GICHListRegister.virtualIDMask, 27)
        XCTAssertEqual(v.vgic.lr[1], sgi, "the other LR is untouched")
        XCTAssertEqual(v.vgic.apr, 1 << (0xA0 >> 3), "the active priority is part of the state")
        XCTAssertEqual(v.vgic.elrsr, 0b1100)
        XCTAssertEqual(v.vgic.eisr, 0)
        XCTAssertEqual(v.vgic.misr, 0)
        XCTAssertEqual(v.vgic.hcr, GICHControl.en, "saved before it was cleared")
        XCTAssertEqual(v.vgic.vmcr, Self.enabledVMCR)
        // The host never sees the guest's interface enabled.
        let core = t.vcpu.core
        XCTAssertEqual(core.readGICH(GICHOffset.hcr), 0)
        XCTAssertFalse(core.gicSignals.virtualIRQ)
        XCTAssertFalse(core.gicSignals.maintenance)
        XCTAssertEqual(core.sys.hcr, 0)

        // The host scribbles on the core's bank; the next entry restores the VCPU's.
        core.writeGICH(GICHOffset.lr0, 0)
        core.writeGICH(GICHOffset.apr, 0)
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 27, arguments: [0, 0, 0]))
        XCTAssertEqual(v.vgic.lr[0] & GICHListRegister.stateMask, 0, "the guest's EOIR found LR0")
        XCTAssertEqual(v.vgic.hcr >> GICHControl.eoiCountShift, 0, "no EOI went unmatched")
        XCTAssertEqual(v.vgic.apr, 0)
        XCTAssertEqual(v.vgic.elrsr & 1, 1)
        XCTAssertEqual(v.vgic.lr[1], sgi, "still pending: the guest has IRQs masked in its handler")
        XCTAssertEqual(core.readGICH(GICHOffset.hcr), 0)
    }

    func testEOIMaintenanceIsAnIRQExitWithMISRAndEISRCaptured() throws {
        // Handler: ldr r0,[r4,#IAR] ; str r0,[r4,#EOIR] ; hvc #0
        var words = Self.guest()
        words[0x84 / 4] = 0xE584_0010
        words[0x88 / 4] = 0xE140_0070
        let t = try makeVM(words)
        let v = t.vcpu.context
        v.vgic.hcr = GICHControl.en
        v.vgic.vmcr = Self.enabledVMCR
        v.vgic.lr[0] = GICHListRegister.pending(id: 40, priority: 0x80, eoiMaintenance: true)

        let code = try t.vcpu.hyp.call(.runVCPU, t.vcpu.handle)
        XCTAssertEqual(HypExitCode(rawValue: code), .irq, "the maintenance interrupt is a physical IRQ")
        XCTAssertEqual(v.regs.pc, UInt32(TestVM.ramBase) + 0x88, "taken right after the EOIR store")
        XCTAssertEqual(v.vgic.eisr, 1)
        XCTAssertEqual(v.vgic.misr & GICHMaintenance.eoi, GICHMaintenance.eoi)
        XCTAssertEqual(v.vgic.elrsr & 1, 0, "LR0 keeps its EOI request until the host consumes it")
        XCTAssertEqual(v.vgic.lr[0] & GICHListRegister.stateMask, 0)
        let core = t.vcpu.core
        XCTAssertEqual(core.readGICH(GICHOffset.hcr), 0)
        XCTAssertFalse(core.gicSignals.maintenance, "GICH_HCR = 0 silences it in the host")
        XCTAssertFalse(core.lines.irq.load(ordering: .relaxed))

        // The host consumes the EOI; the guest resumes and reaches its HVC.
        v.vgic.lr[0] = 0
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 40, arguments: [0, 0, 0]))
        XCTAssertEqual(v.vgic.eisr, 0)
        XCTAssertEqual(v.vgic.elrsr, 0b1111)
    }

    func testHCRVILineStillWorksWithTheVGICIdle() throws {
        // cpsie i ; b .   with the IRQ vector at +0x18 doing hvc #0
        var words: [UInt32] = [0xE140_0070, 0xF108_0080, 0xEAFF_FFFE]
        words += Array(repeating: 0xE1A0_0000, count: 3)
        words += [0xE140_0070]   // +0x18
        let t = try TestVM(words)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase))
        t.vcpu.setIRQLine(true)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.irq.rawValue)
        XCTAssertEqual(t.vcpu.context.vgic, VGICCPUState(), "nothing of the vGIC changed")
    }
}
