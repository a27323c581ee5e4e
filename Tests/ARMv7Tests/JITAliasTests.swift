@testable import ARMv7
import XCTest

/// The JIT with the MMU on: one physical page of code reached through
/// several virtual addresses. Translations have the virtual PC built in
/// (PC-relative operands, return addresses), and code written through one
/// alias must be seen when it runs through another. Both engines must give
/// the architected results.
final class JITAliasTests: XCTestCase {
    typealias F = MMUFixture

    /// PA 0x8000: ADD r0, pc, #0 ; MOV r1, #7 ; B . (a three-instruction block).
    func makeFixture(_ engine: ExecutionEngine) throws -> MMUFixture {
        let fx = try MMUFixture()
        try fx.core.setEngine(engine, translationThreshold: 1)   // translate at once
        fx.w32(0x8000, 0xE28F_0000)
        fx.w32(0x8004, 0xE3A0_1007)
        fx.w32(0x8008, 0xEAFF_FFFE)
        return fx
    }

    func testSamePhysicalCodeAtThreeVirtualAddresses() throws {
        for engine in ExecutionEngine.allCases {
            let fx = try makeFixture(engine)
            // MMU off: the code runs at its physical address.
            fx.core.pc = 0x8000
            _ = fx.core.run(budget: 3)
            XCTAssertEqual(fx.core.r[0], 0x8008, "\(engine), MMU off")
            // MMU on, two aliases of PA 0 (as Linux runs its head at the
            // physical address, then at the virtual one).
            fx.setL1(0xC000_0000, F.section(0))
            fx.setL1(0xD000_0000, F.section(0))
            fx.setL1(0x0000_0000, F.section(0))
            fx.enableShort()
            for va: UInt32 in [0xC000_8000, 0xD000_8000, 0x0000_8000, 0xC000_8000] {
                fx.core.r[0] = 0
                fx.core.pc = va
                _ = fx.core.run(budget: 3)
                XCTAssertEqual(fx.core.r[0], va &+ 8, "\(engine) at 0x\(String(va, radix: 16))")
                XCTAssertEqual(fx.core.pc, va &+ 8, "\(engine): B . at 0x\(String(va, radix: 16))")
            }
            if engine == .jit {
                // 0x8000 with the MMU off and on is one virtual and physical
                // address, so one translation; 0xC0008000 and 0xD0008000 are
                // one each.
                XCTAssertEqual(fx.core.jitStatistics.blocksTranslated, 3, "one translation per virtual address")
            }
        }
    }

    /// Code rewritten by a guest store through a writable alias (no cache
    /// maintenance) runs the new instruction through the executable alias.
    func testStoreThroughAnotherAliasReplacesTranslatedCode() throws {
        for engine in ExecutionEngine.allCases {
            let fx = try makeFixture(engine)
            // PA 0x9000: STR r2, [r3] ; B .
            fx.w32(0x9000, 0xE583_2000)
            fx.w32(0x9004, 0xEAFF_FFFE)
            fx.setL1(0xC000_0000, F.section(0))
            fx.setL1(0xD000_0000, F.section(0))
            fx.enableShort()
            fx.core.pc = 0xC000_8000
            _ = fx.core.run(budget: 3)
            XCTAssertEqual(fx.core.r[1], 7, "\(engine): first version")
            // Rewrite MOV r1, #7 as MOV r1, #9 through the D alias.
            fx.core.r[2] = 0xE3A0_1009
            fx.core.r[3] = 0xD000_8004
            fx.core.pc = 0xC000_9000
            _ = fx.core.run(budget: 2)
            fx.core.r[1] = 0
            fx.core.pc = 0xC000_8000
            _ = fx.core.run(budget: 3)
            XCTAssertEqual(fx.core.r[1], 9, "\(engine): the rewritten instruction ran")
            if engine == .jit {
                XCTAssertGreaterThan(fx.core.jitStatistics.invalidatedBlocks, 0)
            }
        }
    }
}
