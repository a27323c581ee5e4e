/// A physical address decoder: non-overlapping device windows, kept sorted
/// by base so a lookup is a binary search.
///
/// One bus type serves every place that decodes device addresses: the
/// bare-metal machine's physical memory, the VMM's guest-physical device
/// map and the KVM layer's in-kernel devices. `Device` is what a window
/// holds: `any MMIODevice` for ordinary devices, or another handle type
/// for devices that need more than offset and size (the vGIC needs the
/// accessing VCPU). The bus does no locking; its owner serialises device
/// calls (devices are not required to be thread-safe).
public struct MMIOBus<Device> {
    /// One device window.
    public struct Region {
        /// First address of the window.
        public let base: UInt64
        /// Size of the window in bytes (non-zero).
        public let size: UInt64
        /// The device answering the window.
        public let device: Device
        /// Which access sizes reach the device.
        public let rules: MMIOAccessRules

        /// Whether `address` falls in the window.
        @inlinable public func contains(_ address: UInt64) -> Bool { address &- base < size }
    }

    /// Where an access lands.
    public enum Decoded {
        /// A device takes it at `offset` into its window.
        case device(Device, offset: UInt64)
        /// A window holds the address but refuses the size: reads zero, writes dropped.
        case ignored
        /// Nothing answers (no window, or the window faults on this size).
        case fault
    }

    /// The windows, sorted by base, none overlapping.
    public private(set) var regions: [Region] = []

    public init() {}

    /// Adds a window of `size` bytes at `base`. Throws if it is empty, wraps
    /// past the top of the address space or overlaps a window already mapped.
    public mutating func map(_ device: Device, base: UInt64, size: UInt64,
                             rules: MMIOAccessRules = .any) throws(MMIOBusError) {
        guard size > 0, base &+ size > base else { throw .badWindow(base: base, size: size) }
        // Neighbours in base order are the only windows that can overlap.
        let i = insertionIndex(base)
        if i > 0, regions[i - 1].base + regions[i - 1].size > base { throw .overlap(base: base) }
        if i < regions.count, regions[i].base < base + size { throw .overlap(base: base) }
        regions.insert(Region(base: base, size: size, device: device, rules: rules), at: i)
    }

    /// Whether `base ..< base + size` overlaps any window.
    public func overlaps(base: UInt64, size: UInt64) -> Bool {
        let end = base &+ size
        return regions.contains { base < $0.base &+ $0.size && $0.base < end }
    }

    /// The window holding `address`, if any (binary search).
    @inlinable public func region(containing address: UInt64) -> Region? {
        var low = 0, high = regions.count
        // The last window whose base is <= address is the only candidate.
        while low < high {
            let mid = (low + high) / 2
            if regions[mid].base <= address { low = mid + 1 } else { high = mid }
        }
        guard low > 0, regions[low - 1].contains(address) else { return nil }
        return regions[low - 1]
    }

    /// Whether any window holds `address`.
    @inlinable public func contains(_ address: UInt64) -> Bool { region(containing: address) != nil }

    /// Decodes an access of `size` bytes at `address`, applying the window's width rules.
    @inlinable public func decode(_ address: UInt64, size: Int) -> Decoded {
        guard let r = region(containing: address) else { return .fault }
        if r.rules.widths.allows(size: size) { return .device(r.device, offset: address - r.base) }
        return r.rules.disallowed == .ignore ? .ignored : .fault
    }

    /// Index of the first window whose base is above `base`.
    private func insertionIndex(_ base: UInt64) -> Int {
        var low = 0, high = regions.count
        while low < high {
            let mid = (low + high) / 2
            if regions[mid].base <= base { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension MMIOBus where Device == any MMIODevice {
    /// Reads `size` bytes at `address` from the device there, masked to
    /// `size` bytes; nil when nothing answers (the caller raises an abort).
    @inlinable public func read(_ address: UInt64, size: Int) -> UInt64? {
        switch decode(address, size: size) {
        case let .device(d, offset): return d.mmioRead(offset: offset, size: size) & mmioSizeMask(size)
        case .ignored: return 0
        case .fault: return nil
        }
    }

    /// Writes the low `size` bytes of `value` to the device at `address`;
    /// false when nothing answers.
    @inlinable @discardableResult
    public func write(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        switch decode(address, size: size) {
        case let .device(d, offset): d.mmioWrite(offset: offset, size: size, value: value & mmioSizeMask(size)); return true
        case .ignored: return true
        case .fault: return false
        }
    }
}

/// All ones in the low `size` bytes.
@inlinable public func mmioSizeMask(_ size: Int) -> UInt64 {
    size >= 8 ? ~0 : (1 << UInt64(size * 8)) - 1
}

/// Why a window could not be mapped on an `MMIOBus`.
public enum MMIOBusError: Error, Equatable, CustomStringConvertible {
    case badWindow(base: UInt64, size: UInt64)
    case overlap(base: UInt64)

    public var description: String {
        switch self {
        case let .badWindow(base, size):
            return "device window at 0x\(String(base, radix: 16)) of \(size) bytes is empty or wraps"
        case let .overlap(base):
            return "device window at 0x\(String(base, radix: 16)) overlaps another device"
        }
    }
}
