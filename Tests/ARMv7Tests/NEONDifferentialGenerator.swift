import Foundation
import Devices

// NEON differential testing, part 3: random cases. Every case comes from its
// own 64-bit seed, so one case can be regenerated alone (NEON_DIFF_REPRO).
//
// Instructions: a quarter are random words anywhere in the Advanced SIMD
// encoding spaces (so reserved and UNDEFINED encodings are covered), the
// rest are drawn per family from NEONFamilies so every family gets cases.
// UNPREDICTABLE encodings are avoided (their results may legitimately
// differ); loads/stores get a base register inside the scratch buffer.
// Data: NaNs (quiet, signalling, payloads), infinities, denormals, ±0,
// saturation edges of every element size, half-precision values, small
// shift counts; random FPSCR (QC, cumulative flags, AHP/DN/FZ/RMode) and APSR.

struct NEONGenerator {
    var master: SplitMix64
    /// Family names drawn (nil: all) and the instruction sets.
    let families: [String]?
    let isa: ISA

    enum ISA: String { case both, a32, t32 }

    init(seed: UInt64, families: [String]? = NEONGenerator.familyFilter, isa: ISA = NEONGenerator.isaFilter) {
        master = SplitMix64(seed: seed)
        self.families = families
        self.isa = isa
    }

    /// NEON_DIFF_FAMILY: comma-separated family names or prefixes (e.g. "VQDMULH,VLD").
    static var familyFilter: [String]? {
        guard let s = ProcessInfo.processInfo.environment["NEON_DIFF_FAMILY"], !s.isEmpty else { return nil }
        let wanted = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let names = NEONFamilies.names.filter { n in wanted.contains { n.uppercased().hasPrefix($0) } }
        precondition(!names.isEmpty, "NEON_DIFF_FAMILY=\(s) matches no family; families: \(NEONFamilies.names.joined(separator: " "))")
        return names
    }
    static var familyFilterText: String {
        let env = ProcessInfo.processInfo.environment
        var s = ""
        if let f = env["NEON_DIFF_FAMILY"], !f.isEmpty { s += " NEON_DIFF_FAMILY='\(f)'" }
        if let i = env["NEON_DIFF_ISA"], !i.isEmpty { s += " NEON_DIFF_ISA=\(i)" }
        return s
    }
    /// NEON_DIFF_ISA: a32, t32 or both (default).
    static var isaFilter: ISA { ISA(rawValue: ProcessInfo.processInfo.environment["NEON_DIFF_ISA"]?.lowercased() ?? "") ?? .both }

    mutating func next() -> (NEONCase, UInt64) {
        let s = master.next()
        return (NEONGenerator.make(caseSeed: s, families: families, isa: isa), s)
    }

    // MARK: One case

    static func make(caseSeed: UInt64, families: [String]?, isa: ISA) -> NEONCase {
        var g = SplitMix64(seed: caseSeed)
        let thumb = isa == .t32 || (isa == .both && g.next() % 3 == 0)
        var r = (0..<15).map { _ in coreValue(&g) }
        let insn = instruction(&g, thumb: thumb, families: families, regs: &r)
        let pre = prefix(&g, insn: insn, thumb: thumb, regs: &r)
        var d = (0..<32).map { _ in dValue(&g) }
        // Equal and nearly equal operands (compares, min/max, subtraction).
        for _ in 0..<Int(g.next() % 4) {
            let a = Int(g.next() % 32), b = Int(g.next() % 32)
            d[b] = g.next() % 2 == 0 ? d[a] : d[a] ^ (1 << (g.next() % 64))
        }
        var fpscr = UInt32(truncatingIfNeeded: g.next()) & 0xFFC0_009F   // NZCV QC AHP DN FZ RMode, cumulative flags
        if g.next() % 2 == 0 { fpscr &= ~0x0000_009F }
        if g.next() % 2 == 0 { fpscr &= ~0x03C0_0000 }                     // the default modes
        let apsr = UInt32(truncatingIfNeeded: g.next()) & 0xF80F_0000
        var scratch: [UInt8] = []
        for _ in 0..<(NEONLayout.scratchSize / 8) {
            let v = dValue(&g)
            for k in 0..<8 { scratch.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
        }
        return NEONCase(insn: insn, thumb: thumb, prefix: pre, d: d, r: r, fpscr: fpscr, apsr: apsr, scratch: scratch)
    }

    // MARK: Instructions

    /// The instruction before the NEON one: a NOP, an add to a register it
    /// reads (its initial value compensates, so the NEON instruction still
    /// sees the value chosen for it), a compare (flags for a conditional
    /// transfer) or, in A32, a VFP move into a D register.
    static func prefix(_ g: inout SplitMix64, insn w: UInt32, thumb: Bool, regs: inout [UInt32]) -> UInt32 {
        var used: [Int] = []
        switch NEONFamilies.family(of: w)?.space {
        case .loadStore?:
            used = [Int((w >> 16) & 0xF)]
            if w & 0xF != 13 && w & 0xF != 15 { used.append(Int(w & 0xF)) }
        case .transfer?: used = [Int((w >> 12) & 0xF)]
        case .transfer64?: used = [Int((w >> 12) & 0xF), Int((w >> 16) & 0xF)]
        default: break
        }
        switch g.next() % 10 {
        case 0..<4:
            return thumb ? NEONCase.nopT16 : NEONCase.nopA32
        case 4..<7:
            let cands = thumb ? used.filter { $0 < 8 } : used
            let r = cands.isEmpty || g.next() % 4 == 0 ? Int(g.next() % (thumb ? 8 : 15)) : cands[Int(g.next() % UInt64(cands.count))]
            let k = UInt32(1 + g.next() % 255)
            regs[r] &-= k
            return thumb ? 0x3000 | UInt32(r) << 8 | k : 0xE280_0000 | UInt32(r) << 16 | UInt32(r) << 12 | k
        case 7, 8:
            let a = UInt32(g.next() % (thumb ? 8 : 15)), b = UInt32(g.next() % (thumb ? 8 : 15))
            return thumb ? 0x4280 | b << 3 | a : 0xE150_0000 | a << 16 | b
        default:
            if thumb { return NEONCase.nopT16 }
            let d = UInt32(g.next() % 32), m = UInt32(g.next() % 32)
            return 0xEEB0_0B40 | (d >> 4) << 22 | (d & 0xF) << 12 | (m >> 4) << 5 | m & 0xF
        }
    }

    static func instruction(_ g: inout SplitMix64, thumb: Bool, families: [String]?, regs: inout [UInt32]) -> UInt32 {
        while true {
            var w: UInt32
            let rand = UInt32(truncatingIfNeeded: g.next())
            if families == nil && g.next() % 4 == 0 {
                switch g.next() % 20 {
                case 0..<12: w = 0xF200_0000 | rand & 0x01FF_FFFF
                case 12..<17: w = 0xF400_0000 | rand & 0x00EF_FFFF
                default: w = 0xEE00_0B10 | rand & 0x00FF_F0EF
                }
            } else {
                let names = families ?? NEONFamilies.names
                var name = names[Int(g.next() % UInt64(names.count))]
                // UNDEFINED families are rarer (random words cover them too).
                if families == nil && name.hasPrefix("UNDEF") && g.next() % 3 != 0 {
                    name = names[Int(g.next() % UInt64(names.count))]
                }
                let cands = NEONFamilies.indicesByName[name]!
                let fam = NEONFamilies.all[cands[Int(g.next() % UInt64(cands.count))]]
                let p = fam.patterns[Int(g.next() % UInt64(fam.patterns.count))]
                w = p.value | rand & ~p.mask
                if fam.space == .transfer || fam.space == .transfer64 { w = w & 0x0FFF_FFFF | 0xE000_0000 }
            }
            guard var fam = NEONFamilies.family(of: w) else { continue }
            switch fam.space {
            case .dataProcessing:
                // Mostly even registers, so Q forms are defined: Vd and Vm,
                // and Vn where bits 19-16 are Vn (three registers of the same
                // or different lengths, by scalar), not a size/opcode/shift.
                if g.next() % 4 != 0 {
                    let hasVn = w & (1 << 23) == 0 || (w & (1 << 4) == 0 && (w >> 20) & 3 != 3)
                    w &= hasVn ? ~0x0001_1001 : ~0x0000_1001
                }
                // Single precision mostly: half-precision arithmetic and
                // 8/16-bit float sizes are UNDEFINED on a Cortex-A15.
                if isFloat(fam.name) && g.next() % 4 != 0 {
                    switch NEONFamilies.group(of: w) {
                    case "neonThreeRegistersSameLength": w &= ~(1 << 20)
                    case "neonTwoRegistersScalar": w = w & ~0x0030_0000 | 0x0020_0000
                    case "neonTwoRegistersMiscellaneous": w = w & ~0x000C_0000 | 0x0008_0000
                    default: break
                    }
                }
                guard let f = NEONFamilies.family(of: w) else { continue }
                fam = f
                if unpredictableDataProcessing(w) { continue }
            case .loadStore:
                let n = UInt32(g.next() % 15)
                let m: UInt32 = [15, 13, UInt32(g.next() % 13), UInt32(g.next() % 15)][Int(g.next() % 4)]
                w = w & 0xFFF0_FFF0 | n << 16 | m
                if unpredictableLoadStore(w) { continue }
                var offset = UInt32(g.next() % 97)
                if g.next() % 4 != 0 { offset &= ~(UInt32(8) << (g.next() % 3) - 1) }
                // A 256-bit alignment qualifier (multiple structures, align = 11):
                // qemu-arm 7.2 checks it only to 16 bytes, the ARM ARM (and the
                // core) to 32, so an address 16 modulo 32 would be a known
                // QEMU deviation; such a base moves to a 32-byte boundary.
                if w & (1 << 23) == 0 && (w >> 4) & 3 == 3 && offset % 32 == 16 { offset -= 16 }
                regs[Int(n)] = NEONLayout.scratch + offset
            case .transfer, .transfer64:
                // Scalar transfers and VDUP: bits 3-0 should be zero (UNPREDICTABLE otherwise).
                if fam.space == .transfer { w &= ~0xF }
                if !thumb && g.next() % 4 == 0 { w = w & 0x0FFF_FFFF | UInt32(g.next() % 14) << 28 }
                let t = (w >> 12) & 0xF, t2 = (w >> 16) & 0xF
                if t == 15 || (thumb && t == 13) { continue }
                if fam.space == .transfer64 && (t2 == 15 || (thumb && t2 == 13) || (w & 1 << 20 != 0 && t == t2)) { continue }
            }
            if let families, !families.contains(fam.name) { continue }
            return w
        }
    }

    /// Families with a single-precision element type (sz / size fields).
    static func isFloat(_ name: String) -> Bool {
        name.contains("f32") || name.hasPrefix("VFM") || name.hasPrefix("VRECP") || name.hasPrefix("VRSQRT")
            || name.hasPrefix("VAC") || name.hasSuffix("(#0)") || name == "VABS" || name == "VNEG"
    }

    /// VTBL/VTBX past D31, VTRN/VUZP/VZIP with Vd = Vm (UNPREDICTABLE).
    static func unpredictableDataProcessing(_ w: UInt32) -> Bool {
        let d = (w >> 18) & 0x10 | (w >> 12) & 0xF, n = (w >> 3) & 0x10 | (w >> 16) & 0xF, m = (w >> 1) & 0x10 | w & 0xF
        switch NEONFamilies.name(of: w) {
        case "VTBL", "VTBX": return n + ((w >> 8) & 3) + 1 > 32
        case "VTRN", "VUZP", "VZIP": return d == m
        default: return false
        }
    }

    /// Structure loads/stores whose registers run past D31, or Rn = PC.
    static func unpredictableLoadStore(_ w: UInt32) -> Bool {
        let d = (w >> 18) & 0x10 | (w >> 12) & 0xF
        if (w >> 16) & 0xF == 15 { return true }
        if w & (1 << 23) == 0 {
            let type = (w >> 8) & 0xF
            // Last register used by each multiple-structure type.
            let l: UInt32
            switch type {
            case 0x7: l = 0
            case 0xA, 0x8: l = 1
            case 0x6, 0x9, 0x4: l = 2
            case 0x2, 0x3, 0x0: l = 3
            case 0x5: l = 4
            case 0x1: l = 6
            default: return false
            }
            return d + l > 31
        }
        let size = (w >> 10) & 3, nregs = (w >> 8) & 3
        var inc: UInt32 = 1
        if size == 3 {
            inc = (w >> 5) & 1 + 1
            if nregs == 0 { return d + inc - 1 > 31 }    // VLD1 all lanes: T+1 registers
        } else if size == 1 {
            inc = (w >> 5) & 1 + 1
        } else if size == 2 {
            inc = (w >> 6) & 1 + 1
        }
        return d + nregs * inc > 31
    }

    // MARK: Values

    static let coreEdges: [UInt32] = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x8080_7F7F]

    static func coreValue(_ g: inout SplitMix64) -> UInt32 {
        let edges = coreEdges
        switch g.next() % 4 {
        case 0: return edges[Int(g.next() % UInt64(edges.count))]
        case 1: return VFPRandomCase.randomSingle(&g)
        default: return UInt32(truncatingIfNeeded: g.next())
        }
    }

    static let halves: [UInt16] = [0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE01, 0x7C01, 0x7D55, 0x0001, 0x83FF,
                                   0x0400, 0x7BFF, 0x3C00, 0xBC00, 0x3555, 0x0200, 0xFBFF, 0x3800]

    /// A D register's value, drawn by element kind.
    static func dValue(_ g: inout SplitMix64) -> UInt64 {
        func lanes(_ bits: Int, _ f: (inout SplitMix64) -> UInt64) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<(64 / bits) { v |= (f(&g) & (bits == 64 ? ~0 : (1 << UInt64(bits)) - 1)) << UInt64(k * bits) }
            return v
        }
        // Saturation edges of an element: 0, ±1, the extremes and their neighbours.
        func edge(_ bits: Int) -> (inout SplitMix64) -> UInt64 {
            { g in
                let top: UInt64 = 1 << UInt64(bits - 1)
                switch g.next() % 18 {
                case 0: return 0
                case 1: return 1
                case 2: return 2
                case 3: return top - 1
                case 4: return top
                case 5: return top + 1
                case 6: return top - 2
                case 7: return ~0
                case 8: return ~0 - 1
                case 9: return top >> 1
                case 10: return (top >> 1) - 1
                case 11: return 3
                default: return g.next()
                }
            }
        }
        switch g.next() % 12 {
        case 0, 1: return g.next()
        case 2, 3: return lanes(32) { UInt64(VFPRandomCase.randomSingle(&$0)) }
        case 4: return lanes(8, edge(8))
        case 5: return lanes(16, edge(16))
        case 6: return lanes(32, edge(32))
        case 7: return lanes(64, edge(64))
        case 8:   // small signed counts in every byte (shifts by register use the low byte)
            return lanes(8) { UInt64(bitPattern: Int64($0.next() % 81) - 40) }
        case 9: return lanes(16) { UInt64(halves[Int($0.next() % UInt64(halves.count))]) ^ ($0.next() % 4 == 0 ? $0.next() & 0x3FF : 0) }
        case 10:  // floats near integers and fixed-point boundaries
            return lanes(32) { g in
                let v = Float(Int(g.next() % 20001) - 10000) / Float(1 << (g.next() % 20))
                return UInt64(v.bitPattern)
            }
        default: return lanes(32) { g in UInt64(g.next() % 2 == 0 ? 0x3F80_0000 : 0x4B00_0000) ^ (g.next() & 0x807F_FFFF) }
        }
    }
}
