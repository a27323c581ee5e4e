import Foundation
import XCTest
@testable import ARMv7
import Devices

/// The JIT against the interpreter (the reference semantics) on the random
/// single-instruction cases of the qemu differential generators: every image
/// runs once per engine and the output areas must be byte-identical and the
/// unexpected-exception notes the same. No qemu-arm needed.
///
/// Environment: `ARMVISOR_JITDIFF_SEED` (hex with 0x, or decimal; default
/// fresh, printed) and `ARMVISOR_JITDIFF_CASES` (all cases: 70% A32, 25%
/// T32, 5% VFP; default 20,000). CI (`CI=true`) runs at least 200,000
/// (140,000 A32 + 50,000 T32 + 10,000 VFP), about two minutes in a debug build.
final class JITDifferentialTests: XCTestCase {
    static let batch = 4096

    static var ci: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var total: Int {
        var n = ci ? 200_000 : 20_000
        if let s = ProcessInfo.processInfo.environment["ARMVISOR_JITDIFF_CASES"], let v = Int(s) { n = ci ? max(v, 200_000) : v }
        return n
    }

    static func seed() -> UInt64 {
        if let s = ProcessInfo.processInfo.environment["ARMVISOR_JITDIFF_SEED"],
           let v = s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s) {
            return v
        }
        return UInt64.random(in: 1...UInt64.max)
    }

    static func reproduce(_ seed: UInt64, _ test: String) -> String {
        "reproduce: ARMVISOR_JITDIFF_SEED=0x\(String(seed, radix: 16)) ARMVISOR_JITDIFF_CASES=\(total) swift test --filter JITDifferentialTests/\(test)"
    }

    func testA32JITMatchesInterpreter() throws {
        try runCases(name: "A32", test: "testA32JITMatchesInterpreter", seed: Self.seed(), count: Self.total * 7 / 10) { g, _, i in g.next(index: i) }
    }

    func testT32JITMatchesInterpreter() throws {
        // Thumb runs interpreted under both engines, but the A32 harness
        // around every case (entry, result store, signal path) is translated.
        try runCases(name: "T32", test: "testT32JITMatchesInterpreter", seed: Self.seed(), count: Self.total / 4) { _, t, i in t.next(index: i) }
    }

    func testVFPJITMatchesInterpreter() throws {
        let seed = Self.seed()
        let count = Self.total / 20
        print("JIT diff VFP: seed 0x\(String(seed, radix: 16)) cases \(count) (\(Self.reproduce(seed, "testVFPJITMatchesInterpreter")))")
        let start = Date()
        var rng = SplitMix64(seed: seed)
        var done = 0, mismatches = 0
        while done < count {
            let n = min(VFPDifferentialTests.casesPerProgram, count - done)
            let cases = (0..<n).map { _ in VFPRandomCase.make(&rng, runningProgramFPSCR: true) }
            let program = VFPDiffProgram(cases: cases, base: VFPDifferentialTests.loadAddress)
            let reference = try program.runOnCore(engine: .interpreter)
            let jit = try program.runOnCore(engine: .jit)
            XCTAssertEqual(reference.count, jit.count, "output size")
            for (i, c) in cases.enumerated() where mismatches < 20 {
                let e = VFPDiffProgram.record(reference, i), a = VFPDiffProgram.record(jit, i)
                if e != a {
                    mismatches += 1
                    XCTFail("seed 0x\(String(seed, radix: 16)) VFP case \(done + i): \(c.describe())\n  interpreter: \(VFPDiffProgram.describe(e))\n  jit:         \(VFPDiffProgram.describe(a))")
                }
            }
            done += n
        }
        print(String(format: "JIT diff VFP: %d cases, %d mismatches, %.2f s", count, mismatches, Date().timeIntervalSince(start)))
    }

    /// Generates `count` cases in images of `batch`, runs each image under
    /// both engines and fails on the first differing records.
    func runCases(name: String, test: String, seed: UInt64, count: Int,
                  next: (inout DiffGenerator, inout DiffThumbGenerator, Int) -> DiffCase) throws {
        print("JIT diff \(name): seed 0x\(String(seed, radix: 16)) cases \(count) (\(Self.reproduce(seed, test)))")
        let start = Date()
        var gen = DiffGenerator(seed: seed)
        var tgen = DiffThumbGenerator(seed: seed)
        let templates = DiffGenerator.templates(seed: seed)
        var done = 0, mismatches: [DiffMismatch] = [], interpSecs = 0.0, jitSecs = 0.0
        while done < count {
            let n = min(Self.batch, count - done)
            let cases = (0..<n).map { next(&gen, &tgen, $0) }
            let image = DiffImage(cases: cases, templates: templates)
            var t = Date()
            let reference = try DiffRunner.runOnCore(image, engine: .interpreter)
            interpSecs += Date().timeIntervalSince(t); t = Date()
            let jit = try DiffRunner.runOnCore(image, engine: .jit)
            jitSecs += Date().timeIntervalSince(t)
            XCTAssertEqual(reference.output.count, image.outputSize, "interpreter run produced no output")
            let found = Self.differences(cases, reference: reference, jit: jit, batchStart: done)
            mismatches += found
            done += n
        }
        let secs = Date().timeIntervalSince(start)
        print(String(format: "JIT diff %@: %d cases, %d mismatches, %.2f s (interpreter runs %.2f s, JIT runs %.2f s)",
                     name, count, mismatches.count, secs, interpSecs, jitSecs))
        if !mismatches.isEmpty {
            XCTFail("JIT diff \(name) seed 0x\(String(seed, radix: 16)) (expected = interpreter, actual = JIT): "
                    + DifferentialTests.report(mismatches, templates: templates)
                        .replacingOccurrences(of: "  qemu: ", with: "  interp: ").replacingOccurrences(of: "  core: ", with: "  jit:    "))
        }
    }

    /// The cases whose records or exception notes differ between the engines.
    static func differences(_ cases: [DiffCase], reference: (output: [UInt8], errors: [Int: String]),
                            jit: (output: [UInt8], errors: [Int: String]), batchStart: Int) -> [DiffMismatch] {
        var result: [DiffMismatch] = []
        let n = DiffLayout.outputRecordSize
        let whole = reference.output.count == jit.output.count && reference.output.count == cases.count * n
        for (i, c) in cases.enumerated() {
            let note = "batch at case \(batchStart)"
            if reference.errors[i] != jit.errors[i] {
                result.append(DiffMismatch(index: i, dcase: c, expected: nil, actual: nil,
                                           note: "\(note); interpreter: \(reference.errors[i] ?? "-"); jit: \(jit.errors[i] ?? "-")"))
            } else if !whole {
                result.append(DiffMismatch(index: i, dcase: c, expected: nil, actual: nil,
                                           note: "\(note); output sizes \(reference.output.count) vs \(jit.output.count)"))
                break
            } else if reference.output[(i * n)..<((i + 1) * n)] != jit.output[(i * n)..<((i + 1) * n)] {
                let e = DiffOutcome(record: reference.output[(i * n)..<((i + 1) * n)])
                let a = DiffOutcome(record: jit.output[(i * n)..<((i + 1) * n)])
                result.append(DiffMismatch(index: i, dcase: c, expected: e, actual: a,
                                           note: "\(note); record bytes differ"))
            }
        }
        return result
    }

    /// The comparison itself can fail: a flipped output byte and a changed
    /// exception note are both reported, at their case.
    func testDifferencesAreDetected() throws {
        var gen = DiffGenerator(seed: 5)
        let cases = (0..<64).map { gen.next(index: $0) }
        let image = DiffImage(cases: cases, templates: DiffGenerator.templates(seed: 5))
        let run = try DiffRunner.runOnCore(image, engine: .jit)
        XCTAssertTrue(Self.differences(cases, reference: run, jit: run, batchStart: 0).isEmpty)
        var flipped = run
        flipped.output[9 * DiffLayout.outputRecordSize + 3] ^= 0x10
        flipped.errors[20] = "core took undefined"
        XCTAssertEqual(Self.differences(cases, reference: run, jit: flipped, batchStart: 0).map(\.index), [9, 20])
    }
}
