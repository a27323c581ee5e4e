import Foundation
import XCTest
@testable import ARMv7

/// Random block-shaped A32 programs (JITBlockShapeGenerator.swift) run on a
/// JIT core and an interpreter core in lockstep, `run(budget: k)` with random
/// k; after every call the whole architectural state, the exceptions taken
/// and all of RAM must agree.
///
/// Environment: `ARMVISOR_JITSHAPE_SEED` (hex with 0x, or decimal; program i
/// uses seed + i) and `ARMVISOR_JITSHAPE_PROGRAMS` (default 300 with
/// `CI=true`, else 60; CI never runs fewer).
final class JITBlockShapeTests: XCTestCase {
    func testRandomBlockShapesJITMatchesInterpreter() throws {
        let env = ProcessInfo.processInfo.environment
        let ci = env["CI"] == "true"
        var programs = ci ? 300 : 60
        if let s = env["ARMVISOR_JITSHAPE_PROGRAMS"], let n = Int(s) { programs = ci ? max(n, 300) : n }
        var seed = UInt64.random(in: 1...UInt64.max)
        if let s = env["ARMVISOR_JITSHAPE_SEED"] {
            seed = (s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)) ?? seed
        }
        print("JIT block shapes: seed 0x\(String(seed, radix: 16)) programs \(programs) (reproduce: ARMVISOR_JITSHAPE_SEED=0x\(String(seed, radix: 16)) ARMVISOR_JITSHAPE_PROGRAMS=\(programs) swift test --filter JITBlockShapeTests)")
        let start = Date()
        var totals = ShapeTotals()
        var failures = 0
        for i in 0..<programs where failures < 3 {
            let pseed = seed &+ UInt64(i)
            let program = ShapeProgram(seed: pseed)
            if let divergence = try ShapeLockstep.run(program, totals: &totals) {
                failures += 1
                XCTFail("program seed 0x\(String(pseed, radix: 16)) (reproduce alone: ARMVISOR_JITSHAPE_SEED=0x\(String(pseed, radix: 16)) ARMVISOR_JITSHAPE_PROGRAMS=1):\n\(divergence)")
            }
        }
        let secs = Date().timeIntervalSince(start)
        print(String(format: "JIT block shapes: %d programs, %d chunks, %llu instructions, %d divergent, %.2f s; exceptions %@; JIT: %d blocks translated, %d invalidated by code writes",
                     programs, totals.chunks, totals.instructions, failures, secs,
                     totals.exceptions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                     totals.jit.blocksTranslated, totals.jit.invalidatedBlocks))
        // The programs must really exercise what they are built for.
        if programs >= 20 && failures == 0 {
            for kind in ["undefined", "supervisorCall", "dataAbort"] {
                XCTAssertGreaterThan(totals.exceptions[kind, default: 0], 0, "no \(kind) exception taken in \(programs) programs")
            }
            XCTAssertEqual(totals.exceptions["prefetchAbort", default: 0], 0, "a program ran off its code (generator bug)")
            XCTAssertGreaterThan(totals.jit.blocksTranslated, programs, "the JIT translated (almost) nothing")
            XCTAssertGreaterThan(totals.jit.invalidatedBlocks, 0, "no translated block was ever overwritten")
        }
    }

    /// The lockstep comparison catches a register, flag, memory or count difference.
    func testDivergenceIsReported() throws {
        let program = ShapeProgram(seed: 99)
        let a = try ShapeMachine(program, engine: .jit), b = try ShapeMachine(program, engine: .jit)
        _ = a.core.run(budget: 50); _ = b.core.run(budget: 50)
        XCTAssertNil(ShapeLockstep.compare(a, b, reasons: (.budgetExhausted, .budgetExhausted)))
        b.core.r[3] ^= 1
        XCTAssertNotNil(ShapeLockstep.compare(a, b, reasons: (.budgetExhausted, .budgetExhausted))?.range(of: "r3"))
        b.core.r[3] ^= 1
        b.core.writeCPSR(b.core.cpsr ^ 0x2000_0000, mask: 0xF000_0000, exceptionReturn: false)
        XCTAssertNotNil(ShapeLockstep.compare(a, b, reasons: (.budgetExhausted, .budgetExhausted))?.range(of: "cpsr"))
        b.core.writeCPSR(b.core.cpsr ^ 0x2000_0000, mask: 0xF000_0000, exceptionReturn: false)
        _ = b.memory.write(UInt64(ShapeProgram.data + 5), size: 1, value: 0x5A ^ (b.memory.read(UInt64(ShapeProgram.data + 5), size: 1) ?? 0))
        XCTAssertNotNil(ShapeLockstep.compare(a, b, reasons: (.budgetExhausted, .budgetExhausted))?.range(of: "memory"))
        XCTAssertNotNil(ShapeLockstep.compare(a, a, reasons: (.budgetExhausted, .hookStop))?.range(of: "stop"))
    }
}
