/// Which condition flags an instruction sets that nothing reads: the
/// translator skips storing them.
///
/// A block is scanned backwards from its end, where every flag is live (the
/// next block may read any). An instruction reads the flags of its
/// condition and, for ADC/SBC/RSC and RRX, C. Anything that is not plain
/// register arithmetic (a load or store that may fault, an interpreter
/// call, a branch) counts as reading all four, since an exception or an
/// exit must see the architectural flags. An unconditional flag-setting
/// data-processing or multiply instruction kills what it writes; a write
/// that is dead when made is not stored. This matters most in T32, where
/// the 16-bit ALU instructions outside IT blocks always set flags.
enum FlagLiveness {
    static let n: UInt8 = 8, z: UInt8 = 4, c: UInt8 = 2, v: UInt8 = 1
    static let all: UInt8 = 0xF

    /// The flags condition `cond` tests.
    static func read(byCondition cond: UInt8) -> UInt8 {
        switch cond {
        case 0, 1: return z
        case 2, 3: return c
        case 4, 5: return n
        case 6, 7: return v
        case 8, 9: return c | z
        case 10, 11: return n | v
        case 12, 13: return n | z | v
        default: return 0
        }
    }

    /// What `d` (as the translator sees it, planned `native` or not) reads
    /// and writes. Unknown instructions read everything and write nothing.
    static func effects(_ d: DecodedInstruction, native: Bool, thumb: Bool) -> (reads: UInt8, writes: UInt8) {
        let condition = read(byCondition: d.cond)
        guard native, !(thumb && d.op & T32Special.flag != 0) else { return (all, 0) }
        let raw = d.raw
        let setFlags = raw & (1 << 20) != 0
        switch A32Op.fromDecoded(d.op) {
        case .dpImm, .dpReg:
            let opc = (raw >> 21) & 0xF
            var reads = condition
            if opc == 5 || opc == 6 || opc == 7 { reads |= c }
            let rrx = A32Op.fromDecoded(d.op) == .dpReg && (raw >> 4) & 0xFF == 0x06
            if rrx { reads |= c }
            guard setFlags else { return (reads, 0) }
            let logical = [0, 1, 8, 9, 12, 13, 14, 15].contains(opc)
            // A logical operation's C comes from the shifter and may be
            // left unchanged: not counted as a write.
            return (reads, logical ? n | z : all)
        case .mul, .mla, .umull, .smull, .umlal, .smlal:
            return (condition, setFlags ? n | z : 0)
        case .movw, .movt, .nop, .yield, .pld, .pli, .isb, .dmb, .dsb,
             .sbfx, .ubfx, .bfi, .sxtab, .sxtah, .uxtab, .uxtah, .rev, .rev16, .revsh, .clz, .mls:
            return (condition, 0)
        default:
            return (all, 0)
        }
    }

    /// For each instruction, the flags it writes that are dead.
    static func deadWrites(_ instructions: [DecodedInstruction], native: [Bool], thumb: Bool) -> [UInt8] {
        var dead = [UInt8](repeating: 0, count: instructions.count)
        var live = all
        for i in instructions.indices.reversed() {
            let e = effects(instructions[i], native: native[i], thumb: thumb)
            dead[i] = e.writes & ~live
            if instructions[i].cond >= 0xE { live &= ~e.writes }
            live |= e.reads
        }
        return dead
    }
}
