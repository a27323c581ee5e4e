/// One queue's available chains, as the transport lends them to its device
/// for one round of service (`VirtioDevice.serve(queue:session:)`).
///
/// Most devices take one chain at a time (the default implementation does
/// that through `serve(queue:chain:)`). A device that needs several chains
/// for one request — virtio-net receive with mergeable buffers — looks ahead
/// with `peek(ahead:)`, and either takes the chains it needs together with
/// `use(_:)` or takes none, leaving them all in the ring until more arrive.
public struct VirtqueueSession {
    /// The queue's state; the transport stores it back when the round ends.
    public private(set) var queue: SplitVirtqueue
    /// Chains returned to the driver during this round (the transport
    /// interrupts once if any were).
    public private(set) var usedCount = 0
    private let ram: GuestRAM
    private let indirectAllowed: Bool

    /// A round of service of `queue`, whose rings live in `ram`.
    public init(queue: SplitVirtqueue, ram: GuestRAM, indirectAllowed: Bool) {
        self.queue = queue
        self.ram = ram
        self.indirectAllowed = indirectAllowed
    }

    /// The chain `ahead` places after the next one not yet used (0: the next
    /// one), or `nil` if the driver has not made that many available.
    public func peek(ahead: Int = 0) throws(VirtqueueError) -> DescriptorChain? {
        try queue.peek(ram, indirectAllowed: indirectAllowed, ahead: ahead)
    }

    /// How many chains are available and not yet used.
    public func waiting() throws(VirtqueueError) -> Int {
        try queue.waitingChains(ram)
    }

    /// Takes the next `written.count` chains in ring order (the ones `peek`
    /// returned for 0, 1, …) and returns them to the driver with the given
    /// numbers of bytes written, published together.
    public mutating func use(_ chains: [DescriptorChain], written: [UInt32]) throws(VirtqueueError) {
        precondition(chains.count == written.count)
        guard !chains.isEmpty else { return }
        var elements: [(head: UInt16, length: UInt32)] = []
        elements.reserveCapacity(chains.count)
        for (chain, length) in zip(chains, written) {
            queue.consume()
            elements.append((chain.head, length))
        }
        try queue.addUsed(ram, elements)
        usedCount += chains.count
    }

    /// Takes the next chain and returns it with `written` bytes written.
    public mutating func use(_ chain: DescriptorChain, written: UInt32) throws(VirtqueueError) {
        try use([chain], written: [written])
    }
}
