import Foundation
import Hyp
import Synchronization

/// 8-bit VMIDs with a 64-bit generation, as arm.c's update_vttbr: VMID 0 is
/// the host's; when the 255 guest VMIDs run out, a new generation starts,
/// every guest TLB entry is flushed and every running VCPU is forced out so
/// it picks up a fresh VMID before it runs again.
public final class VMIDAllocator: @unchecked Sendable {
    private let lock = NSLock()
    /// Current generation (counts roll-overs; starts at 1). Atomic so the
    /// entry path can check it without the lock.
    private let currentGeneration = Atomic<UInt64>(1)
    public var generation: UInt64 { currentGeneration.load(ordering: .acquiring) }

    /// `vm`'s VMID if it belongs to the current generation (lock-free fast
    /// path), from one snapshot of VMID and generation.
    func currentVMID(_ vm: VM) -> UInt8? {
        let state = vm.vmidState.load(ordering: .acquiring)
        return state >> 8 == generation ? UInt8(truncatingIfNeeded: state) : nil
    }
    private var next: Int = 1
    /// Roll-overs so far.
    public private(set) var rollovers = 0

    public init() {}

    /// Gives `vm` a VMID of the current generation if it lacks one.
    /// `flushAll` runs the Hyp call that empties every guest TLB entry;
    /// `forceOut` kicks every running VCPU of every VM.
    func refresh(_ vm: VM, flushAll: () throws -> Void, forceOut: () -> Void) rethrows -> UInt8 {
        lock.lock(); defer { lock.unlock() }
        let state = vm.vmidState.load(ordering: .acquiring)
        if state >> 8 == generation { return UInt8(truncatingIfNeeded: state) }
        if next > 255 {
            currentGeneration.store(generation &+ 1, ordering: .releasing)
            next = 1
            rollovers += 1
            forceOut()
            try flushAll()
        }
        let vmid = UInt8(next)
        vm.vmidState.store(generation << 8 | UInt64(vmid), ordering: .releasing)
        next += 1
        return vmid
    }
}
