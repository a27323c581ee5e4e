import Foundation
import XCTest
@testable import ARMv7

/// Differential tests of the A32 core against qemu-arm (Debian's `qemu-user`).
///
/// - `testCommittedCorpus` runs the stored fixed-seed corpus
///   (Fixtures/diff-corpus.txt: cases plus the results qemu-arm produced) on
///   the core only; no qemu needed.
/// - `testRandomAgainstQEMU` generates fresh random cases and runs them on
///   both. Environment: `ARMVISOR_DIFF_CASES` (default 100,000 when
///   `CI=true`, else 20,000), `ARMVISOR_DIFF_SEED` (hex or decimal; default:
///   fresh, printed). With `CI=true` a missing qemu-arm is a failure.
/// - Regenerate the corpus (needs qemu-arm) after a layout or generator
///   change:
///
///       ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter DifferentialTests/testCommittedCorpus
///
/// The T32 (Thumb-2) counterparts are in DifferentialThumbTests.swift;
/// `ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter Differential` regenerates
/// both corpora.
final class DifferentialTests: XCTestCase {
    static let corpusSeed: UInt64 = 0xA4_F1_5E_ED
    static let corpusCount = 2048

    static var corpusURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/diff-corpus.txt")
    }

    static func loadCorpus() throws -> DiffCorpus.Loaded {
        let url = Bundle.module.url(forResource: "diff-corpus", withExtension: "txt", subdirectory: "Fixtures")
            ?? corpusURL
        return try DiffCorpus.parse(String(contentsOf: url, encoding: .utf8))
    }

    static func report(_ mismatches: [DiffMismatch], templates: [[UInt8]], limit: Int = 40) -> String {
        var byClass: [String: Int] = [:]
        for m in mismatches { byClass[m.dcase.cls, default: 0] += 1 }
        var s = "\(mismatches.count) mismatches; by class: "
            + byClass.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        // Group by instruction shape (mnemonic without registers and numbers).
        var shapes: [String: Int] = [:]
        for m in mismatches { shapes[DifferentialTests.shape(m.dcase.desc), default: 0] += 1 }
        s += "by shape:\n" + shapes.sorted { $0.value > $1.value }.prefix(60)
            .map { "  \($0.value)× \($0.key)" }.joined(separator: "\n") + "\n"
        // Show a few per class first, so one noisy class does not hide the others.
        var shown: [String: Int] = [:]
        var count = 0
        for m in mismatches where shown[m.dcase.cls, default: 0] < 3 && count < limit {
            shown[m.dcase.cls, default: 0] += 1
            count += 1
            s += m.report(templates: templates)
        }
        return s
    }

    /// A description with registers, numbers and condition suffixes removed.
    static func shape(_ desc: String) -> String {
        var t = desc.replacingOccurrences(of: #"\b(r[0-9]+|sp|lr|pc)\b"#, with: "R", options: .regularExpression)
        t = t.replacingOccurrences(of: #"#?-?(0x[0-9a-f]+|[0-9]+)"#, with: "n", options: .regularExpression)
        t = t.replacingOccurrences(of: #"^([A-Z0-9]+?)(EQ|NE|CS|CC|MI|PL|VS|VC|HI|LS|GE|LT|GT|LE)\b"#, with: "$1",
                                   options: .regularExpression)
        return t
    }

    // MARK: The harness checks itself

    /// A few hand-written cases with known results run on the core (and on
    /// qemu-arm when present), and a deliberately wrong expectation is caught.
    func testHarnessSanity() throws {
        var g = DiffGenerator(seed: 1)
        let templates = DiffGenerator.templates(seed: 1)
        var c0 = g.generate(.dpReg, index: 0)
        // adds r0, r1, r2 with r1 = 0x7fffffff, r2 = 1: r0 = 0x80000000, N and V set.
        c0.insn = 0xE091_0002; c0.desc = "ADDS r0, r1, r2"; c0.psr = 0
        c0.regs[1] = 0x7FFF_FFFF; c0.regs[2] = 1
        var c1 = g.generate(.branchImm, index: 1)
        // bl to the forward landing: lr = the instruction after the BL.
        c1.insn = DiffAsm.b(at: DiffLayout.test(1), DiffLayout.landingFwd(1)) | 1 << 24; c1.desc = "BL fwd"
        var c2 = g.generate(.loadStoreWordByte, index: 2)
        // str r3, [r4, #4]! into the scratch buffer.
        c2.insn = 0xE5A4_3004; c2.desc = "STR r3, [r4, #4]!"
        c2.regs[3] = 0xCAFE_F00D; c2.regs[4] = DiffLayout.scratch + 16
        let cases = [c0, c1, c2]
        let image = DiffImage(cases: cases, templates: templates)
        let run = try DiffRunner.runOnCore(image)
        XCTAssertEqual(run.errors.count, 0, "\(run.errors)")
        let out = DiffRunner.outcomes(run.output, count: 3)

        XCTAssertEqual(out[0].regs[0], 0x8000_0000)
        XCTAssertEqual(out[0].psr & 0xF000_0000, 0x9000_0000)
        XCTAssertEqual(out[0].landing, DiffLayout.landingNext(0))
        XCTAssertEqual(Array(out[0].regs[1...]), Array(c0.regs[1...]))
        XCTAssertEqual(out[0].psr & DiffOutcome.psrMask & 0x0F0F_0000, c0.psr & 0x0F0F_0000)
        XCTAssertEqual(out[0].scratch, DiffImage.initialScratch(c0, templates: templates))

        XCTAssertEqual(out[1].landing, DiffLayout.landingFwd(1))
        XCTAssertEqual(out[1].regs[14], DiffLayout.test(1) + 4)

        XCTAssertEqual(out[2].regs[4], DiffLayout.scratch + 20)
        var mem = DiffImage.initialScratch(c2, templates: templates)
        mem.replaceSubrange(20..<24, with: [0x0D, 0xF0, 0xFE, 0xCA])
        XCTAssertEqual(out[2].scratch, mem)

        // The comparison catches a wrong register, flag, landing and byte.
        var wrong = out
        wrong[0].regs[5] ^= 1
        wrong[1].landing = DiffLayout.landingNext(1)
        wrong[2].scratch[200] ^= 0x80
        wrong[2].psr ^= 0x0800_0000   // Q
        let mm = DiffRunner.compare(cases, expected: wrong, coreOutput: run.output, coreErrors: [:])
        XCTAssertEqual(mm.map(\.index), [0, 1, 2])
        XCTAssertEqual(mm.last.map { $0.expected!.differences(from: $0.actual!).count }, 2)
        XCTAssertTrue(mm[0].report(templates: templates).contains("r5: expected"))
        // Bits outside NZCVQ/GE are not compared.
        var masked = out
        masked[0].psr ^= 0x1F
        XCTAssertTrue(DiffRunner.compare(cases, expected: masked, coreOutput: run.output, coreErrors: [:]).isEmpty)

        // The corpus text format round-trips.
        let text = DiffCorpus.write(seed: 1, templates: templates, cases: cases, outcomes: out, header: ["t"])
        let back = try DiffCorpus.parse(text)
        XCTAssertEqual(back.cases, cases)
        XCTAssertEqual(back.outcomes, out)
        XCTAssertEqual(back.templates, templates)

        if let qemu = DiffRunner.qemuPath() {
            let q = try DiffRunner.runOnQEMU(cases, templates: templates, qemu: qemu)
            XCTAssertEqual(q, out, "qemu-arm disagrees on the sanity cases")
        }
    }

    /// Generation is deterministic per seed and the generated image is a
    /// well-formed static ARM ELF.
    func testGeneratorDeterministicAndImageShape() {
        var a = DiffGenerator(seed: 42), b = DiffGenerator(seed: 42)
        let ca = (0..<500).map { a.next(index: $0) }, cb = (0..<500).map { b.next(index: $0) }
        XCTAssertEqual(ca, cb)
        let classes = Set(ca.map(\.cls))
        XCTAssertEqual(classes.count, DiffClass.allCases.count, "every class is drawn in 500 cases")
        let image = DiffImage(cases: ca, templates: DiffGenerator.templates(seed: 42))
        XCTAssertEqual(Array(image.elf[0..<4]), [0x7F, 0x45, 0x4C, 0x46])
        XCTAssertEqual(image.elf[18], 40)   // EM_ARM
        XCTAssertEqual(image.elf.count, Int(image.outputBase - DiffLayout.imageBase))
    }

    // MARK: Corpus (no qemu needed)

    func testCommittedCorpus() throws {
        if ProcessInfo.processInfo.environment["ARMVISOR_DIFF_WRITE_CORPUS"] == "1" {
            try regenerateCorpus()
        }
        let corpus = try DifferentialTests.loadCorpus()
        XCTAssertGreaterThanOrEqual(corpus.cases.count, 1000)
        let image = DiffImage(cases: corpus.cases, templates: corpus.templates)
        // Both engines must reproduce qemu-arm's stored results.
        var runs: [ExecutionEngine: (output: [UInt8], errors: [Int: String])] = [:]
        for engine in ExecutionEngine.allCases {
            let run = try DiffRunner.runOnCore(image, engine: engine)
            runs[engine] = run
            let mm = DiffRunner.compare(corpus.cases, expected: corpus.outcomes, coreOutput: run.output, coreErrors: run.errors)
            print("differential corpus (\(engine)): \(corpus.cases.count) cases (seed \(String(corpus.seed, radix: 16))), \(mm.count) mismatches")
            if !mm.isEmpty {
                XCTFail("engine \(engine): " + DifferentialTests.report(mm, templates: corpus.templates))
            }
        }
        let run = runs[.default]!

        // A deliberately wrong stored value is detected, and only there.
        var tampered = corpus.outcomes
        tampered[7].regs[3] &+= 1
        let mm2 = DiffRunner.compare(corpus.cases, expected: tampered, coreOutput: run.output, coreErrors: run.errors)
        XCTAssertTrue(mm2.contains { $0.index == 7 }, "tampered expectation not detected")
    }

    // MARK: Random against qemu-arm

    func testRandomAgainstQEMU() throws {
        let env = ProcessInfo.processInfo.environment
        let ci = env["CI"] == "true"
        guard let qemu = DiffRunner.qemuPath() else {
            if ci {
                XCTFail("qemu-arm not found: the differential test needs it in CI (apt-get install qemu-user)")
                return
            }
            throw XCTSkip("qemu-arm not found: apt-get install qemu-user to run the differential test")
        }
        var count = ci ? 100_000 : 20_000
        if let s = env["ARMVISOR_DIFF_CASES"], let n = Int(s) { count = ci ? max(n, 100_000) : n }
        var seed = UInt64.random(in: 1...UInt64.max)
        if let s = env["ARMVISOR_DIFF_SEED"] {
            seed = s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) ?? seed : UInt64(s) ?? seed
        }
        print("differential: seed 0x\(String(seed, radix: 16)) cases \(count) (reproduce: ARMVISOR_DIFF_SEED=0x\(String(seed, radix: 16)) ARMVISOR_DIFF_CASES=\(count) swift test --filter DifferentialTests/testRandomAgainstQEMU)")
        let start = Date()
        let (mm, perClass) = try DiffRunner.randomRun(seed: seed, count: count, qemu: qemu) { print($0) }
        let secs = Date().timeIntervalSince(start)
        print(String(format: "differential: %d cases in %.2f s (%.2f s per 100,000)", count, secs, secs * 100_000 / Double(count)))
        print("differential: per class " + perClass.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if !mm.isEmpty {
            XCTFail("seed 0x\(String(seed, radix: 16)): " + DifferentialTests.report(mm, templates: DiffGenerator.templates(seed: seed)))
        }
    }

    // MARK: Corpus regeneration

    /// Rewrites Fixtures/diff-corpus.txt with qemu-arm's results; run by
    /// testCommittedCorpus when ARMVISOR_DIFF_WRITE_CORPUS=1 (no skipped test).
    func regenerateCorpus() throws {
        guard let qemu = DiffRunner.qemuPath() else { return XCTFail("qemu-arm not found (apt-get install qemu-user)") }
        let seed = DifferentialTests.corpusSeed
        var gen = DiffGenerator(seed: seed, userCP15: true)
        let templates = DiffGenerator.templates(seed: seed)
        let cases = (0..<DifferentialTests.corpusCount).map { gen.next(index: $0) }
        let outcomes = try DiffRunner.runOnQEMU(cases, templates: templates, qemu: qemu)
        let text = DiffCorpus.write(seed: seed, templates: templates, cases: cases, outcomes: outcomes, header: [
            "Armvisor A32 differential corpus: \(cases.count) random cases, results from qemu-arm -cpu cortex-a15.",
            "Regenerate: ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter DifferentialTests/testCommittedCorpus",
            "Reference: \(DiffRunner.qemuVersion(qemu)). Format: see DiffCorpus in DifferentialRunner.swift.",
        ])
        try text.write(to: DifferentialTests.corpusURL, atomically: true, encoding: .utf8)
        print("wrote \(DifferentialTests.corpusURL.path): \(cases.count) cases")
    }
}
