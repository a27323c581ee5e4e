/// Which access sizes a region of an `MMIOBus` accepts, and what any other
/// size does. The default lets every size through to the device, which
/// then decides for itself (as PL011, PL031 and virtio-mmio do).
public struct MMIOAccessRules: Sendable, Equatable {
    /// Access sizes in bytes, as a set.
    public struct Widths: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// 8-bit accesses.
        public static let byte = Widths(rawValue: 1)
        /// 16-bit accesses.
        public static let halfword = Widths(rawValue: 2)
        /// 32-bit accesses.
        public static let word = Widths(rawValue: 4)
        /// 64-bit accesses.
        public static let doubleword = Widths(rawValue: 8)
        /// Every size.
        public static let all: Widths = [.byte, .halfword, .word, .doubleword]

        /// Whether an access of `size` bytes is in the set (sizes other than 1, 2, 4, 8 never are).
        @inlinable public func allows(size: Int) -> Bool {
            size > 0 && size <= 8 && size & (size - 1) == 0 && rawValue & UInt8(size) != 0
        }
    }

    /// What an access of a size the region does not accept does.
    public enum Disallowed: Sendable, Equatable {
        /// Reads as zero, writes are dropped; the device never sees it.
        case ignore
        /// The bus reports a fault (the CPU raises an external abort).
        case fault
    }

    /// The sizes passed to the device.
    public var widths: Widths
    /// What any other size does.
    public var disallowed: Disallowed

    /// Rules passing `widths` to the device; any other size does `disallowed`.
    public init(widths: Widths = .all, disallowed: Disallowed = .fault) {
        self.widths = widths
        self.disallowed = disallowed
    }

    /// Every size goes to the device.
    public static let any = MMIOAccessRules()
    /// Only 32-bit accesses reach the device; others read zero and are ignored
    /// (GIC-style word registers).
    public static let wordsOnly = MMIOAccessRules(widths: .word, disallowed: .ignore)
}
