import Foundation
import XCTest
@testable import ARMv7

/// Differential tests of the T32 (Thumb-2) core against qemu-arm.
///
/// - `testCommittedThumbCorpus` runs the stored fixed-seed T32 corpus
///   (Fixtures/diff-corpus-t32.txt) on the core only; no qemu needed.
/// - `testRandomThumbAgainstQEMU` generates fresh random T32 cases (IT blocks
///   included) and runs them on both. Environment: `ARMVISOR_DIFF_T32_CASES`
///   (default 100,000 when `CI=true` (at least that many), else 20,000),
///   `ARMVISOR_DIFF_T32_SEED` (hex with 0x, or decimal; default: fresh,
///   printed). With `CI=true` a missing qemu-arm is a failure.
/// - Regenerate the T32 corpus (needs qemu-arm) after a layout or generator
///   change (this also regenerates the A32 one if run for the whole class):
///
///       ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter DifferentialThumbTests/testCommittedThumbCorpus
final class DifferentialThumbTests: XCTestCase {
    static let corpusSeed: UInt64 = 0x7432_C0DE
    static let corpusCount = 3072

    static var corpusURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/diff-corpus-t32.txt")
    }

    static func loadCorpus() throws -> DiffCorpus.Loaded {
        let url = Bundle.module.url(forResource: "diff-corpus-t32", withExtension: "txt", subdirectory: "Fixtures")
            ?? corpusURL
        return try DiffCorpus.parse(String(contentsOf: url, encoding: .utf8))
    }

    static func hw32(_ a: UInt32, _ b: UInt32) -> UInt32 { a << 16 | b }

    /// Hand-written T32 cases with known results.
    static func sanityCases() -> [DiffCase] {
        var g = DiffThumbGenerator(seed: 1)
        func base(_ i: Int) -> DiffCase {
            var c = g.generate(.t16DataProc, index: i)
            c.patches = []
            c.psr = 0
            return c
        }
        var cs: [DiffCase] = []
        // 0: ADDS r0, r1, r2 (outside IT: sets N and V).
        var c = base(0)
        c.thumb = [0x1888]; c.insn = 0x1888; c.desc = "ADDS r0, r1, r2"
        c.regs[1] = 0x7FFF_FFFF; c.regs[2] = 1
        cs.append(c)
        // 1: IT EQ; ADDEQ r0, #1 (no flags inside IT) with Z set.
        c = base(1)
        c.thumb = [0xBF08, 0x3001]; c.insn = 0x3001; c.desc = "IT EQ; ADDEQ r0, #1"
        c.regs[0] = 0xFFFF_FFFF; c.psr = 0x4000_0000
        cs.append(c)
        // 2: BL to the forward landing.
        c = base(2)
        let a2 = DiffLayout.thumbTest(2)
        let bl = DiffThumbGenerator.branch32(2, Int32(DiffLayout.thumbLandingFwd(2)) - Int32(a2 + 4))
        c.thumb = [bl]; c.insn = bl; c.desc = "BL fwd"
        cs.append(c)
        // 3: BLX to the ARM landing.
        c = base(3)
        let a3 = DiffLayout.thumbTest(3)
        let blx = DiffThumbGenerator.branch32(3, Int32(DiffLayout.thumbLandingARM(3)) - Int32((a3 + 4) & ~3))
        c.thumb = [blx]; c.insn = blx; c.desc = "BLX arm"
        cs.append(c)
        // 4: STR.W r3, [r4, #4]!
        c = base(4)
        let str = hw32(0xF844, 0x3F04)
        c.thumb = [str]; c.insn = str; c.desc = "STR r3, [r4, #4]!"
        c.regs[3] = 0xCAFE_F00D; c.regs[4] = DiffLayout.scratch + 16
        cs.append(c)
        // 5: UDF #5: SIGILL at the instruction.
        c = base(5)
        c.thumb = [0xDE05]; c.insn = 0xDE05; c.desc = "UDF #5"
        cs.append(c)
        // 6: ITE NE; MOVNE r0, #1; MOVEQ r0, #2 with Z set.
        c = base(6)
        let mov1 = hw32(0xF04F, 0x0001), mov2 = hw32(0xF04F, 0x0002)
        c.thumb = [0xBF14, mov1, mov2]; c.insn = mov2; c.desc = "ITE NE; MOVNE.W r0, #1; MOVEQ.W r0, #2"
        c.psr = 0x4000_0000
        cs.append(c)
        // 7: TBB [r1, r2] with the entry to the "next" landing.
        c = base(7)
        let a7 = DiffLayout.thumbTest(7)
        let entry = (DiffLayout.thumbLandingNext(7) - (a7 + 4)) / 2
        c.regs[1] = DiffLayout.scratch + 40; c.regs[2] = 2
        c.patches = [DiffPatch(address: DiffLayout.scratch + 40, value: entry << 16)]
        let tbb = hw32(0xE8D1, 0xF002)
        c.thumb = [tbb]; c.insn = tbb; c.desc = "TBB [r1, r2]"
        cs.append(c)
        // 8: ITT EQ; ADDEQ r0, #1; LDRDEQ r2, r3, [r4] at a misaligned address:
        // SIGBUS at the LDRD, with its ITSTATE (0b00001000) in the signal context.
        c = base(8)
        let ldrd = hw32(0xE9D4, 0x2300)
        c.thumb = [0xBF04, 0x3001, ldrd]; c.insn = ldrd; c.desc = "ITT EQ; ADDEQ r0, #1; LDRDEQ r2, r3, [r4] (misaligned)"
        c.regs[0] = 41; c.regs[4] = DiffLayout.scratch + 17; c.psr = 0x4000_0000
        cs.append(c)
        return cs
    }

    /// The known results of the sanity cases.
    func checkSanity(_ out: [DiffOutcome], _ cases: [DiffCase], templates: [[UInt8]], side: String) {
        XCTAssertEqual(out[0].regs[0], 0x8000_0000, side)
        XCTAssertEqual(out[0].psr & 0xF000_0000, 0x9000_0000, side)
        XCTAssertEqual(out[0].landing, DiffLayout.thumbLandingNext(0), side)
        XCTAssertEqual(out[0].scratch, DiffImage.initialScratch(cases[0], templates: templates), side)

        XCTAssertEqual(out[1].regs[0], 0, side)
        XCTAssertEqual(out[1].psr & 0xF000_0000, 0x4000_0000, side)

        XCTAssertEqual(out[2].landing, DiffLayout.thumbLandingFwd(2), side)
        XCTAssertEqual(out[2].regs[14], (DiffLayout.thumbTest(2) + 4) | 1, side)

        XCTAssertEqual(out[3].landing, DiffLayout.thumbLandingARM(3), side)
        XCTAssertEqual(out[3].regs[14], (DiffLayout.thumbTest(3) + 4) | 1, side)

        XCTAssertEqual(out[4].regs[4], DiffLayout.scratch + 20, side)
        var mem = DiffImage.initialScratch(cases[4], templates: templates)
        mem.replaceSubrange(20..<24, with: [0x0D, 0xF0, 0xFE, 0xCA])
        XCTAssertEqual(out[4].scratch, mem, side)

        XCTAssertEqual(out[5].signal, 4, side)
        XCTAssertEqual(out[5].landing, DiffLayout.thumbTest(5) + 1, side)
        XCTAssertEqual(out[5].psr & DiffOutcome.faultStateMask, 0x20, side)   // T, no ITSTATE

        XCTAssertEqual(out[6].regs[0], 2, side)
        XCTAssertEqual(out[6].landing, DiffLayout.thumbLandingNext(6), side)

        XCTAssertEqual(out[7].landing, DiffLayout.thumbLandingNext(7), side)

        XCTAssertEqual(out[8].signal, 7, side)
        XCTAssertEqual(out[8].regs[0], 42, side)
        XCTAssertEqual(out[8].landing, DiffLayout.thumbTest(8) + 4 + 1, side)
        XCTAssertEqual(out[8].psr & DiffOutcome.faultStateMask, 0x0000_0820, side)   // T, ITSTATE 0b00001000
    }

    // MARK: The harness checks itself

    /// Hand-written T32 cases with known results on qemu-arm (when present)
    /// and on the core; a deliberately wrong expectation is caught.
    func testThumbHarnessSanity() throws {
        let templates = DiffGenerator.templates(seed: 1)
        let cases = DifferentialThumbTests.sanityCases()
        let image = DiffImage(cases: cases, templates: templates)
        XCTAssertTrue(image.thumb)

        // The corpus text format round-trips T32 sequences.
        let fake = cases.map { _ in DiffOutcome(regs: Array(repeating: 1, count: 15), landing: 2, psr: 0, signal: 0,
                                                scratch: Array(repeating: 0, count: DiffLayout.scratchSize)) }
        let text = DiffCorpus.write(seed: 1, templates: templates, cases: cases, outcomes: fake, header: ["t"])
        XCTAssertTrue(text.contains("layout T\(DiffLayout.thumbVersion)"))
        let back = try DiffCorpus.parse(text)
        XCTAssertEqual(back.cases, cases)

        if let qemu = DiffRunner.qemuPath() {
            let q = try DiffRunner.runOnQEMU(cases, templates: templates, qemu: qemu)
            checkSanity(q, cases, templates: templates, side: "qemu-arm")
        }

        let run = try DiffRunner.runOnCore(image)
        XCTAssertEqual(run.errors.count, 0, "\(run.errors)")
        guard run.output.count == image.outputSize, run.errors.isEmpty else { return }
        let out = DiffRunner.outcomes(run.output, count: cases.count)
        checkSanity(out, cases, templates: templates, side: "core")

        // The comparison catches a wrong register, landing, signal and byte.
        var wrong = out
        wrong[0].regs[5] ^= 1
        wrong[2].landing = DiffLayout.thumbLandingNext(2)
        wrong[5].signal = 11
        wrong[4].scratch[200] ^= 0x80
        wrong[8].psr ^= 0x0000_0400   // ITSTATE of the faulting instruction
        let mm = DiffRunner.compare(cases, expected: wrong, coreOutput: run.output, coreErrors: [:])
        XCTAssertEqual(mm.map(\.index), [0, 2, 4, 5, 8])
        XCTAssertTrue(mm[0].report(templates: templates).contains("r5: expected"))
        XCTAssertTrue(mm[0].report(templates: templates).contains("T32 1888"))
        XCTAssertTrue(DiffRunner.compare(cases, expected: out, coreOutput: run.output, coreErrors: [:]).isEmpty)
    }

    /// Generation is deterministic per seed, every class is drawn, sequences
    /// fit the test area and obey the IT rules checked here.
    func testThumbGeneratorShape() {
        var a = DiffThumbGenerator(seed: 42), b = DiffThumbGenerator(seed: 42)
        let ca = (0..<3000).map { a.next(index: $0) }, cb = (0..<3000).map { b.next(index: $0) }
        XCTAssertEqual(ca, cb)
        XCTAssertEqual(Set(ca.map(\.cls)).count, DiffThumbClass.allCases.count, "every class is drawn in 3000 cases")
        var masks = Set<UInt32>()
        for c in ca {
            XCTAssertTrue(c.isThumb)
            XCTAssertLessThanOrEqual(c.thumbHalfwords.count * 2, Int(DiffLayout.thumbTestSize))
            XCTAssertLessThanOrEqual(c.patches.count, 2)
            XCTAssertTrue(c.thumb.contains(c.insn))
            for (k, e) in c.thumb.enumerated() where e <= 0xFFFF && e & 0xFF00 == 0xBF00 && e & 0xF != 0 {
                // An IT instruction: first, followed by exactly its block.
                XCTAssertEqual(k, 0, c.desc)
                XCTAssertEqual(c.thumb.count - 1, 4 - Int((e & 0xF).trailingZeroBitCount), c.desc)
            }
        }
        // Every firstcond (EQ..LE with all 15 masks, AL with its 4) appears.
        var it = DiffThumbGenerator(seed: 7)
        for k in 0..<6000 { masks.insert(it.generate(.itBlock, index: k % 64).thumb[0] & 0xFF) }
        XCTAssertEqual(masks.count, 14 * 15 + 4)
        let image = DiffImage(cases: ca, templates: DiffGenerator.templates(seed: 42))
        XCTAssertEqual(image.elf.count, Int(image.outputBase - DiffLayout.imageBase))
    }

    // MARK: Corpus (no qemu needed)

    func testCommittedThumbCorpus() throws {
        if ProcessInfo.processInfo.environment["ARMVISOR_DIFF_WRITE_CORPUS"] == "1" {
            try regenerateCorpus()
        }
        let corpus = try DifferentialThumbTests.loadCorpus()
        XCTAssertGreaterThanOrEqual(corpus.cases.count, 3000)
        XCTAssertTrue(corpus.cases.allSatisfy(\.isThumb))
        let image = DiffImage(cases: corpus.cases, templates: corpus.templates)
        // Both engines must reproduce qemu-arm's stored results.
        var runs: [ExecutionEngine: (output: [UInt8], errors: [Int: String])] = [:]
        for engine in ExecutionEngine.allCases {
            let run = try DiffRunner.runOnCore(image, engine: engine)
            runs[engine] = run
            let mm = DiffRunner.compare(corpus.cases, expected: corpus.outcomes, coreOutput: run.output, coreErrors: run.errors)
            print("differential T32 corpus (\(engine)): \(corpus.cases.count) cases (seed \(String(corpus.seed, radix: 16))), \(mm.count) mismatches")
            if !mm.isEmpty {
                XCTFail("engine \(engine): " + DifferentialTests.report(mm, templates: corpus.templates))
            }
        }
        let run = runs[.default]!
        // A deliberately wrong stored value is detected, and there.
        var tampered = corpus.outcomes
        tampered[11].regs[2] &+= 1
        tampered[12].landing ^= 4
        let mm2 = DiffRunner.compare(corpus.cases, expected: tampered, coreOutput: run.output, coreErrors: run.errors)
        XCTAssertTrue(mm2.contains { $0.index == 11 } && mm2.contains { $0.index == 12 }, "tampered expectation not detected")
    }

    // MARK: Random against qemu-arm

    func testRandomThumbAgainstQEMU() throws {
        let env = ProcessInfo.processInfo.environment
        let ci = env["CI"] == "true"
        guard let qemu = DiffRunner.qemuPath() else {
            if ci {
                XCTFail("qemu-arm not found: the T32 differential test needs it in CI (apt-get install qemu-user)")
                return
            }
            throw XCTSkip("qemu-arm not found: apt-get install qemu-user")
        }
        var count = ci ? 100_000 : 20_000
        if let s = env["ARMVISOR_DIFF_T32_CASES"], let n = Int(s) { count = ci ? max(n, 100_000) : n }
        var seed = UInt64.random(in: 1...UInt64.max)
        if let s = env["ARMVISOR_DIFF_T32_SEED"] {
            seed = s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) ?? seed : UInt64(s) ?? seed
        }
        print("differential T32: seed 0x\(String(seed, radix: 16)) cases \(count) (reproduce: ARMVISOR_DIFF_T32_SEED=0x\(String(seed, radix: 16)) ARMVISOR_DIFF_T32_CASES=\(count) swift test --filter DifferentialThumbTests/testRandomThumbAgainstQEMU)")
        let start = Date()
        let (mm, perClass) = try DiffRunner.randomRun(seed: seed, count: count, thumb: true, qemu: qemu) { print($0) }
        let secs = Date().timeIntervalSince(start)
        print(String(format: "differential T32: %d cases in %.2f s (%.2f s per 100,000)", count, secs, secs * 100_000 / Double(count)))
        print("differential T32: per class " + perClass.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if !mm.isEmpty {
            XCTFail("seed 0x\(String(seed, radix: 16)): " + DifferentialTests.report(mm, templates: DiffGenerator.templates(seed: seed)))
        }
    }

    // MARK: Corpus regeneration

    /// Rewrites Fixtures/diff-corpus-t32.txt with qemu-arm's results; run by
    /// testCommittedThumbCorpus when ARMVISOR_DIFF_WRITE_CORPUS=1.
    func regenerateCorpus() throws {
        guard let qemu = DiffRunner.qemuPath() else { return XCTFail("qemu-arm not found (apt-get install qemu-user)") }
        let seed = DifferentialThumbTests.corpusSeed
        var gen = DiffThumbGenerator(seed: seed)
        let templates = DiffGenerator.templates(seed: seed)
        let cases = (0..<DifferentialThumbTests.corpusCount).map { gen.next(index: $0) }
        let outcomes = try DiffRunner.runOnQEMU(cases, templates: templates, qemu: qemu)
        let text = DiffCorpus.write(seed: seed, templates: templates, cases: cases, outcomes: outcomes, header: [
            "Armvisor T32 differential corpus: \(cases.count) random Thumb cases (IT blocks included), results from qemu-arm -cpu cortex-a15.",
            "Regenerate: ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter DifferentialThumbTests/testCommittedThumbCorpus",
            "Reference: \(DiffRunner.qemuVersion(qemu)). Format: see DiffCorpus in DifferentialRunner.swift.",
        ])
        try text.write(to: DifferentialThumbTests.corpusURL, atomically: true, encoding: .utf8)
        print("wrote \(DifferentialThumbTests.corpusURL.path): \(cases.count) cases")
    }
}
