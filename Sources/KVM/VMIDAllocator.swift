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

    /// Whether `vm`'s VMID belongs to the current generation (lock-free fast path).
    func isCurrent(_ vm: VM) -> Bool { vm.vmidGeneration == generation }
    private var next: Int = 1
    /// Roll-overs so far.
    public private(set) var rollovers = 0

    public init() {}

    /// Gives `vm` a VMID of the current generation if it lacks one.
    /// `flushAll` runs the Hyp call that empties every guest TLB entry;
    /// `forceOut` kicks every running VCPU of every VM.
    func refresh(_ vm: VM, flushAll: () throws -> Void, forceOut: () -> Void) rethrows {
        lock.lock(); defer { lock.unlock() }
        if vm.vmidGeneration == generation { return }
        if next > 255 {
            currentGeneration.store(generation &+ 1, ordering: .releasing)
            next = 1
            rollovers += 1
            forceOut()
            try flushAll()
        }
        vm.vmid = UInt8(next)
        vm.vmidGeneration = generation
        next += 1
    }
}
