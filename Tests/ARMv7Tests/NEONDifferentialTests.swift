import Foundation
import XCTest
@testable import ARMv7

/// Differential tests of Advanced SIMD (NEON) against `qemu-arm -cpu cortex-a15`.
///
/// - `testRandomNEONInstructionsMatchQEMU`: fresh random cases (A32 and T32)
///   run on qemu-arm and on the core under both engines; D0–D31, FPSCR
///   (with QC), r0–r14, APSR, signals and the scratch memory must agree.
///   Environment: `NEON_DIFF_SEED` (hex or decimal; default fresh, printed),
///   `NEON_DIFF_CASES` (default 100,000 with CI=true, else 20,000),
///   `NEON_DIFF_FAMILY` (comma-separated family names or prefixes, e.g.
///   `VQDMULH,VLD2`), `NEON_DIFF_ISA` (a32, t32, both), `NEON_DIFF_REPRO`
///   (one case's seed, as printed with each mismatch: runs only that case and
///   prints it), `NEON_DIFF_VERBOSE=1` (print every case and qemu-arm's
///   signal), `NEON_DIFF_ENGINES` (jit, interpreter or both, the default).
///   Without qemu-arm the test is skipped, except with CI=true where it fails.
/// - `NEONCorpusTests` checks the committed corpus without qemu.
final class NEONDifferentialTests: XCTestCase {
    static let batch = 2048

    static func qemuOrSkip() throws -> String? {
        if let q = DiffRunner.qemuPath() { return q }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("qemu-arm not found: the NEON differential test needs it in CI (apt-get install qemu-user)")
            return nil
        }
        throw XCTSkip("qemu-arm not found: apt-get install qemu-user to run the NEON differential test")
    }

    static func parseSeed(_ s: String) -> UInt64? {
        s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)
    }

    static var engines: [ExecutionEngine] {
        switch ProcessInfo.processInfo.environment["NEON_DIFF_ENGINES"]?.lowercased() {
        case "jit": return [.jit]
        case "interpreter": return [.interpreter]
        default: return [.jit, .interpreter]
        }
    }

    func testRandomNEONInstructionsMatchQEMU() throws {
        guard let qemu = try Self.qemuOrSkip() else { return }
        let env = ProcessInfo.processInfo.environment
        let ci = env["CI"] == "true"
        if let r = env["NEON_DIFF_REPRO"], let caseSeed = Self.parseSeed(r) {
            return try reproduce(caseSeed: caseSeed, qemu: qemu)
        }
        var count = ci ? 100_000 : 20_000
        if let s = env["NEON_DIFF_CASES"], let n = Int(s) { count = ci && env["NEON_DIFF_FAMILY"] == nil ? max(n, 100_000) : n }
        let seed = env["NEON_DIFF_SEED"].flatMap(Self.parseSeed) ?? UInt64.random(in: 1...UInt64.max)
        let seedText = "0x" + String(seed, radix: 16)
        print("NEON differential: seed \(seedText), \(count) cases, engines \(Self.engines.map { "\($0)" }.joined(separator: "+"))"
              + " (reproduce: NEON_DIFF_SEED=\(seedText) NEON_DIFF_CASES=\(count)\(NEONGenerator.familyFilterText)"
              + " swift test --filter NEONDifferentialTests/testRandomNEONInstructionsMatchQEMU)")
        let start = Date()
        let gen = NEONBox(NEONGenerator(seed: seed))
        var mismatches = NEONMismatchSummary()
        var perFamily: [String: Int] = [:], faults: [String: Int] = [:]
        var thumbCases = 0, signals = 0
        var coreTime = 0.0, qemuWait = 0.0
        let engines = Self.engines
        var done = 0
        @Sendable func generate(_ n: Int) -> NEONBatch {
            var cases: [NEONCase] = [], seeds: [UInt64] = []
            for _ in 0..<n { let (c, s) = gen.value.next(); cases.append(c); seeds.append(s) }
            return NEONBatch(cases: cases, seeds: seeds, image: NEONImage(cases: cases))
        }
        var batch: NEONBatch? = generate(min(Self.batch, count))
        var run = try NEONRunner.startQEMU(qemu: qemu, image: batch!.image)
        done = batch!.cases.count
        while let p = batch {
            // Both engines run this batch while the next one is generated;
            // qemu-arm runs ahead on its own.
            let t0 = Date()
            let outs = engines.map { _ in NEONBox<Result<(output: [UInt8], errors: [Int: String]), Error>?>(nil) }
            let next = NEONBox<NEONBatch?>(nil)
            let n = min(Self.batch, count - done)
            DispatchQueue.concurrentPerform(iterations: engines.count + 1) { k in
                if k < engines.count {
                    outs[k].value = Result { try NEONRunner.runOnCore(p.image, engine: engines[k]) }
                } else if n > 0 {
                    next.value = generate(n)
                }
            }
            coreTime += Date().timeIntervalSince(t0)
            let expected: [UInt8]
            do {
                let t1 = Date()
                defer { qemuWait += Date().timeIntervalSince(t1) }
                expected = try run.finish()
            } catch {
                _ = try NEONRunner.runOnQEMU(p.cases, qemu: qemu)   // names the case, throws
                throw error
            }
            batch = next.value
            if let b = batch {
                run = try NEONRunner.startQEMU(qemu: qemu, image: b.image)
                done += b.cases.count
            }
            for c in p.cases {
                perFamily[c.family, default: 0] += 1
                if c.thumb { thumbCases += 1 }
            }
            if env["NEON_DIFF_VERBOSE"] == "1" {
                for (i, c) in p.cases.enumerated() {
                    let o = NEONOutcome(record: NEONRunner.record(expected, i))
                    print("case seed 0x\(String(p.seeds[i], radix: 16)) \(c.describe().split(separator: "\n")[0]): qemu signal \(o.signal)")
                }
            }
            for i in p.cases.indices where NEONRunner.word(NEONRunner.record(expected, i), 68) != 0 {
                signals += 1
                faults[p.cases[i].family, default: 0] += 1
            }
            var lists: [[NEONMismatch]] = []
            for (k, e) in engines.enumerated() {
                let core = try outs[k].value!.get()
                lists.append(NEONRunner.compare(p.cases, seeds: p.seeds, expected: expected, core: core, engine: e))
            }
            for m in NEONRunner.merge(lists) { mismatches.add(m) }
        }
        let secs = Date().timeIntervalSince(start)
        print(String(format: "NEON differential: %d cases (%d T32, %d faulting on qemu) in %.1f s (core and generator %.1f s, then waiting for qemu-arm %.1f s), %d mismatching", count, thumbCases, signals, secs, coreTime, qemuWait, mismatches.total))
        print("NEON differential: cases per family: " + NEONRunner.countsText(perFamily, faults: faults))
        if mismatches.total > 0 {
            let (table, details) = mismatches.report(perFamily: perFamily)
            print(details)
            XCTFail("NEON differential seed \(seedText) (first reproducer of each family printed above): " + table)
        }
    }

    /// Runs one case (from its seed) on qemu-arm and both engines and prints everything.
    func reproduce(caseSeed: UInt64, qemu: String) throws {
        let c = NEONGenerator.make(caseSeed: caseSeed, families: NEONGenerator.familyFilter, isa: NEONGenerator.isaFilter)
        print("NEON case 0x\(String(caseSeed, radix: 16)): \(c.describe())")
        let expected = try NEONRunner.runOnQEMU([c], qemu: qemu)
        let e = NEONOutcome(record: NEONRunner.record(expected, 0))
        print("  qemu: signal \(e.signal) fpscr \(hex(e.fpscr)) " + e.d.enumerated().filter { $0.element != c.d[$0.offset] }
            .map { "d\($0.offset)=\(hex($0.element))" }.joined(separator: " "))
        for engine in Self.engines {
            let core = try NEONRunner.runOnCore(NEONImage(cases: [c]), engine: engine)
            let mm = NEONRunner.compare([c], seeds: [caseSeed], expected: expected, core: core, engine: engine)
            if let m = mm.first { XCTFail(m.report()) } else { print("  \(engine): matches qemu-arm") }
        }
    }

    // MARK: The harness checks itself

    /// Hand-written cases with known results (instructions the VFP already
    /// has, and an UNDEFINED word) run on the core and, when present, on
    /// qemu-arm; a wrong expectation is caught.
    func testNEONHarnessSanity() throws {
        var g = NEONGenerator(seed: 7, families: nil, isa: .both)
        var cases = (0..<4).map { _ in g.next().0 }
        cases[0].insn = 0xEC43_2B15; cases[0].thumb = false          // vmov d5, r2, r3
        cases[1].insn = 0xEC43_2B35; cases[1].thumb = true           // vmov d21, r2, r3 (T32)
        cases[2].insn = 0xF200_0C40; cases[2].thumb = false          // SHA1C: UNDEFINED on a Cortex-A15
        cases[3].insn = 0xEE00_0B10 | 4 << 12 | 7 << 16; cases[3].thumb = false   // vmov.32 d7[0], r4
        for i in 0..<4 { cases[i].fpscr = 0x0800_0010; cases[i].prefix = cases[i].thumb ? NEONCase.nopT16 : NEONCase.nopA32 }
        let image = NEONImage(cases: cases)
        for engine in ExecutionEngine.allCases {
            let run = try NEONRunner.runOnCore(image, engine: engine)
            XCTAssertEqual(run.errors.count, 0, "\(run.errors)")
            let out = (0..<4).map { NEONOutcome(record: NEONRunner.record(run.output, $0)) }
            XCTAssertEqual(out[0].d[5], UInt64(cases[0].r[3]) << 32 | UInt64(cases[0].r[2]))
            XCTAssertEqual(out[1].d[21], UInt64(cases[1].r[3]) << 32 | UInt64(cases[1].r[2]))
            for i in [0, 1, 3] { XCTAssertEqual(out[i].landing, NEONLayout.landing(i)); XCTAssertEqual(out[i].signal, 0) }
            XCTAssertEqual(out[2].signal, 4)
            XCTAssertEqual(out[2].landing, NEONLayout.test(2, thumb: false) | 1)
            XCTAssertEqual(out[2].d, cases[2].d)
            XCTAssertEqual(out[2].r, cases[2].r)
            XCTAssertEqual(out[2].fpscr, 0x0800_0010)
            XCTAssertEqual(out[3].d[7], cases[3].d[7] & 0xFFFF_FFFF_0000_0000 | UInt64(cases[3].r[4]))
            XCTAssertEqual(out[3].scratch, cases[3].scratch)
            XCTAssertEqual(Array(out[0].d[6...]), Array(cases[0].d[6...]))
            // The comparison and the corpus format catch a wrong value.
            var wrong = run.output
            wrong[NEONLayout.recordSize + 80 + 8 * 21] ^= 1
            let mm = NEONRunner.compare(cases, seeds: [1, 2, 3, 4], expected: wrong, core: run, engine: engine)
            XCTAssertEqual(mm.map(\.index), [1])
            XCTAssertTrue(mm.first?.report().contains("d21: qemu") ?? false)
            for i in 0..<4 {
                let line = NEONCorpus.line(index: i, cases[i], out[i])
                XCTAssertEqual(try NEONCorpus.outcome(Substring(line), index: i, cases[i]), out[i], line)
            }
        }
        if let qemu = DiffRunner.qemuPath() {
            let q = try NEONRunner.runOnQEMU(cases, qemu: qemu)
            let core = try NEONRunner.runOnCore(image, engine: .interpreter)
            let mm = NEONRunner.compare(cases, seeds: [1, 2, 3, 4], expected: q, core: core, engine: .interpreter)
            XCTAssertTrue(mm.isEmpty, mm.map { $0.report() }.joined())
        }
    }

    /// Every family of the table is drawn, T32 too, and classification is stable.
    func testNEONGeneratorCoversEveryFamily() {
        var g = NEONGenerator(seed: 3, families: nil, isa: .both)
        var seen = Set<String>()
        var thumb = 0
        for _ in 0..<20_000 {
            let (c, _) = g.next()
            seen.insert(c.family)
            if c.thumb { thumb += 1 }
            XCTAssertNotEqual(c.family, "?", String(format: "%08x", c.insn))
        }
        let missing = NEONFamilies.names.filter { !seen.contains($0) }
        XCTAssertEqual(missing, [], "families never drawn")
        XCTAssertGreaterThan(thumb, 4000)
        XCTAssertEqual(NEONCase.t32(0xF3B0_0A00), 0xFFB0_0A00)
        XCTAssertEqual(NEONCase.t32(0xF42A_070F), 0xF92A_070F)
        XCTAssertEqual(NEONCase.t32(0x1E00_0B10), 0xEE00_0B10)
    }
}

/// One image's worth of cases.
struct NEONBatch {
    var cases: [NEONCase]
    var seeds: [UInt64]
    var image: NEONImage
}

/// A mutable box shared with concurrently running work (each box is
/// written by one task and read after they all finish).
final class NEONBox<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}

/// A fixed-seed NEON corpus with qemu-arm's results (Fixtures/neon-corpus.txt),
/// checked on both engines without qemu.
/// Regenerate (needs qemu-arm): ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter NEONCorpusTests
final class NEONCorpusTests: XCTestCase {
    static let seed: UInt64 = 0x5EED_0AE0
    static let count = 8000
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/neon-corpus.txt")
    }

    static func cases() -> ([NEONCase], [UInt64]) {
        var g = NEONGenerator(seed: seed, families: nil, isa: .both)
        var cs: [NEONCase] = [], ss: [UInt64] = []
        for _ in 0..<count { let (c, s) = g.next(); cs.append(c); ss.append(s) }
        return (cs, ss)
    }

    func testCommittedNEONCorpus() throws {
        let (cases, seeds) = Self.cases()
        if ProcessInfo.processInfo.environment["ARMVISOR_DIFF_WRITE_CORPUS"] == "1" {
            guard let qemu = DiffRunner.qemuPath() else { return XCTFail("qemu-arm not found (apt-get install qemu-user)") }
            let out = try NEONRunner.runOnQEMU(cases, qemu: qemu)
            var text = "# Armvisor NEON differential corpus: \(Self.count) random cases (seed 0x\(String(Self.seed, radix: 16)), layout \(NEONLayout.version)), "
            text += "results from \(DiffRunner.qemuVersion(qemu)) -cpu cortex-a15.\n"
            text += "# Regenerate: ARMVISOR_DIFF_WRITE_CORPUS=1 swift test --filter NEONCorpusTests. Format: NEONDifferentialCorpus.swift.\n"
            text += "layout \(NEONLayout.version)\n"
            for (i, c) in cases.enumerated() {
                text += NEONCorpus.line(index: i, c, NEONOutcome(record: NEONRunner.record(out, i))) + "\n"
            }
            try text.write(to: Self.url, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: Self.url, encoding: .utf8)
        var expected: [NEONOutcome] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("layout ") {
                XCTAssertEqual(String(line.dropFirst(7)), "\(NEONLayout.version)", "layout changed: regenerate the corpus")
                continue
            }
            let i = expected.count
            guard i < cases.count else { break }
            expected.append(try NEONCorpus.outcome(line, index: i, cases[i]))
        }
        XCTAssertEqual(expected.count, cases.count, "corpus size: regenerate it")
        guard expected.count == cases.count else { return }
        let image = NEONImage(cases: cases)
        var perFamily: [String: Int] = [:]
        for c in cases { perFamily[c.family, default: 0] += 1 }
        var last: (output: [UInt8], errors: [Int: String])?
        for engine in ExecutionEngine.allCases {
            let run = try NEONRunner.runOnCore(image, engine: engine)
            last = run
            let mm = NEONRunner.compare(cases, seeds: seeds, expected: expected, core: run, engine: engine)
            print("NEON corpus (\(engine)): \(cases.count) cases, \(mm.count) mismatches")
            if !mm.isEmpty {
                let (table, details) = NEONRunner.report(mm, perFamily: perFamily)
                print(details)
                XCTFail("NEON corpus, \(engine) (first reproducer of each family printed above): " + table)
            }
        }
        // A wrong stored value is detected.
        var tampered = expected
        tampered[11].d[3] ^= 1 << 17
        let mm = NEONRunner.compare(cases, seeds: seeds, expected: tampered, core: last!, engine: .interpreter)
        XCTAssertTrue(mm.contains { $0.index == 11 }, "tampered expectation not detected")
    }
}
