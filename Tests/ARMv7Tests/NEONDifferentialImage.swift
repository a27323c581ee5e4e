import Foundation

// NEON differential testing, part 2: the case model, its outcome and the
// generated program (a static ARM ELF written directly, no cross compiler).
//
// Each case has a 64-byte code block: literals, an ARM entry that loads r0 =
// the case's input record and jumps to the shared setup, a prefix
// instruction and the instruction under test (A32, or T32 entered by
// `ldm ... pc` with bit 0 set; the prefix changes a register or the flags
// the NEON instruction then reads, so a JIT must hand its cached state to
// it), and a landing that records r0–r14, APSR, FPSCR, D0–D31 and the scratch buffer in
// the case's output record. A faulting instruction is recorded by a signal
// handler (SIGILL, SIGBUS, SIGSEGV) in the same way with the signal number.
// The same image runs on qemu-arm and on the core (whose runner delivers the
// signal like Linux does), so both sides produce the same bytes when they
// agree.

/// One NEON instruction with its initial state.
struct NEONCase: Equatable {
    /// The A32 form of the instruction (for T32 cases the word is rewritten
    /// to its T32 encoding when the image is built).
    var insn: UInt32
    var thumb: Bool
    /// The instruction before it in the same block: an A32 word, or a 16-bit
    /// T32 instruction. A NOP by default.
    var prefix: UInt32
    var d: [UInt64]          // D0–D31
    var r: [UInt32]          // r0–r14
    var fpscr: UInt32
    var apsr: UInt32         // NZCVQ and GE
    var scratch: [UInt8]     // NEONLayout.scratchSize bytes

    /// The T32 encoding of an A32-form Advanced SIMD word (ARM ARM A7.4, A7.7):
    /// 1111001U → 111U1111, 11110100 → 11111001; transfers keep their low
    /// 28 bits under 1110.
    static func t32(_ a32: UInt32) -> UInt32 {
        if a32 >> 25 == 0x79 { return 0xEF00_0000 | (a32 & 0x0100_0000) << 4 | a32 & 0x00FF_FFFF }
        if a32 >> 24 == 0xF4 { return 0xF900_0000 | a32 & 0x00FF_FFFF }
        return 0xE000_0000 | a32 & 0x0FFF_FFFF
    }

    var encoded: UInt32 { thumb ? NEONCase.t32(insn) : insn }
    static let nopA32: UInt32 = 0xE320_F000
    static let nopT16: UInt32 = 0xBF00
    var hasPrefix: Bool { prefix != (thumb ? NEONCase.nopT16 : NEONCase.nopA32) }
    var family: String { NEONFamilies.name(of: insn) }

    /// One line: the instruction and its inputs (core registers, flags, D registers).
    func describe() -> String {
        let w = thumb ? String(format: "T32 %04x %04x", encoded >> 16, encoded & 0xFFFF) : String(format: "A32 %08x", insn)
        var s = "\(w) (A32 form \(String(format: "%08x", insn))): \(NEONFamilies.describe(insn))"
        if hasPrefix { s += String(format: thumb ? ", after %04x" : ", after %08x", prefix) + " (\(NEONCase.describePrefix(prefix, thumb: thumb)))" }
        s += "\n"
        s += "  in: fpscr \(hex(fpscr)) apsr \(hex(apsr)) " + r.enumerated().map { "r\($0.offset)=\(hex($0.element))" }.joined(separator: " ") + "\n"
        s += "  in: " + d.enumerated().map { "d\($0.offset)=\(hex($0.element))" }.joined(separator: " ")
        return s
    }
}

extension NEONCase {
    /// A prefix in words (the generator makes only these kinds).
    static func describePrefix(_ p: UInt32, thumb: Bool) -> String {
        if thumb {
            if p >> 11 == 0b00110 { return "adds r\((p >> 8) & 7), #\(p & 0xFF)" }
            if p >> 6 == 0b0100001010 { return "cmp r\(p & 7), r\((p >> 3) & 7)" }
            return "?"
        }
        if p & 0xFFF0_0000 == 0xE280_0000 { return "add r\((p >> 12) & 0xF), r\((p >> 16) & 0xF), #\(p & 0xFF)" }
        if p & 0xFFF0_0000 == 0xE150_0000 { return "cmp r\((p >> 16) & 0xF), r\(p & 0xF)" }
        if p & 0xFFBF_0FD0 == 0xEEB0_0B40 {
            return "vmov.f64 d\((p >> 18) & 0x10 | (p >> 12) & 0xF), d\((p >> 1) & 0x10 | p & 0xF)"
        }
        return "?"
    }
}

/// What a case leaves behind (the output record, decoded).
struct NEONOutcome: Equatable {
    var r: [UInt32]       // r0–r14
    var landing: UInt32   // the landing address, or the faulting address + 1
    var psr: UInt32
    var signal: UInt32
    var fpscr: UInt32
    var d: [UInt64]
    var scratch: [UInt8]

    init(r: [UInt32], landing: UInt32, psr: UInt32, signal: UInt32, fpscr: UInt32, d: [UInt64], scratch: [UInt8]) {
        self.r = r; self.landing = landing; self.psr = psr; self.signal = signal; self.fpscr = fpscr; self.d = d; self.scratch = scratch
    }

    init<C: Collection>(record b: C) where C.Element == UInt8, C.Index == Int {
        let o = b.startIndex
        func w(_ i: Int) -> UInt32 {
            UInt32(b[o + i]) | UInt32(b[o + i + 1]) << 8 | UInt32(b[o + i + 2]) << 16 | UInt32(b[o + i + 3]) << 24
        }
        r = (0..<15).map { w(4 * $0) }
        landing = w(60)
        signal = w(68)
        psr = w(64) & DiffOutcome.mask(signal: signal)
        fpscr = w(72)
        d = (0..<32).map { UInt64(w(80 + 8 * $0)) | UInt64(w(84 + 8 * $0)) << 32 }
        scratch = Array(b[(o + 336)..<(o + 336 + NEONLayout.scratchSize)])
    }

    /// The output record this outcome decodes from (unused bytes zero).
    var record: [UInt8] {
        var b = [UInt8](repeating: 0, count: NEONLayout.recordSize)
        func put(_ at: Int, _ v: UInt32) { for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) } }
        for i in 0..<15 { put(4 * i, r[i]) }
        put(60, landing); put(64, psr); put(68, signal); put(72, fpscr)
        for i in 0..<32 { put(80 + 8 * i, UInt32(truncatingIfNeeded: d[i])); put(84 + 8 * i, UInt32(truncatingIfNeeded: d[i] >> 32)) }
        b.replaceSubrange(336..<(336 + NEONLayout.scratchSize), with: scratch)
        return b
    }

    /// Field-by-field differences (self = expected, other = actual).
    func differences(from a: NEONOutcome) -> [String] {
        var s: [String] = []
        if signal != a.signal { s.append("signal: qemu \(signal) core \(a.signal)") }
        if landing != a.landing { s.append("landing: qemu \(hex(landing)) core \(hex(a.landing))") }
        let m = DiffOutcome.mask(signal: signal) | DiffOutcome.mask(signal: a.signal)
        if psr & m != a.psr & m { s.append("APSR: qemu \(DiffText.psr(psr)) core \(DiffText.psr(a.psr))") }
        if fpscr != a.fpscr { s.append("FPSCR: qemu \(hex(fpscr)) core \(hex(a.fpscr))") }
        for i in 0..<15 where r[i] != a.r[i] { s.append("r\(i): qemu \(hex(r[i])) core \(hex(a.r[i]))") }
        for i in 0..<32 where d[i] != a.d[i] { s.append("d\(i): qemu \(hex(d[i])) core \(hex(a.d[i]))") }
        var i = 0
        while i < scratch.count {
            if scratch[i] != a.scratch[i] {
                let w = i & ~7
                let e = scratch[w..<(w + 8)].map { String(format: "%02x", $0) }.joined()
                let g = a.scratch[w..<(w + 8)].map { String(format: "%02x", $0) }.joined()
                s.append("mem[\(hex(NEONLayout.scratch + UInt32(w)))]: qemu \(e) core \(g)")
                i = w + 8
            } else {
                i += 1
            }
        }
        return s
    }
}

/// Addresses of the generated program. A case's addresses depend only on
/// its index in its image (and the image's size for the records).
enum NEONLayout {
    /// Bump when the layout or harness code changes (the corpus records it).
    static let version = 2
    static let imageBase: UInt32 = 0x10000
    static let setupCode: UInt32 = 0x10100
    static let saveCode: UInt32 = 0x10200
    /// The part of the save code shared with the signal handler (r0 = output record, r3 = block).
    static let saveTail: UInt32 = 0x10240
    static let exitCode: UInt32 = 0x10300
    static let prologue: UInt32 = 0x10380
    static let handler: UInt32 = 0x10400
    static let pool: UInt32 = 0x10F00
    static let sigaction: UInt32 = 0x11900
    static let stackT: UInt32 = 0x11940
    /// 128 bytes straddling a page boundary.
    static let scratch: UInt32 = 0x11FC0
    static let scratchSize = 128
    static let altStack: UInt32 = 0x13000
    static let altStackSize: UInt32 = 0x2000
    static let coreSignalContext: UInt32 = 0x14800
    /// Groups of 64 blocks: a code page, then a page of r0 save slots.
    static let blocks: UInt32 = 0x16000
    static let blockSize: UInt32 = 64
    static let perPage = 64
    static let recordSize = 464

    static func block(_ i: Int) -> UInt32 { blocks + UInt32(i / perPage) * 0x2000 + UInt32(i % perPage) * blockSize }
    static func slot(_ i: Int) -> UInt32 { blocks + UInt32(i / perPage) * 0x2000 + 0x1000 + UInt32(i % perPage) * 4 }
    static func entry(_ i: Int) -> UInt32 { block(i) + 16 }
    /// Where a case starts: its prefix instruction.
    static func start(_ i: Int) -> UInt32 { block(i) + 24 }
    /// The NEON instruction (after a 32-bit A32 or 16-bit T32 prefix).
    static func test(_ i: Int, thumb: Bool) -> UInt32 { block(i) + (thumb ? 26 : 28) }
    static func landing(_ i: Int) -> UInt32 { block(i) + 32 }
    static func inputs(count n: Int) -> UInt32 { blocks + UInt32((n + perPage - 1) / perPage) * 0x2000 }
    static func input(_ i: Int, count n: Int) -> UInt32 { inputs(count: n) + UInt32(i * recordSize) }
    static func outputs(count n: Int) -> UInt32 { (inputs(count: n) + UInt32(n * recordSize) + 0xFFF) & ~0xFFF }
    static func output(_ i: Int, count n: Int) -> UInt32 { outputs(count: n) + UInt32(i * recordSize) }
    static func blockIndex(of address: UInt32, count n: Int) -> Int? {
        guard address >= blocks, address < inputs(count: n) else { return nil }
        let off = address - blocks
        if off & 0x1000 != 0 { return nil }
        let i = Int(off / 0x2000) * perPage + Int((off & 0xFFF) / blockSize)
        return i < n ? i : nil
    }
}

/// A generated NEON program.
struct NEONImage {
    let count: Int
    let elf: [UInt8]
    let memorySize: Int
    var outputBase: UInt32 { NEONLayout.outputs(count: count) }
    var outputSize: Int { count * NEONLayout.recordSize }
    /// The first SVC of the exit code (write); the core stops there.
    static let exitSVC: UInt32 = NEONLayout.exitCode + 16

    init(cases: [NEONCase]) {
        precondition(!cases.isEmpty)
        let n = cases.count
        count = n
        let fileEnd = NEONLayout.outputs(count: n)
        var img = [UInt8](repeating: 0, count: Int(fileEnd - NEONLayout.imageBase))
        func put(_ addr: UInt32, _ w: UInt32) {
            let o = Int(addr - NEONLayout.imageBase)
            img[o] = UInt8(truncatingIfNeeded: w); img[o + 1] = UInt8(truncatingIfNeeded: w >> 8)
            img[o + 2] = UInt8(truncatingIfNeeded: w >> 16); img[o + 3] = UInt8(truncatingIfNeeded: w >> 24)
        }
        func putCode(_ start: UInt32, _ words: [UInt32]) {
            for (k, w) in words.enumerated() { put(start + UInt32(4 * k), w) }
        }
        let poolScratch = NEONLayout.pool, poolOut = NEONLayout.pool + 4, poolOutSize = NEONLayout.pool + 8
        put(poolScratch, NEONLayout.scratch)
        put(poolOut, NEONLayout.outputs(count: n))
        put(poolOutSize, UInt32(n * NEONLayout.recordSize))
        put(NEONLayout.pool + 12, NEONLayout.stackT)
        put(NEONLayout.pool + 16, NEONLayout.sigaction)
        put(NEONLayout.stackT, NEONLayout.altStack)
        put(NEONLayout.stackT + 4, 0)
        put(NEONLayout.stackT + 8, NEONLayout.altStackSize)
        put(NEONLayout.sigaction, NEONLayout.handler)
        put(NEONLayout.sigaction + 4, 0x4800_0004)   // SA_NODEFER | SA_ONSTACK | SA_SIGINFO

        // setup (r0 = input record: scratch, D0–D31, FPSCR, APSR, r0–r15).
        let s = NEONLayout.setupCode
        var setup: [UInt32] = [0xE1A0_1000,                              // mov r1, r0
                               DiffAsm.ldrPC(2, at: s + 4, poolScratch)]
        for _ in 0..<4 { setup += [0xE8B1_07F8, 0xE8A2_07F8] }               // ldmia r1!, {r3-r10}; stmia r2!, {r3-r10}
        setup += [0xECB1_0B20, 0xECF1_0B20,                                  // vldmia r1!, {d0-d15}; {d16-d31}
                  0xE491_2004, 0xEEE1_2A10,                                  // ldr r2, [r1], #4; vmsr fpscr, r2
                  0xE491_2004, 0xE12C_F002,                                  // ldr r2, [r1], #4; msr APSR_nzcvqg, r2
                  0xE891_FFFF]                                               // ldm r1, {r0-r15}
        putCode(s, setup)
        // save (r0 = output record, r1 = landing, r2 = the case's r0; r1–r14 stored).
        let v = NEONLayout.saveCode
        putCode(v, [
            DiffAsm.str(2, 0, 0), DiffAsm.str(1, 0, 60),
            0xE10F_4000, DiffAsm.str(4, 0, 64),                 // mrs r4, APSR
            DiffAsm.movImm(4, 0), DiffAsm.str(4, 0, 68),        // no signal
            0xE3C1_303F,                                        // bic r3, r1, #63: the block
            DiffAsm.b(at: v + 28, NEONLayout.saveTail),
        ])
        let tl = NEONLayout.saveTail
        var tail: [UInt32] = [0xEEF1_4A10, DiffAsm.str(4, 0, 72),   // vmrs r4, fpscr
                              DiffAsm.addImm(1, 0, 80),
                              0xECA1_0B20, 0xECE1_0B20,              // vstmia r1!, {d0-d15}; {d16-d31}
                              DiffAsm.ldrPC(2, at: tl + 20, poolScratch)]
        for _ in 0..<4 { tail += [0xE8B2_0FF0, 0xE8A1_0FF0] }       // ldmia r2!, {r4-r11}; stmia r1!, {r4-r11}
        tail.append(0xE593_F008)                                     // ldr pc, [r3, #8]: next case
        precondition(tl + UInt32(4 * tail.count) <= NEONLayout.exitCode)
        putCode(tl, tail)
        // prologue (qemu-arm): sigaltstack, handlers for SIGILL, SIGTRAP, SIGBUS, SIGSEGV.
        let pr = NEONLayout.prologue
        var pro: [UInt32] = [DiffAsm.ldrPC(0, at: pr, NEONLayout.pool + 12), DiffAsm.movImm(1, 0),
                             DiffAsm.movImm(7, 186), DiffAsm.svc0]
        for sig: UInt32 in [4, 5, 7, 11] {
            let at = pr + UInt32(4 * pro.count)
            pro += [DiffAsm.movImm(0, sig), DiffAsm.ldrPC(1, at: at + 4, NEONLayout.pool + 16), DiffAsm.movImm(2, 0),
                    DiffAsm.movImm(3, 8), DiffAsm.movImm(7, 174), DiffAsm.svc0]
        }
        pro.append(DiffAsm.b(at: pr + UInt32(4 * pro.count), NEONLayout.entry(0)))
        precondition(pr + UInt32(4 * pro.count) <= NEONLayout.handler)
        putCode(pr, pro)
        // handler(r0 = signal, r2 = ucontext; its sigcontext r0–r15, CPSR at +32).
        // D0–D31 and FPSCR are still those of the faulting instruction.
        let hd = NEONLayout.handler
        putCode(hd, [
            DiffAsm.addImm(2, 2, 32),
            DiffAsm.ldr(3, 2, 60),       // faulting pc
            0xE3C3_303F,                 // bic r3, r3, #63: its block
            DiffAsm.ldr(4, 3, 4),        // the output record
            0xE8B2_0FE0, 0xE8A4_0FE0,    // ldmia r2!, {r5-r11}; stmia r4!: r0–r6
            0xE8B2_0FE0, 0xE8A4_0FE0,    // r7–r13
            0xE8B2_00E0,                 // ldmia r2!, {r5-r7}: r14, pc, cpsr
            0xE484_5004,                 // str r5, [r4], #4
            0xE386_6001,                 // orr r6, r6, #1
            0xE484_6004, 0xE484_7004,    // landing, APSR
            0xE484_0004,                 // signal
            0xE244_0048,                 // sub r0, r4, #72
            DiffAsm.b(at: hd + 60, NEONLayout.saveTail),
        ])
        let x = NEONLayout.exitCode
        putCode(x, [
            DiffAsm.movImm(0, 1), DiffAsm.ldrPC(1, at: x + 4, poolOut), DiffAsm.ldrPC(2, at: x + 8, poolOutSize),
            DiffAsm.movImm(7, 4), DiffAsm.svc0,
            DiffAsm.movImm(0, 0), DiffAsm.movImm(7, 1), DiffAsm.svc0,
        ])

        for (i, c) in cases.enumerated() {
            let b = NEONLayout.block(i)
            put(b, NEONLayout.input(i, count: n))
            put(b + 4, NEONLayout.output(i, count: n))
            put(b + 8, i + 1 < n ? NEONLayout.entry(i + 1) : NEONLayout.exitCode)
            put(b + 16, DiffAsm.ldrPC(0, at: b + 16, b))
            put(b + 20, DiffAsm.b(at: b + 20, NEONLayout.setupCode))
            if c.thumb {
                // prefix, the 32-bit instruction, a NOP, then bx pc; nop back to ARM.
                let t = c.encoded
                put(b + 24, c.prefix | (t >> 16) << 16)
                put(b + 28, t & 0xFFFF | NEONCase.nopT16 << 16)
                put(b + 32, 0x46C0_4778)
            } else {
                put(b + 24, c.prefix)
                put(b + 28, c.insn)
                put(b + 32, DiffAsm.nop)
            }
            let l = b + 36
            putCode(l, [
                DiffAsm.strPC(0, at: l, NEONLayout.slot(i)),
                DiffAsm.ldrPC(0, at: l + 4, b + 4),
                0xE980_7FFE,                                  // stmib r0, {r1-r14}
                DiffAsm.ldrPC(2, at: l + 12, NEONLayout.slot(i)),
                0xE24F_101C,                                  // sub r1, pc, #28: the landing (+32)
                DiffAsm.b(at: l + 20, NEONLayout.saveCode),
                DiffAsm.udf,
            ])
            let inp = NEONLayout.input(i, count: n)
            let o = Int(inp - NEONLayout.imageBase)
            precondition(c.scratch.count == NEONLayout.scratchSize && c.d.count == 32 && c.r.count == 15)
            img.replaceSubrange(o..<(o + NEONLayout.scratchSize), with: c.scratch)
            for k in 0..<32 {
                put(inp + 128 + UInt32(8 * k), UInt32(truncatingIfNeeded: c.d[k]))
                put(inp + 132 + UInt32(8 * k), UInt32(truncatingIfNeeded: c.d[k] >> 32))
            }
            put(inp + 384, c.fpscr)
            put(inp + 388, c.apsr)
            for k in 0..<15 { put(inp + 392 + UInt32(4 * k), c.r[k]) }
            put(inp + 452, NEONLayout.start(i) | (c.thumb ? 1 : 0))
        }

        // ELF header and the single RWX PT_LOAD segment.
        memorySize = img.count + n * NEONLayout.recordSize
        var h: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        func h16(_ v: Int) { h += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func h32(_ v: UInt32) { h += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        h16(2); h16(40); h32(1)
        h32(NEONLayout.prologue); h32(52); h32(0)
        h32(0x0500_0400)
        h16(52); h16(32); h16(1); h16(40); h16(0); h16(0)
        h32(1); h32(0); h32(NEONLayout.imageBase); h32(NEONLayout.imageBase)
        h32(UInt32(img.count)); h32(UInt32(memorySize)); h32(7); h32(0x1000)
        img.replaceSubrange(0..<h.count, with: h)
        elf = img
    }

    /// The outcome a case would have if the instruction did nothing (used to
    /// expand the corpus's stored differences).
    static func unchanged(_ c: NEONCase, index i: Int) -> NEONOutcome {
        NEONOutcome(r: c.r, landing: NEONLayout.landing(i), psr: c.apsr & DiffOutcome.psrMask, signal: 0,
                    fpscr: c.fpscr, d: c.d, scratch: c.scratch)
    }
}
