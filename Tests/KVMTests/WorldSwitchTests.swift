import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// Guests run as VCPUs under Hyp; traps come back as exits.
final class WorldSwitchTests: XCTestCase {
    /// movw r0,#0x1234 ; movw r1,#0x5678 ; hvc #0 ; add r2,r0,#1 ; hvc #0
    static let hypercallGuest: [UInt32] = [0xE301_0234, 0xE305_1678, 0xE140_0070, 0xE280_2001, 0xE140_0070]

    func testGuestHVCIsAHypercallExitAndTheGuestResumes() throws {
        let t = try TestVM(Self.hypercallGuest)
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 0x1234, arguments: [0x5678, 0, 0]))
        t.vcpu.set(.core(0), 41)      // the VMM's answer in r0
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 41, arguments: [0x5678, 42, 0]))
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 20)
        // One stage-2 fault on the first fetch (RAM is mapped on demand), then two HVCs.
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x20], 1)
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x12], 2)
        XCTAssertEqual(t.vcpu.statistics.worldSwitches, 3)
    }

    func testHostStateSurvivesTheWorldSwitch() throws {
        let t = try TestVM(Self.hypercallGuest)
        let core = t.vcpu.core
        // The host's registers and CP15 state before the run.
        core.setRegister(5, 0xCAFE_F00D)
        core.setBankedRegister(13, mode: .irq, 0x1111)
        core.sys.ttbr0 = 0x8000_0000
        core.sys.sctlr = 0x00C5_0078
        let hostMode = core.mode
        _ = try t.vcpu.run()
        XCTAssertEqual(core.register(5), 0xCAFE_F00D)
        XCTAssertEqual(core.bankedRegister(13, mode: .irq), 0x1111)
        XCTAssertEqual(core.sys.ttbr0, 0x8000_0000)
        XCTAssertEqual(core.sys.vmid, 0, "the host runs with VMID 0")
        XCTAssertEqual(core.sys.hcr, 0, "no guest traps while the host runs")
        XCTAssertEqual(core.mode, hostMode)
        // The guest's registers were saved in its context, not left on the core.
        XCTAssertEqual(t.vcpu.reg(.core(1)), 0x5678)
    }

    func testGuestSeesVirtualMIDRAndMPIDRFromItsVCPUID() throws {
        // mrc p15,0,r0,c0,c0,5 (MPIDR) ; mrc p15,0,r1,c0,c0,0 (MIDR) ; hvc #0
        let guest: [UInt32] = [0xEE10_0FB0, 0xEE10_1F10, 0xE140_0070]
        let system = try KVMSystem(tablePoolSize: 8 << 20)
        let vm = try system.createVM()
        let slot = try vm.addMemory(guestBase: TestVM.ramBase, size: 1 << 20)
        TestVM.write(guest, to: slot, offset: 0)
        let vcpus = (0..<4).map { _ in vm.createVCPU() }
        var seen: [UInt32] = []
        for v in vcpus {
            v.set(.pc, UInt32(TestVM.ramBase))
            v.power = .on
            guard case .hypercall(let mpidr, let args) = try v.run() else { return XCTFail() }
            seen.append(mpidr & 0xFF)
            XCTAssertEqual(args.first, CortexA15ID.midr)
            XCTAssertEqual(mpidr & 0x8000_0000, 0x8000_0000)
        }
        XCTAssertEqual(seen, [0, 1, 2, 3])
    }

    func testPSCISystemOffIsASystemEvent() throws {
        // movw r0,#8 ; movt r0,#0x8400 ; hvc #0
        let t = try TestVM([0xE300_0008, 0xE348_0400, 0xE140_0070])
        XCTAssertEqual(try t.vcpu.run(), .systemEvent(.shutdown))
    }

    func testPL2RegisterWriteFromGuestIsUndefinedInTheGuest() throws {
        // mcr p15,4,r0,c1,c1,0 (HCR) at +0 ; the undefined vector at +4 (VBAR = RAM base) does hvc #0.
        let t = try TestVM([0xEE81_0F11, 0xE140_0070])
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase))
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.undefined.rawValue)
        XCTAssertEqual(t.vcpu.core.sys.hcr, 0, "the guest did not reach the real HCR")
    }

    func testGuestHVCWithHostCallArgumentsIsOnlyAGuestTrap() throws {
        // r0 = 1 (runVCPU), r1 = the VCPU's own handle: must not nest a world switch.
        let t = try TestVM([0xE3A0_0001, 0xE3A0_1001, 0xE140_0070])
        XCTAssertEqual(try t.vcpu.run(), .hypercall(function: 1, arguments: [1, 0, 0]))
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x12], 1)
        XCTAssertEqual(t.vcpu.statistics.worldSwitches, 2, "one stage-2 fault, one HVC: no nested run")
    }

    func testHypCallFromHypModeIsAHostPanic() throws {
        let t = try TestVM([])
        t.vcpu.core.switchMode(.hyp)
        XCTAssertThrowsError(try t.vcpu.hyp.call(.flushAllGuestTLBs)) { e in
            XCTAssertTrue((e as? HypPanic)?.description.hasPrefix("unexpected hvc or svc in Hyp mode at: ") ?? false, "\(e)")
        }
    }

    func testUnknownHypFunctionIsRejected() throws {
        let t = try TestVM([])
        XCTAssertThrowsError(try t.vcpu.hyp.call(rawFunction: 99, 0, 0, 0)) { e in
            XCTAssertEqual(e as? HypPanic, .badHypCall(function: 99))
        }
    }
}

/// Virtual interrupt lines reach the guest through HCR.VI / HCR.VF.
final class VirtualInterruptTests: XCTestCase {
    func testIRQLineIsTakenByTheGuestOnceItUnmasksIRQs() throws {
        // +0: cpsie i ; +4: b .   vectors at +0x20: irq (+0x38) does hvc #0
        var words: [UInt32] = [0xF108_0080, 0xEAFF_FFFE]
        words += Array(repeating: 0xE1A0_0000, count: 6)
        words += Array(repeating: 0xE140_0070, count: 8)
        let t = try TestVM(words)
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase) + 0x20)
        t.vcpu.setIRQLine(true)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.irq.rawValue)
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 0x3C)
        XCTAssertEqual(t.vcpu.reg(.banked(.irq, 14)), UInt32(TestVM.ramBase) + 4 + 4, "interrupted at the b . (+4), LR = +8")
        XCTAssertEqual(t.vcpu.core.sys.hcr, 0, "the host's HCR carries no guest line")
    }

    func testLoweredLineIsNotTaken() throws {
        let t = try TestVM([0xF108_0080, 0xE140_0070])
        t.vcpu.setIRQLine(true)
        t.vcpu.setIRQLine(false)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.supervisor.rawValue)
    }
}
