/// The fields of a table's lines by letter, in one allocation: line k's
/// field for letter L is at k * 64 + slot(L). Built once with its decoder
/// (which lives as long as the process), so decoding reads fields with no
/// search and no reference counting.
struct DecodeFieldTable: @unchecked Sendable {
    /// Letters A-Z and a-z map to slots 1-26 and 33-58 (ASCII - 64).
    static let slotsPerLine = 64
    private let base: UnsafeMutablePointer<DecodeField>

    @inline(__always) static func slot(_ name: Unicode.Scalar) -> Int? {
        let v = Int(name.value) - 64
        return (1...26).contains(v) || (33...58).contains(v) ? v : nil
    }

    /// Never freed: decoders are process-wide singletons.
    init(_ patterns: [DecodePattern]) {
        base = .allocate(capacity: max(1, patterns.count) * Self.slotsPerLine)
        base.initialize(repeating: DecodeField(), count: max(1, patterns.count) * Self.slotsPerLine)
        for (k, p) in patterns.enumerated() {
            for f in p.fields { base[k * Self.slotsPerLine + Self.slot(f.name)!] = f.field }
        }
    }

    /// The fields of `word` under line `line`.
    @inline(__always) func fields(line: Int, word: UInt32) -> DecodeFields {
        DecodeFields(table: UnsafePointer(base + line * Self.slotsPerLine), word: word)
    }
}

/// The fields of one instruction word, as its decode-table line's letters
/// define them: `f["n"]` is the value of the bits lettered `n` (see
/// `DecodePattern`). Decoders translate these into their typed operands
/// (`VFPOperands`, the A32 form of a T32 instruction) instead of shifting
/// and masking by hand, so a table line and its extraction cannot disagree.
struct DecodeFields {
    /// The line's 64 field slots (`DecodeFieldTable`).
    let table: UnsafePointer<DecodeField>
    let word: UInt32

    @inline(__always) subscript(_ name: Unicode.Scalar) -> UInt32 {
        let f = table[Int(name.value) &- 64]
        // A letter the line does not have: the table and its decoder
        // disagree (the decode fingerprint tests run every line).
        assert(f.runCount != 0, "no such field")
        return f.extract(word)
    }

    /// A one-bit field as a flag.
    @inline(__always) func flag(_ name: Unicode.Scalar) -> Bool { self[name] != 0 }
}
