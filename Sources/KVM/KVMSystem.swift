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

    /// A host with `tablePoolSize` bytes for stage-2 tables whose cores
    /// answer GICH/GICV at `gicVirtualInterface`.
    public init(tablePoolSize: UInt64 = 64 << 20,
                gicVirtualInterface: GICVirtualInterfaceWindows = HostMemory.gicVirtualInterface) throws {
        host = try HostMemory(tablePoolSize: tablePoolSize, gicVirtualInterface: gicVirtualInterface)
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
