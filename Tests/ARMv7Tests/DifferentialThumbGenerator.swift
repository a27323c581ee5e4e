import Foundation

// Differential testing against qemu-arm, part 4: the random T32 (Thumb-2)
// generator. A T32 case is a short sequence put at the Thumb test area of its
// block (DiffLayout.thumbTest): one instruction, or an IT instruction with the
// 1–4 instructions of its block, or a pair (SETEND BE + load/store, LDREX +
// STREX). The harness enters it with `ldm r0, {r0-r15}` (interworking: the
// PC word has bit 0 set) and every Thumb landing starts with `bx pc; nop`, so
// the saving code is the A32 one.
//
// As in the A32 generator, UNPREDICTABLE encodings are avoided (when unsure:
// excluded): T32 operands are never SP or PC where the ARM ARM forbids them,
// IT rules hold (no IT, CBZ/CBNZ, B<cond>, SETEND or CPS inside an IT block,
// only the last instruction of a block may write the PC, firstcond AL only
// with an all-"then" mask), loads and stores touch only the scratch buffer
// (PC-relative loads only their own block), and branches land on a landing.
// Within a sequence, a register whose initial value an instruction relies on
// (a base, an index, a branch target) is neither written by an earlier
// instruction nor claimed by another one, and a PC-loading instruction never
// follows a store (which could overwrite its landing word).
//
// VFP/Advanced SIMD (coprocessor space 1110 11x0 / 1111 11xx, cp10/cp11) is
// not generated yet: DiffThumbClass has no member for it; add one (and a
// case in `single`) when the core has VFP.

enum DiffThumbClass: String, CaseIterable {
    // 16-bit
    case t16ShiftAddSubMovCmp, t16DataProc, t16HighReg, t16LoadStore, t16AdrSP, t16PushPop, t16LdmStm, t16ExtendRev
    // 32-bit data processing
    case t32ModImm, t32PlainImm, t32SatBitfield, t32ShiftedReg, t32RegShift, t32Extend, t32Parallel, t32Misc
    case t32Multiply, t32MultiplyLong, t32Divide, t32Status
    // 32-bit loads and stores
    case t32LoadStore, t32LoadStoreDual, t32Exclusive, t32LdmStm
    // Control flow (16 and 32-bit)
    case branch, tableBranch, loadPC
    /// Hints, barriers, CLREX, PLD/PLI, CPS (no effect in User mode).
    case hint
    /// SETEND BE followed by a load or store.
    case bigEndian
    /// UDF, BKPT, UNDEFINED encodings, HVC/SMC, alignment faults, unmapped addresses.
    case fault
    /// An IT instruction and the 1–4 instructions of its block.
    case itBlock

    var weight: Int {
        switch self {
        case .itBlock: return 30
        case .t16ShiftAddSubMovCmp, .t16DataProc, .t16LoadStore, .t32ModImm, .t32ShiftedReg, .t32LoadStore: return 7
        case .t16HighReg, .t32Multiply, .t32Parallel, .branch, .loadPC: return 5
        case .t16AdrSP, .t16PushPop, .t16LdmStm, .t32LdmStm, .t32LoadStoreDual, .t32Exclusive: return 4
        case .t32PlainImm, .t32SatBitfield, .t32RegShift, .t32Extend, .t32Misc, .t32MultiplyLong: return 4
        case .fault, .bigEndian, .tableBranch: return 3
        default: return 2
        }
    }

    /// Classes that may appear inside an IT block (at any position; the
    /// control-flow ones only produce IT-legal forms, and only last).
    static let inIT: [DiffThumbClass] = [
        .t16ShiftAddSubMovCmp, .t16DataProc, .t16HighReg, .t16LoadStore, .t16AdrSP, .t16PushPop, .t16LdmStm,
        .t16ExtendRev, .t32ModImm, .t32PlainImm, .t32SatBitfield, .t32ShiftedReg, .t32RegShift, .t32Extend,
        .t32Parallel, .t32Misc, .t32Multiply, .t32MultiplyLong, .t32Divide, .t32Status, .t32LoadStore,
        .t32LoadStoreDual, .t32Exclusive, .t32LdmStm, .hint, .branch, .tableBranch, .loadPC, .fault,
    ]
}

/// One generated T32 instruction: 16-bit (value <= 0xFFFF) or 32-bit.
struct ThumbInsn {
    var enc: UInt32
    var text: String
}

struct DiffThumbGenerator {
    var g: DiffGenerator

    init(seed: UInt64) {
        g = DiffGenerator(seed: seed ^ 0x7432_7432_0000_0000, userCP15: false)
    }

    /// State while generating one sequence.
    struct Ctx {
        var index: Int
        /// Byte offset of the instruction being generated from the test start.
        var offset: UInt32 = 0
        var inIT = false
        /// Last instruction of the IT block, or outside an IT block: may write the PC.
        var last = true
        /// The instruction's condition inside an IT block.
        var cond: UInt32 = 14
        /// Registers written by earlier instructions of the sequence.
        var written: Set<Int> = []
        /// Registers whose initial value the sequence relies on.
        var pinned: Set<Int> = []
        /// An earlier instruction stored to memory.
        var stored = false
        var patches: [DiffPatch] = []
        var address: UInt32 { DiffLayout.thumbTest(index) + offset }
        var block: UInt32 { DiffLayout.block(index, thumb: true) }
        /// Mnemonic suffix: the IT condition.
        var c: String { inIT ? DiffGenerator.condNames[Int(cond)] : "" }
        /// "S" for the 16-bit flag-setting forms (they do not set flags inside IT).
        var s: String { inIT ? "" : "S" }
    }

    // MARK: Random helpers

    mutating func below(_ n: Int) -> Int { g.rng.below(n) }
    mutating func chance(_ n: Int) -> Bool { g.rng.chance(n) }
    mutating func bool() -> Bool { g.rng.bool() }
    mutating func bit() -> UInt32 { g.rng.bool() ? 1 : 0 }
    mutating func u(_ n: Int) -> UInt32 { UInt32(g.rng.below(n)) }
    mutating func value() -> UInt32 { g.value() }
    func r(_ n: Int) -> String { DiffText.reg(n) }
    func h(_ v: UInt32) -> String { v < 10 ? "\(v)" : "0x" + String(v, radix: 16) }

    /// r0–r7.
    mutating func lo() -> Int { below(8) }
    /// r0–r12 and r14: the registers T32 data processing allows.
    mutating func good() -> Int { let x = below(14); return x == 13 ? 14 : x }
    mutating func good(excluding ex: [Int]) -> Int {
        while true { let x = good(); if !ex.contains(x) { return x } }
    }
    mutating func lo(excluding ex: [Int]) -> Int {
        while true { let x = lo(); if !ex.contains(x) { return x } }
    }

    /// A register from `candidates` whose initial value the sequence may
    /// set: not written by an earlier instruction, not claimed. It is
    /// claimed with `value`.
    mutating func pin(_ candidates: [Int], _ value: UInt32, _ ctx: inout Ctx, _ cs: inout DiffCase) -> Int? {
        let free = candidates.filter { !ctx.written.contains($0) && !ctx.pinned.contains($0) }
        guard !free.isEmpty else { return nil }
        let x = free[below(free.count)]
        ctx.pinned.insert(x)
        cs.regs[x] = value
        return x
    }
    /// Sets the initial value of `x` if it is still free (else leaves it).
    mutating func prefer(_ x: Int, _ value: UInt32, _ ctx: inout Ctx, _ cs: inout DiffCase) {
        if !ctx.written.contains(x) && !ctx.pinned.contains(x) {
            cs.regs[x] = value
            ctx.pinned.insert(x)
        }
    }
    static let loRegs = Array(0...7)
    static let goodRegs = Array(0...12) + [14]
    static let goodOrSP = Array(0...14)

    /// A Thumb landing of block `index` (address, name).
    mutating func thumbLanding(_ index: Int, forwardOnly: Bool = false) -> (UInt32, String) {
        switch below(forwardOnly ? 2 : 3) {
        case 0: return (DiffLayout.thumbLandingNext(index), "next")
        case 1: return (DiffLayout.thumbLandingFwd(index), "fwd")
        default: return (DiffLayout.thumbLandingBack(index), "back")
        }
    }
    /// A value that interworks to a landing: a Thumb landing | 1 or the ARM landing.
    mutating func interworkTarget(_ index: Int) -> (UInt32, String) {
        if chance(4) { return (DiffLayout.thumbLandingARM(index), "ARM landing") }
        let (t, n) = thumbLanding(index)
        return (t | 1, "Thumb \(n) landing")
    }

    static func hw32(_ hw1: UInt32, _ hw2: UInt32) -> UInt32 { hw1 << 16 | hw2 }

    // MARK: Cases

    mutating func pickClass() -> DiffThumbClass {
        let total = DiffThumbClass.allCases.reduce(0) { $0 + $1.weight }
        var k = below(total)
        for cl in DiffThumbClass.allCases {
            if k < cl.weight { return cl }
            k -= cl.weight
        }
        return .t16DataProc
    }

    mutating func next(index: Int) -> DiffCase { generate(pickClass(), index: index) }

    mutating func generate(_ cls: DiffThumbClass, index: Int) -> DiffCase {
        while true {
            var cs = DiffCase(cls: cls.rawValue, insn: 0, desc: "", regs: (0..<15).map { _ in 0 }, psr: g.psr(),
                              template: below(DiffLayout.templateCount), patches: [])
            for i in 0..<15 { cs.regs[i] = value() }
            var ctx = Ctx(index: index)
            var seq: [ThumbInsn] = []
            var main = 0
            switch cls {
            case .itBlock:
                guard let s = itBlock(&ctx, &cs) else { continue }
                seq = s.0; main = s.1
            case .bigEndian:
                seq.append(ThumbInsn(enc: 0xB658, text: "SETEND BE"))
                ctx.offset = 2
                let inner: DiffThumbClass = [.t16LoadStore, .t32LoadStore, .t32LoadStoreDual, .t16LdmStm, .t32LdmStm,
                                             .t16PushPop, .t32Exclusive][below(7)]
                guard let i = single(inner, &ctx, &cs) else { continue }
                seq.append(i); main = 1
            case .t32Exclusive where chance(2):
                guard let p = exclusivePair(&ctx, &cs) else { continue }
                seq = p
            case .tableBranch where chance(3):
                guard let p = inlineTable(&ctx, &cs) else { continue }
                seq = p
            default:
                guard let i = single(cls, &ctx, &cs) else { continue }
                seq = [i]
            }
            cs.thumb = seq.map(\.enc)
            cs.insn = seq[main].enc
            cs.desc = seq.map(\.text).joined(separator: "; ")
            cs.patches = ctx.patches
            return cs
        }
    }

    static func itText(_ firstcond: UInt32, _ mask: UInt32) -> (String, Int) {
        let count = 4 - mask.trailingZeroBitCount
        var s = "IT"
        for j in 1..<max(count, 1) where count > 1 {
            s += (mask >> UInt32(4 - j)) & 1 == firstcond & 1 ? "T" : "E"
        }
        return (s + " " + (firstcond == 14 ? "AL" : DiffGenerator.condNames[Int(firstcond)]), count)
    }

    mutating func itBlock(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ([ThumbInsn], Int)? {
        let firstcond = chance(15) ? 14 : u(14)
        var mask: UInt32
        if firstcond == 14 {
            mask = [8, 4, 2, 1][below(4)]
        } else {
            mask = u(15) + 1
        }
        let (text, count) = DiffThumbGenerator.itText(firstcond, mask)
        var seq = [ThumbInsn(enc: 0xBF00 | firstcond << 4 | mask, text: text)]
        ctx.offset = 2
        ctx.inIT = true
        for j in 0..<count {
            ctx.cond = j == 0 ? firstcond : (firstcond & 0xE) | ((mask >> UInt32(4 - j)) & 1)
            ctx.last = j == count - 1
            var insn: ThumbInsn?
            for _ in 0..<20 {
                var cls = DiffThumbClass.inIT[below(DiffThumbClass.inIT.count)]
                // Control flow only last (and then often).
                if ctx.last && chance(4) { cls = [.branch, .loadPC, .tableBranch][below(3)] }
                if !ctx.last && [.branch, .loadPC, .tableBranch].contains(cls) { continue }
                var c2 = ctx, cs2 = cs
                if let i = single(cls, &c2, &cs2) { insn = i; ctx = c2; cs = cs2; break }
            }
            guard let i = insn else { return nil }
            seq.append(i)
            ctx.offset += i.enc > 0xFFFF ? 4 : 2
        }
        return (seq, 1 + below(count))
    }

    /// One instruction of `cls` at ctx.offset (nil: the class cannot be
    /// generated in this context; the caller picks again).
    mutating func single(_ cls: DiffThumbClass, _ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        var out: ThumbInsn?
        switch cls {
        case .t16ShiftAddSubMovCmp: out = t16ShiftAddSubMovCmp(&ctx, &cs)
        case .t16DataProc: out = t16DataProc(&ctx, &cs)
        case .t16HighReg: out = t16HighReg(&ctx, &cs)
        case .t16LoadStore: out = t16LoadStore(&ctx, &cs)
        case .t16AdrSP: out = t16AdrSP(&ctx, &cs)
        case .t16PushPop: out = t16PushPop(&ctx, &cs)
        case .t16LdmStm: out = t16LdmStm(&ctx, &cs)
        case .t16ExtendRev: out = t16ExtendRev(&ctx, &cs)
        case .t32ModImm: out = t32ModImm(&ctx, &cs)
        case .t32PlainImm: out = t32PlainImm(&ctx, &cs)
        case .t32SatBitfield: out = t32SatBitfield(&ctx, &cs)
        case .t32ShiftedReg: out = t32ShiftedReg(&ctx, &cs)
        case .t32RegShift: out = t32RegShift(&ctx, &cs)
        case .t32Extend: out = t32Extend(&ctx, &cs)
        case .t32Parallel: out = t32Parallel(&ctx, &cs)
        case .t32Misc: out = t32Misc(&ctx, &cs)
        case .t32Multiply: out = t32Multiply(&ctx, &cs)
        case .t32MultiplyLong: out = t32MultiplyLong(&ctx, &cs)
        case .t32Divide: out = t32Divide(&ctx, &cs)
        case .t32Status: out = t32Status(&ctx, &cs)
        case .t32LoadStore: out = t32LoadStore(&ctx, &cs)
        case .t32LoadStoreDual: out = t32LoadStoreDual(&ctx, &cs)
        case .t32Exclusive: out = t32Exclusive(&ctx, &cs)
        case .t32LdmStm: out = t32LdmStm(&ctx, &cs)
        case .branch: out = branch(&ctx, &cs)
        case .tableBranch: out = tableBranch(&ctx, &cs)
        case .loadPC: out = loadPC(&ctx, &cs)
        case .hint: out = hint(&ctx, &cs)
        case .fault: out = fault(&ctx, &cs)
        case .bigEndian, .itBlock: out = nil
        }
        return out
    }

    // MARK: 16-bit data processing

    static let dp16Names = ["AND", "EOR", "LSL", "LSR", "ASR", "ADC", "SBC", "ROR",
                            "TST", "RSB", "CMP", "CMN", "ORR", "MUL", "BIC", "MVN"]

    mutating func t16ShiftAddSubMovCmp(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = lo(), rn = lo(), rm = lo()
        let c = ctx.c, s = ctx.s
        switch below(7) {
        case 0, 1:
            let op = u(3)
            var imm5 = chance(5) ? UInt32([0, 1, 31][below(3)]) : u(32)
            // MOVS Rd, Rm (LSL #0) is UNPREDICTABLE inside IT.
            if ctx.inIT && op == 0 && imm5 == 0 { imm5 = 1 + u(31) }
            ctx.written.insert(rd)
            let enc = op << 11 | imm5 << 6 | UInt32(rm) << 3 | UInt32(rd)
            if op == 0 && imm5 == 0 { return ThumbInsn(enc: enc, text: "MOVS \(r(rd)), \(r(rm))") }
            let n = op != 0 && imm5 == 0 ? 32 : imm5
            return ThumbInsn(enc: enc, text: "\(["LSL", "LSR", "ASR"][Int(op)])\(s)\(c) \(r(rd)), \(r(rm)), #\(n)")
        case 2:
            let sub = bit()
            ctx.written.insert(rd)
            return ThumbInsn(enc: 0x1800 | sub << 9 | UInt32(rm) << 6 | UInt32(rn) << 3 | UInt32(rd),
                             text: "\(sub == 1 ? "SUB" : "ADD")\(s)\(c) \(r(rd)), \(r(rn)), \(r(rm))")
        case 3:
            let sub = bit(), imm3 = u(8)
            ctx.written.insert(rd)
            return ThumbInsn(enc: 0x1C00 | sub << 9 | imm3 << 6 | UInt32(rn) << 3 | UInt32(rd),
                             text: "\(sub == 1 ? "SUB" : "ADD")\(s)\(c) \(r(rd)), \(r(rn)), #\(imm3)")
        case 4:
            let imm8 = chance(4) ? UInt32([0, 0x80, 0xFF][below(3)]) : u(256)
            ctx.written.insert(rd)
            return ThumbInsn(enc: 0x2000 | UInt32(rd) << 8 | imm8, text: "MOV\(s)\(c) \(r(rd)), #\(imm8)")
        case 5:
            let imm8 = chance(4) ? UInt32([0, 0x80, 0xFF][below(3)]) : u(256)
            return ThumbInsn(enc: 0x2800 | UInt32(rn) << 8 | imm8, text: "CMP\(c) \(r(rn)), #\(imm8)")
        default:
            let sub = bit(), imm8 = u(256)
            ctx.written.insert(rd)
            return ThumbInsn(enc: 0x3000 | sub << 11 | UInt32(rd) << 8 | imm8,
                             text: "\(sub == 1 ? "SUB" : "ADD")\(s)\(c) \(r(rd)), #\(imm8)")
        }
    }

    mutating func t16DataProc(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let op = u(16)
        let rdn = lo(), rm = lo()
        let name = DiffThumbGenerator.dp16Names[Int(op)]
        if [2, 3, 4, 7].contains(op) && rm != rdn { prefer(rm, g.shiftAmountValue(), &ctx, &cs) }
        let enc = 0x4000 | op << 6 | UInt32(rm) << 3 | UInt32(rdn)
        switch op {
        case 8, 10, 11:
            return ThumbInsn(enc: enc, text: "\(name)\(ctx.c) \(r(rdn)), \(r(rm))")
        case 9:
            ctx.written.insert(rdn)
            return ThumbInsn(enc: enc, text: "RSB\(ctx.s)\(ctx.c) \(r(rdn)), \(r(rm)), #0 (NEG)")
        case 13:
            ctx.written.insert(rdn)
            return ThumbInsn(enc: enc, text: "MUL\(ctx.s)\(ctx.c) \(r(rdn)), \(r(rm)), \(r(rdn))")
        default:
            ctx.written.insert(rdn)
            return ThumbInsn(enc: enc, text: "\(name)\(ctx.s)\(ctx.c) \(r(rdn)), \(r(rm))")
        }
    }

    /// ADD/CMP/MOV with high registers (not writing the PC: see `branch`).
    mutating func t16HighReg(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        switch below(3) {
        case 0:   // ADD Rdn, Rm (T2); Rm may be PC (reads the address + 4)
            let d = below(15), m = chance(10) && d != 13 ? 15 : below(15)
            ctx.written.insert(d)
            return ThumbInsn(enc: 0x4400 | UInt32(d >> 3) << 7 | UInt32(m) << 3 | UInt32(d & 7),
                             text: "ADD\(ctx.c) \(r(d)), \(r(m))")
        case 1:   // CMP Rn, Rm (T2): not both low, neither PC
            var n = below(15), m = below(15)
            while n < 8 && m < 8 { n = below(15); m = below(15) }
            return ThumbInsn(enc: 0x4500 | UInt32(n >> 3) << 7 | UInt32(m) << 3 | UInt32(n & 7),
                             text: "CMP\(ctx.c) \(r(n)), \(r(m))")
        default:  // MOV Rd, Rm (T1)
            var d = below(15), m = chance(10) ? 15 : below(15)
            if d == 13 && (m == 13 || m == 15) { d = 0 }   // MOV sp, sp / MOV sp, pc: left out
            ctx.written.insert(d)
            return ThumbInsn(enc: 0x4600 | UInt32(d >> 3) << 7 | UInt32(m) << 3 | UInt32(d & 7),
                             text: "MOV\(ctx.c) \(r(d)), \(r(m))")
        }
    }

    mutating func t16ExtendRev(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = lo(), rm = lo()
        ctx.written.insert(rd)
        if bool() {
            let op = u(4)
            return ThumbInsn(enc: 0xB200 | op << 6 | UInt32(rm) << 3 | UInt32(rd),
                             text: "\(["SXTH", "SXTB", "UXTH", "UXTB"][Int(op)])\(ctx.c) \(r(rd)), \(r(rm))")
        }
        let op = [0, 1, 3][below(3)]
        return ThumbInsn(enc: 0xBA00 | UInt32(op) << 6 | UInt32(rm) << 3 | UInt32(rd),
                         text: "\(["REV", "REV16", "", "REVSH"][op])\(ctx.c) \(r(rd)), \(r(rm))")
    }

    mutating func t16AdrSP(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = lo(), imm8 = u(256)
        switch below(4) {
        case 0:
            ctx.written.insert(rd)
            let t = (ctx.address + 4) & ~3 &+ imm8 * 4
            return ThumbInsn(enc: 0xA000 | UInt32(rd) << 8 | imm8, text: "ADR\(ctx.c) \(r(rd)), #\(imm8 * 4) (= \(DiffText.hex(t)))")
        case 1:
            ctx.written.insert(rd)
            return ThumbInsn(enc: 0xA800 | UInt32(rd) << 8 | imm8, text: "ADD\(ctx.c) \(r(rd)), sp, #\(imm8 * 4)")
        default:
            let sub = bit(), imm7 = u(128)
            ctx.written.insert(13)
            return ThumbInsn(enc: 0xB000 | sub << 7 | imm7, text: "\(sub == 1 ? "SUB" : "ADD")\(ctx.c) sp, sp, #\(imm7 * 4)")
        }
    }

    // MARK: 16-bit loads and stores

    mutating func t16LoadStore(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rt = lo()
        switch below(8) {
        case 0, 1, 2:   // register offset
            let opB = u(8)
            let size = [4, 2, 1, 1, 4, 2, 1, 2][Int(opB)]
            let names = ["STR", "STRH", "STRB", "LDRSB", "LDR", "LDRH", "LDRB", "LDRSH"]
            let addr = g.scratchAddress(size: size, align: chance(4) ? 1 : size)
            let off = UInt32(bitPattern: Int32(below(64)) - (bool() ? 0 : 32))
            guard let rm = pin(DiffThumbGenerator.loRegs, off, &ctx, &cs),
                  let rn = pin(DiffThumbGenerator.loRegs, addr &- off, &ctx, &cs) else { return nil }
            if opB >= 3 { ctx.written.insert(rt) } else { ctx.stored = true }
            return ThumbInsn(enc: 0x5000 | opB << 9 | UInt32(rm) << 6 | UInt32(rn) << 3 | UInt32(rt),
                             text: "\(names[Int(opB)])\(ctx.c) \(r(rt)), [\(r(rn)), \(r(rm))]")
        case 3, 4, 5:   // immediate offset: word, byte, halfword
            let kind = below(3), load = bit()
            let size = [4, 1, 2][kind]
            let imm5 = chance(5) ? 0 : u(32)
            let off = imm5 * UInt32(size)
            let addr = g.scratchAddress(size: size, align: chance(4) ? 1 : size)
            guard let rn = pin(DiffThumbGenerator.loRegs, addr &- off, &ctx, &cs) else { return nil }
            if load == 1 { ctx.written.insert(rt) } else { ctx.stored = true }
            let base: UInt32 = [0x6000, 0x7000, 0x8000][kind]
            let name = (load == 1 ? "LDR" : "STR") + ["", "B", "H"][kind]
            return ThumbInsn(enc: base | load << 11 | imm5 << 6 | UInt32(rn) << 3 | UInt32(rt),
                             text: "\(name)\(ctx.c) \(r(rt)), [\(r(rn)), #\(off)]")
        case 6:   // SP-relative
            let load = bit(), imm8 = chance(4) ? u(8) : u(256)
            let addr = g.scratchAddress(size: 4, align: chance(4) ? 1 : 4)
            guard pin([13], addr &- imm8 * 4, &ctx, &cs) != nil else { return nil }
            if load == 1 { ctx.written.insert(rt) } else { ctx.stored = true }
            return ThumbInsn(enc: 0x9000 | load << 11 | UInt32(rt) << 8 | imm8,
                             text: "\(load == 1 ? "LDR" : "STR")\(ctx.c) \(r(rt)), [sp, #\(imm8 * 4)]")
        default:  // literal: Align(PC, 4) + imm8 * 4, inside the block
            let base = (ctx.address + 4) & ~3
            let maxWords = (ctx.block + 252 - base) / 4
            let imm8 = u(Int(maxWords))
            ctx.written.insert(rt)
            return ThumbInsn(enc: 0x4800 | UInt32(rt) << 8 | imm8,
                             text: "LDR\(ctx.c) \(r(rt)), [pc, #\(imm8 * 4)] (\(DiffText.hex(base + imm8 * 4)))")
        }
    }

    mutating func t16PushPop(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        guard pin([13], g.blockBase(), &ctx, &cs) != nil else { return nil }
        var list = chance(3) ? UInt32(1) << u(8) : u(256)
        let extra = bit()
        if list == 0 && extra == 0 { list = 1 << u(8) }
        ctx.written.insert(13)
        if bool() {
            ctx.stored = true
            let names = DiffGenerator.listText(list | extra << 14)
            return ThumbInsn(enc: 0xB400 | extra << 8 | list, text: "PUSH\(ctx.c) \(names)")
        }
        if list == 0 { list = 1 << u(8) }
        for k in 0..<8 where list & (1 << UInt32(k)) != 0 { ctx.written.insert(k) }
        return ThumbInsn(enc: 0xBC00 | list, text: "POP\(ctx.c) \(DiffGenerator.listText(list))")
    }

    mutating func t16LdmStm(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        guard let rn = pin(DiffThumbGenerator.loRegs, g.blockBase(), &ctx, &cs) else { return nil }
        var list = chance(3) ? UInt32(1) << u(8) : u(256)
        let bitN = UInt32(1) << UInt32(rn)
        if bool() {
            // STMIA Rn!: Rn in the list must be its lowest register.
            if list & bitN != 0 && list & (bitN - 1) != 0 { list &= ~bitN }
            if list == 0 { list = 1 << UInt32(lo(excluding: [rn])) }
            ctx.written.insert(rn)
            ctx.stored = true
            return ThumbInsn(enc: 0xC000 | UInt32(rn) << 8 | list, text: "STM\(ctx.c) \(r(rn))!, \(DiffGenerator.listText(list))")
        }
        if list == 0 { list = 1 << u(8) }
        for k in 0..<8 where list & (1 << UInt32(k)) != 0 { ctx.written.insert(k) }
        let wb = list & bitN == 0
        if wb { ctx.written.insert(rn) }
        return ThumbInsn(enc: 0xC800 | UInt32(rn) << 8 | list,
                         text: "LDM\(ctx.c) \(r(rn))\(wb ? "!" : ""), \(DiffGenerator.listText(list))")
    }

    // MARK: 32-bit data processing

    /// A ThumbExpandImm operand: (i, imm3, imm8, value).
    mutating func thumbImm() -> (UInt32, UInt32, UInt32, UInt32) {
        if chance(2) {
            let type = u(4)
            var imm8 = chance(4) ? UInt32([0x80, 0xFF, 0x7F, 1][below(4)]) : u(256)
            if type != 0 && imm8 == 0 { imm8 = 1 + u(255) }   // UNPREDICTABLE with 0
            let v: UInt32 = [imm8, imm8 << 16 | imm8, imm8 << 24 | imm8 << 8, imm8 * 0x0101_0101][Int(type)]
            return (0, type, imm8, v)
        }
        let rot = 8 + u(24), low7 = u(128)
        let imm12 = rot << 7 | low7
        return (imm12 >> 11, (imm12 >> 8) & 7, imm12 & 0xFF, ror32(0x80 | low7, rot))
    }

    static let dp32Names: [UInt32: String] = [0: "AND", 1: "BIC", 2: "ORR", 3: "ORN", 4: "EOR", 8: "ADD", 10: "ADC",
                                              11: "SBC", 13: "SUB", 14: "RSB", 6: "PKH"]
    static let dp32Ops: [UInt32] = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14]

    mutating func t32ModImm(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let (i, imm3, imm8, v) = thumbImm()
        var op = DiffThumbGenerator.dp32Ops[below(10)]
        var s = bit()
        var rd = good(), rn = good()
        var text: String
        let form = below(8)
        if form == 0 && [0, 4, 8, 13].contains(op) {          // TST TEQ CMN CMP
            rd = 15; s = 1
            text = "\(["TST", "", "", "", "TEQ", "", "", "", "CMN", "", "", "", "", "CMP"][Int(op)])\(ctx.c) \(r(rn)), #\(h(v))"
        } else if form == 1 {                                  // MOV MVN
            op = bool() ? 2 : 3; rn = 15
            ctx.written.insert(rd)
            text = "\(op == 2 ? "MOV" : "MVN")\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), #\(h(v))"
        } else if form == 2 && (op == 8 || op == 13) {        // ADD/SUB with SP
            rn = 13
            if chance(2) { rd = 13 }
            ctx.written.insert(rd)
            text = "\(DiffThumbGenerator.dp32Names[op]!)\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), sp, #\(h(v))"
        } else {
            ctx.written.insert(rd)
            text = "\(DiffThumbGenerator.dp32Names[op]!)\(s == 1 ? "S" : "")\(ctx.c) \(r(rd)), \(r(rn)), #\(h(v))"
        }
        text += " (i:imm3:imm8=\(h(i << 11 | imm3 << 8 | imm8)))"
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF000 | i << 10 | op << 5 | s << 4 | UInt32(rn),
                                                      imm3 << 12 | UInt32(rd) << 8 | imm8), text: text)
    }

    mutating func t32PlainImm(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good()
        ctx.written.insert(rd)
        let imm12 = chance(4) ? UInt32([0, 1, 0xFFF, 0x800, 0x7FF][below(5)]) : u(4096)
        let i = imm12 >> 11, imm3 = (imm12 >> 8) & 7, imm8 = imm12 & 0xFF
        switch below(4) {
        case 0, 1:   // ADDW / SUBW, Rn = PC: ADR.W, Rn = SP
            let sub = bit()
            let rn = chance(5) ? 15 : chance(6) ? 13 : good()
            let hw1: UInt32 = (sub == 1 ? 0xF2A0 : 0xF200) | i << 10 | UInt32(rn)
            let text = rn == 15
                ? "ADR\(ctx.c).W \(r(rd)), #\(sub == 1 ? "-" : "")\(imm12)"
                : "\(sub == 1 ? "SUBW" : "ADDW")\(ctx.c) \(r(rd)), \(r(rn)), #\(imm12)"
            return ThumbInsn(enc: DiffThumbGenerator.hw32(hw1, imm3 << 12 | UInt32(rd) << 8 | imm8), text: text)
        default:     // MOVW / MOVT
            let top = bit(), imm4 = u(16)
            let imm16 = imm4 << 12 | imm12
            return ThumbInsn(enc: DiffThumbGenerator.hw32((top == 1 ? 0xF2C0 : 0xF240) | i << 10 | imm4,
                                                          imm3 << 12 | UInt32(rd) << 8 | imm8),
                             text: "\(top == 1 ? "MOVT" : "MOVW")\(ctx.c) \(r(rd)), #\(h(imm16))")
        }
    }

    mutating func t32SatBitfield(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rn = good()
        ctx.written.insert(rd)
        switch below(6) {
        case 0, 1:   // SSAT / USAT with a shift
            let unsigned = bit(), sh = bit()
            var imm5 = u(32)
            if sh == 1 && imm5 == 0 { imm5 = 1 + u(31) }
            let satImm = u(32)
            let hw1: UInt32 = (unsigned == 1 ? 0xF380 : 0xF300) | sh << 5 | UInt32(rn)
            let hw2 = (imm5 >> 2) << 12 | UInt32(rd) << 8 | (imm5 & 3) << 6 | satImm
            let sat = unsigned == 1 ? satImm : satImm + 1
            let sht = imm5 == 0 ? "" : ", \(sh == 1 ? "ASR" : "LSL") #\(imm5)"
            return ThumbInsn(enc: DiffThumbGenerator.hw32(hw1, hw2),
                             text: "\(unsigned == 1 ? "USAT" : "SSAT")\(ctx.c) \(r(rd)), #\(sat), \(r(rn))\(sht)")
        case 2:      // SSAT16 / USAT16
            let unsigned = bit(), satImm = u(16)
            let sat = unsigned == 1 ? satImm : satImm + 1
            return ThumbInsn(enc: DiffThumbGenerator.hw32((unsigned == 1 ? 0xF3A0 : 0xF320) | UInt32(rn),
                                                          UInt32(rd) << 8 | satImm),
                             text: "\(unsigned == 1 ? "USAT16" : "SSAT16")\(ctx.c) \(r(rd)), #\(sat), \(r(rn))")
        case 3, 4:   // SBFX / UBFX
            let unsigned = bit()
            let lsb = u(32), widthm1 = u(32 - Int(lsb))
            return ThumbInsn(enc: DiffThumbGenerator.hw32((unsigned == 1 ? 0xF3C0 : 0xF340) | UInt32(rn),
                                                          (lsb >> 2) << 12 | UInt32(rd) << 8 | (lsb & 3) << 6 | widthm1),
                             text: "\(unsigned == 1 ? "UBFX" : "SBFX")\(ctx.c) \(r(rd)), \(r(rn)), #\(lsb), #\(widthm1 + 1)")
        default:     // BFI / BFC
            let lsb = u(32), msb = lsb + u(32 - Int(lsb))
            let clear = chance(3)
            let n = clear ? 15 : rn
            let text = clear ? "BFC\(ctx.c) \(r(rd)), #\(lsb), #\(msb - lsb + 1)"
                : "BFI\(ctx.c) \(r(rd)), \(r(rn)), #\(lsb), #\(msb - lsb + 1)"
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF360 | UInt32(n),
                                                          (lsb >> 2) << 12 | UInt32(rd) << 8 | (lsb & 3) << 6 | msb),
                             text: text)
        }
    }

    mutating func t32ShiftedReg(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        var op = DiffThumbGenerator.dp32Ops[below(10)]
        var s = bit()
        var rd = good(), rn = good()
        let rm = good()
        var type = u(4)
        var imm5 = chance(4) ? UInt32([0, 1, 31][below(3)]) : u(32)
        var text: String
        let form = below(9)
        if form == 0 && [0, 4, 8, 13].contains(op) {
            rd = 15; s = 1
            text = "\(["TST", "", "", "", "TEQ", "", "", "", "CMN", "", "", "", "", "CMP"][Int(op)])\(ctx.c).W \(r(rn)), \(r(rm))"
        } else if form == 1 || form == 2 {                     // MOV / MVN (and the shift-by-immediate aliases)
            op = form == 1 ? 2 : 3; rn = 15
            ctx.written.insert(rd)
            text = "\(op == 2 ? "MOV" : "MVN")\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), \(r(rm))"
        } else if form == 4 && (op == 8 || op == 13) {        // ADD/SUB (SP plus/minus register)
            rn = 13
            if chance(3) { rd = 13; type = 0; imm5 = u(4); s = 0 }   // Rd = SP: LSL #0-3 only
            ctx.written.insert(rd)
            text = "\(DiffThumbGenerator.dp32Names[op]!)\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), sp, \(r(rm))"
        } else if form == 3 {                                  // PKHBT / PKHTB
            op = 6; s = 0
            type = bit() << 1                                  // tb: LSL or ASR
            ctx.written.insert(rd)
            text = "\(type == 2 ? "PKHTB" : "PKHBT")\(ctx.c) \(r(rd)), \(r(rn)), \(r(rm))"
        } else {
            ctx.written.insert(rd)
            text = "\(DiffThumbGenerator.dp32Names[op]!)\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), \(r(rn)), \(r(rm))"
        }
        if op == 6 && type == 0 && imm5 == 0 { imm5 = u(32) }
        text += DiffGenerator.shiftText(type, imm5)
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xEA00 | op << 5 | s << 4 | UInt32(rn),
                                                      (imm5 >> 2) << 12 | UInt32(rd) << 8 | (imm5 & 3) << 6 | type << 4 | UInt32(rm)),
                         text: text)
    }

    mutating func t32RegShift(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rn = good(), rm = good()
        let type = u(4), s = bit()
        if rm != rn { prefer(rm, g.shiftAmountValue(), &ctx, &cs) }
        ctx.written.insert(rd)
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFA00 | type << 5 | s << 4 | UInt32(rn), 0xF000 | UInt32(rd) << 8 | UInt32(rm)),
                         text: "\(DiffGenerator.shiftNames[Int(type)])\(s == 1 ? "S" : "")\(ctx.c).W \(r(rd)), \(r(rn)), \(r(rm))")
    }

    mutating func t32Extend(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rm = good()
        let op = u(6), rot = u(4)
        let acc = bool()
        let rn = acc ? good() : 15
        ctx.written.insert(rd)
        let base = ["SXTH", "UXTH", "SXTB16", "UXTB16", "SXTB", "UXTB"][Int(op)]
        let name = acc ? base.prefix(3) + "A" + base.dropFirst(3) : Substring(base)
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFA00 | op << 4 | UInt32(rn), 0xF080 | UInt32(rd) << 8 | rot << 4 | UInt32(rm)),
                         text: "\(name)\(ctx.c)\(acc ? "" : ".W") \(r(rd)), \(acc ? r(rn) + ", " : "")\(r(rm))\(rot == 0 ? "" : ", ROR #\(rot * 8)")")
    }

    mutating func t32Parallel(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rn = good(), rm = good()
        let op1 = [0, 1, 2, 4, 5, 6][below(6)]
        let uns = bit(), op2 = u(3)
        ctx.written.insert(rd)
        let prefix = (uns == 1 ? ["U", "UQ", "UH"] : ["S", "Q", "SH"])[Int(op2)]
        let op = ["ADD8", "ADD16", "ASX", "", "SUB8", "SUB16", "SAX"][op1]
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFA80 | UInt32(op1) << 4 | UInt32(rn),
                                                      0xF000 | UInt32(rd) << 8 | uns << 6 | op2 << 4 | UInt32(rm)),
                         text: "\(prefix)\(op)\(ctx.c) \(r(rd)), \(r(rn)), \(r(rm))")
    }

    mutating func t32Misc(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rm = good()
        var rn = good()
        ctx.written.insert(rd)
        let op1 = u(4)
        var op2 = u(4)
        var text: String
        switch op1 {
        case 0:
            text = "\(["QADD", "QDADD", "QSUB", "QDSUB"][Int(op2)])\(ctx.c) \(r(rd)), \(r(rm)), \(r(rn))"
        case 1:
            rn = rm
            text = "\(["REV", "REV16", "RBIT", "REVSH"][Int(op2)])\(ctx.c).W \(r(rd)), \(r(rm))"
        case 2:
            op2 = 0
            text = "SEL\(ctx.c) \(r(rd)), \(r(rn)), \(r(rm))"
        default:
            op2 = 0; rn = rm
            text = "CLZ\(ctx.c) \(r(rd)), \(r(rm))"
        }
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFA80 | op1 << 4 | UInt32(rn), 0xF080 | UInt32(rd) << 8 | op2 << 4 | UInt32(rm)),
                         text: text)
    }

    mutating func t32Multiply(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rn = good(), rm = good()
        var ra = good()
        ctx.written.insert(rd)
        let op1 = u(8)
        var op2: UInt32 = 0
        let acc = op1 == 6 || bool()
        if !acc { ra = 15 }
        let ops = "\(r(rd)), \(r(rn)), \(r(rm))" + (acc ? ", \(r(ra))" : "")
        var text: String
        switch op1 {
        case 0:
            if acc && bool() { op2 = 1; text = "MLS\(ctx.c) \(ops)" } else { text = "\(acc ? "MLA" : "MUL")\(ctx.c)\(acc ? "" : ".W") \(ops)" }
        case 1:
            op2 = u(4)
            let xy = (op2 & 2 != 0 ? "T" : "B") + (op2 & 1 != 0 ? "T" : "B")
            text = "\(acc ? "SMLA" : "SMUL")\(xy)\(ctx.c) \(ops)"
        case 2, 4:
            op2 = bit()
            text = "\(acc ? "SML" : "SMU")\(op1 == 2 ? "A" : "S")D\(op2 == 1 ? "X" : "")\(ctx.c) \(ops)"
        case 3:
            op2 = bit()
            text = "\(acc ? "SMLAW" : "SMULW")\(op2 == 1 ? "T" : "B")\(ctx.c) \(ops)"
        case 5, 6:
            op2 = bit()
            text = "\(op1 == 6 ? "SMMLS" : acc ? "SMMLA" : "SMMUL")\(op2 == 1 ? "R" : "")\(ctx.c) \(ops)"
        default:
            text = "\(acc ? "USADA8" : "USAD8")\(ctx.c) \(ops)"
        }
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFB00 | op1 << 4 | UInt32(rn),
                                                      UInt32(ra) << 12 | UInt32(rd) << 8 | op2 << 4 | UInt32(rm)),
                         text: text)
    }

    mutating func t32MultiplyLong(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let hi = good(), lo = good(excluding: [hi]), rn = good(), rm = good()
        ctx.written.insert(hi); ctx.written.insert(lo)
        let kinds: [(UInt32, UInt32, String)] = [(0, 0, "SMULL"), (2, 0, "UMULL"), (4, 0, "SMLAL"), (6, 0, "UMLAL"),
                                                 (6, 6, "UMAAL"), (4, 8, "SMLALBB"), (4, 9, "SMLALBT"), (4, 10, "SMLALTB"),
                                                 (4, 11, "SMLALTT"), (4, 12, "SMLALD"), (4, 13, "SMLALDX"),
                                                 (5, 12, "SMLSLD"), (5, 13, "SMLSLDX")]
        let k = kinds[below(kinds.count)]
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFB80 | k.0 << 4 | UInt32(rn),
                                                      UInt32(lo) << 12 | UInt32(hi) << 8 | k.1 << 4 | UInt32(rm)),
                         text: "\(k.2)\(ctx.c) \(r(lo)), \(r(hi)), \(r(rn)), \(r(rm))")
    }

    mutating func t32Divide(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rd = good(), rn = good(), rm = good()
        if chance(4) && rm != rn { prefer(rm, [0, 1, 0xFFFF_FFFF][below(3)], &ctx, &cs) }
        ctx.written.insert(rd)
        let uns = bit()
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFB90 | uns << 5 | UInt32(rn), 0xF0F0 | UInt32(rd) << 8 | UInt32(rm)),
                         text: "\(uns == 1 ? "UDIV" : "SDIV")\(ctx.c) \(r(rd)), \(r(rn)), \(r(rm))")
    }

    mutating func t32Status(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        if chance(4) {   // the User-accessible CP15 thread ID registers (MCR only to TPIDRURW)
            let rt = good()
            if chance(3) {
                return ThumbInsn(enc: DiffThumbGenerator.hw32(0xEE0D, UInt32(rt) << 12 | 0x0F50),
                                 text: "MCR\(ctx.c) p15, 0, \(r(rt)), c13, c0, 2 (TPIDRURW)")
            }
            let opc2 = 2 + u(2)
            ctx.written.insert(rt)
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xEE1D, UInt32(rt) << 12 | 0x0F10 | opc2 << 5),
                             text: "MRC\(ctx.c) p15, 0, \(r(rt)), c13, c0, \(opc2) (\(opc2 == 2 ? "TPIDRURW" : "TPIDRURO"))")
        }
        if bool() {
            let rd = good()
            ctx.written.insert(rd)
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF3EF, 0x8000 | UInt32(rd) << 8), text: "MRS\(ctx.c) \(r(rd)), APSR")
        }
        let rn = good(), mask = 1 + u(3)
        let names = ["", "g", "nzcvq", "nzcvqg"]
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF380 | UInt32(rn), 0x8000 | mask << 10),
                         text: "MSR\(ctx.c) APSR_\(names[Int(mask)]), \(r(rn))")
    }

    // MARK: 32-bit loads and stores

    /// (size field, signed, load, name, bytes)
    static let lsKinds: [(UInt32, UInt32, UInt32, String, Int)] = [
        (2, 0, 0, "STR", 4), (0, 0, 0, "STRB", 1), (1, 0, 0, "STRH", 2),
        (2, 0, 1, "LDR", 4), (0, 0, 1, "LDRB", 1), (1, 0, 1, "LDRH", 2), (0, 1, 1, "LDRSB", 1), (1, 1, 1, "LDRSH", 2),
    ]

    mutating func t32LoadStore(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let k = DiffThumbGenerator.lsKinds[below(8)]
        let load = k.2 == 1
        let rt = good()
        let addr = g.scratchAddress(size: k.4, align: chance(4) ? 1 : k.4)
        let hw1base: UInt32 = 0xF800 | k.1 << 8 | k.0 << 5 | k.2 << 4
        let c = ctx.c
        var enc: UInt32, text: String
        switch below(load ? 6 : 5) {
        case 0:   // imm12
            let imm12 = chance(4) ? u(64) : u(4096)
            guard let rn = pin(DiffThumbGenerator.goodOrSP, addr &- imm12, &ctx, &cs) else { return nil }
            enc = DiffThumbGenerator.hw32(hw1base | 0x80 | UInt32(rn), UInt32(rt) << 12 | imm12)
            text = "\(k.3)\(c).W \(r(rt)), [\(r(rn)), #\(imm12)]"
        case 1, 2:   // imm8: negative offset, pre-indexed, post-indexed
            let mode = below(3), up = mode == 0 ? 0 : bit()
            let imm8 = chance(6) ? 0 : u(256)
            let p: UInt32 = mode == 2 ? 0 : 1, w: UInt32 = mode == 0 ? 0 : 1
            let base = mode == 2 ? addr : (up == 1 ? addr &- imm8 : addr &+ imm8)
            let cand = DiffThumbGenerator.goodOrSP.filter { w == 0 || $0 != rt }
            guard let rn = pin(cand, base, &ctx, &cs) else { return nil }
            if w == 1 { ctx.written.insert(rn) }
            enc = DiffThumbGenerator.hw32(hw1base | UInt32(rn), UInt32(rt) << 12 | 0x800 | p << 10 | up << 9 | w << 8 | imm8)
            let o = "#\(up == 1 ? "" : "-")\(imm8)"
            text = "\(k.3)\(c) \(r(rt)), " + (mode == 0 ? "[\(r(rn)), \(o)]" : mode == 1 ? "[\(r(rn)), \(o)]!" : "[\(r(rn))], \(o)")
        case 3:   // unprivileged (LDRT & co.): P = 1, U = 1, W = 0
            let imm8 = u(256)
            guard let rn = pin(DiffThumbGenerator.goodOrSP, addr &- imm8, &ctx, &cs) else { return nil }
            enc = DiffThumbGenerator.hw32(hw1base | UInt32(rn), UInt32(rt) << 12 | 0xE00 | imm8)
            text = "\(k.3)T\(c) \(r(rt)), [\(r(rn)), #\(imm8)]"
        case 4:   // register, LSL #0-3
            let sh = u(4)
            let idx = u(64) >> sh
            guard let rm = pin(DiffThumbGenerator.goodRegs, idx, &ctx, &cs),
                  let rn = pin(DiffThumbGenerator.goodOrSP, addr &- idx << sh, &ctx, &cs) else { return nil }
            enc = DiffThumbGenerator.hw32(hw1base | UInt32(rn), UInt32(rt) << 12 | sh << 4 | UInt32(rm))
            text = "\(k.3)\(c).W \(r(rt)), [\(r(rn)), \(r(rm))\(sh == 0 ? "" : ", LSL #\(sh)")]"
        default:  // literal (loads): a target inside the block
            let base = (ctx.address + 4) & ~3
            let target = ctx.block + u(252 - k.4)
            let up: UInt32 = target >= base ? 1 : 0
            let imm12 = up == 1 ? target - base : base - target
            enc = DiffThumbGenerator.hw32(0xF80F | k.1 << 8 | up << 7 | k.0 << 5 | 0x10, UInt32(rt) << 12 | imm12)
            text = "\(k.3)\(c).W \(r(rt)), [pc, #\(up == 1 ? "" : "-")\(imm12)] (\(DiffText.hex(target)))"
        }
        if load { ctx.written.insert(rt) } else { ctx.stored = true }
        return ThumbInsn(enc: enc, text: text)
    }

    mutating func t32LoadStoreDual(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let load = bit()
        let rt = good(), rt2 = load == 1 ? good(excluding: [rt]) : good()
        let c = ctx.c, name = load == 1 ? "LDRD" : "STRD"
        var enc: UInt32, text: String
        if load == 1 && chance(8) {   // literal: Align(PC, 4) +/- imm8 * 4 inside the block
            let base = (ctx.address + 4) & ~3
            let target = ctx.block + 4 * u(62)
            let up: UInt32 = target >= base ? 1 : 0
            let imm = up == 1 ? target - base : base - target
            enc = DiffThumbGenerator.hw32(0xE940 | up << 7 | 0x10 | 15, UInt32(rt) << 12 | UInt32(rt2) << 8 | imm / 4)
            text = "\(name)\(c) \(r(rt)), \(r(rt2)), [pc, #\(up == 1 ? "" : "-")\(imm)] (\(DiffText.hex(target)))"
        } else {
            let mode = below(3)   // offset, pre-indexed, post-indexed
            let up = bit(), imm8 = u(64)
            let p: UInt32 = mode == 2 ? 0 : 1, w: UInt32 = mode == 0 ? 0 : 1
            let addr = g.scratchAddress(size: 8, align: 4)
            let base = mode == 2 ? addr : (up == 1 ? addr &- imm8 * 4 : addr &+ imm8 * 4)
            let cand = DiffThumbGenerator.goodOrSP.filter { w == 0 || ($0 != rt && $0 != rt2) }
            guard let rn = pin(cand, base, &ctx, &cs) else { return nil }
            if w == 1 { ctx.written.insert(rn) }
            enc = DiffThumbGenerator.hw32(0xE840 | p << 8 | up << 7 | w << 5 | load << 4 | UInt32(rn),
                                          UInt32(rt) << 12 | UInt32(rt2) << 8 | imm8)
            let o = "#\(up == 1 ? "" : "-")\(imm8 * 4)"
            text = "\(name)\(c) \(r(rt)), \(r(rt2)), " + (mode == 0 ? "[\(r(rn)), \(o)]" : mode == 1 ? "[\(r(rn)), \(o)]!" : "[\(r(rn))], \(o)")
        }
        if load == 1 { ctx.written.insert(rt); ctx.written.insert(rt2) } else { ctx.stored = true }
        return ThumbInsn(enc: enc, text: text)
    }

    /// (size, name suffix)
    static let exKinds: [(Int, String)] = [(4, ""), (1, "B"), (2, "H"), (8, "D")]

    func ldrex(_ size: Int, _ rt: Int, _ rt2: Int, _ rn: Int, _ imm8: UInt32) -> UInt32 {
        switch size {
        case 4: return DiffThumbGenerator.hw32(0xE850 | UInt32(rn), UInt32(rt) << 12 | 0xF00 | imm8)
        case 1: return DiffThumbGenerator.hw32(0xE8D0 | UInt32(rn), UInt32(rt) << 12 | 0xF4F)
        case 2: return DiffThumbGenerator.hw32(0xE8D0 | UInt32(rn), UInt32(rt) << 12 | 0xF5F)
        default: return DiffThumbGenerator.hw32(0xE8D0 | UInt32(rn), UInt32(rt) << 12 | UInt32(rt2) << 8 | 0x7F)
        }
    }
    func strex(_ size: Int, _ rd: Int, _ rt: Int, _ rt2: Int, _ rn: Int, _ imm8: UInt32) -> UInt32 {
        switch size {
        case 4: return DiffThumbGenerator.hw32(0xE840 | UInt32(rn), UInt32(rt) << 12 | UInt32(rd) << 8 | imm8)
        case 1: return DiffThumbGenerator.hw32(0xE8C0 | UInt32(rn), UInt32(rt) << 12 | 0xF40 | UInt32(rd))
        case 2: return DiffThumbGenerator.hw32(0xE8C0 | UInt32(rn), UInt32(rt) << 12 | 0xF50 | UInt32(rd))
        default: return DiffThumbGenerator.hw32(0xE8C0 | UInt32(rn), UInt32(rt) << 12 | UInt32(rt2) << 8 | 0x70 | UInt32(rd))
        }
    }
    func exText(_ load: Bool, _ size: Int, _ rd: Int, _ rt: Int, _ rt2: Int, _ rn: Int, _ imm8: UInt32, _ c: String) -> String {
        let sfx = DiffThumbGenerator.exKinds.first { $0.0 == size }!.1
        let regs = (load ? "" : "\(r(rd)), ") + r(rt) + (size == 8 ? ", \(r(rt2))" : "")
        let addr = size == 4 && imm8 != 0 ? "[\(r(rn)), #\(imm8 * 4)]" : "[\(r(rn))]"
        return "\(load ? "LDREX" : "STREX")\(sfx)\(c) \(regs), \(addr)"
    }

    /// A lone LDREX or STREX (the monitor is open at the start of a case, so a lone STREX fails).
    mutating func t32Exclusive(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let size = DiffThumbGenerator.exKinds[below(4)].0
        let imm8 = size == 4 && bool() ? u(16) : 0
        let addr = g.scratchAddress(size: size, align: size)
        let rt = good(), rt2 = good(excluding: [rt])
        guard let rn = pin(DiffThumbGenerator.goodOrSP, addr &- imm8 * 4, &ctx, &cs) else { return nil }
        if bool() {
            ctx.written.insert(rt)
            if size == 8 { ctx.written.insert(rt2) }
            return ThumbInsn(enc: ldrex(size, rt, rt2, rn, imm8), text: exText(true, size, 0, rt, rt2, rn, imm8, ctx.c))
        }
        let rd = good(excluding: [rn, rt, rt2])
        ctx.written.insert(rd)
        ctx.stored = true
        return ThumbInsn(enc: strex(size, rd, rt, rt2, rn, imm8), text: exText(false, size, rd, rt, rt2, rn, imm8, ctx.c) + " (monitor open)")
    }

    /// LDREX + STREX on one address (outside IT).
    mutating func exclusivePair(_ ctx: inout Ctx, _ cs: inout DiffCase) -> [ThumbInsn]? {
        let size = DiffThumbGenerator.exKinds[below(4)].0
        let imm8 = size == 4 && bool() ? u(16) : 0
        let addr = g.scratchAddress(size: size, align: size)
        guard let rn = pin(DiffThumbGenerator.goodOrSP, addr &- imm8 * 4, &ctx, &cs) else { return nil }
        let lt = good(excluding: [rn]), lt2 = good(excluding: [rn, lt])
        let st = good(), st2 = good(excluding: [st])
        let sd = good(excluding: [rn, st, st2])
        return [ThumbInsn(enc: ldrex(size, lt, lt2, rn, imm8), text: exText(true, size, 0, lt, lt2, rn, imm8, "")),
                ThumbInsn(enc: strex(size, sd, st, st2, rn, imm8), text: exText(false, size, sd, st, st2, rn, imm8, ""))]
    }

    mutating func t32LdmStm(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let load = bit(), db = bit(), w = bit()
        guard let rn = pin(DiffThumbGenerator.goodOrSP, g.blockBase(), &ctx, &cs) else { return nil }
        // Bit 13 (SP) and bit 15 (PC) never; at least two registers; no Rn with writeback.
        var list = (chance(3) ? (UInt32(1) << u(13) | UInt32(1) << u(15)) : g.rng.word()) & 0x5FFF
        if w == 1 { list &= ~(UInt32(1) << UInt32(rn)) }
        while list.nonzeroBitCount < 2 {
            let x = good()
            if !(w == 1 && x == rn) { list |= 1 << UInt32(x) }
        }
        if w == 1 { ctx.written.insert(rn) }
        if load == 1 {
            for k in 0..<15 where list & (1 << UInt32(k)) != 0 { ctx.written.insert(k) }
        } else {
            ctx.stored = true
        }
        let name = (load == 1 ? "LDM" : "STM") + (db == 1 ? "DB" : "IA")
        return ThumbInsn(enc: DiffThumbGenerator.hw32((db == 1 ? 0xE900 : 0xE880) | w << 5 | load << 4 | UInt32(rn), list),
                         text: "\(name)\(ctx.c).W \(r(rn))\(w == 1 ? "!" : ""), \(DiffGenerator.listText(list))")
    }

    // MARK: Control flow

    /// B/BL/BLX imm encodings (T3 conditional, T4, BL, BLX) for offset `off` (target - (address + 4)).
    static func branch32(_ kind: Int, _ off: Int32, cond: UInt32 = 14) -> UInt32 {
        let v = UInt32(bitPattern: off)
        let s = (v >> 24) & 1
        if kind == 0 {   // B<cond>.W T3: S:J2:J1:imm6:imm11:0
            let j2 = (v >> 19) & 1, j1 = (v >> 18) & 1
            return hw32(0xF000 | s << 10 | cond << 6 | (v >> 12) & 0x3F, 0x8000 | j1 << 13 | j2 << 11 | (v >> 1) & 0x7FF)
        }
        let i1 = (v >> 23) & 1, i2 = (v >> 22) & 1
        let j1 = (~(i1 ^ s)) & 1, j2 = (~(i2 ^ s)) & 1
        let hw1 = 0xF000 | s << 10 | (v >> 12) & 0x3FF
        switch kind {
        case 1: return hw32(hw1, 0x9000 | j1 << 13 | j2 << 11 | (v >> 1) & 0x7FF)       // B.W T4
        case 2: return hw32(hw1, 0xD000 | j1 << 13 | j2 << 11 | (v >> 1) & 0x7FF)       // BL
        default: return hw32(hw1, 0xC000 | j1 << 13 | j2 << 11 | (v >> 1) & 0x7FE)      // BLX (H = 0)
        }
    }

    mutating func branch(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        guard ctx.last else { return nil }
        let a = ctx.address, pc = a + 4
        let c = ctx.c
        let choice = below(10)
        // Conditional branches and CBZ/CBNZ are not allowed inside IT.
        if ctx.inIT && (choice == 0 || choice == 2 || choice == 5) { return nil }
        switch choice {
        case 0:   // B<cond> (T1)
            let (t, tn) = thumbLanding(ctx.index)
            let cond = u(14)
            let off = Int32(bitPattern: t &- pc)
            return ThumbInsn(enc: 0xD000 | cond << 8 | UInt32(bitPattern: off >> 1) & 0xFF,
                             text: "B\(DiffGenerator.condNames[Int(cond)]) \(tn) (\(DiffText.hex(t)))")
        case 1:   // B (T2)
            let (t, tn) = thumbLanding(ctx.index)
            let off = Int32(bitPattern: t &- pc)
            return ThumbInsn(enc: 0xE000 | UInt32(bitPattern: off >> 1) & 0x7FF, text: "B\(c) \(tn) (\(DiffText.hex(t)))")
        case 2:   // B<cond>.W (T3)
            let (t, tn) = thumbLanding(ctx.index)
            let cond = u(14)
            return ThumbInsn(enc: DiffThumbGenerator.branch32(0, Int32(bitPattern: t &- pc), cond: cond),
                             text: "B\(DiffGenerator.condNames[Int(cond)]).W \(tn) (\(DiffText.hex(t)))")
        case 3:   // B.W / BL / BLX to the ARM landing
            let kind = 1 + below(3)
            if kind == 3 {
                let t = DiffLayout.thumbLandingARM(ctx.index)
                ctx.written.insert(14)
                return ThumbInsn(enc: DiffThumbGenerator.branch32(3, Int32(bitPattern: t &- (pc & ~3))),
                                 text: "BLX\(c) ARM landing (\(DiffText.hex(t)))")
            }
            let (t, tn) = thumbLanding(ctx.index)
            if kind == 2 { ctx.written.insert(14) }
            return ThumbInsn(enc: DiffThumbGenerator.branch32(kind, Int32(bitPattern: t &- pc)),
                             text: "\(kind == 1 ? "B" : "BL")\(c)\(kind == 1 ? ".W" : "") \(tn) (\(DiffText.hex(t)))")
        case 4:   // BX / BLX register
            let link = bool()
            let (t, tn) = interworkTarget(ctx.index)
            guard let m = pin(link ? Array(0...14) : Array(0...14), t, &ctx, &cs) else { return nil }
            if link { ctx.written.insert(14) }
            return ThumbInsn(enc: (link ? 0x4780 : 0x4700) | UInt32(m) << 3, text: "\(link ? "BLX" : "BX")\(c) \(r(m)) (\(tn))")
        case 5:   // CBZ / CBNZ (forward only)
            let (t, tn) = thumbLanding(ctx.index, forwardOnly: true)
            let nz = bit(), taken = bool()
            let off = t - pc
            guard let rn = pin(DiffThumbGenerator.loRegs, taken == (nz == 1) ? (value() | 1) : 0, &ctx, &cs) else { return nil }
            return ThumbInsn(enc: 0xB100 | nz << 11 | ((off >> 6) & 1) << 9 | ((off >> 1) & 0x1F) << 3 | UInt32(rn),
                             text: "\(nz == 1 ? "CBNZ" : "CBZ") \(r(rn)), \(tn) (\(DiffText.hex(t)))")
        case 6:   // MOV pc, Rm (BranchWritePC: stays in Thumb, bit 0 ignored)
            let (t, tn) = thumbLanding(ctx.index)
            guard let m = pin(Array(0...14), t | bit(), &ctx, &cs) else { return nil }
            return ThumbInsn(enc: 0x4687 | UInt32(m) << 3, text: "MOV\(c) pc, \(r(m)) (\(tn) landing)")
        case 7:   // ADD pc, Rm: pc reads as the address + 4
            let (t, tn) = thumbLanding(ctx.index)
            guard let m = pin(Array(0...14), (t &- pc) | bit(), &ctx, &cs) else { return nil }
            return ThumbInsn(enc: 0x4487 | UInt32(m) << 3, text: "ADD\(c) pc, \(r(m)) (\(tn) landing)")
        default:  // BL to a Thumb landing
            let (t, tn) = thumbLanding(ctx.index)
            ctx.written.insert(14)
            return ThumbInsn(enc: DiffThumbGenerator.branch32(2, Int32(bitPattern: t &- pc)), text: "BL\(c) \(tn) (\(DiffText.hex(t)))")
        }
    }

    /// TBB/TBH [pc, Rm] outside IT: the table follows the instruction (its
    /// halfwords are extra sequence elements; every entry leads to a landing).
    mutating func inlineTable(_ ctx: inout Ctx, _ cs: inout DiffCase) -> [ThumbInsn]? {
        let half = bit()
        let n = 1 + below(4)
        let idx = u(n)
        guard let rm = pin(DiffThumbGenerator.goodRegs, idx, &ctx, &cs) else { return nil }
        let pc = ctx.address + 4
        var entries: [UInt32] = []
        for _ in 0..<n { entries.append((thumbLanding(ctx.index, forwardOnly: true).0 - pc) / 2) }
        var hws: [UInt32] = []
        if half == 1 {
            hws = entries
        } else {
            for k in stride(from: 0, to: n, by: 2) { hws.append(entries[k] | (k + 1 < n ? entries[k + 1] : 0) << 8) }
        }
        let t = pc + 2 * entries[Int(idx)]
        let name = t == DiffLayout.thumbLandingNext(ctx.index) ? "next" : "fwd"
        return [ThumbInsn(enc: DiffThumbGenerator.hw32(0xE8DF, 0xF000 | half << 4 | UInt32(rm)),
                          text: "\(half == 1 ? "TBH" : "TBB") [pc, \(r(rm))\(half == 1 ? ", LSL #1" : "")] (table \(entries), \(name) landing)")]
            + hws.map { ThumbInsn(enc: $0, text: ".hword \(h($0))") }
    }

    /// TBB/TBH [Rn, Rm] with a one-entry table in the scratch buffer.
    mutating func tableBranch(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        guard ctx.last, !ctx.stored else { return nil }
        let half = bit()
        let (t, tn) = thumbLanding(ctx.index, forwardOnly: true)
        let entry = (t - (ctx.address + 4)) / 2
        let idx = u(24)
        let base = DiffLayout.scratch + 32 + u(64) * 2
        guard let rn = pin(DiffThumbGenerator.goodRegs, base, &ctx, &cs),
              let rm = pin(DiffThumbGenerator.goodRegs, idx, &ctx, &cs) else { return nil }
        let ea = base + idx << half
        let word = ea & ~3
        var v = g.rng.word()
        if half == 1 {
            let sh = (ea & 2) * 8
            if ea & 3 == 3 { return nil }
            v = (v & ~(0xFFFF << sh)) | entry << sh
            // A halfword that straddles the word is avoided (ea is even).
        } else {
            let sh = (ea & 3) * 8
            v = (v & ~(0xFF << sh)) | entry << sh
        }
        ctx.patches.append(DiffPatch(address: word, value: v))
        return ThumbInsn(enc: DiffThumbGenerator.hw32(0xE8D0 | UInt32(rn), 0xF000 | half << 4 | UInt32(rm)),
                         text: "\(half == 1 ? "TBH" : "TBB")\(ctx.c) [\(r(rn)), \(r(rm))\(half == 1 ? ", LSL #1" : "")] (entry \(entry): \(tn) landing)")
    }

    /// Loads into the PC (interworking): POP, LDR, LDM.
    mutating func loadPC(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        guard ctx.last, !ctx.stored else { return nil }
        let (t, tn) = interworkTarget(ctx.index)
        let c = ctx.c
        switch below(5) {
        case 0:   // POP {..., pc}
            let sp = g.blockBase()
            guard pin([13], sp, &ctx, &cs) != nil else { return nil }
            let list = chance(3) ? 0 : u(256)
            ctx.patches.append(DiffPatch(address: sp + 4 * UInt32(list.nonzeroBitCount), value: t))
            return ThumbInsn(enc: 0xBD00 | list, text: "POP\(c) \(DiffGenerator.listText(list | 0x8000)) (pc word = \(tn))")
        case 1:   // LDR.W pc, [Rn, #imm12] or [Rn, #+/-imm8]{!} or [Rn], #+/-imm8
            let addr = g.scratchAddress(size: 4, align: 4)
            ctx.patches.append(DiffPatch(address: addr, value: t))
            if bool() {
                let imm12 = u(1024) * 4
                guard let rn = pin(DiffThumbGenerator.goodOrSP, addr &- imm12, &ctx, &cs) else { return nil }
                return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF8D0 | UInt32(rn), 0xF000 | imm12),
                                 text: "LDR\(c).W pc, [\(r(rn)), #\(imm12)] (mem = \(tn))")
            }
            let mode = below(3), up = mode == 0 ? 0 : bit()
            let imm8 = u(64) * 4
            let p: UInt32 = mode == 2 ? 0 : 1, w: UInt32 = mode == 0 ? 0 : 1
            let base = mode == 2 ? addr : (up == 1 ? addr &- imm8 : addr &+ imm8)
            guard let rn = pin(DiffThumbGenerator.goodOrSP, base, &ctx, &cs) else { return nil }
            let o = "#\(up == 1 ? "" : "-")\(imm8)"
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF850 | UInt32(rn), 0xF800 | p << 10 | up << 9 | w << 8 | imm8),
                             text: "LDR\(c) pc, " + (mode == 0 ? "[\(r(rn)), \(o)]" : mode == 1 ? "[\(r(rn)), \(o)]!" : "[\(r(rn))], \(o)")
                                + " (mem = \(tn))")
        case 2:   // LDR.W pc, [pc, #-x]: the block's literal holding the ARM landing address
            let base = (ctx.address + 4) & ~3
            let lit = ctx.block + 24
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF85F, 0xF000 | (base - lit)),
                             text: "LDR\(c).W pc, [pc, #-\(base - lit)] (literal = ARM landing)")
        case 3:   // LDR pc, [Rn, Rm, LSL #k]
            let addr = g.scratchAddress(size: 4, align: 4)
            let sh = u(4), idx = u(16)
            guard let rm = pin(DiffThumbGenerator.goodRegs, idx, &ctx, &cs),
                  let rn = pin(DiffThumbGenerator.goodOrSP, addr &- idx << sh, &ctx, &cs) else { return nil }
            ctx.patches.append(DiffPatch(address: addr, value: t))
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF850 | UInt32(rn), 0xF000 | sh << 4 | UInt32(rm)),
                             text: "LDR\(c).W pc, [\(r(rn)), \(r(rm)), LSL #\(sh)] (mem = \(tn))")
        default:  // LDM{IA,DB}.W Rn{!}, {..., pc} (no SP; LR and PC not both)
            let db = bit(), w = bit()
            let base = g.blockBase()
            guard let rn = pin(DiffThumbGenerator.goodOrSP, base, &ctx, &cs) else { return nil }
            var list = (chance(3) ? UInt32(1) << u(13) : g.rng.word() & 0x1FFF) | 0x8000
            if w == 1 { list &= ~(UInt32(1) << UInt32(rn)) }
            // A second register (r0-r12: LR with PC is UNPREDICTABLE).
            while list.nonzeroBitCount < 2 { let x = below(13); if !(w == 1 && x == rn) { list |= 1 << UInt32(x) } }
            let count = UInt32(list.nonzeroBitCount)
            let slot = db == 1 ? base - 4 : base + 4 * (count - 1)
            ctx.patches.append(DiffPatch(address: slot, value: t))
            return ThumbInsn(enc: DiffThumbGenerator.hw32((db == 1 ? 0xE910 : 0xE890) | w << 5 | UInt32(rn), list),
                             text: "LDM\(db == 1 ? "DB" : "IA")\(c).W \(r(rn))\(w == 1 ? "!" : ""), \(DiffGenerator.listText(list)) (pc word = \(tn))")
        }
    }

    // MARK: Hints and faults

    mutating func hint(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        let rn = good(), rm = good()
        let imm12 = u(4096), imm8 = u(256), sh = u(4)
        var ops: [(UInt32, String)] = [
            (0xBF00, "NOP"), (0xBF10, "YIELD"), (0xBF40, "SEV"), (0xBF20, "WFE"), (0xBF30, "WFI"),
            (DiffThumbGenerator.hw32(0xF3AF, 0x8000), "NOP.W"), (DiffThumbGenerator.hw32(0xF3AF, 0x8001), "YIELD.W"),
            (DiffThumbGenerator.hw32(0xF3AF, 0x8004), "SEV.W"), (DiffThumbGenerator.hw32(0xF3AF, 0x80F0 | sh), "DBG #\(sh)"),
            (DiffThumbGenerator.hw32(0xF3BF, 0x8F5F), "DMB SY"), (DiffThumbGenerator.hw32(0xF3BF, 0x8F4F), "DSB SY"),
            (DiffThumbGenerator.hw32(0xF3BF, 0x8F6F), "ISB SY"), (DiffThumbGenerator.hw32(0xF3BF, 0x8F5B), "DMB ISH"),
            (DiffThumbGenerator.hw32(0xF3BF, 0x8F2F), "CLREX"),
            (DiffThumbGenerator.hw32(0xF890 | UInt32(rn), 0xF000 | imm12), "PLD [\(r(rn)), #\(imm12)]"),
            (DiffThumbGenerator.hw32(0xF810 | UInt32(rn), 0xFC00 | imm8), "PLD [\(r(rn)), #-\(imm8)]"),
            (DiffThumbGenerator.hw32(0xF8B0 | UInt32(rn), 0xF000 | imm12), "PLDW [\(r(rn)), #\(imm12)]"),
            (DiffThumbGenerator.hw32(0xF990 | UInt32(rn), 0xF000 | imm12), "PLI [\(r(rn)), #\(imm12)]"),
            (DiffThumbGenerator.hw32(0xF810 | UInt32(rn), 0xF000 | sh << 4 | UInt32(rm)), "PLD [\(r(rn)), \(r(rm)), LSL #\(sh)]"),
            (DiffThumbGenerator.hw32(0xF89F, 0xF000 | imm12), "PLD [pc, #\(imm12)]"),
        ]
        if !ctx.inIT {   // CPS is UNPREDICTABLE inside IT (and a NOP in User mode)
            ops += [(0xB672, "CPSID i"), (0xB662, "CPSIE i"), (0xB667, "CPSIE aif")]
        }
        let op = ops[below(ops.count)]
        return ThumbInsn(enc: op.0, text: op.1 + (ctx.inIT ? " (cond \(ctx.c))" : ""))
    }

    /// Instructions that fault in User mode. Inside IT only the memory
    /// faults (a conditional UDF/BKPT is left out).
    mutating func fault(_ ctx: inout Ctx, _ cs: inout DiffCase) -> ThumbInsn? {
        switch ctx.inIT ? 5 + below(4) : below(9) {
        case 0:   // UDF (T1); 0xde01 is Linux's Thumb breakpoint (SIGTRAP), not generated
            var imm = u(256)
            if imm == 1 { imm = 2 }
            return ThumbInsn(enc: 0xDE00 | imm, text: "UDF #\(imm)")
        case 1:   // UDF.W (T2)
            let imm4 = u(16), imm12 = u(4096)
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF7F0 | imm4, 0xA000 | imm12), text: "UDF.W #\(imm4 << 12 | imm12)")
        case 2:   // BKPT
            let imm = u(256)
            return ThumbInsn(enc: 0xBE00 | imm, text: "BKPT #\(imm)")
        case 3:   // HVC / SMC: UNDEFINED at PL0
            let imm4 = u(16), imm12 = u(4096)
            if bool() {
                return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF7E0 | imm4, 0x8000 | imm12), text: "HVC #\(imm4 << 12 | imm12) (UNDEFINED at PL0)")
            }
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF7F0 | imm4, 0x8000), text: "SMC #\(imm4) (UNDEFINED at PL0)")
        case 4:   // unallocated parallel add/sub and modified-immediate operations
            let rd = good(), rn = good(), rm = good()
            if bool() {
                let op1 = [3, 7][below(2)], op2 = u(4)
                let badOp2 = chance(2)
                let o1 = badOp2 ? UInt32([0, 1, 2, 4, 5, 6][below(6)]) : UInt32(op1)
                let o2: UInt32 = badOp2 ? 3 : op2 & 2
                return ThumbInsn(enc: DiffThumbGenerator.hw32(0xFA80 | o1 << 4 | UInt32(rn), 0xF000 | UInt32(rd) << 8 | bit() << 6 | o2 << 4 | UInt32(rm)),
                                 text: "parallel add/sub op1=\(o1) op2=\(o2) (UNDEFINED)")
            }
            let op = [5, 6, 7, 9, 12, 15][below(6)]
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xF000 | UInt32(op) << 5 | bit() << 4 | UInt32(rn), u(8) << 12 | UInt32(rd) << 8 | u(256)),
                             text: "data processing (modified immediate) op=\(op) (UNDEFINED)")
        case 5:   // LDRD/STRD at an address that is not word-aligned
            let load = bit(), rt = good(), rt2 = good(excluding: [rt])
            let addr = g.scratchAddress(size: 8, align: 4) + 1 + u(3)
            guard let rn = pin(DiffThumbGenerator.goodOrSP, addr, &ctx, &cs) else { return nil }
            return ThumbInsn(enc: DiffThumbGenerator.hw32(0xE9C0 | load << 4 | UInt32(rn), UInt32(rt) << 12 | UInt32(rt2) << 8),
                             text: "\(load == 1 ? "LDRD" : "STRD") \(r(rt)), \(r(rt2)), [\(r(rn))] (misaligned)")
        case 6:   // LDM/STM with a misaligned base
            guard let i = single(.t32LdmStm, &ctx, &cs) else { return nil }
            let rn = Int((i.enc >> 16) & 0xF)
            cs.regs[rn] &+= 1 + u(3)
            return ThumbInsn(enc: i.enc, text: i.text + " (base misaligned)")
        case 7:   // LDREX/LDREXH/LDREXD at a misaligned address
            let size = [4, 2, 8][below(3)], rt = good(), rt2 = good(excluding: [rt])
            let addr = g.scratchAddress(size: 8, align: 8) + 1 + u(size - 1)
            guard let rn = pin(DiffThumbGenerator.goodOrSP, addr, &ctx, &cs) else { return nil }
            return ThumbInsn(enc: ldrex(size, rt, rt2, rn, 0), text: exText(true, size, 0, rt, rt2, rn, 0, "") + " (misaligned)")
        default:  // loads and stores at an unmapped address
            let inner: DiffThumbClass = [.t16LoadStore, .t32LoadStore, .t32LdmStm, .t16LdmStm][below(4)]
            guard let i = single(inner, &ctx, &cs), !i.text.contains("[pc") else { return nil }
            // Move every claimed base/index register into unmapped space (they are scratch pointers or small).
            for x in ctx.pinned where cs.regs[x] >= DiffLayout.scratch - 0x1000 && cs.regs[x] < DiffLayout.scratch + 0x1000 {
                cs.regs[x] = cs.regs[x] &- DiffLayout.scratch &+ 0xD000_0000
            }
            return ThumbInsn(enc: i.enc, text: i.text + " (unmapped)")
        }
    }
}
