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
        for f in positions { precondition(DecodeFieldTable.slot(f.0) != nil, "field letters are A-Z, a-z: \(text)") }
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
    func field(_ name: Unicode.Scalar) -> DecodeField {
        for f in fields where f.name == name { return f.field }
        preconditionFailure("no field \(name) in \(description)")
    }

    /// The value of field `name` in `word` (for tools and tests; decoders
    /// use a `DecodeFieldTable`).
    func field(_ name: Unicode.Scalar, _ word: UInt32) -> UInt32 {
        field(name).extract(word)
    }
}

/// Where one field's bits are: up to four runs of adjacent bits, most
/// significant first, concatenated on extraction. Stored inline (no heap),
/// so extracting a field costs a few shifts.
struct DecodeField: Sendable {
    /// (lowest bit, length) of each run; `runCount` of them are used.
    private var shifts: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    private var counts: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    /// 0: no such field.
    private(set) var runCount: UInt8 = 0

    /// No field.
    init() {}

    /// From bit positions, most significant first.
    init(bits: [Int]) {
        var runs: [(shift: Int, count: Int)] = []
        for b in bits {
            if let last = runs.last, last.shift == b + 1 {
                runs[runs.count - 1] = (b, last.count + 1)
            } else {
                runs.append((b, 1))
            }
        }
        precondition(runs.count <= 4, "a field of more than four runs")
        for (k, r) in runs.enumerated() {
            switch k {
            case 0: shifts.0 = UInt8(r.shift); counts.0 = UInt8(r.count)
            case 1: shifts.1 = UInt8(r.shift); counts.1 = UInt8(r.count)
            case 2: shifts.2 = UInt8(r.shift); counts.2 = UInt8(r.count)
            default: shifts.3 = UInt8(r.shift); counts.3 = UInt8(r.count)
            }
        }
        runCount = UInt8(runs.count)
    }

    /// Total width in bits.
    var width: UInt32 { UInt32(counts.0) + UInt32(counts.1) + UInt32(counts.2) + UInt32(counts.3) }

    @inline(__always) private static func run(_ word: UInt32, _ shift: UInt8, _ count: UInt8) -> UInt32 {
        (word >> UInt32(shift)) & (UInt32.max >> (32 - UInt32(count)))
    }

    /// The field's value in `word`. Branch-free: an unused run has length
    /// 0 and contributes nothing (shifts by 0, masks with 0).
    @inline(__always) func extract(_ word: UInt32) -> UInt32 {
        var v = DecodeField.run(word, shifts.0, counts.0)
        v = v << UInt32(counts.1) | DecodeField.run(word, shifts.1, counts.1)
        v = v << UInt32(counts.2) | DecodeField.run(word, shifts.2, counts.2)
        v = v << UInt32(counts.3) | DecodeField.run(word, shifts.3, counts.3)
        return v
    }
}
