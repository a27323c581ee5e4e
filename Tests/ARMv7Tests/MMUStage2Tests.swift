@testable import ARMv7
import XCTest

/// Stage-2 translation (VTCR/VTTBR) and its interaction with stage 1.
final class MMUStage2Tests: XCTestCase {
    typealias F = MMUFixture

    func testStage2AloneWhenStage1IsOff() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0020_0000, 0x00C0_0000, 0b11)])
        fx.enableStage2()
        XCTAssertEqual(fx.translate(0x0020_1234, .write)?.pa, 0x00C0_1234)
        XCTAssertEqual(fx.translate(0x0020_1234, .fetch)?.executable, true)
        let f = fx.fault(0x0040_0010, .write)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.level, 2)
        XCTAssertEqual(f?.stage2, true)
        XCTAssertEqual(f?.s1ptw, false)
        XCTAssertEqual(f?.ipa, 0x0040_0010)
        XCTAssertEqual(f?.address, 0x0040_0010)
        XCTAssertEqual(f?.write, true)
        XCTAssertEqual(f?.longStatus, 0b000110)
        // Beyond the 4 GiB input range of the level-1 table: level-1 fault.
        let g = fx.fault(0xC000_0000, .fetch)
        XCTAssertEqual(g?.stage2, true)
        XCTAssertEqual(g?.level, 1)
    }

    func testStage2AccessPermissionsXNAndAccessFlag() throws {
        let fx = try MMUFixture()
        let l2: UInt64 = 0x21000
        fx.w64(0x20000, F.ldTable(l2))
        fx.w64(l2 + 0 * 8, F.s2Block(0x0100_0000, s2ap: 0b00))
        fx.w64(l2 + 1 * 8, F.s2Block(0x0120_0000, s2ap: 0b01))            // read-only
        fx.w64(l2 + 2 * 8, F.s2Block(0x0140_0000, s2ap: 0b10))            // write-only
        fx.w64(l2 + 3 * 8, F.s2Block(0x0160_0000, s2ap: 0b11, xn: true))
        fx.w64(l2 + 4 * 8, F.s2Block(0x0180_0000, af: false))
        fx.enableStage2()
        func check(_ va: UInt32, _ kind: AccessKind, allowed: Bool, line: UInt = #line) {
            if allowed {
                XCTAssertNotNil(fx.translate(va, kind, line: line), line: line)
            } else {
                let f = fx.fault(va, kind, line: line)
                XCTAssertEqual(f?.kind, .permission, line: line)
                XCTAssertEqual(f?.stage2, true, line: line)
                XCTAssertEqual(f?.level, 2, line: line)
                XCTAssertEqual(f?.ipa, UInt64(va), line: line)
            }
        }
        check(0x0000_0000, .read, allowed: false)
        check(0x0000_0000, .write, allowed: false)
        check(0x0020_0000, .read, allowed: true)
        check(0x0020_0000, .write, allowed: false)
        check(0x0040_0000, .write, allowed: true)
        check(0x0040_0000, .read, allowed: false)
        check(0x0060_0000, .write, allowed: true)
        check(0x0060_0000, .fetch, allowed: false)
        check(0x0020_0000, .fetch, allowed: true)
        XCTAssertEqual(fx.translate(0x0020_0000)?.writable, false)
        XCTAssertEqual(fx.translate(0x0060_0000)?.executable, false)
        let f = fx.fault(0x0080_0000)
        XCTAssertEqual(f?.kind, .accessFlag)
        XCTAssertEqual(f?.stage2, true)
        XCTAssertEqual(f?.longStatus, 0b001010)
    }

    func testStage2SizesAndStartLevels() throws {
        let fx = try MMUFixture()
        // T0SZ = -8 (40-bit IPA), SL0 = 1: 1024 concatenated level-1 entries, 8 KiB aligned.
        let root: UInt64 = 0x22000
        fx.w64(root + 0x201 * 8, F.s2Block(0x0000_0000))
        fx.w64(root, F.s2Block(0x0000_0000))                         // stage-1 tables: identity
        // Stage 1 (LPAE) maps VA 0 → IPA 0x80_4000_0000.
        fx.w64(0x10000, F.ldBlock(0x80_4000_0000))
        fx.core.sys.ttbr0 = 0x10000
        fx.core.sys.ttbcr = 0x8000_0000
        fx.core.sys.sctlr |= 1
        fx.enableStage2(root: root, vtcr: 1 << 6 | 0b1_1000)
        XCTAssertEqual(fx.translate(0x0000_1234)?.pa, 0x1234)

        // T0SZ = 1 (31-bit IPA): IPAs from 2 GiB fault at level 1.
        fx.core.sys.sctlr &= ~1
        fx.mapStage2Blocks([(0x0020_0000, 0x0060_0000, 0b11)])
        fx.enableStage2(vtcr: 1 << 6 | 1)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0x0020_0008)?.pa, 0x0060_0008)
        let f = fx.fault(0x8000_0000)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.level, 1)
        XCTAssertEqual(f?.stage2, true)

        // SL0 = 0, T0SZ = 0: level-2 start with 2048 concatenated entries (16 KiB aligned).
        let l2root: UInt64 = 0x24000
        fx.w64(l2root + 0x600 * 8, F.s2Block(0x00E0_0000))
        fx.enableStage2(root: l2root, vtcr: 0)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0xC000_0100)?.pa, 0x00E0_0100)
    }

    /// Short-descriptor stage 1 whose table lives at an IPA: every descriptor
    /// fetch is translated by stage 2, and faults there are S1PTW faults.
    func testStage1TableWalkGoesThroughStage2() throws {
        let fx = try MMUFixture()
        // IPA 0x0020_0000 (tables) → PA 0x0080_0000; IPA 0 (data) → PA 0x00E0_0000.
        fx.mapStage2Blocks([(0x0020_0000, 0x0080_0000, 0b11), (0, 0x00E0_0000, 0b11),
                            (0x0060_0000, 0x00A0_0000, 0b10)])
        fx.setL1(0x1000_0000, F.section(0x0000_0000), table: 0x0080_4000)
        fx.setL1(0x1000_0000, F.section(0x0000_0000), table: 0x00A0_4000)
        fx.enableShort(ttbr0: 0x0020_4000)
        fx.enableStage2()
        XCTAssertEqual(fx.translate(0x1000_0040)?.pa, 0x00E0_0040)

        // Level-1 table at an IPA stage 2 does not map.
        fx.core.sys.ttbr0 = 0x0040_4000
        fx.core.tlb.invalidateAll()
        var f = fx.fault(0x1000_0040, .write)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.stage2, true)
        XCTAssertEqual(f?.s1ptw, true)
        XCTAssertEqual(f?.level, 2)
        XCTAssertEqual(f?.ipa, 0x0040_4000 + (0x1000_0000 >> 20) * 4)
        XCTAssertEqual(f?.address, 0x1000_0040)
        XCTAssertEqual(f?.write, false, "the walk itself is a read")

        // Table readable only as write-only memory at stage 2: permission fault on the walk.
        fx.core.sys.ttbr0 = 0x0060_4000
        fx.core.tlb.invalidateAll()
        f = fx.fault(0x1000_0040, .fetch)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.s1ptw, true)
        XCTAssertEqual(f?.stage2, true)

        // HCR.PTW: a stage-1 walk into Device memory (stage-2 MemAttr[3:2] = 00) faults.
        fx.w64(0x21000 + 1 * 8, F.s2Block(0x0080_0000, memAttr: 0b0001))
        fx.core.sys.ttbr0 = 0x0020_4000
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0x1000_0040)?.pa, 0x00E0_0040)
        fx.core.sys.hcr |= HCR.ptw
        fx.core.tlb.invalidateAll()
        f = fx.fault(0x1000_0040)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.s1ptw, true)
    }

    func testStage1FaultsComeBeforeStage2FaultsOnTheOutput() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0000_0000, 0x0000_0000, 0b11)])              // tables: identity
        fx.setL1(0x1000_0000, F.section(0x0080_0000, ap: 0b000))            // IPA unmapped at stage 2
        fx.setL1(0x1010_0000, F.section(0x0080_0000, ap: 0b011))
        fx.enableShort()
        fx.enableStage2()
        var f = fx.fault(0x1000_0000)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.stage2, false)
        XCTAssertEqual(f?.fsr, 0x00D)
        f = fx.fault(0x1010_0010, .write)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.stage2, true)
        XCTAssertEqual(f?.s1ptw, false)
        XCTAssertEqual(f?.ipa, 0x0080_0010)
        XCTAssertEqual(f?.longFormat, false, "stage-1 regime is short-descriptor")
    }

    func testLongStage1WithStage2XNGivesPrefetchAbortToHyp() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0000_0000, 0x0000_0000, 0b11)])
        fx.w64(0x21000 + 4 * 8, F.s2Block(0x0100_0000, xn: true))           // IPA 0x0080_0000
        fx.w64(0x10000, F.ldBlock(0x0000_0000))                             // VA 0..1 GiB → IPA same
        fx.core.sys.ttbr0 = 0x10000
        fx.core.sys.ttbcr = 0x8000_0000
        fx.core.sys.sctlr |= 1
        fx.enableStage2()
        XCTAssertEqual(fx.translate(0x0080_0004)?.pa, 0x0100_0004)
        let f = fx.fault(0x0080_0004, .fetch)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.stage2, true)
        XCTAssertEqual(f?.ipa, 0x0080_0004)
        XCTAssertEqual(f?.longFormat, true)
    }

    func testHCRDCMakesStage1FlatAndStage2Active() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0020_0000, 0x00C0_0000, 0b11)])
        fx.enableShort(ttbr0: 0x00F0_0000)          // would fault: empty table
        fx.core.sys.vtcr = 0x8000_0000 | 1 << 6
        fx.core.sys.vttbr = 1 << 48 | 0x20000
        fx.core.sys.hcr = HCR.dc
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x00C0_0010)
        fx.core.sys.hcr = 0
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.fault(0x0020_0010)?.stage2, false)
    }
}
