import Foundation

// NEON differential testing, part 5: the committed corpus. The cases are
// regenerated from the corpus seed (each line names its instruction, so a
// generator change is detected); each line stores only what qemu-arm's
// result changed relative to the case's input state:
//
//   <index> <A32-form insn> <a|t> x=<prefix> [d<k>=<hex>] [r<k>=<hex>] [fpscr=<hex>]
//       [apsr=<hex>] [sig=<n>] [pc=<hex>] [m<offset>=<8 bytes hex>]
enum NEONCorpus {
    static func line(index i: Int, _ c: NEONCase, _ o: NEONOutcome) -> String {
        let u = NEONImage.unchanged(c, index: i)
        var t = ["\(i)", String(format: "%08x", c.insn), c.thumb ? "t" : "a", "x=" + String(c.prefix, radix: 16)]
        for k in 0..<32 where o.d[k] != u.d[k] { t.append("d\(k)=" + String(o.d[k], radix: 16)) }
        for k in 0..<15 where o.r[k] != u.r[k] { t.append("r\(k)=" + String(o.r[k], radix: 16)) }
        if o.fpscr != u.fpscr { t.append("fpscr=" + String(o.fpscr, radix: 16)) }
        if o.psr != u.psr { t.append("apsr=" + String(o.psr, radix: 16)) }
        if o.signal != 0 { t.append("sig=\(o.signal)") }
        if o.landing != u.landing { t.append("pc=" + String(o.landing, radix: 16)) }
        for k in stride(from: 0, to: NEONLayout.scratchSize, by: 8) where o.scratch[k..<(k + 8)] != u.scratch[k..<(k + 8)] {
            t.append("m\(k)=" + o.scratch[k..<(k + 8)].map { String(format: "%02x", $0) }.joined())
        }
        return t.joined(separator: " ")
    }

    /// Rebuilds the stored outcome of case `i`; throws if the line is not of that case.
    static func outcome(_ line: Substring, index i: Int, _ c: NEONCase) throws -> NEONOutcome {
        let f = line.split(separator: " ")
        guard f.count >= 4, Int(f[0]) == i, UInt32(f[1], radix: 16) == c.insn, f[2] == (c.thumb ? "t" : "a"),
              f[3] == "x=" + String(c.prefix, radix: 16) else {
            throw DiffError.corpus("line \(i) is not case \(i) (\(String(format: "%08x", c.insn))): the generator changed; regenerate the corpus")
        }
        var o = NEONImage.unchanged(c, index: i)
        for tok in f.dropFirst(4) {
            let kv = tok.split(separator: "=")
            guard kv.count == 2 else { throw DiffError.corpus("bad token \(tok)") }
            let k = kv[0], v = kv[1]
            func num<T: FixedWidthInteger>(_ radix: Int = 16) throws -> T {
                guard let x = T(v, radix: radix) else { throw DiffError.corpus("bad value \(tok)") }
                return x
            }
            switch k.first {
            case "d": o.d[Int(k.dropFirst())!] = try num()
            case "r": o.r[Int(k.dropFirst())!] = try num()
            case "f": o.fpscr = try num()
            case "a": o.psr = try num()
            case "s": o.signal = try num(10)
            case "p": o.landing = try num()
            case "m":
                let off = Int(k.dropFirst())!
                let chars = Array(v)
                for b in 0..<8 { o.scratch[off + b] = UInt8(String(chars[(2 * b)..<(2 * b + 2)]), radix: 16)! }
            default: throw DiffError.corpus("bad token \(tok)")
            }
        }
        return o
    }
}
