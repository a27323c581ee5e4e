/// The decoded operands of a VFP instruction, as `VFPDecoder` leaves them
/// in a `DecodedInstruction`: register numbers already combined (D:Vd for
/// doubles, Vd:D for singles), immediates extracted, options as flags.
/// Typed and computed once, for the interpreter and a JIT alike.
///
/// Layout: `imm` holds the four bytes `d`, `n`, `m`, `a` (lowest first);
/// `extra` holds `Flag` bits 0-5 (bits 6 and 7 belong to the T32 decoder).
///
/// | operations | d | n | m | a |
/// |---|---|---|---|---|
/// | data processing | Sd/Dd | Sn/Dn | Sm/Dm | VMOV: imm8; fixed point: fbits |
/// | VMOV core <-> single/scalar | Sn / Dn | Rt | - | scalar: index (0/1) |
/// | VMRS, VMSR | - | Rt | - | system register number |
/// | VMOV two cores <-> two singles/double | Sm / Dm | Rt | Rt2 | - |
/// | VLDR, VSTR, VLDM, VSTM | first Sd/Dd | Rn | register count | imm8 (offset = imm8 * 4) |
public struct VFPOperands: Sendable, Equatable {
    public var d: Int
    public var n: Int
    public var m: Int
    public var a: Int
    public var flags: UInt8

    /// Option bits in `flags`.
    public enum Flag {
        /// Double precision (sz).
        public static let double: UInt8 = 0x01
        /// Integer or fixed-point operand is unsigned.
        public static let unsigned: UInt8 = 0x02
        /// Float-to-integer conversion rounds towards zero (else FPSCR mode).
        public static let roundTowardsZero: UInt8 = 0x04
        /// Fixed-point operand is 32 bits wide (else 16); VCVTT/VCMPE use their own ops.
        public static let size32: UInt8 = 0x08
        /// Loads and stores: add the offset (U); VLDM/VSTM: increment after.
        public static let add: UInt8 = 0x10
        /// Loads and stores: write the base back.
        public static let writeback: UInt8 = 0x20
        /// All bits this layout uses.
        public static let all: UInt8 = 0x3F
    }

    public init(d: Int = 0, n: Int = 0, m: Int = 0, a: Int = 0, flags: UInt8 = 0) {
        self.d = d; self.n = n; self.m = m; self.a = a; self.flags = flags
    }

    /// The operands of a decoded VFP instruction.
    @inline(__always) public init(_ di: DecodedInstruction) {
        d = Int(di.imm & 0xFF)
        n = Int((di.imm >> 8) & 0xFF)
        m = Int((di.imm >> 16) & 0xFF)
        a = Int(di.imm >> 24)
        flags = di.extra & Flag.all
    }

    /// The `imm` of the slot.
    var packed: UInt32 { UInt32(d) | UInt32(n) << 8 | UInt32(m) << 16 | UInt32(a) << 24 }

    @inline(__always) public var isDouble: Bool { flags & Flag.double != 0 }
    @inline(__always) public func has(_ flag: UInt8) -> Bool { flags & flag != 0 }
}
