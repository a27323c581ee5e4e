/// Builds a decoder from `a32EncodingTable` and `vfpEncodingTable` and
/// decodes A32 words into `DecodedInstruction`s with their immediates and
/// (for VFP) operands precomputed.
final class A32Decoder: Sendable {
    /// The lines of both tables, parsed (`DecodeMatcher.Entry.line` indexes this).
    let lines: [(op: A32Op, pattern: DecodePattern)]
    /// Lines starting with `cccc` (condition not 0b1111), by bits 27:20.
    private let conditional: DecodeMatcher
    /// Lines starting with `1111`, by bits 27:20.
    private let unconditional: DecodeMatcher
    /// The lines' fields by letter.
    private let fieldTable: DecodeFieldTable

    static let shared = A32Decoder()

    init() {
        let lines = (a32EncodingTable + vfpEncodingTable).map { (op: $0.0, pattern: DecodePattern($0.1)) }
        for l in lines { precondition(l.pattern.width == 32, "bad A32 pattern \(l.pattern)") }
        let all = lines.map { ($0.op.rawValue, $0.pattern) }
        self.lines = lines
        fieldTable = DecodeFieldTable(lines.map(\.pattern))
        conditional = DecodeMatcher(all, keyShift: 20, keyBits: 8) { !A32Decoder.isUnconditional($0) }
        unconditional = DecodeMatcher(all, keyShift: 20, keyBits: 8) { A32Decoder.isUnconditional($0) }
    }

    /// Whether a line belongs to the unconditional space (cond = 0b1111).
    static func isUnconditional(_ p: DecodePattern) -> Bool {
        p.description.hasPrefix("1111")
    }

    /// The matching table line of `raw`, or nil (UNDEFINED).
    @inline(__always) func match(_ raw: UInt32) -> DecodeMatcher.Entry? {
        raw >> 28 == 0xF ? unconditional.match(raw) : conditional.match(raw)
    }

    /// The operation of `raw` and its fields as the matching table line's
    /// letters name them (nil: UNDEFINED): the typed view of an A32 word
    /// for consumers other than the interpreter (a JIT's front end).
    func fields(_ raw: UInt32) -> (op: A32Op, fields: DecodeFields)? {
        guard let e = match(raw) else { return nil }
        return (A32Op.fromDecoded(e.op), fieldTable.fields(line: e.line, word: raw))
    }

    /// The operation for `raw`, or `.undefined`.
    func operation(_ raw: UInt32) -> A32Op {
        match(raw).map { A32Op.fromDecoded($0.op) } ?? .undefined
    }

    /// Decodes `raw` with the immediates this design precomputes.
    func decode(_ raw: UInt32) -> DecodedInstruction {
        let cond = raw >> 28 == 0xF ? 0xE : UInt8(raw >> 28)
        guard let entry = match(raw) else {
            return DecodedInstruction(raw: raw, imm: 0, op: A32Op.undefined.rawValue, cond: cond, extra: 0)
        }
        let op = A32Op.fromDecoded(entry.op)
        if op.isVFP {
            let (vop, operands) = VFPDecoder.decode(op, fieldTable.fields(line: entry.line, word: raw))
            return DecodedInstruction(raw: raw, imm: operands.packed, op: vop.rawValue, cond: cond,
                                      extra: operands.flags)
        }
        var imm: UInt32 = 0
        var extra: UInt8 = 0
        switch op {
        case .dpImm, .msrImm:
            let rot = (raw >> 8) & 0xF
            imm = (raw & 0xFF).rotateRight(rot * 2)
            if rot != 0 { extra = 1 }   // carry-out = bit 31 of the constant
        case .b, .bl:
            imm = UInt32(bitPattern: Int32(bitPattern: raw << 8) >> 6)
        case .blxImm:
            imm = UInt32(bitPattern: Int32(bitPattern: raw << 8) >> 6) | ((raw >> 23) & 2)
        case .ldrImm, .strImm, .ldrbImm, .strbImm:
            imm = raw & 0xFFF
        case .strh, .ldrh, .ldrsb, .ldrsh, .ldrd, .strd:
            imm = ((raw >> 4) & 0xF0) | (raw & 0xF)
        case .movw, .movt:
            imm = ((raw >> 4) & 0xF000) | (raw & 0xFFF)
        default:
            break
        }
        return DecodedInstruction(raw: raw, imm: imm, op: op.rawValue, cond: cond, extra: extra)
    }
}

extension UInt32 {
    /// Rotate right by `n` (any value; taken modulo 32).
    @inline(__always) func rotateRight(_ n: UInt32) -> UInt32 {
        let s = n & 31
        return s == 0 ? self : (self >> s) | (self << (32 - s))
    }
}
