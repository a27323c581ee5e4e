/// A small bank of 32-bit registers (PMU event types and counts, debug
/// breakpoint and watchpoint registers), stored inline.
///
/// Not an array: `SystemRegisters` holds several banks, and an array makes
/// that struct non-trivial, so every copy of it (the MMU reads `sys` on each
/// translation) would retain and release heap buffers.
public struct InlineRegisters: Sendable, Equatable {
    /// Most registers a bank holds.
    public static let capacity = 8
    /// Registers in this bank.
    public let count: Int
    private var storage: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// `count` registers (at most `capacity`), all zero.
    public init(count: Int) {
        precondition(count >= 0 && count <= Self.capacity, "a register bank holds at most \(Self.capacity)")
        self.count = count
    }

    /// Register `index`; out-of-range reads are 0 and writes are ignored.
    public subscript(index: Int) -> UInt32 {
        get {
            guard index >= 0, index < count else { return 0 }
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 4, as: UInt32.self) }
        }
        set {
            guard index >= 0, index < count else { return }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index * 4, as: UInt32.self) }
        }
    }

    public static func == (a: InlineRegisters, b: InlineRegisters) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }
}
