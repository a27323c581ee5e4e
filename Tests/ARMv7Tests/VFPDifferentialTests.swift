import Foundation
import XCTest
@testable import ARMv7
import Machine
import Devices

/// Random VFP instructions and operands, run on the core and on
/// `qemu-arm -cpu cortex-a15` (the oracle) as the same A32 program; the
/// resulting D0–D7, R4–R7, FPSCR and APSR.NZCVQ must be identical.
///
/// The program is a static ARM ELF written here (no cross compiler needed).
/// Without qemu-arm the test is skipped, except in CI (CI=true) where it
/// fails. VFP_DIFF_SEED and VFP_DIFF_CASES override the seed and the count.
final class VFPDifferentialTests: XCTestCase {
    static let loadAddress: UInt32 = TestMachine.ramBase + 0x1_0000
    static let casesPerProgram = 1500

    func testRandomVFPInstructionsMatchQEMU() throws {
        guard let qemu = VFPOracle.qemuPath() else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("qemu-arm is required in CI")
                return
            }
            throw XCTSkip("qemu-arm not found: apt-get install qemu-user to run the VFP differential test")
        }
        let env = ProcessInfo.processInfo.environment
        let seed = env["VFP_DIFF_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        // CI runs at least 50,000 random VFP instructions with a fresh seed.
        let ci = env["CI"] == "true"
        var total = env["VFP_DIFF_CASES"].flatMap { Int($0) } ?? (ci ? 50_000 : 6000)
        if ci { total = max(total, 50_000) }
        print("VFP differential test: seed \(seed), \(total) cases")
        var rng = SplitMix64(seed: seed)
        var mismatches = 0
        var done = 0
        while done < total {
            let n = min(Self.casesPerProgram, total - done)
            let cases = (0..<n).map { _ in VFPRandomCase.make(&rng, runningProgramFPSCR: true) }
            let program = VFPDiffProgram(cases: cases, base: Self.loadAddress)
            let expected = try VFPOracle.run(qemu: qemu, elf: program.elf())
            let actual = try program.runOnCore(engine: .jit)
            XCTAssertEqual(expected.count, actual.count, "output size")
            for (i, c) in cases.enumerated() where mismatches < 25 {
                let e = VFPDiffProgram.record(expected, i), a = VFPDiffProgram.record(actual, i)
                if e != a {
                    mismatches += 1
                    XCTFail("seed \(seed) case \(done + i): \(c.describe())\n  qemu: \(VFPDiffProgram.describe(e))\n  core: \(VFPDiffProgram.describe(a))")
                }
            }
            done += n
        }
    }
}

// MARK: - Random cases

struct VFPRandomCase {
    var insn: UInt32
    var d: [UInt64]       // D0–D7
    var r: [UInt32]       // R4–R7
    var fpscr: UInt32
    var apsr: UInt32

    func describe() -> String {
        "insn \(hex(insn)) fpscr \(hex(fpscr)) apsr \(hex(apsr)) d [\(d.map { hex($0) }.joined(separator: " "))] r [\(r.map { hex($0) }.joined(separator: " "))]"
    }

    static let singles: [UInt32] = [
        0x0000_0000, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0001, 0x7F80_0001, 0xFFA0_1234,
        0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0080_0000, 0x8080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,
        0x3F80_0000, 0xBF80_0000, 0x3F00_0000, 0x4000_0000, 0x4F00_0000, 0xCF00_0000, 0x4F80_0000, 0x4EFF_FFFF,
        0xCF00_0001, 0x4780_0000, 0x477F_FF80, 0xC700_0000, 0x3FC0_0000, 0x3EAA_AAAB, 0x0040_0000, 0x0100_0000,
        0x3380_0000, 0x3400_0001, 0x4B80_0000, 0x4B7F_FFFF, 0x477F_E000, 0x477F_F000, 0x3880_0000, 0x387F_E000,
        0x3300_0000, 0x33C0_0000, 0x1F80_0000, 0x5F80_0000, 0x0C00_0000, 0x7300_0000, 0x3F7F_FFFF, 0x3F80_0001,
    ]
    static let doubles: [UInt64] = [
        0, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
        0xFFF8_0000_0000_0001, 0x7FF0_0000_0000_0001, 0xFFF4_0000_1234_5678, 0x0000_0000_0000_0001,
        0x800F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x3FF0_0000_0000_0000,
        0xBFF0_0000_0000_0000, 0x3FE0_0000_0000_0000, 0x41E0_0000_0000_0000, 0xC1E0_0000_0000_0000,
        0x41DF_FFFF_FFC0_0000, 0x41EF_FFFF_FFE0_0000, 0x41F0_0000_0000_0000, 0xC1E0_0000_0020_0000,
        0x3FF8_0000_0000_0000, 0x4004_0000_0000_0000, 0x47EF_FFFF_E000_0000, 0x47EF_FFFF_F000_0000,
        0x3810_0000_0000_0000, 0x380F_FFFF_F000_0000, 0x36A0_0000_0000_0000, 0x3690_0000_0000_0001,
        0x3FEF_FFFF_FFFF_FFFF, 0x3FF0_0000_0000_0001, 0x40F0_0000_0000_0000, 0x40EF_FFE0_0000_0000,
        0x0008_0000_0000_0000, 0x2000_0000_0000_0000, 0x5FF0_0000_0000_0000, 0x3CA0_0000_0000_0000,
    ]

    static func randomSingle(_ g: inout SplitMix64) -> UInt32 {
        switch g.next() % 10 {
        case 8:   // any normal exponent, so results land anywhere (also near underflow)
            let e = UInt32(1 + g.next() % 254)
            return UInt32(truncatingIfNeeded: g.next()) & 0x807F_FFFF | e << 23
        case 9:   // short significands: exact results are common
            let e = UInt32(64 + g.next() % 128)
            return UInt32(truncatingIfNeeded: g.next()) & 0x8070_0000 | e << 23
        case 0, 1, 2: return singles[Int(g.next() % UInt64(singles.count))]
        case 3: return UInt32(truncatingIfNeeded: g.next())
        case 4:   // near the underflow threshold
            return UInt32(truncatingIfNeeded: g.next()) & 0x81FF_FFFF
        case 5:   // small integers and simple fractions
            let v = Float(Int(g.next() % 2001) - 1000) / Float(1 << (g.next() % 6))
            return v.bitPattern
        default:  // around 1 with random low bits
            return 0x3F00_0000 | UInt32(truncatingIfNeeded: g.next()) & 0x80FF_FFFF
        }
    }

    static func randomDouble(_ g: inout SplitMix64) -> UInt64 {
        switch g.next() % 10 {
        case 8:
            let e = 1 + g.next() % 2046
            return g.next() & 0x800F_FFFF_FFFF_FFFF | e << 52
        case 9:
            let e = 512 + g.next() % 1024
            return g.next() & 0x800F_0000_0000_0000 | e << 52
        case 0, 1, 2: return doubles[Int(g.next() % UInt64(doubles.count))]
        case 3: return g.next()
        case 4: return g.next() & 0x803F_FFFF_FFFF_FFFF
        case 5:
            let v = Double(Int(g.next() % 200_001) - 100_000) / Double(1 << (g.next() % 12))
            return v.bitPattern
        case 6:   // doubles that are exactly or nearly singles
            return Double(Float(bitPattern: randomSingle(&g))).bitPattern ^ (g.next() % 4 == 0 ? g.next() & 0x1FFF_FFFF : 0)
        default:
            return 0x3FE0_0000_0000_0000 | g.next() & 0x801F_FFFF_FFFF_FFFF
        }
    }

    static func make(_ g: inout SplitMix64, runningProgramFPSCR: Bool = false) -> VFPRandomCase {
        var d = (0..<8).map { _ -> UInt64 in
            g.next() % 2 == 0 ? randomDouble(&g) : UInt64(randomSingle(&g)) << 32 | UInt64(randomSingle(&g))
        }
        // Near-cancellation and equal operands.
        if g.next() % 3 == 0 {
            let a = Int(g.next() % 8), b = Int(g.next() % 8)
            d[b] = d[a] ^ (g.next() % 2 == 0 ? g.next() & 0x7 : (g.next() & 0x7) << 32)
        }
        let r = (0..<4).map { _ -> UInt32 in
            g.next() % 2 == 0 ? randomSingle(&g) : UInt32(truncatingIfNeeded: g.next() % 3 == 0 ? g.next() % 70_000 : g.next())
        }
        var fpscr = UInt32(truncatingIfNeeded: g.next()) & 0xF7C0_0000   // NZCV QC AHP DN FZ RMode
        if g.next() % 3 == 0 { fpscr &= ~0x00C0_0000 }                      // more round-to-nearest
        if g.next() % 4 == 0 { fpscr |= UInt32(truncatingIfNeeded: g.next()) & 0x9F }
        // With `runningProgramFPSCR`, a third in the state of a running
        // program: round to nearest, no FZ/DN, IXC already set (the JIT's
        // SSE fast path). Off for the committed corpus, whose cases are
        // regenerated from its seed.
        if runningProgramFPSCR && g.next() % 3 == 0 {
            fpscr = fpscr & 0xF000_0000 | 0x10 | UInt32(truncatingIfNeeded: g.next()) & 0x8F
        }
        let apsr = UInt32(truncatingIfNeeded: g.next()) & 0xF800_0000
        return VFPRandomCase(insn: randomInstruction(&g), d: d, r: r, fpscr: fpscr, apsr: apsr)
    }

    /// A random defined VFP instruction using S0–S15/D0–D7 and R4–R7 only.
    static func randomInstruction(_ g: inout SplitMix64) -> UInt32 {
        func bits(_ n: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: g.next() % n) }
        let sz = bits(2)
        // Register fields: single = Vx:bit (0–15), double = bit 0, Vx 0–7.
        func reg() -> (v: UInt32, b: UInt32) { (bits(8), sz == 1 ? 0 : bits(2)) }
        func sreg() -> (v: UInt32, b: UInt32) { (bits(8), bits(2)) }
        func dreg() -> (v: UInt32, b: UInt32) { (bits(8), 0) }
        func place(_ d: (v: UInt32, b: UInt32), _ n: (v: UInt32, b: UInt32), _ m: (v: UInt32, b: UInt32)) -> UInt32 {
            d.b << 22 | n.v << 16 | d.v << 12 | n.b << 7 | m.b << 5 | m.v
        }
        let base: UInt32 = 0xEE00_0A00
        switch g.next() % 20 {
        case 0...7:   // three-register arithmetic
            let opc1s: [UInt32] = [0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA]
            let opc1 = opc1s[Int(g.next() % 7)]
            let op6: UInt32 = opc1 == 0x8 ? 0 : bits(2)
            return base | (opc1 & 8) << 20 | (opc1 & 3) << 20 | sz << 8 | op6 << 6 | place(reg(), reg(), reg())
        case 8:       // VMOV immediate
            let imm = bits(256)
            let d = reg()
            return base | 0x00B0_0000 | sz << 8 | d.b << 22 | d.v << 12 | (imm >> 4) << 16 | imm & 0xF
        case 9:       // VMOV reg / VABS / VNEG / VSQRT
            let opc2 = bits(2), b7 = bits(2)
            return base | 0x00B0_0040 | opc2 << 16 | sz << 8 | b7 << 7 | place(reg(), (0, 0), reg())
        case 10:      // VCVTB / VCVTT
            return base | 0x00B2_0040 | bits(2) << 16 | bits(2) << 7 | place(sreg(), (0, 0), sreg())
        case 11:      // VCMP{E} register / with zero
            if g.next() % 3 == 0 {
                return base | 0x00B5_0040 | sz << 8 | bits(2) << 7 | place(reg(), (0, 0), (0, 0))
            }
            return base | 0x00B4_0040 | sz << 8 | bits(2) << 7 | place(reg(), (0, 0), reg())
        case 12:      // VCVT double <-> single
            let d = sz == 1 ? sreg() : dreg(), m = sz == 1 ? dreg() : sreg()
            return base | 0x00B7_00C0 | sz << 8 | place(d, (0, 0), m)
        case 13:      // VCVT integer -> float
            return base | 0x00B8_0040 | sz << 8 | bits(2) << 7 | place(reg(), (0, 0), sreg())
        case 14, 15:  // VCVT{R} float -> integer
            return base | 0x00BC_0040 | bits(2) << 16 | sz << 8 | bits(2) << 7 | place(sreg(), (0, 0), reg())
        case 16:      // VCVT fixed point
            let sx = bits(2)
            let size: UInt32 = sx == 1 ? 32 : 16
            let fbits = size == 32 ? 1 + bits(32) : bits(17)
            let imm = size - fbits
            let d = reg()
            return base | 0x00BA_0040 | bits(2) << 18 | bits(2) << 16 | sz << 8 | sx << 7
                | d.b << 22 | d.v << 12 | (imm & 1) << 5 | imm >> 1
        case 17:      // VMOV core <-> single / scalar
            let t = 4 + bits(4)
            if g.next() % 2 == 0 {
                let n = sreg()
                return 0xEE00_0A10 | bits(2) << 20 | n.v << 16 | t << 12 | n.b << 7
            }
            return 0xEE00_0B10 | bits(2) << 20 | bits(2) << 21 | bits(8) << 16 | t << 12
        case 18:      // VMOV two cores <-> two singles / double
            let t = 4 + bits(4)
            var t2 = 4 + bits(4)
            if t2 == t { t2 = 4 + (t - 3) % 4 }
            let m = sz == 1 ? dreg() : sreg()   // singles: Sm and Sm+1 with m <= 15
            return 0xEC40_0A10 | bits(2) << 20 | t2 << 16 | t << 12 | sz << 8 | m.b << 5 | m.v
        default:      // VMRS APSR_nzcv, FPSCR
            return 0xEEF1_FA10
        }
    }
}

// MARK: - The program

struct VFPDiffProgram {
    let cases: [VFPRandomCase]
    let base: UInt32
    static let inRecord = 88, outRecord = 88

    var codeWords: Int { 4 + cases.count * 11 + 12 }
    var inputAddress: UInt32 { base + UInt32(codeWords * 4) }
    var outputAddress: UInt32 { inputAddress + UInt32(cases.count * Self.inRecord) }
    var outputSize: Int { cases.count * Self.outRecord }

    static func movw(_ rd: UInt32, _ v: UInt32) -> UInt32 { 0xE300_0000 | (v >> 12 & 0xF) << 16 | rd << 12 | v & 0xFFF }
    static func movt(_ rd: UInt32, _ v: UInt32) -> UInt32 { 0xE340_0000 | (v >> 28) << 16 | rd << 12 | (v >> 16) & 0xFFF }

    /// Code, then the input records; the output area follows (zero-filled).
    func image() -> [UInt8] {
        var w: [UInt32] = [
            Self.movw(8, inputAddress & 0xFFFF), Self.movt(8, inputAddress),
            Self.movw(11, outputAddress & 0xFFFF), Self.movt(11, outputAddress),
        ]
        for c in cases {
            w += [0xECB8_0B10,   // vldmia r8!, {d0-d7}
                  0xE8B8_06F0,   // ldmia r8!, {r4-r7, r9, r10}
                  0xEEE1_9A10,   // vmsr fpscr, r9
                  0xE128_F00A,   // msr APSR_nzcvq, r10
                  c.insn,
                  0xEEF1_9A10,   // vmrs r9, fpscr
                  0xE10F_A000,   // mrs r10, APSR
                  0xE20A_A33E,   // and r10, r10, #0xF8000000
                  0xECAB_0B10,   // vstmia r11!, {d0-d7}
                  0xE8AB_06F0,   // stmia r11!, {r4-r7, r9, r10}
                  0xE320_F000]   // nop
        }
        w += [0xE3A0_0001,                                   // mov r0, #1
              Self.movw(1, outputAddress & 0xFFFF), Self.movt(1, outputAddress),
              Self.movw(2, UInt32(outputSize) & 0xFFFF), Self.movt(2, UInt32(outputSize)),
              0xE3A0_7004, 0xEF00_0000,                      // mov r7, #4 ; svc #0 (write)
              0xE3A0_0000, 0xE3A0_7001, 0xEF00_0000,         // mov r0, #0 ; mov r7, #1 ; svc #0 (exit)
              0xEAFF_FFFE, 0xEAFF_FFFE]
        precondition(w.count == codeWords)
        var bytes: [UInt8] = []
        func put32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        for x in w { put32(x) }
        for c in cases {
            for v in c.d { put32(UInt32(truncatingIfNeeded: v)); put32(UInt32(truncatingIfNeeded: v >> 32)) }
            for v in c.r { put32(v) }
            put32(c.fpscr); put32(c.apsr)
        }
        return bytes
    }

    /// A static little-endian ARM EABI5 hard-float executable with one RWX segment.
    func elf() -> [UInt8] {
        let img = image()
        var b = [UInt8](repeating: 0, count: 0x1000)
        func put(_ at: Int, _ v: UInt32, _ size: Int) { for i in 0..<size { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
        b[0] = 0x7F; b[1] = 0x45; b[2] = 0x4C; b[3] = 0x46; b[4] = 1; b[5] = 1; b[6] = 1
        put(16, 2, 2); put(18, 40, 2); put(20, 1, 4); put(24, base, 4)
        put(28, 52, 4); put(32, 0, 4); put(36, 0x0500_0400, 4); put(40, 52, 2); put(42, 32, 2); put(44, 1, 2)
        put(46, 40, 2); put(48, 0, 2); put(50, 0, 2)
        put(52, 1, 4); put(56, 0x1000, 4); put(60, base, 4); put(64, base, 4)
        put(68, UInt32(img.count), 4); put(72, UInt32(img.count + outputSize), 4); put(76, 7, 4); put(80, 0x1000, 4)
        return b + img
    }

    /// Runs the same image on a core (PL1, VFP enabled) under `engine` and
    /// returns the output area.
    func runOnCore(engine: ExecutionEngine = .default) throws -> [UInt8] {
        let t = TestMachine([], stopOn: { $0 == .supervisorCall })
        try t.core.setEngine(engine, translationThreshold: 1)   // translate at once
        let img = image()
        for i in stride(from: 0, to: img.count, by: 4) {
            t.memory.write(UInt64(base) + UInt64(i), size: 4,
                           value: UInt64(img[i]) | UInt64(img[i + 1]) << 8 | UInt64(img[i + 2]) << 16 | UInt64(img[i + 3]) << 24)
        }
        t.core.sys.cpacr = 0x00F0_0000
        t.core.fpexc = FPEXCBit.en
        t.core.branch(to: base, thumb: false)
        t.run(codeWords + 10)
        var out = [UInt8](repeating: 0, count: outputSize)
        for i in 0..<outputSize { out[i] = UInt8(t.memory.read(UInt64(outputAddress) + UInt64(i), size: 1) ?? 0) }
        return out
    }

    static func record(_ out: [UInt8], _ i: Int) -> ArraySlice<UInt8> {
        let s = i * outRecord
        return s + outRecord <= out.count ? out[s..<s + outRecord] : []
    }

    static func describe(_ rec: ArraySlice<UInt8>) -> String {
        let a = Array(rec)
        guard a.count == outRecord else { return "(missing)" }
        func w(_ i: Int) -> UInt32 { UInt32(a[i]) | UInt32(a[i + 1]) << 8 | UInt32(a[i + 2]) << 16 | UInt32(a[i + 3]) << 24 }
        let d = (0..<8).map { hex(UInt64(w(8 * $0 + 4)) << 32 | UInt64(w(8 * $0))) }
        let r = (0..<4).map { hex(w(64 + 4 * $0)) }
        return "fpscr \(hex(w(80))) apsr \(hex(w(84))) d [\(d.joined(separator: " "))] r [\(r.joined(separator: " "))]"
    }
}

enum VFPOracle {
    static func qemuPath() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for p in paths + ["/usr/bin", "/usr/local/bin"] {
            let f = p + "/qemu-arm"
            if FileManager.default.isExecutableFile(atPath: f) { return f }
        }
        return nil
    }

    static func run(qemu: String, elf: [UInt8]) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vfp-diff-\(UUID().uuidString).elf")
        try Data(elf).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-cpu", "cortex-a15", url.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return [UInt8](data)
    }
}

func hex(_ v: UInt32) -> String { String(format: "%08x", v) }
func hex(_ v: UInt64) -> String { String(format: "%016llx", v) }

/// A fixed-seed VFP corpus with qemu-arm's results committed in
/// Fixtures/vfp-corpus.txt, so `swift test` checks VFP without qemu.
/// Regenerate (needs qemu-arm): ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter VFPCorpusTests
final class VFPCorpusTests: XCTestCase {
    static let seed: UInt64 = 0x7F9_C0DE
    static let count = 1500
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vfp-corpus.txt")
    }

    func program() -> ([VFPRandomCase], VFPDiffProgram) {
        var rng = SplitMix64(seed: Self.seed)
        let cases = (0..<Self.count).map { _ in VFPRandomCase.make(&rng) }
        return (cases, VFPDiffProgram(cases: cases, base: VFPDifferentialTests.loadAddress))
    }

    func testCommittedVFPCorpus() throws {
        let (cases, program) = program()
        if ProcessInfo.processInfo.environment["ARMVISOR_DIFF_WRITE_CORPUS"] == "1" {
            guard let qemu = VFPOracle.qemuPath() else { return XCTFail("qemu-arm not found (apt-get install qemu-user)") }
            let out = try VFPOracle.run(qemu: qemu, elf: program.elf())
            var text = "# Armvisor VFP corpus: seed 0x\(String(Self.seed, radix: 16)), \(Self.count) random cases; "
            text += "expected output records from \(qemu) -cpu cortex-a15, hex, 64 bytes per line.\n"
            for i in stride(from: 0, to: out.count, by: 64) {
                text += out[i ..< min(i + 64, out.count)].map { String(format: "%02x", $0) }.joined() + "\n"
            }
            try text.write(to: Self.url, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: Self.url, encoding: .utf8)
        var expected: [UInt8] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var i = line.startIndex
            while i < line.endIndex {
                let j = line.index(i, offsetBy: 2)
                expected.append(UInt8(line[i..<j], radix: 16)!)
                i = j
            }
        }
        // Both engines must reproduce qemu-arm's stored results.
        var actual: [UInt8] = []
        for engine in ExecutionEngine.allCases {
            actual = try program.runOnCore(engine: engine)
            XCTAssertEqual(expected.count, actual.count, "\(engine): corpus size does not match the program: regenerate it")
            var mismatches = 0
            for (i, c) in cases.enumerated() where mismatches < 20 {
                let e = VFPDiffProgram.record(expected, i), a = VFPDiffProgram.record(actual, i)
                if e != a {
                    mismatches += 1
                    XCTFail("\(engine): corpus case \(i): \(c.describe())\n  qemu: \(VFPDiffProgram.describe(e))\n  core: \(VFPDiffProgram.describe(a))")
                }
            }
            print("VFP corpus (\(engine)): \(cases.count) cases, \(mismatches) mismatches")
        }
        // The comparison can fail: a corrupted expectation is detected.
        var tampered = expected
        tampered[tampered.count / 2] ^= 1
        XCTAssertNotEqual(tampered, actual)
    }
}
