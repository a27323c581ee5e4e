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

    public init() {}

    /// Drives the IRQ line.
    public func setIRQ(_ level: Bool) { irq.store(level, ordering: .releasing) }
    /// Drives the FIQ line.
    public func setFIQ(_ level: Bool) { fiq.store(level, ordering: .releasing) }
}
