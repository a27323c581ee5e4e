import CHostAtomics
import Synchronization

/// The asynchronous inputs of a core, written by other threads (interrupt
/// controllers, the VMM) and sampled by the core between blocks.
public final class InterruptLines: Sendable {
    /// Physical IRQ input.
    public let irq = Atomic<Bool>(false)
    /// Physical FIQ input.
    public let fiq = Atomic<Bool>(false)
    /// External abort input (SError-like asynchronous abort).
    public let asyncAbort = Atomic<Bool>(false)
    /// Asks the core's run loop to return.
    public let stop = Atomic<Bool>(false)
    /// A SEV or other wake-up event for WFE.
    public let event = Atomic<Bool>(false)
    /// Another core broadcast TLB maintenance (inner-shareable operations).
    public let tlbFlush = Atomic<Bool>(false)
    /// The address of the core's JIT exit-request word (0 without a JIT):
    /// raising it makes translated code return to the dispatcher at the
    /// next block entry, so a broadcast TLB flush takes effect within a
    /// block rather than at the end of a chunk. Under a lock, so that once
    /// the core withdraws it (engine change, teardown) nobody writes there.
    private let jitExitRequest = Mutex<UInt>(0)

    /// Names (or, with nil, withdraws) the word `kickTranslatedCode` raises.
    func setJITExitRequest(_ word: UnsafeMutableRawPointer?) {
        jitExitRequest.withLock { $0 = UInt(bitPattern: word) }
    }

    /// Makes the core notice `tlbFlush` at its next block entry.
    func kickTranslatedCode() {
        jitExitRequest.withLock { word in
            if let p = UnsafeMutableRawPointer(bitPattern: word) { armv_store32(p, 1) }
        }
    }

    public init() {}

    /// Drives the IRQ line.
    public func setIRQ(_ level: Bool) { irq.store(level, ordering: .releasing) }
    /// Drives the FIQ line.
    public func setFIQ(_ level: Bool) { fiq.store(level, ordering: .releasing) }
}
