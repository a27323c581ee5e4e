@testable import ARMv7
import XCTest

/// UADD8, USUB8 and SEL translated to host code (`emitParallel`) against
/// the interpreter, on random operands and on the lane edges (0x00, 0x7F,
/// 0x80, 0xFF), including SEL reading the GE bits the JIT wrote.
final class JITParallelTests: XCTestCase {
    // UADD8 r2, r0, r1 ; SEL r3, r4, r5 ; USUB8 r6, r0, r1 ; SEL r7, r4, r5 ;
    // UADD8 r0, r0, r0 (destination = sources) ; B .
    static let program: [UInt32] = [0xE650_2F91, 0xE684_3FB5, 0xE650_6FF1, 0xE684_7FB5, 0xE650_0F90, 0xEAFF_FFFE]

    func run(_ engine: ExecutionEngine, _ inputs: [UInt32]) throws -> [UInt32] {
        let fx = try MMUFixture()
        try fx.core.setEngine(engine, translationThreshold: 1)
        for (i, w) in Self.program.enumerated() { fx.w32(0x8000 + UInt64(i * 4), w) }
        for (i, v) in inputs.enumerated() { fx.core.r[[0, 1, 4, 5][i]] = v }
        fx.core.pc = 0x8000
        _ = fx.core.run(budget: Self.program.count - 1)
        return (0..<8).map { fx.core.r[$0] } + [fx.core.ge, fx.core.pc]
    }

    func testUADD8USUB8AndSELMatchTheInterpreter() throws {
        let edges: [UInt32] = [0x0000_0000, 0xFFFF_FFFF, 0x7F7F_7F7F, 0x8080_8080, 0x00FF_7F80, 0x807F_FF00, 0x0102_0304]
        var cases: [[UInt32]] = []
        for a in edges { for b in edges { cases.append([a, b, 0x1122_3344, 0xAABB_CCDD]) } }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 { cases.append((0..<4).map { _ in UInt32.random(in: .min ... .max, using: &rng) }) }
        for c in cases {
            let reference = try run(.interpreter, c)
            XCTAssertEqual(reference[9], 0x8014, "the interpreter reached B .")
            XCTAssertEqual(try run(.jit, c), reference, "operands \(c.map { String($0, radix: 16) })")
        }
        // One case worked by hand (ARM ARM UADD8: GE[i] is the carry out of lane i).
        let r = try run(.interpreter, [0x80FF_0102, 0x8001_FF01, 0, 0xFFFF_FFFF])
        XCTAssertEqual(r[2], 0x0000_0003)
        XCTAssertEqual(r[3], 0x0000_00FF, "after UADD8 GE = 0b1110: bytes 1–3 from r4 (0), byte 0 from r5")
    }
}
