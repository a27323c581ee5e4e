import Foundation

// Differential testing against qemu-arm, part 1: the case model, the memory
// layout and the generated program (a static ARM ELF written directly, so no
// cross toolchain is needed).
//
// The same image runs on qemu-arm (user mode) and on the ARMv7 core. For
// every case the program copies a scratch template into the scratch buffer,
// applies up to two word patches, loads the flags and r0–r15 from the case's
// input record (the PC slot holds the address of the instruction under test,
// so the `ldm r0, {r0-r15}` that loads the state jumps to it), executes the
// instruction, and lands on one of three "landing" sequences which save
// r0–r14, the landing address, the APSR and the scratch buffer into the
// case's output record. The last case jumps to code that writes all output
// records to stdout and exits. Both sides therefore produce the same bytes
// when they agree.

/// SplitMix64: small, fast, and the same on every platform.
struct DiffRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 16) }
    /// Uniform-ish in 0..<n.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ n: Int) -> Bool { below(n) == 0 }
    mutating func bool() -> Bool { next() & 1 != 0 }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

/// One word written into the scratch area (or anywhere in the image's data)
/// after the template is copied and before the state is loaded.
struct DiffPatch: Equatable {
    var address: UInt32
    var value: UInt32
}

/// One instruction under test with its initial state.
struct DiffCase: Equatable {
    /// Instruction class (for grouping mismatches).
    var cls: String
    /// The instruction word.
    var insn: UInt32
    /// A second instruction right after it (a NOP unless the case is a pair
    /// such as SETEND BE + load, or LDREX + STREX).
    var insn2: UInt32 = DiffAsm.nop
    /// Disassembly-ish text.
    var desc: String
    /// r0–r14 on entry.
    var regs: [UInt32]
    /// NZCVQ and GE on entry (other bits zero).
    var psr: UInt32
    /// Scratch template number (0 ..< DiffLayout.templateCount).
    var template: Int
    /// At most two patches.
    var patches: [DiffPatch]
    /// T32 cases only: the instruction sequence put at the block's Thumb
    /// test area (an element <= 0xFFFF is a 16-bit instruction, a larger one
    /// a 32-bit instruction as first halfword << 16 | second halfword).
    /// `insn` is then the element under test. Empty for A32 cases.
    var thumb: [UInt32] = []

    var isThumb: Bool { !thumb.isEmpty }
    /// Halfwords of the Thumb sequence in memory order.
    var thumbHalfwords: [UInt16] {
        thumb.flatMap { $0 > 0xFFFF ? [UInt16($0 >> 16), UInt16($0 & 0xFFFF)] : [UInt16($0)] }
    }
}

/// What a case leaves behind: the 328-byte output record, decoded.
struct DiffOutcome: Equatable {
    var regs: [UInt32]     // r0–r14
    /// Address of the landing sequence reached ("r15"), or for a fault the
    /// address of the faulting instruction plus 1.
    var landing: UInt32
    var psr: UInt32        // APSR as read by MRS (or from the signal context)
    /// 0, or the signal a fault raised (SIGILL 4, SIGTRAP 5, SIGBUS 7, SIGSEGV 11).
    var signal: UInt32 = 0
    var scratch: [UInt8]   // the scratch buffer after the instruction

    /// Bits of the APSR that are compared: N Z C V Q and GE. (MRS in User
    /// mode returns the other CPSR bits as UNKNOWN.)
    static let psrMask: UInt32 = 0xF80F_0000
    /// For a fault, the CPSR comes from the signal context (the state saved
    /// at the exception), so the T bit and ITSTATE of the faulting
    /// instruction are compared too.
    static let faultStateMask: UInt32 = 0x0600_FC20
    static func mask(signal: UInt32) -> UInt32 { signal == 0 ? psrMask : psrMask | faultStateMask }

    init(regs: [UInt32], landing: UInt32, psr: UInt32, signal: UInt32, scratch: [UInt8]) {
        self.regs = regs; self.landing = landing; self.psr = psr; self.signal = signal; self.scratch = scratch
    }

    init(record: ArraySlice<UInt8>) {
        let b = Array(record)
        func w(_ i: Int) -> UInt32 {
            UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8 | UInt32(b[4 * i + 2]) << 16 | UInt32(b[4 * i + 3]) << 24
        }
        regs = (0..<15).map(w)
        landing = w(15)
        signal = w(17)
        psr = w(16) & DiffOutcome.mask(signal: signal)
        scratch = Array(b[72..<(72 + DiffLayout.scratchSize)])
    }

    /// Field-by-field differences from `other` (self = expected, other = actual).
    func differences(from other: DiffOutcome) -> [String] {
        var d: [String] = []
        for i in 0..<15 where regs[i] != other.regs[i] {
            d.append("\(DiffText.reg(i)): expected \(DiffText.hex(regs[i])) got \(DiffText.hex(other.regs[i]))")
        }
        if landing != other.landing {
            d.append("pc (landing): expected \(DiffText.hex(landing)) got \(DiffText.hex(other.landing))")
        }
        if signal != other.signal {
            d.append("signal: expected \(signal) got \(other.signal)")
        }
        let m = DiffOutcome.mask(signal: signal) | DiffOutcome.mask(signal: other.signal)
        if psr & m != other.psr & m {
            d.append("APSR: expected \(DiffText.psr(psr)) got \(DiffText.psr(other.psr))")
        }
        var i = 0
        while i < scratch.count {
            if scratch[i] != other.scratch[i] {
                let w = i & ~3
                let e = scratch[w..<(w + 4)].map { String(format: "%02x", $0) }.joined()
                let g = other.scratch[w..<(w + 4)].map { String(format: "%02x", $0) }.joined()
                d.append("mem[\(DiffText.hex(DiffLayout.scratch + UInt32(w)))] bytes: expected \(e) got \(g)")
                i = w + 4
            } else {
                i += 1
            }
        }
        return d
    }
}

/// Addresses of everything in the generated program. A case's addresses
/// depend only on its index in its image, so a stored case reproduces
/// exactly when it is put back at the same index.
enum DiffLayout {
    /// Bump when the layout or the harness code changes: stored corpora
    /// record it and are rejected (regenerate them) when it differs.
    static let version = 4
    /// The same for the T32 block layout and harness (T32 corpora say "layout T<n>").
    static let thumbVersion = 2
    static func versionText(thumb: Bool) -> String { thumb ? "T\(thumbVersion)" : "\(version)" }

    static let imageBase: UInt32 = 0x10000
    /// Harness subroutines (after the ELF header, same page).
    static let setupCode: UInt32 = 0x10100
    static let saveCode: UInt32 = 0x10200
    static let exitCode: UInt32 = 0x10300
    /// qemu-arm only: installs the signal handlers, then runs case 0.
    static let prologue: UInt32 = 0x10380
    /// Signal handler: records a faulting case like a landing sequence
    /// (landing = faulting address + 1, plus the signal number).
    static let handler: UInt32 = 0x10400
    /// Literal pool of the harness subroutines.
    static let pool: UInt32 = 0x10F00
    static let templates: UInt32 = 0x11000
    static let templateCount = 8
    /// Unused patch slots write here.
    static let junk: UInt32 = 0x11800
    static let sigaction: UInt32 = 0x11900
    static let stackT: UInt32 = 0x11940
    /// The scratch buffer straddles a page boundary (at offset 128), so
    /// unaligned and multi-word accesses also cross pages.
    static let scratch: UInt32 = 0x11F80
    static let scratchSize = 256
    static let pageCrossing = 128
    /// Alternate signal stack (qemu-arm), and where the core's runner
    /// builds the signal context it hands to the handler.
    static let altStack: UInt32 = 0x13000
    static let altStackSize: UInt32 = 0x2000
    static let coreSignalContext: UInt32 = 0x14800
    static let blocks: UInt32 = 0x15000
    /// Each block (one case) is 32 words; 32 blocks fill a code page, which is
    /// followed by a data page with their r0 save slots and input records.
    static let blockSize: UInt32 = 128
    static let blocksPerPage = 32
    static let inputRecordSize: UInt32 = 96
    static let outputRecordSize = 72 + scratchSize

    static func template(_ t: Int) -> UInt32 { templates + UInt32(t * scratchSize) }

    // Block geometry. A32 images use 128-byte blocks (32 per code page);
    // T32 images use 256-byte blocks (16 per code page), laid out as below.
    // An image holds only A32 or only T32 cases.
    static func blockSize(thumb: Bool) -> UInt32 { thumb ? 256 : blockSize }
    static func perPage(thumb: Bool) -> Int { thumb ? 16 : blocksPerPage }

    static func block(_ i: Int, thumb: Bool = false) -> UInt32 {
        let k = perPage(thumb: thumb)
        return blocks + UInt32(i / k) * 0x2000 + UInt32(i % k) * blockSize(thumb: thumb)
    }
    static func saveSlot(_ i: Int, thumb: Bool = false) -> UInt32 {
        let k = perPage(thumb: thumb)
        return blocks + UInt32(i / k) * 0x2000 + 0x1000 + UInt32(i % k) * 4
    }
    static func input(_ i: Int, thumb: Bool = false) -> UInt32 {
        let k = perPage(thumb: thumb)
        return blocks + UInt32(i / k) * 0x2000 + 0x1000 + 128 + UInt32(i % k) * inputRecordSize
    }
    /// The ARM code that starts case `i` (loads r0 = its input record, runs setup).
    static func entry(_ i: Int, thumb: Bool = false) -> UInt32 { block(i, thumb: thumb) + (thumb ? 32 : 24) }
    /// The instruction under test (and the second slot after it).
    static func test(_ i: Int) -> UInt32 { block(i) + 60 }
    /// Landing sequences: before the test (backward branches), right after
    /// the two test slots (fall-through) and further on (forward branches).
    static func landingBack(_ i: Int) -> UInt32 { block(i) + 32 }
    static func landingNext(_ i: Int) -> UInt32 { block(i) + 68 }
    static func landingFwd(_ i: Int) -> UInt32 { block(i) + 96 }

    // T32 block (256 bytes):
    //   +0   literals: input, output, markers back/next/fwd, next entry,
    //        marker ARM, 0 (handler and save code read +4 and +20)
    //   +32  entry (ARM): ldr r0, [pc, #-40]; b setup
    //   +40  Thumb landing "back"   (bx pc; nop; then the ARM landing code)
    //   +72  Thumb test area, 48 bytes (IT block or one instruction, NOP padded)
    //   +120 Thumb landing "next"   (fall-through)
    //   +152 Thumb landing "fwd"
    //   +184 ARM landing (targets of BLX imm, BX/LDR pc/POP to an ARM address)
    //   +212 data pool (fixed words, read by PC-relative loads), +252 UDF
    static let thumbTestSize: UInt32 = 48
    static func thumbTest(_ i: Int) -> UInt32 { block(i, thumb: true) + 72 }
    static func thumbLandingBack(_ i: Int) -> UInt32 { block(i, thumb: true) + 40 }
    static func thumbLandingNext(_ i: Int) -> UInt32 { block(i, thumb: true) + 120 }
    static func thumbLandingFwd(_ i: Int) -> UInt32 { block(i, thumb: true) + 152 }
    static func thumbLandingARM(_ i: Int) -> UInt32 { block(i, thumb: true) + 184 }
    static func thumbPool(_ i: Int) -> UInt32 { block(i, thumb: true) + 212 }
    static let thumbPoolSize: UInt32 = 40
    /// The fixed data pool words (the same in every block).
    static func thumbPoolWord(_ k: Int) -> UInt32 {
        [0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x0000_0080, 0x1234_5678,
         0x8081_7F7E, 0xFFFF_8000, 0x0000_7FFF, 0xDEAD_BEEF, 0x0102_0304][k % 10]
    }

    /// Whether `address` is an instruction of case `i`'s test code (where
    /// a fault is delivered as a signal).
    static func isTestAddress(_ address: UInt32, _ i: Int, thumb: Bool) -> Bool {
        thumb ? address >= thumbTest(i) && address < thumbTest(i) + thumbTestSize
            : address == test(i) || address == test(i) + 4
    }

    static func outputs(count n: Int, thumb: Bool = false) -> UInt32 {
        let k = perPage(thumb: thumb)
        return blocks + UInt32((n + k - 1) / k) * 0x2000
    }
    static func output(_ i: Int, count n: Int, thumb: Bool = false) -> UInt32 {
        outputs(count: n, thumb: thumb) + UInt32(i * outputRecordSize)
    }
    /// The block index containing `address`, if it is in a block.
    static func blockIndex(of address: UInt32, count n: Int, thumb: Bool = false) -> Int? {
        guard address >= blocks, address < outputs(count: n, thumb: thumb) else { return nil }
        let off = address - blocks
        if off & 0x1000 != 0 { return nil }
        let i = Int(off / 0x2000) * perPage(thumb: thumb) + Int((off & 0xFFF) / blockSize(thumb: thumb))
        return i < n ? i : nil
    }
}

/// A tiny A32 encoder for the harness's own code (condition AL).
enum DiffAsm {
    static func ldr(_ rt: Int, _ rn: Int, _ off: Int) -> UInt32 {
        let u: UInt32 = off >= 0 ? 1 << 23 : 0
        precondition(abs(off) < 4096)
        return 0xE510_0000 | u | UInt32(rn) << 16 | UInt32(rt) << 12 | UInt32(abs(off))
    }
    static func str(_ rt: Int, _ rn: Int, _ off: Int) -> UInt32 { ldr(rt, rn, off) & ~(1 << 20) }
    /// `ldr rt, [pc, #x]` for the instruction at `at` reading `target`.
    static func ldrPC(_ rt: Int, at: UInt32, _ target: UInt32) -> UInt32 {
        ldr(rt, 15, Int(Int64(target) - Int64(at) - 8))
    }
    static func strPC(_ rt: Int, at: UInt32, _ target: UInt32) -> UInt32 {
        str(rt, 15, Int(Int64(target) - Int64(at) - 8))
    }
    static func b(at: UInt32, _ target: UInt32, cond: UInt32 = 0xE) -> UInt32 {
        cond << 28 | 0x0A00_0000 | (UInt32(bitPattern: Int32(bitPattern: target &- at &- 8) >> 2) & 0xFF_FFFF)
    }
    static func movImm(_ rd: Int, _ imm8: UInt32) -> UInt32 { 0xE3A0_0000 | UInt32(rd) << 12 | imm8 }
    static func subsImm(_ rd: Int, _ rn: Int, _ imm8: UInt32) -> UInt32 {
        0xE250_0000 | UInt32(rn) << 16 | UInt32(rd) << 12 | imm8
    }
    static func addImm(_ rd: Int, _ rn: Int, _ imm8: UInt32) -> UInt32 {
        0xE280_0000 | UInt32(rn) << 16 | UInt32(rd) << 12 | imm8
    }
    static let udf: UInt32 = 0xE7F0_00F0
    static let nop: UInt32 = 0xE320_F000
    static let setendLE: UInt32 = 0xF101_0000
    static let setendBE: UInt32 = 0xF101_0200
    static let clrex: UInt32 = 0xF57F_F01F
    static let svc0: UInt32 = 0xEF00_0000
}

/// A generated program: its ELF bytes and where things are.
struct DiffImage {
    let count: Int
    /// A T32 image (256-byte blocks, Thumb test areas).
    let thumb: Bool
    /// The ELF file (its first byte is loaded at `DiffLayout.imageBase`).
    let elf: [UInt8]
    /// Total memory footprint from imageBase (file plus zeroed output area).
    let memorySize: Int
    var outputBase: UInt32 { DiffLayout.outputs(count: count, thumb: thumb) }
    var outputSize: Int { count * DiffLayout.outputRecordSize }
    /// The first SVC of the exit code (write); the core stops there.
    static let exitSVC: UInt32 = DiffLayout.exitCode + 16

    init(cases: [DiffCase], templates: [[UInt8]]) {
        precondition(!cases.isEmpty)
        precondition(templates.count == DiffLayout.templateCount)
        count = cases.count
        let n = cases.count
        let thumb = cases[0].isThumb
        precondition(cases.allSatisfy { $0.isThumb == thumb }, "an image holds only A32 or only T32 cases")
        self.thumb = thumb
        // bic rX, rX, #(block size - 1): the block of an address.
        let blockMask: UInt32 = DiffLayout.blockSize(thumb: thumb) - 1
        let fileEnd = DiffLayout.outputs(count: n, thumb: thumb)
        var img = [UInt8](repeating: 0, count: Int(fileEnd - DiffLayout.imageBase))
        func put(_ addr: UInt32, _ w: UInt32) {
            let o = Int(addr - DiffLayout.imageBase)
            img[o] = UInt8(w & 0xFF); img[o + 1] = UInt8((w >> 8) & 0xFF)
            img[o + 2] = UInt8((w >> 16) & 0xFF); img[o + 3] = UInt8(w >> 24)
        }
        func putCode(_ start: UInt32, _ words: [UInt32]) {
            for (k, w) in words.enumerated() { put(start + UInt32(4 * k), w) }
        }
        let poolScratch = DiffLayout.pool, poolOut = DiffLayout.pool + 4, poolOutSize = DiffLayout.pool + 8
        put(poolScratch, DiffLayout.scratch)
        put(poolOut, DiffLayout.outputs(count: n, thumb: thumb))
        put(poolOutSize, UInt32(n * DiffLayout.outputRecordSize))
        put(DiffLayout.pool + 12, DiffLayout.stackT)
        put(DiffLayout.pool + 16, DiffLayout.sigaction)
        // stack_t and struct sigaction (kernel layout: handler, flags, restorer, mask).
        put(DiffLayout.stackT, DiffLayout.altStack)
        put(DiffLayout.stackT + 4, 0)
        put(DiffLayout.stackT + 8, DiffLayout.altStackSize)
        put(DiffLayout.sigaction, DiffLayout.handler)
        put(DiffLayout.sigaction + 4, 0x4800_0004)   // SA_NODEFER | SA_ONSTACK | SA_SIGINFO

        // setup: r0 = input record. Clears the exclusive monitor, copies the
        // template, applies the patches, sets NZCVQ/GE and loads r0–r15 (pc =
        // the instruction under test).
        let s = DiffLayout.setupCode
        putCode(s, [
            DiffAsm.clrex,
            DiffAsm.ldr(1, 0, 68),
            DiffAsm.ldrPC(2, at: s + 8, poolScratch),
            DiffAsm.movImm(11, 8),
            0xE8B1_07F8,                 // ldmia r1!, {r3-r10}
            0xE8A2_07F8,                 // stmia r2!, {r3-r10}
            DiffAsm.subsImm(11, 11, 1),
            DiffAsm.b(at: s + 28, s + 16, cond: 1),   // bne
            DiffAsm.ldr(1, 0, 72), DiffAsm.ldr(2, 0, 76), DiffAsm.str(2, 1, 0),
            DiffAsm.ldr(1, 0, 80), DiffAsm.ldr(2, 0, 84), DiffAsm.str(2, 1, 0),
            DiffAsm.ldr(1, 0, 64),
            0xE12C_F001,                 // msr APSR_nzcvqg, r1
            0xE890_FFFF,                 // ldm r0, {r0-r15}
        ])
        // save: r0 = output record, r1 = landing address, r2 = saved r0;
        // r1–r14 are already stored, flags untouched. Continues at the entry
        // of the next block (literal 5 of the landing's block).
        let v = DiffLayout.saveCode
        putCode(v, [
            0xE10F_4000,                 // mrs r4, APSR
            DiffAsm.str(4, 0, 64), DiffAsm.str(1, 0, 60), DiffAsm.str(2, 0, 0),
            DiffAsm.movImm(4, 0), DiffAsm.str(4, 0, 68),   // no signal
            0xE3C1_3000 | blockMask,     // bic r3, r1, #0x7f (or 0xff): the block
            DiffAsm.ldr(3, 3, 20),
            DiffAsm.addImm(0, 0, 72),
            DiffAsm.ldrPC(1, at: v + 36, poolScratch),
            DiffAsm.movImm(11, 8),
            0xE8B1_17F0,                 // ldmia r1!, {r4-r10, r12}
            0xE8A0_17F0,                 // stmia r0!, {r4-r10, r12}
            DiffAsm.subsImm(11, 11, 1),
            DiffAsm.b(at: v + 56, v + 44, cond: 1),   // bne
            0xE12F_FF13,                 // bx r3
        ])
        // prologue (qemu-arm): sigaltstack, then rt_sigaction for SIGILL,
        // SIGTRAP, SIGBUS and SIGSEGV; then case 0.
        let pr = DiffLayout.prologue
        var pro: [UInt32] = [DiffAsm.ldrPC(0, at: pr, DiffLayout.pool + 12), DiffAsm.movImm(1, 0),
                             DiffAsm.movImm(7, 186), DiffAsm.svc0]
        for sig: UInt32 in [4, 5, 7, 11] {
            let at = pr + UInt32(4 * pro.count)
            pro += [DiffAsm.movImm(0, sig), DiffAsm.ldrPC(1, at: at + 4, DiffLayout.pool + 16), DiffAsm.movImm(2, 0),
                    DiffAsm.movImm(3, 8), DiffAsm.movImm(7, 174), DiffAsm.svc0]
        }
        pro.append(DiffAsm.b(at: pr + UInt32(4 * pro.count), DiffLayout.entry(0, thumb: thumb)))
        putCode(pr, pro)
        // handler(r0 = signal, r1 = siginfo, r2 = ucontext): the sigcontext's
        // r0–r15 and CPSR start at ucontext + 32.
        let hd = DiffLayout.handler
        putCode(hd, [
            DiffAsm.setendLE,
            DiffAsm.addImm(2, 2, 32),
            DiffAsm.ldr(3, 2, 60),       // faulting pc
            0xE3C3_3000 | blockMask,     // bic r3, r3, #0x7f (or 0xff): its block
            DiffAsm.ldr(4, 3, 4),        // the block's output record
            0xE8B2_1FE0, 0xE8A4_1FE0,    // r0-r7
            0xE8B2_0FE0, 0xE8A4_0FE0,    // r8-r14
            0xE892_0060,                 // ldmia r2, {r5, r6}: pc, cpsr
            0xE385_5001,                 // orr r5, r5, #1
            0xE8A4_0060,                 // stmia r4!, {r5, r6}
            0xE484_0004,                 // str r0, [r4], #4
            DiffAsm.ldrPC(1, at: hd + 52, poolScratch),
            DiffAsm.movImm(11, 8),
            0xE8B1_57E0,                 // ldmia r1!, {r5-r10, r12, lr}
            0xE8A4_57E0,                 // stmia r4!, {r5-r10, r12, lr}
            DiffAsm.subsImm(11, 11, 1),
            DiffAsm.b(at: hd + 72, hd + 60, cond: 1),
            0xE593_F014,                 // ldr pc, [r3, #20]: next case
        ])
        // exit: write(1, outputs, size); exit(0)
        let x = DiffLayout.exitCode
        putCode(x, [
            DiffAsm.movImm(0, 1),
            DiffAsm.ldrPC(1, at: x + 4, poolOut),
            DiffAsm.ldrPC(2, at: x + 8, poolOutSize),
            DiffAsm.movImm(7, 4),
            DiffAsm.svc0,
            DiffAsm.movImm(0, 0),
            DiffAsm.movImm(7, 1),
            DiffAsm.svc0,
        ])
        for (t, bytes) in templates.enumerated() {
            precondition(bytes.count == DiffLayout.scratchSize)
            let o = Int(DiffLayout.template(t) - DiffLayout.imageBase)
            img.replaceSubrange(o..<(o + bytes.count), with: bytes)
        }

        for (i, c) in cases.enumerated() where thumb {
            let b = DiffLayout.block(i, thumb: true)
            let next = i + 1 < n ? DiffLayout.entry(i + 1, thumb: true) : DiffLayout.exitCode
            let landings = [DiffLayout.thumbLandingBack(i), DiffLayout.thumbLandingNext(i),
                            DiffLayout.thumbLandingFwd(i), DiffLayout.thumbLandingARM(i)]
            put(b, DiffLayout.input(i, thumb: true))
            put(b + 4, DiffLayout.output(i, count: n, thumb: true))
            put(b + 8, landings[0])
            put(b + 12, landings[1])
            put(b + 16, landings[2])
            put(b + 20, next)
            put(b + 24, landings[3])
            put(b + 28, 0)
            put(b + 32, DiffAsm.ldrPC(0, at: b + 32, b))
            put(b + 36, DiffAsm.b(at: b + 36, DiffLayout.setupCode))
            let slot = DiffLayout.saveSlot(i, thumb: true)
            for (k, l) in landings.enumerated() {
                // Thumb landings switch to ARM first: bx pc; nop (mov r8, r8).
                let x = k == 3 ? l : l + 4
                if k != 3 { put(l, 0x46C0_4778) }
                putCode(x, [
                    DiffAsm.setendLE,
                    DiffAsm.strPC(0, at: x + 4, slot),
                    DiffAsm.ldrPC(0, at: x + 8, b + 4),
                    0xE980_7FFE,             // stmib r0, {r1-r14}
                    DiffAsm.ldrPC(1, at: x + 16, b + [8, 12, 16, 24][k]),
                    DiffAsm.ldrPC(2, at: x + 20, slot),
                    DiffAsm.b(at: x + 24, DiffLayout.saveCode),
                ])
            }
            // The test area: the sequence, then Thumb NOPs up to the "next" landing.
            let hw = c.thumbHalfwords
            precondition(hw.count * 2 <= Int(DiffLayout.thumbTestSize), "Thumb sequence too long")
            let t = DiffLayout.thumbTest(i)
            for k in 0..<Int(DiffLayout.thumbTestSize / 2) {
                let v = k < hw.count ? hw[k] : 0xBF00
                let o = Int(t - DiffLayout.imageBase) + 2 * k
                img[o] = UInt8(v & 0xFF); img[o + 1] = UInt8(v >> 8)
            }
            for k in 0..<Int(DiffLayout.thumbPoolSize / 4) {
                put(DiffLayout.thumbPool(i) + UInt32(4 * k), DiffLayout.thumbPoolWord(k))
            }
            put(b + 252, DiffAsm.udf)
            let inp = DiffLayout.input(i, thumb: true)
            for r in 0..<15 { put(inp + UInt32(4 * r), c.regs[r]) }
            put(inp + 60, t | 1)          // ldm r0, {r0-r15} interworks into Thumb
            put(inp + 64, c.psr)
            put(inp + 68, DiffLayout.template(c.template))
            precondition(c.patches.count <= 2)
            for k in 0..<2 {
                let p = k < c.patches.count ? c.patches[k] : DiffPatch(address: DiffLayout.junk, value: 0)
                put(inp + 72 + UInt32(8 * k), p.address)
                put(inp + 76 + UInt32(8 * k), p.value)
            }
        }
        for (i, c) in cases.enumerated() where !thumb {
            let b = DiffLayout.block(i)
            let next = i + 1 < n ? DiffLayout.entry(i + 1) : DiffLayout.exitCode
            put(b, DiffLayout.input(i))
            put(b + 4, DiffLayout.output(i, count: n))
            put(b + 8, DiffLayout.landingBack(i))
            put(b + 12, DiffLayout.landingNext(i))
            put(b + 16, DiffLayout.landingFwd(i))
            put(b + 20, next)
            put(b + 24, DiffAsm.ldrPC(0, at: b + 24, b))
            put(b + 28, DiffAsm.b(at: b + 28, DiffLayout.setupCode))
            let slot = DiffLayout.saveSlot(i)
            for (x, marker) in [(DiffLayout.landingBack(i), b + 8), (DiffLayout.landingNext(i), b + 12),
                                (DiffLayout.landingFwd(i), b + 16)] {
                // Data accesses are little-endian again from here (a case may
                // have executed SETEND BE).
                putCode(x, [
                    DiffAsm.setendLE,
                    DiffAsm.strPC(0, at: x + 4, slot),
                    DiffAsm.ldrPC(0, at: x + 8, b + 4),
                    0xE980_7FFE,             // stmib r0, {r1-r14}
                    DiffAsm.ldrPC(1, at: x + 16, marker),
                    DiffAsm.ldrPC(2, at: x + 20, slot),
                    DiffAsm.b(at: x + 24, DiffLayout.saveCode),
                ])
            }
            put(DiffLayout.test(i), c.insn)
            put(DiffLayout.test(i) + 4, c.insn2)
            put(b + 124, DiffAsm.udf)
            // Input record.
            let inp = DiffLayout.input(i)
            for r in 0..<15 { put(inp + UInt32(4 * r), c.regs[r]) }
            put(inp + 60, DiffLayout.test(i))
            put(inp + 64, c.psr)
            put(inp + 68, DiffLayout.template(c.template))
            precondition(c.patches.count <= 2)
            for k in 0..<2 {
                let p = k < c.patches.count ? c.patches[k] : DiffPatch(address: DiffLayout.junk, value: 0)
                put(inp + 72 + UInt32(8 * k), p.address)
                put(inp + 76 + UInt32(8 * k), p.value)
            }
        }

        // ELF header and the single RWX PT_LOAD segment.
        memorySize = img.count + n * DiffLayout.outputRecordSize
        var h: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        func h16(_ v: Int) { h += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func h32(_ v: UInt32) { h += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        h16(2); h16(40); h32(1)                          // ET_EXEC, EM_ARM, EV_CURRENT
        h32(DiffLayout.prologue); h32(52); h32(0)        // entry, phoff, shoff
        h32(0x0500_0400)                                 // EABI5, hard-float ABI
        h16(52); h16(32); h16(1); h16(40); h16(0); h16(0)
        h32(1); h32(0); h32(DiffLayout.imageBase); h32(DiffLayout.imageBase)   // PT_LOAD
        h32(UInt32(img.count)); h32(UInt32(memorySize)); h32(7); h32(0x1000)   // RWX
        img.replaceSubrange(0..<h.count, with: h)
        elf = img
    }

    /// The scratch buffer as a case starts: its template with its patches.
    static func initialScratch(_ c: DiffCase, templates: [[UInt8]]) -> [UInt8] {
        var s = templates[c.template]
        for p in c.patches where p.address >= DiffLayout.scratch
            && p.address + 4 <= DiffLayout.scratch + UInt32(DiffLayout.scratchSize) {
            let o = Int(p.address - DiffLayout.scratch)
            for k in 0..<4 { s[o + k] = UInt8((p.value >> (8 * UInt32(k))) & 0xFF) }
        }
        return s
    }
}

/// Formatting helpers.
enum DiffText {
    static func hex(_ v: UInt32) -> String { String(format: "0x%08x", v) }
    static func reg(_ r: Int) -> String {
        switch r { case 13: return "sp"; case 14: return "lr"; case 15: return "pc"; default: return "r\(r)" }
    }
    static func psr(_ v: UInt32) -> String {
        let f = ["N", "Z", "C", "V", "Q"].enumerated().map { v & (1 << UInt32(31 - $0.offset)) != 0 ? $0.element : "-" }
        var s = f.joined() + " GE=" + String((v >> 16) & 0xF, radix: 2).leftPad(4)
        // Fault outcomes also carry T and ITSTATE.
        let it = (v >> 8) & 0xFC | (v >> 25) & 3
        if v & 0x20 != 0 { s += " T" }
        if it != 0 { s += " IT=" + String(it, radix: 2).leftPad(8) }
        return s
    }
}

extension String {
    func leftPad(_ n: Int, _ c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
