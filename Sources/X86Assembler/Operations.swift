/// An x86 condition code, numbered as in `Jcc`/`SETcc`/`CMOVcc` (0-15).
public enum Condition: UInt8, Sendable, CaseIterable {
    case o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g

    /// The condition that holds exactly when this one does not
    /// (the encodings pair up, differing in bit 0).
    public var inverted: Condition {
        Condition(rawValue: rawValue ^ 1) ?? self
    }
}

/// The eight classic ALU operations, numbered as their ModRM `/digit`
/// (and as bits 3-5 of their register forms' opcodes).
public enum ALUOp: UInt8, Sendable, CaseIterable {
    case add = 0, or, adc, sbb, and, sub, xor, cmp
}

/// The shift and rotate group, numbered as their ModRM `/digit`.
public enum ShiftOp: UInt8, Sendable, CaseIterable {
    case rol = 0, ror, rcl, rcr, shl, shr, sal, sar
}
