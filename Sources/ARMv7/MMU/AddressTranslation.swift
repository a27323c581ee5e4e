/// What a memory access is for.
public enum AccessKind: UInt8, Sendable {
    case read, write, fetch
}

/// The outcome of translating one virtual address for the current regime.
public struct TranslationResult: Sendable, Equatable {
    /// Physical address of the byte at the virtual address.
    public var pa: UInt64
    /// Whether the same page may also be read / written / executed at the
    /// same privilege (used to fill the software TLB).
    public var readable: Bool
    public var writable: Bool
    public var executable: Bool

    public init(pa: UInt64, readable: Bool, writable: Bool, executable: Bool) {
        self.pa = pa
        self.readable = readable
        self.writable = writable
        self.executable = executable
    }
}
