/// The fields of one instruction word, as its decode-table line's letters
/// define them: `f["n"]` is the value of the bits lettered `n` (see
/// `DecodePattern`). Decoders translate these into their typed operands
/// (`VFPOperands`, the A32 form of a T32 instruction) instead of shifting
/// and masking by hand, so a table line and its extraction cannot disagree.
struct DecodeFields {
    let pattern: DecodePattern
    let word: UInt32

    @inline(__always) subscript(_ name: Unicode.Scalar) -> UInt32 {
        pattern.field(name, word)
    }

    /// A one-bit field as a flag.
    @inline(__always) func flag(_ name: Unicode.Scalar) -> Bool {
        pattern.field(name, word) != 0
    }
}
