@testable import ARMv7
import XCTest

/// The JIT's code cache filling up: it is emptied and the code translated
/// again, with the architected results (chained jumps into the emptied
/// cache must not survive the flush).
final class JITCodeCacheTests: XCTestCase {
    /// 600 blocks of `ADD r0, r0, #1 ; B next`, the last looping back to the
    /// first while r1 counts down: more code than a 16 KiB cache holds.
    func testACacheTooSmallForTheLoopIsEmptiedAndTheResultsStayRight() throws {
        let blocks = 600
        var results: [ExecutionEngine: UInt32] = [:]
        for engine in ExecutionEngine.allCases {
            let fx = try MMUFixture()
            try fx.core.setEngine(engine, translationThreshold: 1, codeCacheSize: 16 << 10)
            let base: UInt32 = 0x8000
            for i in 0..<blocks {
                let at = base + UInt32(i) * 8
                fx.w32(UInt64(at), 0xE280_0001)                       // ADD r0, r0, #1
                fx.w32(UInt64(at + 4), 0xEAFF_FFFF)                   // B at+8
            }
            let tail = base + UInt32(blocks) * 8
            fx.w32(UInt64(tail), 0xE251_1001)                         // SUBS r1, r1, #1
            let back = Int32(base) - Int32(tail + 4) - 8
            fx.w32(UInt64(tail + 4), 0x1A00_0000 | (UInt32(bitPattern: back >> 2) & 0xFF_FFFF))   // BNE base
            fx.w32(UInt64(tail + 8), 0xEAFF_FFFE)                     // B .
            fx.core.r[0] = 0
            fx.core.r[1] = 5
            fx.core.pc = base
            _ = fx.core.run(budget: 5 * (blocks * 2 + 2) + 1)
            XCTAssertEqual(fx.core.pc, tail + 8, "\(engine): reached the end")
            results[engine] = fx.core.r[0]
            if engine == .jit {
                let s = fx.core.jitStatistics
                XCTAssertGreaterThan(s.flushes, 0, "the cache filled up")
                XCTAssertLessThanOrEqual(s.codeBytesUsed, s.codeBytesCapacity)
            }
        }
        XCTAssertEqual(results[.interpreter], UInt32(blocks * 5))
        XCTAssertEqual(results[.jit], results[.interpreter])
    }
}
