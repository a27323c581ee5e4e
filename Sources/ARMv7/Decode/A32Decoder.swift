/// Builds a decoder from `a32EncodingTable` and decodes A32 words into
/// `DecodedInstruction`s with their immediates precomputed.
struct A32Decoder {
    struct Entry {
        let op: A32Op
        let mask: UInt32
        let value: UInt32
    }

    /// Candidate entries per bucket: index = (unconditional ? 256 : 0) + bits 27:20.
    private let buckets: [[Entry]]

    static let shared = A32Decoder()

    init() {
        var entries: [(Entry, conditional: Bool)] = []
        for (op, pattern) in a32EncodingTable {
            precondition(pattern.count == 32, "bad A32 pattern \(pattern)")
            var mask: UInt32 = 0, value: UInt32 = 0
            for (i, ch) in pattern.enumerated() {
                let bit = UInt32(31 - i)
                if ch == "0" { mask |= 1 << bit } else if ch == "1" { mask |= 1 << bit; value |= 1 << bit }
            }
            entries.append((Entry(op: op, mask: mask, value: value), !pattern.hasPrefix("1111")))
        }
        var b = [[Entry]](repeating: [], count: 512)
        for idx in 0..<512 {
            let uncond = idx >= 256
            let bits = UInt32(idx & 0xFF) << 20
            for (e, conditional) in entries where conditional != uncond {
                let m = e.mask & 0x0FF0_0000
                if bits & m == e.value & m { b[idx].append(e) }
            }
        }
        buckets = b
    }

    /// The operation for `raw`, or `.undefined`.
    func operation(_ raw: UInt32) -> A32Op {
        let uncond = raw >> 28 == 0xF
        let idx = (uncond ? 256 : 0) + Int((raw >> 20) & 0xFF)
        for e in buckets[idx] where raw & e.mask == e.value { return e.op }
        return .undefined
    }

    /// Decodes `raw` with the immediates this design precomputes.
    func decode(_ raw: UInt32) -> DecodedInstruction {
        let op = operation(raw)
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
        let cond = raw >> 28 == 0xF ? 0xE : UInt8(raw >> 28)
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
