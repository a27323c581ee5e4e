import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// A VM with 1 MiB of RAM at guest-physical 0x40000000 and code loaded at its start.
struct TestVM {
    static let ramBase: UInt64 = 0x4000_0000
    let system: KVMSystem
    let vm: VM
    let vcpu: VCPU
    /// Every VCPU (the VM holds them weakly).
    let vcpus: [VCPU]
    let slot: MemorySlot

    init(_ words: [UInt32], system: KVMSystem? = nil, vcpus: Int = 1) throws {
        self.system = try system ?? KVMSystem(tablePoolSize: 8 << 20)
        vm = try self.system.createVM()
        slot = try vm.addMemory(guestBase: TestVM.ramBase, size: 1 << 20)
        let vm = self.vm
        let first = vm.createVCPU()
        vcpu = first
        self.vcpus = [first] + (1..<max(vcpus, 1)).map { _ in vm.createVCPU() }
        TestVM.write(words, to: slot, offset: 0)
        try vcpu.setRegister(.pc, TestVM.ramBase)
    }

    static func write(_ words: [UInt32], to slot: MemorySlot, offset: Int) {
        for (i, w) in words.enumerated() {
            slot.pointer.storeBytes(of: w, toByteOffset: offset + 4 * i, as: UInt32.self)
        }
    }

    func word(at offset: Int) -> UInt32 { slot.pointer.load(fromByteOffset: offset, as: UInt32.self) }
}

/// The VCPU's register interface in the 32-bit words these tests think in
/// (ids that exist; a wrong one is a test bug).
extension VCPU {
    func reg(_ id: RegisterID) -> UInt32 { UInt32(truncatingIfNeeded: try! register(id)) }
    func set(_ id: RegisterID, _ value: UInt32) { try! setRegister(id, UInt64(value)) }
}
