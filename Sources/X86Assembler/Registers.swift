/// A 64-bit general-purpose register, numbered as in the x86-64 encoding
/// (bit 3 goes to REX.R/X/B, bits 0-2 to ModRM/SIB/opcode).
public enum GPR: UInt8, Sendable, CaseIterable {
    case rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15

    /// The low three bits that go into ModRM, SIB or the opcode.
    var low3: UInt8 { rawValue & 7 }
    /// The fourth bit, which goes into a REX extension bit.
    var high: UInt8 { rawValue >> 3 }
}

/// An SSE register, numbered as in the encoding.
public enum XMM: UInt8, Sendable, CaseIterable {
    case xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7
    case xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15
}

/// The operand size of an integer instruction.
public enum Width: Sendable, CaseIterable {
    /// 8 bits (al, cl, ..., spl, r8b).
    case byte
    /// 16 bits, encoded with the 0x66 operand-size prefix.
    case word
    /// 32 bits, the default operand size; writes zero-extend to 64 bits.
    case dword
    /// 64 bits, encoded with REX.W.
    case qword

    /// Size in bytes.
    public var bytes: Int {
        switch self {
        case .byte: 1
        case .word: 2
        case .dword: 4
        case .qword: 8
        }
    }
}
