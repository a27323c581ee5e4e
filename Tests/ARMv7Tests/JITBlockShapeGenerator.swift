import Devices

/// A random A32 program of a few dozen basic blocks, built to stress block
/// boundaries of the JIT: branches into earlier blocks' middles, bounded
/// loops, indirect branches (BX, MOV pc, LDR pc, POP {pc}, BLX), faults and
/// UDF/SVC mid-block, SETEND, unaligned accesses across pages, BX into
/// small Thumb islands and back, and stores of new instructions into code
/// (no cache maintenance). Runs in SVC mode, MMU off.
///
/// Register conventions keep the program in its areas: r0–r6 data, r7 the
/// budget of backward transfers per pass (so execution keeps moving
/// forward instead of circling in the first cycle it meets), r8 data base
/// (constant), r9 scratch base (reset before each use), r10 an unmapped
/// address (faults), r11 loop counter, r12 always a code address, sp the
/// SVC stack (pushes and pops are balanced), lr a code address.
struct ShapeProgram {
    static let ramSize: UInt64 = 0x4_0000
    static let handlers: UInt32 = 0x100
    static let code: UInt32 = 0x1000
    static let undefLog: UInt32 = 0x8000     // 4 KiB each; the handlers wrap with BIC #0x1000
    static let abortLog: UInt32 = 0xC000
    static let data: UInt32 = 0x2_0000       // r8; loads and stores stay in data ..< data + 0x400
    static let table: UInt32 = data + 0x800  // code addresses for LDR pc
    static let tableEntries = 64
    static let stack: UInt32 = 0x3_0000
    static let unmapped: UInt32 = 0x4000_0000

    let seed: UInt64
    /// Word at each address (vectors, handlers, setup, blocks, table).
    var words: [UInt32: UInt32] = [:]
    /// What the generator meant at each code address (for failure reports).
    var notes: [UInt32: String] = [:]
    var dataBytes: [UInt8] = []
    var initialRegs: [UInt32] = []
    var blockStarts: [UInt32] = []

    init(seed: UInt64) {
        self.seed = seed
        var g = ShapeBuilder(seed: seed)
        g.build()
        words = g.words; notes = g.notes; dataBytes = g.dataBytes; initialRegs = g.initialRegs; blockStarts = g.blockStarts
    }

    /// Nearby words as "address: word  meaning" lines, `at` marked.
    func dump(around at: UInt32, read: (UInt32) -> UInt32?) -> String {
        let from = (at & ~3) &- 24
        return (0..<13).map { k -> String in
            let a = from &+ UInt32(4 * k)
            let w = read(a).map { String(format: "%08x", $0) } ?? "--------"
            let changed = read(a) != nil && words[a] != nil && read(a) != words[a] ? " (was \(String(format: "%08x", words[a]!)))" : ""
            return String(format: "  %@%08x: ", a == at ? "=>" : "  ", a) + w + "  " + (notes[a] ?? "") + changed
        }.joined(separator: "\n")
    }
}

/// Builds a ShapeProgram (a separate type so the result stays a plain value).
struct ShapeBuilder {
    typealias A = ShapeAsm
    var rng: SplitMix64
    var words: [UInt32: UInt32] = [:]
    var notes: [UInt32: String] = [:]
    var dataBytes: [UInt8] = []
    var initialRegs: [UInt32] = []
    var blockStarts: [UInt32] = []
    var pc = ShapeProgram.code
    /// Item starts already emitted: safe entry points for backward branches.
    var entries: [UInt32] = []
    /// Single data-processing instructions that self-modifying stores may replace.
    var replaceable: [(address: UInt32, block: Int)] = []
    /// Words to patch once every block has an address.
    enum Fixup { case branch(cond: UInt32, link: Bool, block: Int), movw(rd: UInt32, block: Int, cond: UInt32), selfMod(block: Int, after: UInt32) }
    var fixups: [(at: UInt32, fix: Fixup)] = []
    /// BX-to-Thumb call sites and their blocks; islands go after the last block.
    var islands: [(at: UInt32, block: Int)] = []

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    mutating func u(_ n: Int) -> UInt32 { UInt32(int(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func cond() -> UInt32 { chance(30) ? u(14) : A.al }
    mutating func dataReg() -> UInt32 { u(7) }
    /// Per-program weights of the item kinds (see `item`): some programs
    /// never fault, trap or rewrite code, so their blocks live long.
    var weights: [Int] = []
    /// Any register a data-processing source may name (r15 reads pc + 8).
    mutating func srcReg(pc allowed: Bool) -> UInt32 { allowed && chance(5) ? 15 : u(13) }

    mutating func emit(_ w: UInt32, _ note: String) {
        words[pc] = w; notes[pc] = note; pc += 4
    }

    mutating func build() {
        vectorsAndHandlers()
        let blockCount = 24 + int(17)
        weights = [34, 6, 12, 8, 5, 6, 4] + [6, 3, 3, 4, 2, 3].map { chance(65) ? $0 : 0 }
        // Setup at code: banked stacks, random flags, then block 0.
        pc = ShapeProgram.code
        emit(A.cps(0x1B), "CPS #und"); emit(A.dpImm(A.al, 13, s: false, rn: 0, rd: 13, rot: 12, imm8: 0x80), "MOV sp, #0x8000")
        emit(A.cps(0x17), "CPS #abt"); emit(A.dpImm(A.al, 13, s: false, rn: 0, rd: 13, rot: 12, imm8: 0xC0), "MOV sp, #0xC000")
        emit(A.cps(0x13), "CPS #svc"); emit(A.msrFlags(u(16)), "MSR CPSR_f, #random")
        fixups.append((pc, .branch(cond: A.al, link: false, block: 0))); emit(0, "B block0")
        for b in 0..<blockCount { block(b, last: b == blockCount - 1) }
        resolve(blockCount)
        for (at, b) in islands { thumbIsland(callSite: at, returnTo: blockStarts[min(b + 1, blockCount - 1)]) }
        dataBytes = (0..<0x400).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for k in 0..<ShapeProgram.tableEntries {
            let target = chance(50) ? blockStarts[int(blockStarts.count)] : entries[int(entries.count)]
            words[ShapeProgram.table + UInt32(4 * k)] = target
        }
        let specials: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 31, 32, 33, 0x100]
        initialRegs = (0..<7).map { _ in chance(30) ? specials[int(specials.count)] : UInt32(truncatingIfNeeded: rng.next()) }
        initialRegs += [8 + u(32), ShapeProgram.data, ShapeProgram.data + 0x200, ShapeProgram.unmapped, 0,
                        blockStarts[0], ShapeProgram.stack, blockStarts[0]]
    }

    mutating func vectorsAndHandlers() {
        let h = ShapeProgram.handlers
        let undef = h, svc = h + 0x20, pabt = h + 0x40, dabt = h + 0x60
        words[0] = A.b(A.al, at: 0, to: ShapeProgram.code); notes[0] = "reset: B setup"
        words[4] = A.b(A.al, at: 4, to: undef); notes[4] = "undef vector"
        words[8] = A.b(A.al, at: 8, to: svc); notes[8] = "svc vector"
        words[12] = A.b(A.al, at: 12, to: pabt); notes[12] = "prefetch abort vector"
        words[16] = A.b(A.al, at: 16, to: dabt); notes[16] = "data abort vector"
        for v: UInt32 in [20, 24, 28] { words[v] = A.selfLoop; notes[v] = "B ." }
        // Undef and abort handlers log lr in their mode's 4 KiB ring (banked sp) and return past the instruction.
        let log: [UInt32] = [0xE48D_E004, 0xE3CD_DA01]   // STR lr, [sp], #4; BIC sp, sp, #0x1000
        pc = undef; for w in log { emit(w, "log lr") }; emit(A.movsPCLR, "MOVS pc, lr")
        pc = svc; emit(A.movsPCLR, "MOVS pc, lr (svc)")
        pc = dabt; for w in log { emit(w, "log lr") }; emit(A.subsPCLR4, "SUBS pc, lr, #4")
        // A prefetch abort (a generator bug) restarts at block 0; the log shows it.
        pc = pabt; for w in log { emit(w, "log lr") }
        fixups.append((pc, .movw(rd: 14, block: 0, cond: A.al))); emit(0, "MOVW lr, #block0"); emit(A.movsPCLR, "MOVS pc, lr")
    }

    mutating func block(_ b: Int, last: Bool) {
        blockStarts.append(pc)
        let loop = chance(20)
        if loop { emit(A.dpImm(A.al, 13, s: false, rn: 0, rd: 11, rot: 0, imm8: 1 + u(6)), "MOV r11, #n (loop)") }
        let head = pc
        for _ in 0..<(2 + int(9)) { item(b) }
        if loop {
            emit(0xE25B_B001, "SUBS r11, r11, #1")
            emit(A.b(0xC, at: pc, to: head), "BGT loop head")
        }
        if last {
            emit(A.dpImm(A.al, 13, s: false, rn: 0, rd: 7, rot: 0, imm8: 8 + u(32)), "MOV r7, #n (backward budget)")
            fixups.append((pc, .branch(cond: A.al, link: false, block: 0))); emit(0, "B block0 (end)"); return
        }
        terminator(b)
    }

    /// A target: an entry of this or an earlier block (known), or a block start (patched later).
    mutating func target(_ b: Int) -> (address: UInt32?, block: Int) {
        if chance(35), !entries.isEmpty { return (entries[int(entries.count)], -1) }
        return (nil, b + 1 + int(3))
    }

    /// Spends one unit of the backward budget; GT holds while some is left.
    mutating func guardBackward() { emit(0xE257_7001, "SUBS r7, r7, #1 (backward budget)") }

    mutating func branchTo(_ cond: UInt32, link: Bool, _ t: (address: UInt32?, block: Int), note: String) {
        if let a = t.address { guardBackward(); emit(A.b(0xC, at: pc, to: a, link: link), note + "GT" + String(format: " %05x", a)) }
        else { fixups.append((pc, .branch(cond: cond, link: link, block: t.block))); emit(0, note + " block\(t.block)") }
    }

    /// r12 = the target; a backward one becomes the next block once the budget is spent.
    mutating func loadR12(_ t: (address: UInt32?, block: Int), _ b: Int) {
        if let a = t.address {
            emit(A.movw(12, a), String(format: "MOVW r12, #%05x", a))
            guardBackward()
            fixups.append((pc, .movw(rd: 12, block: b + 1, cond: 0xD))); emit(0, "MOVWLE r12, #block\(b + 1)")
        } else { fixups.append((pc, .movw(rd: 12, block: t.block, cond: A.al))); emit(0, "MOVW r12, #block\(t.block)") }
    }

    mutating func terminator(_ b: Int) {
        switch int(12) {
        case 11:
            // Interworking: BX to a Thumb island (interpreted) that returns to block b + 1.
            islands.append((pc, b)); emit(0, "MOVW r12, #thumb island|1"); emit(A.bx(12), "BX r12 (to Thumb)")
        case 0: return   // fall through
        case 1, 2: branchTo(u(14), link: false, target(b), note: "B<cond>")
        case 3: branchTo(A.al, link: false, target(b), note: "B")
        case 4: branchTo(chance(70) ? A.al : u(14), link: true, target(b), note: "BL")
        case 5: guardBackward(); emit(A.bx(14) & 0x0FFF_FFFF | 0xC000_0000, "BXGT lr")   // lr may point backward
        case 6: loadR12(target(b), b); emit(A.bx(12), "BX r12")
        case 7: loadR12(target(b), b); emit(0xE1A0_F00C, "MOV pc, r12")
        case 8: loadR12(target(b), b); emit(A.blx(12), "BLX r12")
        case 9:
            let k = u(ShapeProgram.tableEntries)
            guardBackward()
            emit(A.setend(bigEndian: false), "SETEND LE (the table is little-endian)")
            emit(A.ldrStrImm(0xC, load: true, byte: false, p: true, u: true, w: false, rn: 8, rt: 15, imm: 0x800 + 4 * k), "LDRGT pc, [r8, #table+\(4 * k)]")
        default:
            loadR12(target(b), b); emit(A.push(1 << 12 | 1), "PUSH {r0,r12}"); emit(A.pop(1 << 15 | 1), "POP {r0,pc}")
        }
    }

    /// One straight-line item; its first word is a safe entry point.
    mutating func item(_ b: Int) {
        entries.append(pc)
        var pick = int(weights.reduce(0, +)), kind = 0
        while pick >= weights[kind] { pick -= weights[kind]; kind += 1 }
        switch kind {
        case 0:
            replaceable.append((pc, b))
            let (w, n) = dp(); emit(w, n)
        case 1: let (w, n) = mulOp(); emit(w, n)
        case 2: loadStore()
        case 3: loadStoreWriteback()
        case 4: registerOffset()
        case 5: ldmStm()
        case 6: pushPop()
        case 7: faulting()
        case 8: emit(A.udf(u(0x10000)), "UDF")
        case 9: emit(A.svc(cond(), u(0x100_0000)), "SVC")
        case 10: selfModify(b)
        case 11: let be = chance(50); emit(A.setend(bigEndian: be), be ? "SETEND BE" : "SETEND LE")
        default: pageCrossing()
        }
    }

    mutating func dp() -> (UInt32, String) {
        let op = u(16), c = cond()
        let compare = (8...11).contains(op), move = op == 13 || op == 15
        let s = compare || chance(40)
        let rd = compare ? 0 : dataReg()
        let name = A.dpNames[Int(op)] + A.condNames[Int(c)] + (s && !compare ? "S" : "")
        let dst = compare ? "" : "\(A.reg(rd)), "
        switch int(3) {
        case 0:
            let rn = move ? 0 : srcReg(pc: true), rot = u(16), imm = u(256)
            let v = imm >> (2 * rot) | imm << ((32 - 2 * rot) & 31)
            return (A.dpImm(c, op, s: s, rn: rn, rd: rd, rot: rot, imm8: imm), "\(name) \(dst)\(move ? "" : A.reg(rn) + ", ")#0x\(String(v, radix: 16))")
        case 1:
            let rn = move ? 0 : srcReg(pc: true), rm = srcReg(pc: true), type = u(4), amount = u(32)
            let sh = type == 3 && amount == 0 ? "RRX" : "\(A.shiftNames[Int(type)]) #\(amount == 0 && type != 0 ? 32 : amount)"
            return (A.dpShiftImm(c, op, s: s, rn: rn, rd: rd, rm: rm, type: type, amount: amount), "\(name) \(dst)\(move ? "" : A.reg(rn) + ", ")\(A.reg(rm)), \(sh)")
        default:
            let rn = move ? 0 : srcReg(pc: false), rm = srcReg(pc: false), type = u(4), rs = srcReg(pc: false)
            return (A.dpShiftReg(c, op, s: s, rn: rn, rd: rd, rm: rm, type: type, rs: rs), "\(name) \(dst)\(move ? "" : A.reg(rn) + ", ")\(A.reg(rm)), \(A.shiftNames[Int(type)]) \(A.reg(rs))")
        }
    }

    mutating func mulOp() -> (UInt32, String) {
        let c = cond(), s = chance(30), rd = dataReg(), rn = srcReg(pc: false), rm = srcReg(pc: false)
        let ra: UInt32? = chance(50) ? srcReg(pc: false) : nil
        let name = (ra == nil ? "MUL" : "MLA") + A.condNames[Int(c)] + (s ? "S" : "")
        return (A.mul(c, s: s, rd: rd, rn: rn, rm: rm, ra: ra), "\(name) \(A.reg(rd)), \(A.reg(rn)), \(A.reg(rm))" + (ra.map { ", " + A.reg($0) } ?? ""))
    }

    /// A store source: anything but pc (whose stored value is IMPLEMENTATION DEFINED) and `not`.
    mutating func storeReg(not: UInt32 = 99) -> UInt32 {
        var r: UInt32
        repeat { r = u(15) } while r == not
        return r
    }

    /// One access at r8 + offset (no writeback), all sizes.
    mutating func loadStore() {
        let c = cond(), load = chance(60)
        let rt = load ? dataReg() : storeReg()
        switch int(4) {
        case 0:
            let off = 4 * u(0x100) + (chance(10) ? 1 + u(3) : 0)   // unaligned LDR/STR are allowed (SCTLR.A = 0)
            emit(A.ldrStrImm(c, load: load, byte: false, p: true, u: true, w: false, rn: 8, rt: rt, imm: min(off, 0x3FC)),
                 "\(load ? "LDR" : "STR") \(A.reg(rt)), [r8, #\(min(off, 0x3FC))]")
        case 1:
            let off = u(0x400)
            emit(A.ldrStrImm(c, load: load, byte: true, p: true, u: true, w: false, rn: 8, rt: rt, imm: off), "\(load ? "LDRB" : "STRB") \(A.reg(rt)), [r8, #\(off)]")
        default:
            // Halfwords mostly aligned; unaligned LDRH/STRH are allowed too (SCTLR.A = 0).
            let sh: UInt32 = load ? 1 + u(3) : 1, off = u(0x100) & (sh != 2 && chance(90) ? ~1 : ~0)
            let names = ["", "H", "SB", "SH"]
            emit(A.halfImm(c, load: load, sh: sh, p: true, u: true, w: false, rn: 8, rt: rt, imm: off),
                 "\(load ? "LDR" : "STR")\(names[Int(sh)]) \(A.reg(rt)), [r8, #\(off)]")
        }
    }

    /// Pre-indexed with writeback or post-indexed, on r9 = r8 + 0x200.
    mutating func loadStoreWriteback() {
        emit(0xE288_9C02, "ADD r9, r8, #0x200")
        let c = cond(), load = chance(60), pre = chance(50), up = chance(50)
        let rt = load ? dataReg() : storeReg(not: 9)
        let mode = pre ? "pre!" : "post"
        if chance(50) {
            let byte = chance(40), off = byte ? u(0x100) : 4 * u(0x40)
            emit(A.ldrStrImm(c, load: load, byte: byte, p: pre, u: up, w: pre, rn: 9, rt: rt, imm: off),
                 "\(load ? "LDR" : "STR")\(byte ? "B" : "") \(A.reg(rt)), [r9], \(up ? "+" : "-")\(off) \(mode)")
        } else {
            let sh: UInt32 = load ? 1 + u(3) : 1, off = 2 * u(0x80)
            emit(A.halfImm(c, load: load, sh: sh, p: pre, u: up, w: pre, rn: 9, rt: rt, imm: off),
                 "\(load ? "LDR" : "STR")\(["", "H", "SB", "SH"][Int(sh)]) \(A.reg(rt)), [r9], \(up ? "+" : "-")\(off) \(mode)")
        }
    }

    /// [r8, rI] with rI masked into the data area first.
    mutating func registerOffset() {
        let ri = dataReg(), rj = srcReg(pc: false), byte = chance(40)
        emit(A.dpImm(A.al, 0, s: false, rn: rj, rd: ri, rot: 0, imm8: byte ? 0xFF : 0xFC),
             "AND \(A.reg(ri)), \(A.reg(rj)), #\(byte ? "0xff" : "0xfc")")
        let load = chance(60), rt = load ? dataReg() : storeReg()
        emit(A.ldrStrReg(cond(), load: load, byte: byte, rn: 8, rt: rt, rm: ri), "\(load ? "LDR" : "STR")\(byte ? "B" : "") \(A.reg(rt)), [r8, \(A.reg(ri))]")
    }

    mutating func ldmStm() {
        emit(0xE288_9C02, "ADD r9, r8, #0x200")
        let load = chance(50), p = chance(50), up = chance(50), w = chance(50)
        var list = u(load ? 128 : 256)   // r7 (the budget) is never loaded
        if !load { list |= chance(50) ? u(256) << 8 & 0x5D00 : 0 }   // r8, r10–r12, lr may be stored too
        if list == 0 { list = 1 << u(7) }
        emit(A.ldmStm(cond(), load: load, p: p, u: up, w: w, rn: 9, list: list),
             "\(load ? "LDM" : "STM")\(up ? "I" : "D")\(p ? "B" : "A") r9\(w ? "!" : ""), \(A.list(list))")
    }

    /// Balanced PUSH/POP with a data-processing instruction between.
    mutating func pushPop() {
        let n = 2 + int(4)
        func pick(_ g: inout ShapeBuilder, _ regs: Int) -> UInt32 {
            var l: UInt32 = 0
            while l.nonzeroBitCount < n { l |= 1 << g.u(regs) }
            return l
        }
        let a = pick(&self, 8), b = pick(&self, 7)   // r7 may be pushed, never popped
        emit(A.push(a), "PUSH \(A.list(a))")
        let (w, note) = dp(); emit(w, note)
        emit(A.pop(b), "POP \(A.list(b))")
    }

    /// An access to unmapped memory: data abort, handler logs and returns past it.
    mutating func faulting() {
        let c = cond(), rt = dataReg()
        switch int(5) {
        case 0: emit(A.ldrStrImm(c, load: true, byte: false, p: true, u: true, w: false, rn: 10, rt: rt, imm: 4 * u(16)), "LDR \(A.reg(rt)), [r10] (faults)")
        case 1: emit(A.ldrStrImm(c, load: false, byte: chance(50), p: true, u: true, w: false, rn: 10, rt: rt, imm: u(64)), "STR(B) \(A.reg(rt)), [r10] (faults)")
        case 2:
            // Pre-indexed with writeback or post-indexed: the abort must leave r10 unchanged.
            let pre = chance(50)
            emit(A.ldrStrImm(c, load: true, byte: false, p: pre, u: true, w: pre, rn: 10, rt: rt, imm: 4), "LDR \(A.reg(rt)), [r10] \(pre ? "pre!" : "post") (faults)")
        case 3: emit(A.halfImm(c, load: true, sh: 1 + u(3), p: true, u: true, w: false, rn: 10, rt: rt, imm: 2 * u(8)), "LDRH/SB/SH \(A.reg(rt)), [r10] (faults)")
        default: emit(A.ldmStm(c, load: chance(50), p: false, u: true, w: chance(50), rn: 10, list: 1 << rt | 1 << dataReg()), "LDM/STM r10 (faults)")
        }
    }

    /// Stores a new data-processing instruction over a replaceable slot,
    /// ahead in this block or anywhere (patched in `resolve`).
    mutating func selfModify(_ b: Int) {
        let rv = dataReg()
        if chance(30) {
            // Rewrite only the condition nibble, with byte accesses (the slot
            // holds some data-processing instruction, whichever was stored last).
            let c = u(15)
            fixups.append((pc, .selfMod(block: chance(60) ? b : -1, after: pc))); emit(0, "MOVW r9, #slot")
            emit(A.ldrStrImm(A.al, load: true, byte: true, p: true, u: true, w: false, rn: 9, rt: rv, imm: 3), "LDRB \(A.reg(rv)), [r9, #3]")
            emit(A.dpImm(A.al, 0, s: false, rn: rv, rd: rv, rot: 0, imm8: 0x0F), "AND \(A.reg(rv)), \(A.reg(rv)), #0x0f")
            emit(A.dpImm(A.al, 12, s: false, rn: rv, rd: rv, rot: 0, imm8: c << 4), "ORR \(A.reg(rv)), \(A.reg(rv)), #\(c << 4)")
            emit(A.ldrStrImm(cond(), load: false, byte: true, p: true, u: true, w: false, rn: 9, rt: rv, imm: 3),
                 "STRB \(A.reg(rv)), [r9, #3] (code: condition \(A.condNames[Int(c)].isEmpty ? "AL" : A.condNames[Int(c)]))")
            return
        }
        let (w, note) = dp()
        emit(A.movw(rv, w & 0xFFFF), "MOVW \(A.reg(rv)), #new insn lo")
        emit(A.movt(rv, w >> 16), "MOVT \(A.reg(rv)), #new insn hi: \(note)")
        fixups.append((pc, .selfMod(block: chance(60) ? b : -1, after: pc))); emit(0, "MOVW r9, #slot")
        emit(A.setend(bigEndian: false), "SETEND LE (store the word as code)")
        if chance(25) {
            emit(A.ldmStm(cond(), load: false, p: false, u: true, w: false, rn: 9, list: 1 << rv), "STMIA r9, {\(A.reg(rv))} (code: \(note))")
        } else {
            emit(A.ldrStrImm(cond(), load: false, byte: false, p: true, u: true, w: false, rn: 9, rt: rv, imm: 0), "STR \(A.reg(rv)), [r9] (code: \(note))")
        }
    }

    /// Unaligned accesses across a page boundary: into the page below the
    /// data area (RAM), or past the end of RAM (a data abort, after which a
    /// store must have written nothing).
    mutating func pageCrossing() {
        let load = chance(50), half = chance(30), rt = load ? dataReg() : storeReg(not: 9)
        let k = half ? 1 : 1 + u(3)
        let name = (load ? "LDR" : "STR") + (half ? "H" : "")
        if chance(50) {
            let w = half ? A.halfImm(A.al, load: load, sh: 1, p: true, u: false, w: false, rn: 8, rt: rt, imm: k)
                         : A.ldrStrImm(A.al, load: load, byte: false, p: true, u: false, w: false, rn: 8, rt: rt, imm: k)
            emit(w, "\(name) \(A.reg(rt)), [r8, #-\(k)] (crosses a page)")
        } else {
            let at = UInt32(ShapeProgram.ramSize) - k
            emit(A.movw(9, at & 0xFFFF), "MOVW r9, #\(String(at & 0xFFFF, radix: 16))")
            emit(A.movt(9, at >> 16), "MOVT r9, #\(at >> 16)")
            let w = half ? A.halfImm(A.al, load: load, sh: 1, p: true, u: true, w: false, rn: 9, rt: rt, imm: 0)
                         : A.ldrStrImm(A.al, load: load, byte: false, p: true, u: true, w: false, rn: 9, rt: rt, imm: 0)
            emit(w, "\(name) \(A.reg(rt)), [r9] (crosses the end of RAM: faults)")
        }
    }

    /// A few random 16-bit Thumb instructions (never writing r7): data
    /// processing, IT blocks of them (flag-setting forms then set no flags),
    /// and CBZ/CBNZ skipping the next halfword (a branch that falls
    /// through when not taken); then MOVW r12, #back; BX r12.
    mutating func thumbIsland(callSite: UInt32, returnTo: UInt32) {
        let start = pc
        words[callSite] = A.movw(12, start | 1); notes[callSite]! += String(format: " = %05x", start | 1)
        var hw: [(UInt16, String)] = []
        for _ in 0..<(1 + int(8)) {
            switch int(10) {
            case 0:
                // IT with 1-4 instructions: firstcond 0-13, then/else bits.
                let cond = u(14), count = 1 + int(4)
                var mask: UInt32 = 1 << UInt32(4 - count)
                for k in 0..<(count - 1) where chance(50) { mask |= 1 << UInt32(3 - k) }
                let firstBit = cond & 1
                // Mask bits hold firstcond[0] for "then": flip where they should.
                var real = mask
                for k in 0..<(count - 1) {
                    let bit: UInt32 = 1 << UInt32(3 - k)
                    real = (real & ~bit) | ((mask & bit != 0 ? firstBit : firstBit ^ 1) << UInt32(3 - k))
                }
                hw.append((UInt16(0xBF00 | cond << 4 | real), "T16 IT"))
                for _ in 0..<count { hw.append(thumbDataProcessing()) }
            case 1:
                // CBZ/CBNZ Rn, pc + 4: skips the next halfword when taken.
                hw.append((UInt16(0xB100 | u(2) << 11 | u(8)), "T16 CBZ/CBNZ over the next halfword"))
                hw.append(thumbDataProcessing())
            default:
                hw.append(thumbDataProcessing())
            }
        }
        let i: UInt32 = returnTo >> 11 & 1, imm4: UInt32 = returnTo >> 12 & 0xF, imm3: UInt32 = returnTo >> 8 & 7
        let first: UInt32 = 0xF240 | i << 10 | imm4, second: UInt32 = imm3 << 12 | 12 << 8 | returnTo & 0xFF
        hw.append((UInt16(first), String(format: "T32 MOVW r12, #%05x", returnTo)))
        hw.append((UInt16(second), "(MOVW second half)"))
        hw.append((0x4760, "T16 BX r12 (back to A32)"))
        if hw.count % 2 == 1 { hw.append((0xBF00, "T16 NOP")) }
        for k in stride(from: 0, to: hw.count, by: 2) {
            emit(UInt32(hw[k].0) | UInt32(hw[k + 1].0) << 16, hw[k].1 + " | " + hw[k + 1].1)
        }
    }

    /// One 16-bit data-processing instruction that leaves r7 alone.
    mutating func thumbDataProcessing() -> (UInt16, String) {
        let rd = u(7), rm = u(8)
        switch int(5) {
        case 0: return (UInt16(0x4000 | u(16) << 6 | rm << 3 | rd), "T16 data-processing (register)")
        case 1: return (UInt16((chance(50) ? 0x1C00 : 0x1E00) | u(8) << 6 | rm << 3 | rd), "T16 ADDS/SUBS #imm3")
        case 2: return (UInt16(u(3) << 11 | u(32) << 6 | rm << 3 | rd), "T16 LSLS/LSRS/ASRS #imm5")
        case 3: return (UInt16(0x2000 | rd << 8 | u(256)), "T16 MOVS #imm8")
        default: return (UInt16(0x1800 | u(8) << 6 | rm << 3 | rd), "T16 ADDS Rd, Rn, Rm")
        }
    }

    mutating func resolve(_ blockCount: Int) {
        for (at, fix) in fixups {
            switch fix {
            case let .branch(cond, link, block):
                let t = blockStarts[min(block, blockCount - 1)]
                words[at] = A.b(cond, at: at, to: t, link: link); notes[at]! += String(format: " = %05x", t)
            case let .movw(rd, block, cond):
                let t = blockStarts[min(block, blockCount - 1)]
                words[at] = A.movw(rd, t, cond: cond); notes[at]! += String(format: " = %05x", t)
            case let .selfMod(block, after):
                let ahead = replaceable.filter { $0.block == block && $0.address > after }
                let pool = ahead.isEmpty ? replaceable : ahead
                let slot = pool[int(pool.count)].address
                words[at] = A.movw(9, slot); notes[at]! += String(format: " = %05x%@", slot, ahead.isEmpty ? "" : " (ahead, same block)")
            }
        }
    }
}
