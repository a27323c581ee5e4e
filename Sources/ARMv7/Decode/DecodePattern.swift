/// One line of a decode table, parsed once when a decoder is built.
///
/// Syntax (as the ARM ARM draws encodings): one character per bit, most
/// significant first, 16 or 32 of them. `0`/`1` must match; `x` is a
/// don't-care bit; any other letter (case-sensitive) is a bit of the field
/// of that name. A field's bits concatenate in the order they appear, so
/// `i` in `11110i0oooosnnnn0iiiddddiiiiiiii` is i:imm3:imm8, as written in
/// the ARM ARM. After the bits, space-separated side conditions
/// `n!=1111` exclude one value of a field, as the ARM ARM's
/// "if Rn == '1111' then SEE ..." does (at most one per line).
struct DecodePattern: CustomStringConvertible, Sendable {
    /// The table text, for messages.
    let description: String
    /// 16 or 32.
    let width: Int
    /// The fixed bits and their values.
    let mask: UInt32
    let value: UInt32
    /// A word with `word & exclusionMask == exclusionValue` does not match.
    /// No side condition: mask 0, value 1 (never equal).
    let exclusionMask: UInt32
    let exclusionValue: UInt32
    /// The named fields, in order of first appearance.
    let fields: [(name: Unicode.Scalar, field: DecodeField)]
    /// Index into `fields` by ASCII letter (-1: none), so a decoder's field
    /// lookups cost an array load, not a search.
    private let fieldIndex: [Int8]

    init(_ text: String) {
        let parts = text.split(separator: " ")
        let bits = Array(parts[0].unicodeScalars)
        precondition(bits.count == 16 || bits.count == 32, "bad decode pattern \(text)")
        var mask: UInt32 = 0, value: UInt32 = 0
        var positions: [(Unicode.Scalar, [Int])] = []
        for (i, ch) in bits.enumerated() {
            let bit = bits.count - 1 - i
            switch ch {
            case "0": mask |= 1 << bit
            case "1": mask |= 1 << bit; value |= 1 << bit
            case "x": break
            default:
                if let k = positions.firstIndex(where: { $0.0 == ch }) { positions[k].1.append(bit) }
                else { positions.append((ch, [bit])) }
            }
        }
        var exMask: UInt32 = 0, exValue: UInt32 = 1
        for condition in parts.dropFirst() {
            let sides = condition.split(separator: "!")
            precondition(exMask == 0 && sides.count == 2 && sides[1].hasPrefix("="), "bad side condition in \(text)")
            let name = sides[0].unicodeScalars.first!
            let literal = Array(sides[1].dropFirst().unicodeScalars)
            guard let bitsOfField = positions.first(where: { $0.0 == name })?.1,
                  bitsOfField.count == literal.count else { preconditionFailure("bad side condition in \(text)") }
            exValue = 0
            for (bit, ch) in zip(bitsOfField, literal) {
                exMask |= 1 << bit
                if ch == "1" { exValue |= 1 << bit }
            }
        }
        description = text
        width = bits.count
        self.mask = mask
        self.value = value
        exclusionMask = exMask
        exclusionValue = exValue
        fields = positions.map { ($0.0, DecodeField(bits: $0.1)) }
        var index = [Int8](repeating: -1, count: 128)
        for (k, f) in positions.enumerated() {
            precondition(f.0.isASCII, "field letters are ASCII: \(text)")
            index[Int(f.0.value)] = Int8(k)
        }
        fieldIndex = index
    }

    /// Whether `word` is this encoding.
    @inline(__always) func matches(_ word: UInt32) -> Bool {
        word & mask == value && word & exclusionMask != exclusionValue
    }

    /// How many bits are fixed: the specificity the matcher sorts by.
    var fixedBitCount: Int { mask.nonzeroBitCount }

    /// Whether some word is both this encoding and `other`.
    func overlaps(_ other: DecodePattern) -> Bool {
        guard width == other.width, (mask & other.mask) & (value ^ other.value) == 0 else { return false }
        // The words of both have these bits fixed; a side condition whose
        // field is entirely fixed to its excluded value empties the overlap.
        let m = mask | other.mask, v = value | other.value
        for (em, ev) in [(exclusionMask, exclusionValue), (other.exclusionMask, other.exclusionValue)]
        where em != 0 && em & ~m == 0 && v & em == ev { return false }
        return true
    }

    /// Whether this line fixes every bit `other` fixes, and more (on words
    /// of both, it is the one meant).
    func isStrictlyMoreSpecific(than other: DecodePattern) -> Bool {
        mask & other.mask == other.mask && mask != other.mask
    }

    /// The field named `name` (a precondition failure if there is none:
    /// the tables and their decoders are written together).
    @inline(__always) func field(_ name: Unicode.Scalar) -> DecodeField {
        let k = name.value < 128 ? Int(fieldIndex[Int(name.value)]) : -1
        precondition(k >= 0, "no field \(name) in \(description)")
        return fields[k].field
    }

    /// Whether the line has a field `name`.
    func hasField(_ name: Unicode.Scalar) -> Bool {
        name.value < 128 && fieldIndex[Int(name.value)] >= 0
    }

    /// The value of field `name` in `word`.
    @inline(__always) func field(_ name: Unicode.Scalar, _ word: UInt32) -> UInt32 {
        field(name).extract(word)
    }
}

/// Where one field's bits are: runs of adjacent bits, most significant
/// first, concatenated on extraction.
struct DecodeField: Sendable {
    /// (lowest bit of the run, run length), most significant run first.
    let runs: [(shift: UInt32, count: UInt32)]

    /// From bit positions, most significant first.
    init(bits: [Int]) {
        var runs: [(shift: UInt32, count: UInt32)] = []
        for b in bits {
            if let last = runs.last, Int(last.shift) == b + 1 {
                runs[runs.count - 1] = (UInt32(b), last.count + 1)
            } else {
                runs.append((UInt32(b), 1))
            }
        }
        self.runs = runs
    }

    /// Total width in bits.
    var width: UInt32 { runs.reduce(0) { $0 + $1.count } }

    /// The field's value in `word`.
    @inline(__always) func extract(_ word: UInt32) -> UInt32 {
        var v: UInt32 = 0
        for r in runs { v = v << r.count | (word >> r.shift) & (UInt32.max >> (32 - r.count)) }
        return v
    }
}
