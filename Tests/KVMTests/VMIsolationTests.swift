import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// VMs stay apart; VMIDs roll over; VCPUs run on their own host threads.
final class VMIsolationTests: XCTestCase {
    /// loop: ldr r1,[r0] ; add r1,r1,#1 ; str r1,[r0] ; hvc #0 ; b loop
    static let counterGuest: [UInt32] = [0xE590_1000, 0xE281_1001, 0xE580_1000, 0xE140_0070, 0xEAFF_FFFA]
    static let counterOffset = 0x1000

    func makeCounterVM(_ system: KVMSystem) throws -> TestVM {
        let t = try TestVM(Self.counterGuest, system: system)
        t.vcpu.set(.core(0), UInt32(TestVM.ramBase) + UInt32(Self.counterOffset))
        return t
    }

    func testTwoVMsWithTheSameAddressesStayApart() throws {
        let system = try KVMSystem(tablePoolSize: 8 << 20)
        let a = try makeCounterVM(system), b = try makeCounterVM(system)
        for _ in 0..<3 { guard case .hypercall = try a.vcpu.run() else { return XCTFail() } }
        guard case .hypercall = try b.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(a.word(at: Self.counterOffset), 3)
        XCTAssertEqual(b.word(at: Self.counterOffset), 1)
        XCTAssertNotEqual(a.vm.vmid, b.vm.vmid)
    }

    func testThreeHundredVMsRollTheVMIDGenerationOver() throws {
        let system = try KVMSystem(tablePoolSize: 32 << 20)
        var vms: [TestVM] = []
        for _ in 0..<300 {
            let t = try makeCounterVM(system)
            guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
            vms.append(t)
        }
        XCTAssertGreaterThanOrEqual(system.vmids.rollovers, 1)
        XCTAssertEqual(system.vmids.generation, 2)
        // Every VM, old generation or new, keeps running on its own memory.
        for t in vms { guard case .hypercall = try t.vcpu.run() else { return XCTFail() } }
        for t in vms { XCTAssertEqual(t.word(at: Self.counterOffset), 2) }
        let vmids = Set(vms.suffix(200).map(\.vm.vmid))
        XCTAssertEqual(vmids.count, 200, "VMIDs of one generation are unique")
        XCTAssertFalse(vmids.contains(0), "VMID 0 is the host's")
    }

    func testFourVCPUsOnHostThreadsSeeTheirOwnMPIDR() throws {
        // mrc p15,0,r0,c0,c0,5 ; hvc #0
        let system = try KVMSystem(tablePoolSize: 8 << 20)
        let vm = try system.createVM()
        let slot = try vm.addMemory(guestBase: TestVM.ramBase, size: 1 << 20)
        TestVM.write([0xEE10_0FB0, 0xE140_0070], to: slot, offset: 0)
        let vcpus = (0..<4).map { _ in vm.createVCPU() }
        final class Results: @unchecked Sendable { var ids = [UInt32](repeating: 99, count: 4) }
        let results = Results()
        nonisolated(unsafe) let shared = vcpus
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let v = shared[i]
            v.set(.pc, UInt32(TestVM.ramBase))
            v.power = .on
            if case .hypercall(let mpidr, _) = try? v.run() { results.ids[i] = mpidr & 0xFF }
        }
        XCTAssertEqual(results.ids, [0, 1, 2, 3])
    }

    func testStageOneTablesPointingOutsideRAMGiveTheGuestAnAbort() throws {
        // The guest's level-1 table at 0x40004000 maps its RAM (section) and
        // points VA 0x80000000 at a level-2 table at 0x90000000, outside its
        // RAM. Loading from 0x80000000 makes the stage-1 walk fault in stage 2
        // (S1PTW): the guest takes a data abort; the host is never touched.
        // TTBR0 = 0x40004000 ; DACR = all manager ; SCTLR.M = 1 ; isb ;
        // mov r2,#0x80000000 ; ldr r1,[r2] ; hvc #0 ; data-abort vector at +0x110: hvc #0
        var words: [UInt32] = [0xE304_0000, 0xE344_0000, 0xEE02_0F10, 0xE3E0_0000, 0xEE03_0F10, 0xEE11_0F10,
                               0xE380_0001, 0xEE01_0F10, 0xF57F_F06F, 0xE3A0_2102, 0xE592_1000, 0xE140_0070]
        words += Array(repeating: 0xE140_0070, count: 0x48 - words.count)   // vectors at +0x100 all hvc
        let t = try TestVM(words)
        TestVM.write([0x4000_0C02], to: t.slot, offset: 0x4000 + 0x400 * 4)   // 1 MiB section, identity
        TestVM.write([0x9000_0001], to: t.slot, offset: 0x4000 + 0x800 * 4)   // page table outside RAM
        t.vcpu.set(.vbar, UInt32(TestVM.ramBase) + 0x100)
        guard case .hypercall = try t.vcpu.run() else { return XCTFail() }
        XCTAssertEqual(t.vcpu.reg(.cpsr) & 0x1F, ProcessorMode.abort.rawValue, "the guest took an abort")
        XCTAssertEqual(t.vcpu.reg(.pc), UInt32(TestVM.ramBase) + 0x114, "at its data-abort vector")
        XCTAssertEqual(t.vcpu.reg(.dfar), 0x8000_0000)
        XCTAssertEqual(t.vcpu.statistics.trapsByClass[0x24] > 0, true)
    }

    func testKickEndsAGuestThatSpinsForever() throws {
        let t = try TestVM([0xEAFF_FFFE])   // b .
        t.vcpu.hyp.guestSlice = 10_000
        let v = t.vcpu
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { v.kick() }
        XCTAssertEqual(try t.vcpu.run(), .interrupted)
        XCTAssertGreaterThan(t.vcpu.statistics.exitsByCode[Int(HypExitCode.irq.rawValue)], 0,
                             "the host tick ended guest slices as IRQ exits")
    }
}
