import ARMv7
import Foundation
import Hyp

/// The host side of the hypervisor: one per physical machine. It owns the
/// host's physical memory, the VMID allocator and the list of VMs.
public final class KVMSystem: @unchecked Sendable {
    public let host: HostMemory
    public let vmids = VMIDAllocator()
    /// The system counter every physical core reads (one clock for the
    /// whole machine, as the architecture's system counter is).
    public let counter = CounterSource.hostMonotonic(startNanos: hostMonotonicNanos())
    private let lock = NSLock()
    private var vms: [WeakVM] = []
    private struct WeakVM { weak var vm: VM? }

    public init(tablePoolSize: UInt64 = 64 << 20) throws {
        host = try HostMemory(tablePoolSize: tablePoolSize)
    }

    /// Creates an empty VM.
    public func createVM() throws -> VM {
        let vm = try VM(system: self)
        lock.lock()
        vms.removeAll { $0.vm == nil }
        vms.append(WeakVM(vm: vm))
        lock.unlock()
        return vm
    }

    /// Every VCPU of every live VM (for forcing them out on a VMID roll-over).
    func allVCPUs() -> [VCPU] {
        lock.lock(); defer { lock.unlock() }
        return vms.compactMap(\.vm).flatMap { $0.vcpuList() }
    }
}
