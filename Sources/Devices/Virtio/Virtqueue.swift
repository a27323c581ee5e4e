import CHostAtomics

/// Why the device gave up on a virtqueue: the driver broke the ring
/// (virtio 1.x §2.7). The transport answers with DEVICE_NEEDS_RESET.
public enum VirtqueueError: Error, Equatable {
    /// Descriptor table, available or used ring not inside guest RAM.
    case ringOutsideRAM
    /// The available index moved by more than the queue size.
    case availableIndexJumped
    /// A head or `next` index beyond the (direct or indirect) table.
    case descriptorOutOfRange
    /// A chain longer than its table: a loop in the `next` links.
    case chainTooLong
    /// An indirect descriptor that is not allowed or not well formed.
    case badIndirectDescriptor
    /// A buffer address or length outside guest RAM.
    case bufferOutsideRAM
}

/// One guest buffer of a descriptor chain, already checked to lie inside guest RAM.
public struct VirtqueueBuffer {
    /// Host address of the buffer's first byte.
    public let pointer: UnsafeMutableRawPointer
    /// Size of the buffer in bytes, as the descriptor gave it.
    public let length: Int
}

/// A descriptor chain the driver made available: its device-readable
/// buffers (in order) and its device-writable buffers (in order).
public struct DescriptorChain {
    /// Index of the head descriptor; it goes back in the used ring.
    public let head: UInt16
    /// Buffers the device may only read, in chain order.
    public internal(set) var readable: [VirtqueueBuffer] = []
    /// Buffers the device may only write, in chain order.
    public internal(set) var writable: [VirtqueueBuffer] = []

    /// Total bytes the device may read.
    public var readableLength: Int { readable.reduce(0) { $0 + $1.length } }
    /// Total bytes the device may write.
    public var writableLength: Int { writable.reduce(0) { $0 + $1.length } }

    /// The first `count` readable bytes, gathered across buffers; `nil` if the chain has fewer.
    public func read(_ count: Int, from start: Int = 0) -> [UInt8]? {
        guard start >= 0, count >= 0, start + count <= readableLength else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(count)
        var skip = start
        for b in readable where out.count < count {
            if skip >= b.length { skip -= b.length; continue }
            let n = min(b.length - skip, count - out.count)
            out.append(contentsOf: UnsafeRawBufferPointer(start: b.pointer + skip, count: n))
            skip = 0
        }
        return out
    }

    /// Copies `bytes` into the writable buffers starting at byte `start` of
    /// the writable space; returns how many bytes fitted.
    @discardableResult
    public func write(_ bytes: [UInt8], at start: Int = 0) -> Int {
        bytes.withUnsafeBytes { write($0, at: start) }
    }

    /// Copies `src` into the writable buffers starting at byte `start` of
    /// the writable space; returns how many bytes fitted.
    @discardableResult
    public func write(_ src: UnsafeRawBufferPointer, at start: Int = 0) -> Int {
        var skip = start, done = 0
        for b in writable where done < src.count {
            if skip >= b.length { skip -= b.length; continue }
            let n = min(b.length - skip, src.count - done)
            (b.pointer + skip).copyMemory(from: src.baseAddress! + done, byteCount: n)
            done += n
            skip = 0
        }
        return done
    }
}

/// A split virtqueue (virtio 1.x §2.7) as the device sees it: where the
/// driver put the descriptor table and the two rings, and how far the
/// device has got. Every value read from guest memory is checked before use.
public struct SplitVirtqueue {
    static let descriptorNext: UInt16 = 1
    static let descriptorWrite: UInt16 = 2
    static let descriptorIndirect: UInt16 = 4
    static let availableNoInterrupt: UInt16 = 1

    /// Largest size the device accepts.
    public let maxSize: UInt16
    /// Entries in the descriptor table and rings, chosen by the driver.
    public var size: UInt16
    /// Whether the driver enabled the queue (QueueReady, or a non-zero legacy QueuePFN).
    public var ready = false
    /// Guest-physical address of the descriptor table.
    public var descriptorTable: UInt64 = 0
    /// Guest-physical address of the available ("driver") ring.
    public var availableRing: UInt64 = 0
    /// Guest-physical address of the used ("device") ring.
    public var usedRing: UInt64 = 0
    /// The next available-ring slot the device will read.
    public private(set) var lastAvailable: UInt16 = 0
    /// The used index the device last published.
    public private(set) var usedIndex: UInt16 = 0

    /// A queue that accepts up to `maxSize` entries, not yet set up by a driver.
    public init(maxSize: UInt16) {
        self.maxSize = maxSize
        size = maxSize
    }

    /// Back to the state after a device reset.
    public mutating func reset() {
        self = SplitVirtqueue(maxSize: maxSize)
    }

    /// Whether table and rings lie inside guest RAM.
    func layoutFits(_ ram: GuestRAM) -> Bool {
        let n = UInt64(size)
        return size > 0 && size <= maxSize
            && ram.pointer(at: descriptorTable, length: 16 * n) != nil
            && ram.pointer(at: availableRing, length: 6 + 2 * n) != nil
            && ram.pointer(at: usedRing, length: 6 + 8 * n) != nil
    }

    /// The next chain the driver made available, without consuming it
    /// (`consume()` does that), or `nil` when there is none. With `ahead`
    /// n > 0, the chain n places after it (a device that needs several
    /// chains for one request looks at them before taking any).
    public func peek(_ ram: GuestRAM, indirectAllowed: Bool, ahead: Int = 0) throws(VirtqueueError) -> DescriptorChain? {
        let waiting = try waitingChains(ram)
        guard ahead >= 0, ahead < waiting else { return nil }
        // The ring entry must be read after the index that published it.
        armv_fence()
        let slot = lastAvailable &+ UInt16(ahead)
        let head = ram.load16(availableRing + 4 + 2 * UInt64(slot % size))!
        return try walk(ram, head: head, indirectAllowed: indirectAllowed)
    }

    /// How many chains the driver has made available and the device not yet consumed.
    public func waitingChains(_ ram: GuestRAM) throws(VirtqueueError) -> Int {
        guard layoutFits(ram) else { throw .ringOutsideRAM }
        let waiting = ram.load16(availableRing + 2)! &- lastAvailable
        guard waiting <= size else { throw .availableIndexJumped }
        return Int(waiting)
    }

    /// Moves past the chain `peek` returned.
    public mutating func consume() { lastAvailable &+= 1 }

    /// Follows a chain from `head`, through at most one indirect table.
    func walk(_ ram: GuestRAM, head: UInt16, indirectAllowed: Bool) throws(VirtqueueError) -> DescriptorChain {
        var chain = DescriptorChain(head: head)
        var table = descriptorTable, entries = UInt32(size), index = UInt32(head)
        var steps: UInt32 = 0, inIndirect = false
        while true {
            guard index < entries else { throw .descriptorOutOfRange }
            steps += 1
            guard steps <= entries else { throw .chainTooLong }
            let d = table + 16 * UInt64(index)
            guard let address = ram.load64(d), let length = ram.load32(d + 8),
                  let flags = ram.load16(d + 12), let next = ram.load16(d + 14) else { throw .ringOutsideRAM }
            if flags & Self.descriptorIndirect != 0 {
                guard indirectAllowed, !inIndirect, flags & Self.descriptorNext == 0,
                      length > 0, length % 16 == 0, length / 16 <= 0x1_0000,
                      ram.pointer(at: address, length: UInt64(length)) != nil else { throw .badIndirectDescriptor }
                table = address
                entries = length / 16
                index = 0
                steps = 0
                inIndirect = true
                continue
            }
            guard let p = ram.pointer(at: address, length: UInt64(length)) else { throw .bufferOutsideRAM }
            let buffer = VirtqueueBuffer(pointer: p, length: Int(length))
            if flags & Self.descriptorWrite != 0 { chain.writable.append(buffer) } else { chain.readable.append(buffer) }
            if flags & Self.descriptorNext == 0 { return chain }
            index = UInt32(next)
        }
    }

    /// Returns the chain headed by `head` to the driver with `length` bytes written.
    public mutating func addUsed(_ ram: GuestRAM, head: UInt16, length: UInt32) throws(VirtqueueError) {
        try addUsed(ram, [(head, length)])
    }

    /// Returns several chains (head, bytes written) and publishes them with
    /// one used-index update, so the driver sees all of them or none (a
    /// virtio-net frame spread over mergeable buffers must arrive whole).
    public mutating func addUsed(_ ram: GuestRAM, _ elements: [(head: UInt16, length: UInt32)]) throws(VirtqueueError) {
        guard layoutFits(ram) else { throw .ringOutsideRAM }
        for e in elements {
            let slot = usedRing + 4 + 8 * UInt64(usedIndex % size)
            ram.store32(slot, UInt32(e.head))
            ram.store32(slot + 4, e.length)
            usedIndex &+= 1
        }
        // The elements must be visible before the index that publishes them.
        armv_fence()
        ram.store16(usedRing + 2, usedIndex)
    }

    /// Whether the driver asked not to be interrupted (VIRTQ_AVAIL_F_NO_INTERRUPT).
    public func driverSuppressesInterrupts(_ ram: GuestRAM) -> Bool {
        guard let flags = ram.load16(availableRing) else { return false }
        return flags & Self.availableNoInterrupt != 0
    }
}
