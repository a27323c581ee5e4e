/// A position in the code, created by ``X86Assembler/newLabel()`` and fixed by
/// ``X86Assembler/bind(_:)``. It may be jumped to before it is bound.
public struct Label: Hashable, Sendable {
    /// Index into the creating assembler's label table.
    let id: Int
}

/// A misuse of the assembler API, reported by ``X86Assembler/finish()``.
///
/// Emitting methods do not throw (they are called in hot JIT paths); the first
/// misuse is remembered and thrown when the code is finished.
public enum AssemblerError: Error, Equatable, Sendable {
    /// A label was jumped to but never bound.
    case unboundLabel(id: Int)
    /// A label was bound twice.
    case labelBoundTwice(id: Int)
    /// A label did not come from this assembler.
    case unknownLabel(id: Int)
    /// An operand combination has no encoding (e.g. `rsp` as index, `lea` of
    /// a byte, `movzx` from a dword).
    case invalidOperand(String)
    /// A jump distance does not fit in a signed 32-bit displacement.
    case displacementOutOfRange
}
