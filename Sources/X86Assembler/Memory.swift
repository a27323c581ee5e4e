/// A memory operand `[base + index*scale + disp]`.
///
/// There is no RIP-relative or base-less form: generated code addresses
/// guest state through a base register. `rsp` cannot be an index (the
/// encoding means "no index"); using one is reported by
/// ``X86Assembler/finish()`` as ``AssemblerError/invalidOperand(_:)``,
/// as is a scale other than 1, 2, 4 or 8.
public struct Memory: Sendable, Hashable {
    /// The base register.
    public let base: GPR
    /// The index register, if any.
    public let index: GPR?
    /// The index multiplier: 1, 2, 4 or 8.
    public let scale: UInt8
    /// The signed displacement.
    public let disp: Int32

    /// `[b + disp]`.
    public static func base(_ b: GPR, _ disp: Int32 = 0) -> Memory {
        Memory(base: b, index: nil, scale: 1, disp: disp)
    }

    /// `[b + i*scale + disp]`, with `scale` one of 1, 2, 4, 8 and `i` not `rsp`.
    public static func baseIndex(_ b: GPR, _ i: GPR, scale: UInt8, _ disp: Int32 = 0) -> Memory {
        Memory(base: b, index: i, scale: scale, disp: disp)
    }
}
