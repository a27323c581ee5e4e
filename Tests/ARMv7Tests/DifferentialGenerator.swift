import Foundation

// Differential testing against qemu-arm, part 2: the random instruction
// generator. It knows the UNPREDICTABLE rules of the ARMv7-A ARM for every
// encoding it emits and stays clear of them (when unsure, it excludes):
// register operands are never PC where PC is forbidden, writeback never
// targets a transferred register, LDRD/STRD use an even Rt below r14, bit
// fields fit in the register, SBZ/SBO fields hold their fixed values, loads
// and stores only touch the scratch buffer (or, for PC-relative loads, the
// case's own block), and branches land on a landing sequence of the block.

/// The classes the generator draws from, with relative weights.
enum DiffClass: String, CaseIterable {
    case dpImm, dpReg, dpRegShiftReg
    case multiply, multiplyLong, halfwordMultiply, dualMultiply, mostSignificantMultiply, divide, usad8
    case saturatingAddSub, saturate, parallelAddSub, sel, pkh, extend, reverse, clz, bitField, movwMovt
    case statusRegister
    case loadStoreWordByte, loadStoreHalfSigned, loadStoreDual, blockTransfer
    case branchImm, branchReg, aluWritePC, loadPC
    /// SETEND BE followed by a load or store (pairs).
    case bigEndian
    /// LDREX/STREX (all sizes): pairs on one address, lone STREX (fails:
    /// the harness clears the monitor before every case), lone LDREX.
    case exclusive
    /// NOP, YIELD, SEV, DBG, PLD/PLDW/PLI, DMB/DSB/ISB, CLREX: no effect.
    case hint
    /// Instructions that fault in User mode (UDF, UNDEFINED encodings,
    /// privileged CP15, HVC/SMC, BKPT, alignment faults, unmapped
    /// addresses) and the User-accessible CP15 thread registers.
    case fault

    var weight: Int {
        switch self {
        case .dpImm, .dpReg, .dpRegShiftReg: return 8
        case .loadStoreWordByte, .loadStoreHalfSigned: return 7
        case .blockTransfer, .parallelAddSub: return 6
        case .loadStoreDual, .multiply, .multiplyLong, .halfwordMultiply, .dualMultiply: return 4
        case .branchImm, .branchReg, .aluWritePC, .loadPC: return 3
        case .saturate, .extend, .bitField, .saturatingAddSub, .statusRegister: return 3
        case .bigEndian, .exclusive, .fault: return 3
        default: return 2
        }
    }
}

/// Rotate right (the harness's own, independent of the core's helpers).
func ror32(_ v: UInt32, _ n: UInt32) -> UInt32 {
    let s = n & 31
    return s == 0 ? v : (v >> s) | (v << (32 - s))
}

struct DiffGenerator {
    var rng: DiffRNG
    /// Also generate User-mode CP15 accesses (TPIDRURW/TPIDRURO at PL0, MIDR
    /// at PL0 which must be UNDEFINED). On by default; ARMVISOR_DIFF_CP15=0
    /// turns them off.
    var userCP15: Bool

    init(seed: UInt64, userCP15: Bool = ProcessInfo.processInfo.environment["ARMVISOR_DIFF_CP15"] != "0") {
        rng = DiffRNG(seed: seed)
        self.userCP15 = userCP15
    }

    static let condNames = ["EQ", "NE", "CS", "CC", "MI", "PL", "VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "", ""]
    static let dpNames = ["AND", "EOR", "SUB", "RSB", "ADD", "ADC", "SBC", "RSC",
                          "TST", "TEQ", "CMP", "CMN", "ORR", "MOV", "BIC", "MVN"]
    static let shiftNames = ["LSL", "LSR", "ASR", "ROR"]

    /// Eight random 256-byte scratch templates for a seed.
    static func templates(seed: UInt64) -> [[UInt8]] {
        var g = DiffRNG(seed: seed ^ 0x5CA7_C4B0_0000_0001)
        return (0..<DiffLayout.templateCount).map { t in
            (0..<DiffLayout.scratchSize).map { k in
                // Mix in some easily-read bytes so sign extension is exercised both ways.
                t == 0 ? UInt8(truncatingIfNeeded: k &* 37 &+ 0x80) : UInt8(truncatingIfNeeded: g.next())
            }
        }
    }

    // MARK: Random pieces

    /// A register value with many edge cases.
    mutating func value() -> UInt32 {
        switch rng.below(10) {
        case 0: return UInt32(rng.below(33))
        case 1: return UInt32(bitPattern: -Int32(rng.below(33)))
        case 2, 3:
            return rng.pick([0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x8000, 0x7FFF, 0xFFFF, 0x1_0000,
                             0xFF, 0x80, 0x7F, 0x8000_8000, 0x7FFF_7FFF, 0x8080_8080, 0x7F7F_7F7F, 0xFFFF_0000,
                             0x8000_0001, 0x4000_0000, 0xC000_0000, 0x0001_0001, 0xFFFE_FFFE])
        case 4:
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(rng.pick([0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0x81, UInt8(truncatingIfNeeded: rng.next())])) << (8 * UInt32(k)) }
            return v
        case 5:
            let h1 = UInt32(rng.pick([0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x8001, UInt16(truncatingIfNeeded: rng.next())]))
            let h2 = UInt32(rng.pick([0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x8001, UInt16(truncatingIfNeeded: rng.next())]))
            return h1 | h2 << 16
        default: return rng.word()
        }
    }

    /// A value whose bottom byte is an interesting shift amount.
    mutating func shiftAmountValue() -> UInt32 {
        let low: UInt32 = rng.chance(3) ? UInt32(rng.pick([0, 1, 31, 32, 33, 63, 64, 128, 255])) : UInt32(rng.below(40))
        return (rng.chance(2) ? rng.word() & 0xFFFF_FF00 : 0) | low
    }

    mutating func cond() -> UInt32 { rng.bool() ? 0xE : UInt32(rng.below(14)) }
    /// r0–r14.
    mutating func reg() -> Int { rng.below(15) }
    mutating func reg(excluding ex: [Int]) -> Int {
        while true { let r = rng.below(15); if !ex.contains(r) { return r } }
    }
    /// NZCVQ and GE, random.
    mutating func psr() -> UInt32 { rng.word() & DiffOutcome.psrMask }

    func r(_ n: Int) -> String { DiffText.reg(n) }
    func c(_ cond: UInt32) -> String { DiffGenerator.condNames[Int(cond)] }
    func h(_ v: UInt32) -> String { v < 10 ? "\(v)" : "0x" + String(v, radix: 16) }

    static func shiftText(_ type: UInt32, _ imm5: UInt32) -> String {
        if type == 0 && imm5 == 0 { return "" }
        if type == 3 && imm5 == 0 { return ", RRX" }
        let amount = (type == 1 || type == 2) && imm5 == 0 ? 32 : imm5
        return ", \(shiftNames[Int(type)]) #\(amount)"
    }

    /// Picks a class by weight.
    mutating func pickClass() -> DiffClass {
        let total = DiffClass.allCases.reduce(0) { $0 + $1.weight }
        var k = rng.below(total)
        for cl in DiffClass.allCases {
            if k < cl.weight { return cl }
            k -= cl.weight
        }
        return .dpImm
    }

    /// The next random case, to be placed at block `index`.
    mutating func next(index: Int) -> DiffCase {
        generate(pickClass(), index: index)
    }

    mutating func generate(_ cls: DiffClass, index: Int) -> DiffCase {
        var cs = DiffCase(cls: cls.rawValue, insn: 0, desc: "", regs: (0..<15).map { _ in 0 }, psr: psr(),
                          template: rng.below(DiffLayout.templateCount), patches: [])
        for i in 0..<15 { cs.regs[i] = value() }
        switch cls {
        case .dpImm: genDPImm(&cs)
        case .dpReg: genDPReg(&cs)
        case .dpRegShiftReg: genDPRegShiftReg(&cs)
        case .multiply: genMultiply(&cs)
        case .multiplyLong: genMultiplyLong(&cs)
        case .halfwordMultiply: genHalfwordMultiply(&cs)
        case .dualMultiply: genDualMultiply(&cs)
        case .mostSignificantMultiply: genMostSignificant(&cs)
        case .divide: genDivide(&cs)
        case .usad8: genUSAD8(&cs)
        case .saturatingAddSub: genQAddSub(&cs)
        case .saturate: genSaturate(&cs)
        case .parallelAddSub: genParallel(&cs)
        case .sel: genSel(&cs)
        case .pkh: genPKH(&cs)
        case .extend: genExtend(&cs)
        case .reverse: genReverse(&cs)
        case .clz: genCLZ(&cs)
        case .bitField: genBitField(&cs)
        case .movwMovt: genMovwMovt(&cs)
        case .statusRegister: genStatus(&cs)
        case .loadStoreWordByte: genLoadStoreWordByte(&cs, index: index)
        case .loadStoreHalfSigned: genLoadStoreHalf(&cs, index: index)
        case .loadStoreDual: genLoadStoreDual(&cs, index: index)
        case .blockTransfer: genBlockTransfer(&cs)
        case .branchImm: genBranchImm(&cs, index: index)
        case .branchReg: genBranchReg(&cs, index: index)
        case .aluWritePC: genALUWritePC(&cs, index: index)
        case .loadPC: genLoadPC(&cs, index: index)
        case .bigEndian: genBigEndian(&cs, index: index)
        case .exclusive: genExclusive(&cs)
        case .hint: genHint(&cs)
        case .fault: genFault(&cs)
        }
        return cs
    }

    // MARK: Data processing

    mutating func dpFields() -> (opc: UInt32, s: Bool, rd: Int, rn: Int, test: Bool, move: Bool) {
        let opc = UInt32(rng.below(16))
        let test = (8...11).contains(opc)
        let move = opc == 13 || opc == 15
        let s = test || rng.bool()
        return (opc, s, test ? 0 : reg(), move ? 0 : reg(), test, move)
    }

    func dpText(_ f: (opc: UInt32, s: Bool, rd: Int, rn: Int, test: Bool, move: Bool), _ cond: UInt32, _ op2: String) -> String {
        let name = DiffGenerator.dpNames[Int(f.opc)] + (f.s && !f.test ? "S" : "") + c(cond)
        if f.test { return "\(name) \(r(f.rn)), \(op2)" }
        if f.move { return "\(name) \(r(f.rd)), \(op2)" }
        return "\(name) \(r(f.rd)), \(r(f.rn)), \(op2)"
    }

    mutating func genDPImm(_ cs: inout DiffCase) {
        var f = dpFields()
        if !f.move && rng.chance(12) { f.rn = 15 }    // reads PC (+8), ADR-like
        let cond = cond()
        let rot = rng.chance(3) ? 0 : UInt32(rng.below(16))
        let imm8 = rng.chance(4) ? UInt32(rng.pick([0, 1, 0x80, 0xFF, 0x7F])) : UInt32(rng.below(256))
        cs.insn = cond << 28 | 1 << 25 | f.opc << 21 | (f.s ? 1 << 20 : 0) | UInt32(f.rn) << 16
            | UInt32(f.rd) << 12 | rot << 8 | imm8
        cs.desc = dpText(f, cond, "#\(h(ror32(imm8, rot * 2)))") + (rot != 0 ? " (imm8=\(h(imm8)) rot=\(rot * 2))" : "")
    }

    mutating func genDPReg(_ cs: inout DiffCase) {
        var f = dpFields()
        if !f.move && rng.chance(16) { f.rn = 15 }
        let rm = rng.chance(16) ? 15 : reg()
        let cond = cond()
        let type = UInt32(rng.below(4))
        let imm5 = rng.chance(4) ? UInt32(rng.pick([0, 1, 31])) : UInt32(rng.below(32))
        cs.insn = cond << 28 | f.opc << 21 | (f.s ? 1 << 20 : 0) | UInt32(f.rn) << 16
            | UInt32(f.rd) << 12 | imm5 << 7 | type << 5 | UInt32(rm)
        cs.desc = dpText(f, cond, r(rm) + DiffGenerator.shiftText(type, imm5))
    }

    mutating func genDPRegShiftReg(_ cs: inout DiffCase) {
        let f = dpFields()
        let rm = reg(), rs = reg()
        let cond = cond()
        let type = UInt32(rng.below(4))
        cs.regs[rs] = shiftAmountValue()
        cs.insn = cond << 28 | f.opc << 21 | (f.s ? 1 << 20 : 0) | UInt32(f.rn) << 16
            | UInt32(f.rd) << 12 | UInt32(rs) << 8 | type << 5 | 1 << 4 | UInt32(rm)
        cs.desc = dpText(f, cond, "\(r(rm)), \(DiffGenerator.shiftNames[Int(type)]) \(r(rs))")
    }

    // MARK: Multiplies

    mutating func genMultiply(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg(), rm = reg(), ra = reg()
        let kind = rng.below(3)   // MUL, MLA, MLS
        let s = kind != 2 && rng.bool()
        let base = cond << 28 | UInt32(rd) << 16 | UInt32(rm) << 8 | 0x90 | UInt32(rn)
        switch kind {
        case 0:
            cs.insn = base | (s ? 1 << 20 : 0)
            cs.desc = "MUL\(s ? "S" : "")\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        case 1:
            cs.insn = base | 1 << 21 | (s ? 1 << 20 : 0) | UInt32(ra) << 12
            cs.desc = "MLA\(s ? "S" : "")\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        default:
            cs.insn = base | 0x0060_0000 | UInt32(ra) << 12
            cs.desc = "MLS\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        }
    }

    mutating func genMultiplyLong(_ cs: inout DiffCase) {
        let cond = cond()
        let hi = reg(), lo = reg(excluding: [hi]), rn = reg(), rm = reg()
        let kind = rng.below(5)   // UMULL UMLAL SMULL SMLAL UMAAL
        let names = ["UMULL", "UMLAL", "SMULL", "SMLAL", "UMAAL"]
        let s = kind != 4 && rng.bool()
        let op: UInt32 = kind == 4 ? 0x0040_0000 : (0x0080_0000 | UInt32(kind) << 21)
        cs.insn = cond << 28 | op | (s ? 1 << 20 : 0) | UInt32(hi) << 16 | UInt32(lo) << 12
            | UInt32(rm) << 8 | 0x90 | UInt32(rn)
        cs.desc = "\(names[kind])\(s ? "S" : "")\(c(cond)) \(r(lo)), \(r(hi)), \(r(rn)), \(r(rm))"
    }

    mutating func genHalfwordMultiply(_ cs: inout DiffCase) {
        let cond = cond()
        let x = UInt32(rng.below(2)), y = UInt32(rng.below(2))
        let xy = (x == 1 ? "T" : "B") + (y == 1 ? "T" : "B")
        let ytext = y == 1 ? "T" : "B"
        let rd = reg(), rn = reg(), rm = reg(), ra = reg()
        let base = cond << 28 | UInt32(rm) << 8 | 0x80 | y << 6 | UInt32(rn)
        switch rng.below(5) {
        case 0:
            cs.insn = base | 0x0100_0000 | UInt32(rd) << 16 | UInt32(ra) << 12 | x << 5
            cs.desc = "SMLA\(xy)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        case 1:
            cs.insn = base | 0x0160_0000 | UInt32(rd) << 16 | x << 5
            cs.desc = "SMUL\(xy)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        case 2:
            cs.insn = base | 0x0120_0000 | UInt32(rd) << 16 | UInt32(ra) << 12
            cs.desc = "SMLAW\(ytext)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        case 3:
            cs.insn = base | 0x0120_0000 | UInt32(rd) << 16 | 1 << 5
            cs.desc = "SMULW\(ytext)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        default:
            let lo = reg(excluding: [rd])
            cs.insn = base | 0x0140_0000 | UInt32(rd) << 16 | UInt32(lo) << 12 | x << 5
            cs.desc = "SMLAL\(xy)\(c(cond)) \(r(lo)), \(r(rd)), \(r(rn)), \(r(rm))"
        }
    }

    mutating func genDualMultiply(_ cs: inout DiffCase) {
        let cond = cond()
        let mx = UInt32(rng.below(2))
        let xs = mx == 1 ? "X" : ""
        let rd = reg(), rn = reg(), rm = reg()
        let sub = UInt32(rng.below(2))   // 0: add (SMLAD), 1: subtract (SMLSD)
        let base = cond << 28 | UInt32(rm) << 8 | sub << 6 | mx << 5 | 0x10 | UInt32(rn)
        switch rng.below(3) {
        case 0:   // SMLAD / SMLSD
            let ra = reg()
            cs.insn = base | 0x0700_0000 | UInt32(rd) << 16 | UInt32(ra) << 12
            cs.desc = "SML\(sub == 1 ? "S" : "A")D\(xs)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        case 1:   // SMUAD / SMUSD (Ra = 1111)
            cs.insn = base | 0x0700_0000 | UInt32(rd) << 16 | 0xF000
            cs.desc = "SMU\(sub == 1 ? "S" : "A")D\(xs)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        default:  // SMLALD / SMLSLD
            let lo = reg(excluding: [rd])
            cs.insn = base | 0x0740_0000 | UInt32(rd) << 16 | UInt32(lo) << 12
            cs.desc = "SML\(sub == 1 ? "S" : "A")LD\(xs)\(c(cond)) \(r(lo)), \(r(rd)), \(r(rn)), \(r(rm))"
        }
    }

    mutating func genMostSignificant(_ cs: inout DiffCase) {
        let cond = cond()
        let round = UInt32(rng.below(2))
        let rs = round == 1 ? "R" : ""
        let rd = reg(), rn = reg(), rm = reg(), ra = reg()
        let base = cond << 28 | 0x0750_0000 | UInt32(rd) << 16 | UInt32(rm) << 8 | round << 5 | 0x10 | UInt32(rn)
        switch rng.below(3) {
        case 0:
            cs.insn = base | UInt32(ra) << 12
            cs.desc = "SMMLA\(rs)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        case 1:
            cs.insn = base | 0xF000
            cs.desc = "SMMUL\(rs)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        default:
            cs.insn = base | UInt32(ra) << 12 | 0xC0
            cs.desc = "SMMLS\(rs)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        }
    }

    mutating func genDivide(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg(), rm = reg()
        let unsigned = rng.bool()
        if rng.chance(6) { cs.regs[rm] = rng.pick([0, 0xFFFF_FFFF, 1]) }
        if rng.chance(6) { cs.regs[rn] = 0x8000_0000 }
        cs.insn = cond << 28 | (unsigned ? 0x0730_0000 : 0x0710_0000) | UInt32(rd) << 16 | 0xF000
            | UInt32(rm) << 8 | 0x10 | UInt32(rn)
        cs.desc = "\(unsigned ? "U" : "S")DIV\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
    }

    mutating func genUSAD8(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg(), rm = reg()
        if rng.bool() {
            cs.insn = cond << 28 | 0x0780_0000 | UInt32(rd) << 16 | 0xF000 | UInt32(rm) << 8 | 0x10 | UInt32(rn)
            cs.desc = "USAD8\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
        } else {
            let ra = reg()
            cs.insn = cond << 28 | 0x0780_0000 | UInt32(rd) << 16 | UInt32(ra) << 12 | UInt32(rm) << 8 | 0x10 | UInt32(rn)
            cs.desc = "USADA8\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm)), \(r(ra))"
        }
    }

    // MARK: Saturation, SIMD, packing, extension, bits

    mutating func genQAddSub(_ cs: inout DiffCase) {
        let cond = cond()
        let op = UInt32(rng.below(4))
        let rd = reg(), rn = reg(), rm = reg()
        cs.insn = cond << 28 | 0x0100_0050 | op << 21 | UInt32(rn) << 16 | UInt32(rd) << 12 | UInt32(rm)
        cs.desc = "\(["QADD", "QSUB", "QDADD", "QDSUB"][Int(op)])\(c(cond)) \(r(rd)), \(r(rm)), \(r(rn))"
    }

    mutating func genSaturate(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg()
        switch rng.below(4) {
        case 0, 1:
            let unsigned = rng.bool()
            let sat = UInt32(rng.below(32))
            let sh = UInt32(rng.below(2))
            let imm5 = rng.chance(3) ? 0 : UInt32(rng.below(32))
            cs.insn = cond << 28 | (unsigned ? 0x06E0_0010 : 0x06A0_0010) | sat << 16 | UInt32(rd) << 12
                | imm5 << 7 | sh << 6 | UInt32(rn)
            let shText = sh == 1 ? ", ASR #\(imm5 == 0 ? 32 : imm5)" : (imm5 == 0 ? "" : ", LSL #\(imm5)")
            cs.desc = "\(unsigned ? "USAT" : "SSAT")\(c(cond)) \(r(rd)), #\(unsigned ? sat : sat + 1), \(r(rn))\(shText)"
        default:
            let unsigned = rng.bool()
            let sat = UInt32(rng.below(16))
            cs.insn = cond << 28 | (unsigned ? 0x06E0_0F30 : 0x06A0_0F30) | sat << 16 | UInt32(rd) << 12 | UInt32(rn)
            cs.desc = "\(unsigned ? "USAT16" : "SSAT16")\(c(cond)) \(r(rd)), #\(unsigned ? sat : sat + 1), \(r(rn))"
        }
    }

    mutating func genParallel(_ cs: inout DiffCase) {
        let cond = cond()
        let prefixes: [(UInt32, String)] = [(1, "S"), (2, "Q"), (3, "SH"), (5, "U"), (6, "UQ"), (7, "UH")]
        let ops: [(UInt32, String)] = [(0, "ADD16"), (1, "ASX"), (2, "SAX"), (3, "SUB16"), (4, "ADD8"), (7, "SUB8")]
        let p = rng.pick(prefixes), o = rng.pick(ops)
        let rd = reg(), rn = reg(), rm = reg()
        cs.insn = cond << 28 | 0x0600_0F10 | p.0 << 20 | UInt32(rn) << 16 | UInt32(rd) << 12 | o.0 << 5 | UInt32(rm)
        cs.desc = "\(p.1)\(o.1)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
    }

    mutating func genSel(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg(), rm = reg()
        cs.insn = cond << 28 | 0x0680_0FB0 | UInt32(rn) << 16 | UInt32(rd) << 12 | UInt32(rm)
        cs.desc = "SEL\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))"
    }

    mutating func genPKH(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg(), rm = reg()
        let tb = UInt32(rng.below(2))
        let imm5 = rng.chance(3) ? 0 : UInt32(rng.below(32))
        cs.insn = cond << 28 | 0x0680_0010 | UInt32(rn) << 16 | UInt32(rd) << 12 | imm5 << 7 | tb << 6 | UInt32(rm)
        let sh = tb == 1 ? ", ASR #\(imm5 == 0 ? 32 : imm5)" : (imm5 == 0 ? "" : ", LSL #\(imm5)")
        cs.desc = "PKH\(tb == 1 ? "TB" : "BT")\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))\(sh)"
    }

    mutating func genExtend(_ cs: inout DiffCase) {
        let cond = cond()
        let kinds: [(UInt32, String)] = [(0, "SXTAB16"), (2, "SXTAB"), (3, "SXTAH"), (4, "UXTAB16"), (6, "UXTAB"), (7, "UXTAH")]
        let k = rng.pick(kinds)
        let rd = reg(), rm = reg()
        let rn = rng.chance(3) ? 15 : reg()
        let rot = UInt32(rng.below(4))
        cs.insn = cond << 28 | 0x0680_0070 | k.0 << 20 | UInt32(rn) << 16 | UInt32(rd) << 12 | rot << 10 | UInt32(rm)
        let rotText = rot == 0 ? "" : ", ROR #\(rot * 8)"
        if rn == 15 {
            let name = k.1.replacingOccurrences(of: "A", with: "")
            cs.desc = "\(name)\(c(cond)) \(r(rd)), \(r(rm))\(rotText)"
        } else {
            cs.desc = "\(k.1)\(c(cond)) \(r(rd)), \(r(rn)), \(r(rm))\(rotText)"
        }
    }

    mutating func genReverse(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rm = reg()
        let kinds: [(UInt32, String)] = [(0x06BF_0F30, "REV"), (0x06BF_0FB0, "REV16"), (0x06FF_0F30, "RBIT"), (0x06FF_0FB0, "REVSH")]
        let k = rng.pick(kinds)
        cs.insn = cond << 28 | k.0 | UInt32(rd) << 12 | UInt32(rm)
        cs.desc = "\(k.1)\(c(cond)) \(r(rd)), \(r(rm))"
    }

    mutating func genCLZ(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rm = reg()
        if rng.chance(3) { cs.regs[rm] = rng.word() >> UInt32(rng.below(33) & 31) }
        cs.insn = cond << 28 | 0x016F_0F10 | UInt32(rd) << 12 | UInt32(rm)
        cs.desc = "CLZ\(c(cond)) \(r(rd)), \(r(rm))"
    }

    mutating func genBitField(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg(), rn = reg()
        let lsb = UInt32(rng.below(32))
        switch rng.below(3) {
        case 0:   // SBFX / UBFX: lsb + width <= 32
            let unsigned = rng.bool()
            let width = UInt32(1 + rng.below(Int(32 - lsb)))
            cs.insn = cond << 28 | (unsigned ? 0x07E0_0050 : 0x07A0_0050) | (width - 1) << 16 | UInt32(rd) << 12
                | lsb << 7 | UInt32(rn)
            cs.desc = "\(unsigned ? "UBFX" : "SBFX")\(c(cond)) \(r(rd)), \(r(rn)), #\(lsb), #\(width)"
        default:  // BFI / BFC: msb >= lsb
            let msb = lsb + UInt32(rng.below(Int(32 - lsb)))
            let bfc = rng.chance(3)
            let src = bfc ? 15 : rn
            cs.insn = cond << 28 | 0x07C0_0010 | msb << 16 | UInt32(rd) << 12 | lsb << 7 | UInt32(src)
            cs.desc = bfc ? "BFC\(c(cond)) \(r(rd)), #\(lsb), #\(msb - lsb + 1)"
                : "BFI\(c(cond)) \(r(rd)), \(r(rn)), #\(lsb), #\(msb - lsb + 1)"
        }
    }

    mutating func genMovwMovt(_ cs: inout DiffCase) {
        let cond = cond()
        let rd = reg()
        let imm = rng.chance(4) ? UInt32(rng.pick([0, 0xFFFF, 0x8000, 1])) : rng.word() & 0xFFFF
        let top = rng.bool()
        cs.insn = cond << 28 | (top ? 0x0340_0000 : 0x0300_0000) | (imm >> 12) << 16 | UInt32(rd) << 12 | (imm & 0xFFF)
        cs.desc = "\(top ? "MOVT" : "MOVW")\(c(cond)) \(r(rd)), #\(h(imm))"
    }

    mutating func genStatus(_ cs: inout DiffCase) {
        let cond = cond()
        let masks: [(UInt32, String)] = [(8, "nzcvq"), (4, "g"), (12, "nzcvqg")]
        switch rng.below(3) {
        case 0:
            let rd = reg()
            cs.insn = cond << 28 | 0x010F_0000 | UInt32(rd) << 12
            cs.desc = "MRS\(c(cond)) \(r(rd)), APSR"
        case 1:
            let m = rng.pick(masks)
            let rn = reg()
            cs.insn = cond << 28 | 0x0120_F000 | m.0 << 16 | UInt32(rn)
            cs.desc = "MSR\(c(cond)) APSR_\(m.1), \(r(rn))"
        default:
            let m = rng.pick(masks)
            let rot = UInt32(rng.below(16)), imm8 = UInt32(rng.below(256))
            cs.insn = cond << 28 | 0x0320_F000 | m.0 << 16 | rot << 8 | imm8
            cs.desc = "MSR\(c(cond)) APSR_\(m.1), #\(h(ror32(imm8, rot * 2)))"
        }
    }

    // MARK: Loads and stores

    /// An access address inside the scratch buffer with room for `size` bytes
    /// (`align` = required alignment).
    mutating func scratchAddress(size: Int, align: Int) -> UInt32 {
        let lo = 32, hi = DiffLayout.scratchSize - 32 - size
        var off = lo + rng.below(hi - lo + 1)
        if rng.chance(6) {   // at or across the page boundary
            off = DiffLayout.pageCrossing - size + rng.below(size + 1)
        }
        off &= ~(align - 1)
        return DiffLayout.scratch + UInt32(off)
    }

    /// A register offset for the scaled-register addressing mode: returns
    /// the index register value, shift type, imm5 and the offset it yields.
    /// Offsets stay small; RRX is only used when C = 0 (forced by the caller).
    mutating func scaledIndex() -> (value: UInt32, type: UInt32, imm5: UInt32, offset: UInt32, rrx: Bool) {
        let small = UInt32(rng.below(64))
        switch rng.below(6) {
        case 0, 1:
            let k = UInt32(rng.below(4))
            if rng.chance(5) {   // all bits shifted out
                let k2 = UInt32(8 + rng.below(24))
                return ((rng.word() | 1) << (32 - k2), 0, k2, 0, false)
            }
            return (small >> k, 0, k, (small >> k) << k, false)
        case 2:   // LSR
            let k = UInt32(1 + rng.below(32))
            if k == 32 { return (rng.word(), 1, 0, 0, false) }
            let v = (small << k) | (rng.word() & ((1 << k) - 1))
            return (k >= 26 ? rng.word() & ((1 << k) - 1) : v, 1, k, k >= 26 ? 0 : small, false)
        case 3:   // ASR, possibly negative
            let k = UInt32(1 + rng.below(24))
            let neg = rng.bool()
            let o = neg ? UInt32(bitPattern: -Int32(small)) : small
            let v = (o << k) | (rng.word() & ((1 << k) - 1))
            return (v, 2, k, o, false)
        case 4:   // ROR
            let k = UInt32(1 + rng.below(31))
            return (ror32(small, 32 - k), 3, k, small, false)
        default:  // RRX with C = 0
            let v = small << 1 | UInt32(rng.below(2))
            return (v, 3, 0, small, true)
        }
    }

    mutating func genLoadStoreWordByte(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let load = rng.bool(), byte = rng.bool()
        let regForm = rng.bool()
        // 0: offset, 1: pre-indexed, 2: post-indexed, 3: post-indexed unprivileged (LDRT/STRT)
        var mode = rng.below(4)
        let literal = load && !regForm && rng.chance(8)
        if literal { mode = 0 }
        let wback = mode != 0
        let size = byte ? 1 : 4
        var rt = reg()
        if !load && !byte && rng.chance(12) { rt = 15 }      // STR PC stores the instruction address + 8
        let rn = literal ? 15 : (wback ? reg(excluding: [rt]) : reg())
        let u = rng.bool()
        var insn = cond << 28 | 1 << 26 | (mode < 2 ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (byte ? 1 << 22 : 0)
            | (mode == 1 || mode == 3 ? 1 << 21 : 0) | (load ? 1 << 20 : 0) | UInt32(rn) << 16 | UInt32(rt) << 12
        let addr = scratchAddress(size: size, align: rng.chance(4) ? 1 : size)
        var offsetText: String
        var offset: UInt32
        if regForm {
            let rm = reg(excluding: [rn])
            let ix = scaledIndex()
            if ix.rrx { cs.psr &= ~(1 << 29) }
            offset = ix.offset
            insn |= 1 << 25 | ix.imm5 << 7 | ix.type << 5 | UInt32(rm)
            cs.regs[rm] = ix.value
            offsetText = "\(u ? "" : "-")\(r(rm))\(DiffGenerator.shiftText(ix.type, ix.imm5))"
        } else {
            let imm = literal ? UInt32(rng.below(56)) : (rng.chance(6) ? 0 : UInt32(rng.below(64)))
            insn |= imm
            offset = imm
            offsetText = "#\(u ? "" : "-")\(imm)"
        }
        if !literal {
            // Pre-indexed forms address base +/- offset; post-indexed forms address base.
            cs.regs[rn] = mode < 2 ? (u ? addr &- offset : addr &+ offset) : addr
        }
        cs.insn = insn
        let name = (load ? "LDR" : "STR") + (byte ? "B" : "") + (mode == 3 ? "T" : "") + c(cond)
        switch mode {
        case 0: cs.desc = "\(name) \(r(rt)), [\(r(rn)), \(offsetText)]"
        case 1: cs.desc = "\(name) \(r(rt)), [\(r(rn)), \(offsetText)]!"
        default: cs.desc = "\(name) \(r(rt)), [\(r(rn))], \(offsetText)"
        }
    }

    mutating func genLoadStoreHalf(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        // (L, op2 bits 6:5, name, size)
        let kinds: [(UInt32, UInt32, String, Int)] = [(0, 1, "STRH", 2), (1, 1, "LDRH", 2), (1, 2, "LDRSB", 1), (1, 3, "LDRSH", 2)]
        let k = rng.pick(kinds)
        let load = k.0 == 1
        let regForm = rng.bool()
        var mode = rng.below(4)   // 3: the unprivileged T forms (P = 0, W = 1)
        let literal = load && !regForm && rng.chance(8)
        if literal { mode = 0 }
        let wback = mode != 0
        let rt = reg()
        let rn = literal ? 15 : (wback ? reg(excluding: [rt]) : reg())
        let u = rng.bool()
        var insn = cond << 28 | (mode < 2 ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (mode == 1 || mode == 3 ? 1 << 21 : 0)
            | k.0 << 20 | UInt32(rn) << 16 | UInt32(rt) << 12 | 0x90 | k.1 << 5
        let addr = scratchAddress(size: k.3, align: rng.chance(4) ? 1 : k.3)
        var offset: UInt32
        var offsetText: String
        if regForm {
            let rm = reg(excluding: [rn])
            let o = Int32(rng.below(64)) - (rng.bool() ? 0 : 32)
            offset = UInt32(bitPattern: o)
            cs.regs[rm] = offset
            insn |= UInt32(rm)
            offsetText = "\(u ? "" : "-")\(r(rm))"
        } else {
            let imm = literal ? UInt32(rng.below(56)) : (rng.chance(6) ? 0 : UInt32(rng.below(64)))
            insn |= 1 << 22 | (imm >> 4) << 8 | (imm & 0xF)
            offset = imm
            offsetText = "#\(u ? "" : "-")\(imm)"
        }
        if !literal { cs.regs[rn] = mode < 2 ? (u ? addr &- offset : addr &+ offset) : addr }
        cs.insn = insn
        let name = k.2 + (mode == 3 ? "T" : "") + c(cond)
        switch mode {
        case 0: cs.desc = "\(name) \(r(rt)), [\(r(rn)), \(offsetText)]"
        case 1: cs.desc = "\(name) \(r(rt)), [\(r(rn)), \(offsetText)]!"
        default: cs.desc = "\(name) \(r(rt)), [\(r(rn))], \(offsetText)"
        }
    }

    mutating func genLoadStoreDual(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let load = rng.bool()
        let regForm = rng.bool()
        var mode = rng.below(3)   // offset, pre-indexed, post-indexed
        let literal = load && !regForm && rng.chance(8)
        if literal { mode = 0 }
        let wback = mode != 0
        let rt = 2 * rng.below(7)   // even, not r14
        let rn = literal ? 15 : (wback ? reg(excluding: [rt, rt + 1]) : reg())
        let u = rng.bool()
        var insn = cond << 28 | (mode < 2 ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (mode == 1 ? 1 << 21 : 0)
            | UInt32(rn) << 16 | UInt32(rt) << 12 | (load ? 0xD0 : 0xF0)
        let addr = scratchAddress(size: 8, align: 4)
        var offset: UInt32
        var offsetText: String
        if regForm {
            let rm = reg(excluding: [rn, rt, rt + 1])
            let o = (Int32(rng.below(16)) - (rng.bool() ? 0 : 8)) * 4
            offset = UInt32(bitPattern: o)
            cs.regs[rm] = offset
            insn |= UInt32(rm)
            offsetText = "\(u ? "" : "-")\(r(rm))"
        } else {
            let imm = literal ? UInt32(rng.below(13) * 4) : UInt32(rng.below(16) * 4)
            insn |= 1 << 22 | (imm >> 4) << 8 | (imm & 0xF)
            offset = imm
            offsetText = "#\(u ? "" : "-")\(imm)"
        }
        if !literal { cs.regs[rn] = mode < 2 ? (u ? addr &- offset : addr &+ offset) : addr }
        cs.insn = insn
        let name = (load ? "LDRD" : "STRD") + c(cond)
        switch mode {
        case 0: cs.desc = "\(name) \(r(rt)), \(r(rt + 1)), [\(r(rn)), \(offsetText)]"
        case 1: cs.desc = "\(name) \(r(rt)), \(r(rt + 1)), [\(r(rn)), \(offsetText)]!"
        default: cs.desc = "\(name) \(r(rt)), \(r(rt + 1)), [\(r(rn))], \(offsetText)"
        }
    }

    static func listText(_ list: UInt32) -> String {
        "{" + (0..<16).filter { list & (1 << UInt32($0)) != 0 }.map { DiffText.reg($0) }.joined(separator: ", ") + "}"
    }

    /// A word-aligned base for a block transfer with room for 16 words either way.
    mutating func blockBase() -> UInt32 { DiffLayout.scratch + 64 + 4 * UInt32(rng.below(33)) }

    mutating func genBlockTransfer(_ cs: inout DiffCase) {
        let cond = cond()
        let load = rng.bool()
        let pu = UInt32(rng.below(4))
        let w = rng.bool()
        let rn = reg()
        var list: UInt32 = rng.chance(3) ? UInt32(1) << UInt32(rng.below(15)) : rng.word() & 0x7FFF
        if !load && rng.chance(10) { list |= 0x8000 }        // STM of PC stores the instruction address + 8
        if load && w { list &= ~(1 << UInt32(rn)) }           // LDM writeback with Rn in the list: UNPREDICTABLE
        if !load && w && list & (1 << UInt32(rn)) != 0 && list & ((1 << UInt32(rn)) - 1) != 0 {
            list &= ~(1 << UInt32(rn))                        // STM writeback: Rn must be the lowest register
        }
        if list == 0 { list = 1 << UInt32(reg(excluding: [rn])) }
        cs.regs[rn] = blockBase()
        cs.insn = cond << 28 | 0x0800_0000 | pu << 23 | (w ? 1 << 21 : 0) | (load ? 1 << 20 : 0) | UInt32(rn) << 16 | list
        let mode = ["DA", "IA", "DB", "IB"][Int(pu)]
        cs.desc = "\(load ? "LDM" : "STM")\(mode)\(c(cond)) \(r(rn))\(w ? "!" : ""), \(DiffGenerator.listText(list))"
    }

    // MARK: Branches (ARM targets only)

    /// A landing address of block `index` and its name.
    mutating func target(_ index: Int) -> (UInt32, String) {
        switch rng.below(5) {
        case 0: return (DiffLayout.landingBack(index), "back")
        case 1: return (DiffLayout.landingNext(index), "next")
        default: return (DiffLayout.landingFwd(index), "fwd")
        }
    }

    mutating func genBranchImm(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let (t, tn) = target(index)
        let link = rng.bool()
        cs.insn = DiffAsm.b(at: DiffLayout.test(index), t, cond: cond) | (link ? 1 << 24 : 0)
        let off = Int64(t) - Int64(DiffLayout.test(index)) - 8
        cs.desc = "\(link ? "BL" : "B")\(c(cond)) pc\(off >= 0 ? "+" : "")\(off) (\(tn) landing \(DiffText.hex(t)))"
    }

    mutating func genBranchReg(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let (t, tn) = target(index)
        let link = rng.bool()
        let rm = reg()
        cs.regs[rm] = t
        cs.insn = cond << 28 | (link ? 0x012F_FF30 : 0x012F_FF10) | UInt32(rm)
        cs.desc = "\(link ? "BLX" : "BX")\(c(cond)) \(r(rm)) (\(tn) landing \(DiffText.hex(t)))"
    }

    /// Data-processing instructions writing the PC (no S: that form is an
    /// exception return, UNPREDICTABLE in User mode).
    mutating func genALUWritePC(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let (t, tn) = target(index)
        let pc8 = DiffLayout.test(index) + 8
        // ADD/SUB pc, pc, #imm
        if rng.chance(4) {
            let up = t >= pc8
            let imm = up ? t - pc8 : pc8 - t
            precondition(imm < 256)
            cs.insn = cond << 28 | 0x020F_F000 | (up ? 0x0080_0000 : 0x0040_0000) | imm
            cs.desc = "\(up ? "ADD" : "SUB")\(c(cond)) pc, pc, #\(imm) (\(tn) landing \(DiffText.hex(t)))"
            return
        }
        let ops: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]   // AND ... MVN minus the compares
        var opc = rng.pick(ops)
        // op2: an immediate, or a register shifted by a non-zero immediate (carry-free value).
        var op2: UInt32
        var op2Text: String
        var rm = -1
        var insn: UInt32
        let carry = (cs.psr >> 29) & 1
        if rng.bool() {
            let rot = UInt32(rng.below(16)), imm8 = UInt32(rng.below(256))
            op2 = ror32(imm8, rot * 2)
            insn = 1 << 25 | rot << 8 | imm8
            op2Text = "#\(h(op2))"
        } else {
            rm = reg()
            let type = UInt32(rng.below(4))
            let imm5 = UInt32(rng.below(32))
            let v = value()
            switch type {
            case 0: op2 = v << imm5
            case 1: op2 = imm5 == 0 ? 0 : v >> imm5
            case 2: op2 = UInt32(bitPattern: Int32(bitPattern: v) >> Int32(imm5 == 0 ? 31 : imm5))
            default: op2 = imm5 == 0 ? (carry << 31 | v >> 1) : ror32(v, imm5)
            }
            cs.regs[rm] = v
            insn = imm5 << 7 | type << 5 | UInt32(rm)
            op2Text = r(rm) + DiffGenerator.shiftText(type, imm5)
        }
        // AND/ORR/BIC cannot reach an arbitrary target from an arbitrary op2: use MOV/EOR forms instead.
        if opc == 0 || opc == 12 || opc == 14 {
            opc = 1
        }
        let rn = reg(excluding: rm >= 0 ? [rm] : [])
        var n: UInt32 = 0
        switch opc {
        case 1: n = t ^ op2
        case 2: n = t &+ op2
        case 3: n = op2 &- t
        case 4: n = t &- op2
        case 5: n = t &- op2 &- carry
        case 6: n = t &+ op2 &+ 1 &- carry
        case 7: n = op2 &- t &- 1 &+ carry
        default: break
        }
        if opc == 13 || opc == 15 {
            // MOV/MVN: the operand must be the target itself.
            let v = opc == 13 ? t : ~t
            if rm < 0 { rm = reg() }
            let k = UInt32(rng.below(32))
            if k == 0 {
                cs.regs[rm] = v
                insn = UInt32(rm)
                op2Text = r(rm)
            } else {
                cs.regs[rm] = ror32(v, 32 - k)
                insn = k << 7 | 3 << 5 | UInt32(rm)
                op2Text = "\(r(rm)), ROR #\(k)"
            }
            cs.insn = cond << 28 | opc << 21 | 0xF000 | insn
            cs.desc = "\(DiffGenerator.dpNames[Int(opc)])\(c(cond)) pc, \(op2Text) (\(tn) landing \(DiffText.hex(t)))"
            return
        }
        cs.regs[rn] = n
        cs.insn = cond << 28 | opc << 21 | UInt32(rn) << 16 | 0xF000 | insn
        cs.desc = "\(DiffGenerator.dpNames[Int(opc)])\(c(cond)) pc, \(r(rn)), \(op2Text) (\(tn) landing \(DiffText.hex(t)))"
    }

    // MARK: Pairs and hints

    mutating func genBigEndian(_ cs: inout DiffCase, index: Int) {
        let inner: DiffClass = rng.pick([.loadStoreWordByte, .loadStoreHalfSigned, .loadStoreDual, .blockTransfer,
                                         .loadStoreHalfSigned, .exclusive])
        var c = generate(inner, index: index)
        // PC-relative forms would read past the block from the second slot.
        while (c.insn >> 16) & 0xF == 15 { c = generate(inner, index: index) }
        if c.insn2 != DiffAsm.nop {
            // An exclusive pair: SETEND goes first, the pair's second half is dropped.
            c.desc = c.desc.split(separator: ";").first.map(String.init) ?? c.desc
        }
        cs = c
        cs.cls = DiffClass.bigEndian.rawValue
        cs.insn2 = c.insn
        cs.insn = DiffAsm.setendBE
        cs.desc = "SETEND BE; " + c.desc
    }

    mutating func genExclusive(_ cs: inout DiffCase) {
        // (size, LDREX base, STREX base, name suffix)
        let kinds: [(Int, UInt32, UInt32, String)] = [(4, 0x0190_0F9F, 0x0180_0F90, ""), (1, 0x01D0_0F9F, 0x01C0_0F90, "B"),
                                                     (2, 0x01F0_0F9F, 0x01E0_0F90, "H"), (8, 0x01B0_0F9F, 0x01A0_0F90, "D")]
        let k = rng.pick(kinds)
        let dual = k.0 == 8
        let rn = reg()
        // LDREX target: not the base (the STREX reuses it).
        let lt = dual ? 2 * rng.below(7) : reg()
        let ltOK = dual ? (lt != rn && lt + 1 != rn) : lt != rn
        let ldt = ltOK ? lt : (dual ? (rn < 7 ? 8 : 0) : (rn + 1) % 15)
        // STREX: status Rd differs from the base and the data registers.
        let st = dual ? 2 * rng.below(7) : reg()
        let sd = reg(excluding: dual ? [rn, st, st + 1] : [rn, st])
        let addr = scratchAddress(size: k.0, align: k.0)
        cs.regs[rn] = addr
        let cond = cond()
        let ldrex = cond << 28 | k.1 | UInt32(rn) << 16 | UInt32(ldt) << 12
        let strex = cond << 28 | k.2 | UInt32(rn) << 16 | UInt32(sd) << 12 | UInt32(st)
        let ldText = "LDREX\(k.3)\(c(cond)) \(r(ldt))\(dual ? ", " + r(ldt + 1) : ""), [\(r(rn))]"
        let stText = "STREX\(k.3)\(c(cond)) \(r(sd)), \(r(st))\(dual ? ", " + r(st + 1) : ""), [\(r(rn))]"
        switch rng.below(4) {
        case 0, 1:
            cs.insn = ldrex; cs.insn2 = strex
            cs.desc = ldText + "; " + stText
        case 2:
            cs.insn = strex
            cs.desc = stText + " (monitor open)"
        default:
            cs.insn = ldrex
            cs.desc = ldText
        }
    }

    mutating func genHint(_ cs: inout DiffCase) {
        let cond = cond()
        let rn = reg(), rm = reg()
        let u = UInt32(rng.below(2))
        let imm12 = UInt32(rng.below(4096))
        let imm5 = UInt32(rng.below(32)), type = UInt32(rng.below(4))
        let ops: [(UInt32, String)] = [
            (cond << 28 | 0x0320_F000, "NOP\(c(cond))"),
            (cond << 28 | 0x0320_F001, "YIELD\(c(cond))"),
            (cond << 28 | 0x0320_F004, "SEV\(c(cond))"),
            (cond << 28 | 0x0320_F0F0 | imm5 & 0xF, "DBG\(c(cond)) #\(imm5 & 0xF)"),
            (0xF550_F000 | u << 23 | UInt32(rn) << 16 | imm12, "PLD [\(r(rn)), #\(u == 1 ? "" : "-")\(imm12)]"),
            (0xF510_F000 | u << 23 | UInt32(rn) << 16 | imm12, "PLDW [\(r(rn)), #\(u == 1 ? "" : "-")\(imm12)]"),
            (0xF450_F000 | u << 23 | UInt32(rn) << 16 | imm12, "PLI [\(r(rn)), #\(u == 1 ? "" : "-")\(imm12)]"),
            (0xF750_F000 | u << 23 | UInt32(rn) << 16 | imm5 << 7 | type << 5 | UInt32(rm),
             "PLD [\(r(rn)), \(u == 1 ? "" : "-")\(r(rm))\(DiffGenerator.shiftText(type, imm5))]"),
            (0xF57F_F05F, "DMB SY"), (0xF57F_F04F, "DSB SY"), (0xF57F_F06F, "ISB SY"), (0xF57F_F05B, "DMB ISH"),
            (DiffAsm.clrex, "CLREX"),
            (cond << 28 | 0x0320_F002, "WFE\(c(cond))"), (cond << 28 | 0x0320_F003, "WFI\(c(cond))"),
            // CPS is a NOP in User mode.
            (0xF10C_0080, "CPSID i"), (0xF108_01C0, "CPSIE aif"), (0xF102_0013, "CPS #svc"),
        ]
        let op = rng.pick(ops)
        cs.insn = op.0
        cs.desc = op.1
    }

    static func mrc(_ cond: UInt32, _ load: Bool, _ rt: Int, opc1: UInt32, crn: UInt32, crm: UInt32, opc2: UInt32) -> UInt32 {
        cond << 28 | 0x0E00_0F10 | (load ? 1 << 20 : 0) | opc1 << 21 | crn << 16 | UInt32(rt) << 12 | opc2 << 5 | crm
    }

    mutating func genFault(_ cs: inout DiffCase) {
        let al: UInt32 = 0xE
        switch rng.below(11) {
        case 0:
            let imm = UInt32(rng.below(65536))
            cs.insn = 0xE7F0_00F0 | (imm >> 4) << 8 | (imm & 0xF)
            cs.desc = "UDF #\(imm)"
        case 1:   // parallel add/sub with an unallocated prefix or operation
            let rd = reg(), rn = reg(), rm = reg()
            let badPrefix = rng.bool()
            let op1 = badPrefix ? UInt32(rng.pick([0, 4])) : UInt32(rng.pick([1, 2, 3, 5, 6, 7]))
            let op2 = badPrefix ? UInt32(rng.pick([0, 1, 2, 3, 4, 7])) : UInt32(rng.pick([5, 6]))
            cs.insn = al << 28 | 0x0600_0F10 | op1 << 20 | UInt32(rn) << 16 | UInt32(rd) << 12 | op2 << 5 | UInt32(rm)
            cs.desc = "parallel add/sub op1=\(op1) op2=\(op2) (UNDEFINED)"
        case 2:   // PL1-only CP15 registers from User mode
            let regs: [(UInt32, UInt32, UInt32, UInt32, String)] = (userCP15 ? [(0, 0, 0, 0, "MIDR")] : []) + [
                (0, 1, 0, 0, "SCTLR"), (0, 2, 0, 0, "TTBR0"), (0, 3, 0, 0, "DACR"),
                (0, 12, 0, 0, "VBAR"), (0, 13, 0, 4, "TPIDRPRW"), (0, 13, 0, 1, "CONTEXTIDR"), (0, 5, 0, 0, "DFSR"),
            ]
            let x = rng.pick(regs)
            let load = rng.bool()
            let rt = reg()
            cs.insn = DiffGenerator.mrc(al, load, rt, opc1: x.0, crn: x.1, crm: x.2, opc2: x.3)
            cs.desc = "\(load ? "MRC" : "MCR") p15, \(x.0), \(r(rt)), c\(x.1), c\(x.2), \(x.3) (\(x.4), PL1 only)"
        case 3:   // TPIDRURO is read-only at PL0
            let rt = reg()
            cs.insn = DiffGenerator.mrc(al, false, rt, opc1: 0, crn: 13, crm: 0, opc2: 3)
            cs.desc = "MCR p15, 0, \(r(rt)), c13, c0, 3 (TPIDRURO write at PL0)"
        case 4 where !userCP15:
            cs.insn = 0xE7F0_00F0
            cs.desc = "UDF #0"
        case 4:   // TPIDRURW write + read back, TPIDRURO / TPIDRURW read
            let cond = cond()
            let a = reg(), b = reg()
            if rng.bool() {
                cs.insn = DiffGenerator.mrc(cond, false, a, opc1: 0, crn: 13, crm: 0, opc2: 2)
                cs.insn2 = DiffGenerator.mrc(cond, true, b, opc1: 0, crn: 13, crm: 0, opc2: 2)
                cs.desc = "MCR\(c(cond)) p15, 0, \(r(a)), c13, c0, 2; MRC\(c(cond)) p15, 0, \(r(b)), c13, c0, 2 (TPIDRURW)"
            } else {
                let opc2 = UInt32(rng.pick([2, 3]))
                cs.insn = DiffGenerator.mrc(cond, true, b, opc1: 0, crn: 13, crm: 0, opc2: opc2)
                cs.desc = "MRC\(c(cond)) p15, 0, \(r(b)), c13, c0, \(opc2) (\(opc2 == 2 ? "TPIDRURW" : "TPIDRURO"))"
            }
        case 5:   // HVC, SMC and BKPT from User mode
            let imm = UInt32(rng.below(65536))
            switch rng.below(3) {
            case 0:
                cs.insn = 0xE140_0070 | (imm >> 4) << 8 | (imm & 0xF)
                cs.desc = "HVC #\(imm) (UNDEFINED at PL0)"
            case 1:
                cs.insn = 0xE160_0070 | (imm & 0xF)
                cs.desc = "SMC #\(imm & 0xF) (UNDEFINED at PL0)"
            default:
                cs.insn = 0xE120_0070 | (imm >> 4) << 8 | (imm & 0xF)
                cs.desc = "BKPT #\(imm)"
            }
        case 6:   // LDRD/STRD at an address that is not word-aligned
            var c = generate(.loadStoreDual, index: 0)
            while (c.insn >> 16) & 0xF == 15 { c = generate(.loadStoreDual, index: 0) }
            let rn = Int((c.insn >> 16) & 0xF)
            c.regs[rn] &+= UInt32(1 + rng.below(3))
            c.desc += " (base misaligned)"
            cs = c
        case 7:   // LDM/STM with a base that is not word-aligned
            var c = generate(.blockTransfer, index: 0)
            let rn = Int((c.insn >> 16) & 0xF)
            c.regs[rn] &+= UInt32(1 + rng.below(3))
            c.desc += " (base misaligned)"
            cs = c
        case 8:   // exclusives at a misaligned address
            let kinds: [(UInt32, UInt32, String)] = [(0x0190_0F9F, 4, ""), (0x01F0_0F9F, 2, "H"), (0x01B0_0F9F, 8, "D")]
            let k = rng.pick(kinds)
            let rn = reg()
            let rt = k.1 == 8 ? 2 * rng.below(7) : reg()
            let cond = cond()
            cs.regs[rn] = scratchAddress(size: 8, align: 8) + UInt32(1 + rng.below(Int(k.1) - 1))
            cs.insn = cond << 28 | k.0 | UInt32(rn) << 16 | UInt32(rt) << 12
            cs.desc = "LDREX\(k.2)\(c(cond)) \(r(rt)), [\(r(rn))] (misaligned)"
        default:  // loads and stores to an unmapped address
            let inner: DiffClass = rng.pick([.loadStoreWordByte, .loadStoreHalfSigned, .blockTransfer])
            var c = generate(inner, index: 0)
            while (c.insn >> 16) & 0xF == 15 { c = generate(inner, index: 0) }
            let rn = Int((c.insn >> 16) & 0xF)
            c.regs[rn] = c.regs[rn] &- DiffLayout.scratch &+ 0xD000_0000
            // A register offset register may be the same as the data register; keep the index.
            c.desc += " (unmapped)"
            cs = c
        }
        cs.cls = DiffClass.fault.rawValue
    }

    /// LDR pc and LDM {..., pc}: the loaded word is patched to a landing address.
    mutating func genLoadPC(_ cs: inout DiffCase, index: Int) {
        let cond = cond()
        let (t, tn) = target(index)
        switch rng.below(3) {
        case 0:   // LDR pc, [rn, #imm] in all three indexing modes
            let mode = rng.below(3)
            let rn = reg()
            let u = rng.bool()
            let imm = UInt32(rng.below(16) * 4)
            let addr = scratchAddress(size: 4, align: 4)
            cs.regs[rn] = mode < 2 ? (u ? addr &- imm : addr &+ imm) : addr
            cs.patches = [DiffPatch(address: addr, value: t)]
            cs.insn = cond << 28 | 0x0410_F000 | (mode < 2 ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (mode == 1 ? 1 << 21 : 0)
                | UInt32(rn) << 16 | imm
            let o = "#\(u ? "" : "-")\(imm)"
            let a = mode == 0 ? "[\(r(rn)), \(o)]" : mode == 1 ? "[\(r(rn)), \(o)]!" : "[\(r(rn))], \(o)"
            cs.desc = "LDR\(c(cond)) pc, \(a) (mem = \(tn) landing \(DiffText.hex(t)))"
        case 1:   // LDR pc, [pc, #-x]: the block's own literal holding the landing address
            let lit = t == DiffLayout.landingBack(index) ? 8 : t == DiffLayout.landingNext(index) ? 12 : 16
            let off = DiffLayout.test(index) + 8 - (DiffLayout.block(index) + UInt32(lit))
            cs.insn = cond << 28 | 0x051F_F000 | off
            cs.desc = "LDR\(c(cond)) pc, [pc, #-\(off)] (literal = \(tn) landing \(DiffText.hex(t)))"
        default:  // LDM rn{!}, {..., pc}
            let pu = UInt32(rng.below(4))
            let w = rng.bool()
            let rn = reg()
            var list = (rng.chance(3) ? 0 : rng.word() & 0x7FFF) | 0x8000
            if w { list &= ~(1 << UInt32(rn)) }
            let count = UInt32(list.nonzeroBitCount)
            let base = blockBase()
            cs.regs[rn] = base
            let pcSlot: UInt32
            switch pu {
            case 0: pcSlot = base                       // DA: highest register at the base
            case 1: pcSlot = base + 4 * (count - 1)     // IA
            case 2: pcSlot = base - 4                   // DB
            default: pcSlot = base + 4 * count          // IB
            }
            cs.patches = [DiffPatch(address: pcSlot, value: t)]
            cs.insn = cond << 28 | 0x0810_0000 | pu << 23 | (w ? 1 << 21 : 0) | UInt32(rn) << 16 | list
            let mode = ["DA", "IA", "DB", "IB"][Int(pu)]
            cs.desc = "LDM\(mode)\(c(cond)) \(r(rn))\(w ? "!" : ""), \(DiffGenerator.listText(list)) (pc word = \(tn) landing \(DiffText.hex(t)))"
        }
        _ = tn
    }
}
