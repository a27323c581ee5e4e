@testable import ARMv7
import XCTest

/// The VMID/ASID-tagged translation TLB and its maintenance operations.
final class MMUTLBTests: XCTestCase {
    typealias F = MMUFixture
    static let va: UInt32 = 0x1000_0040

    /// Short-descriptor MMU with ASID 5 and one section at `va` (non-global
    /// unless `global`) mapping to PA 0x0010_0000; returns the fixture after
    /// caching the translation and retargeting the descriptor to 0x0020_0000.
    func staleFixture(global: Bool = false) throws -> MMUFixture {
        let fx = try MMUFixture()
        fx.setL1(Self.va, F.section(0x0010_0000, nG: !global))
        fx.enableShort()
        fx.core.sys.contextidr = 5
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040)
        fx.setL1(Self.va, F.section(0x0020_0000, nG: !global))
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "TLB hit: the walk is not repeated")
        return fx
    }

    func testEachInvalidationDropsTheStaleEntry() throws {
        let ops: [TLBInvalidation] = [.all, .byMVA(Self.va, asid: 5), .byASID(5), .byMVAAllASID(Self.va),
                                      .allNonHyp]
        for op in ops {
            for shared in [false, true] {
                let fx = try staleFixture()
                fx.core.invalidateTLB(op, innerShareable: shared)
                XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0020_0040, "\(op) IS=\(shared)")
            }
        }
    }

    func testInvalidationsThatMustNotMatchLeaveTheEntry() throws {
        let ops: [TLBInvalidation] = [.byMVA(Self.va + 0x10_0000, asid: 5), .byMVA(Self.va, asid: 6), .byASID(6),
                                      .byMVAAllASID(Self.va ^ 0x8000_0000), .allHyp, .byMVAHyp(Self.va)]
        for op in ops {
            let fx = try staleFixture()
            fx.core.invalidateTLB(op, innerShareable: false)
            XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "\(op) must not drop the entry")
        }
        // TLBIALL acts on the current VMID only.
        let fx = try staleFixture()
        fx.core.sys.vttbr = 7 << 48
        fx.core.invalidateTLB(.all, innerShareable: false)
        fx.core.sys.vttbr = 0
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040)
    }

    func testGlobalEntriesMatchEveryASID() throws {
        let fx = try staleFixture(global: true)
        fx.core.sys.contextidr = 9
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "global entry hits under another ASID")
        fx.core.invalidateTLB(.byASID(5), innerShareable: false)
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "TLBIASID leaves global entries")
        fx.core.invalidateTLB(.byMVA(Self.va, asid: 200), innerShareable: false)
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0020_0040, "TLBIMVA drops global entries of the VA")
    }

    func testSameVAInTwoASIDsStaysApart() throws {
        let fx = try MMUFixture()
        let t1: UInt64 = 0x4000, t2: UInt64 = 0x8000
        fx.setL1(Self.va, F.section(0x0010_0000, nG: true), table: t1)
        fx.setL1(Self.va, F.section(0x0020_0000, nG: true), table: t2)
        fx.enableShort(ttbr0: UInt32(t1))
        fx.core.sys.contextidr = 1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040)
        fx.core.sys.contextidr = 2
        fx.core.sys.ttbr0 = t2
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0020_0040)
        // Both are cached: change both tables, both still hit their own entry.
        fx.setL1(Self.va, F.section(0x0030_0000, nG: true), table: t1)
        fx.setL1(Self.va, F.section(0x0030_0000, nG: true), table: t2)
        fx.core.sys.contextidr = 1
        fx.core.sys.ttbr0 = t1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040)
        fx.core.sys.contextidr = 2
        fx.core.sys.ttbr0 = t2
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0020_0040)
        fx.core.invalidateTLB(.byASID(2), innerShareable: false)
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0030_0040)
        fx.core.sys.contextidr = 1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "ASID 1 untouched by TLBIASID 2")
    }

    func testLPAEASIDComesFromTheTTBRSelectedByA1() throws {
        let fx = try MMUFixture()
        fx.w64(0x10000, F.ldBlock(0x0000_0000, nG: true))
        fx.core.sys.ttbr0 = 3 << 48 | 0x10000
        fx.core.sys.ttbr1 = 4 << 48
        fx.core.sys.ttbcr = 0x8000_0000
        fx.core.sys.contextidr = 77         // ignored with LPAE
        fx.core.sys.sctlr |= 1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x1000)
        fx.w64(0x10000, F.ldBlock(0x4000_0000, nG: true))
        fx.core.invalidateTLB(.byASID(77), innerShareable: false)
        fx.core.invalidateTLB(.byASID(4), innerShareable: false)
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x1000, "entry tagged with TTBR0.ASID = 3")
        fx.core.invalidateTLB(.byASID(3), innerShareable: false)
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x4000_1000)
        // TTBCR.A1 = 1: the ASID is TTBR1's.
        fx.core.sys.ttbcr |= 1 << 22
        fx.core.translationContextChanged()
        fx.w64(0x10000, F.ldBlock(0x8000_0000, nG: true))
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x8000_1000, "ASID 4 has no entry yet")
        fx.w64(0x10000, F.ldBlock(0xC000_0000, nG: true))
        fx.core.invalidateTLB(.byASID(3), innerShareable: false)
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x8000_1000)
        fx.core.invalidateTLB(.byASID(4), innerShareable: false)
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0xC000_1000)
    }

    func testSameIPAInTwoVMIDsStaysApart() throws {
        let fx = try MMUFixture()
        let r1: UInt64 = 0x20000, r2: UInt64 = 0x30000
        fx.mapStage2Blocks(root: r1, [(0x0020_0000, 0x0060_0000, 0b11)])
        fx.mapStage2Blocks(root: r2, [(0x0020_0000, 0x00A0_0000, 0b11)])
        fx.enableStage2(root: r1, vmid: 1)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x0060_0010)
        fx.enableStage2(root: r2, vmid: 2)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x00A0_0010)
        fx.mapStage2Blocks(root: r1, [(0x0020_0000, 0x00C0_0000, 0b11)])
        fx.mapStage2Blocks(root: r2, [(0x0020_0000, 0x00C0_0000, 0b11)])
        fx.enableStage2(root: r1, vmid: 1)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x0060_0010, "VMID 1 entry kept while VMID 2 ran")
        // TLBIALL under VMID 2 leaves VMID 1 alone.
        fx.enableStage2(root: r2, vmid: 2)
        fx.core.invalidateTLB(.all, innerShareable: true)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x00C0_0010)
        fx.enableStage2(root: r1, vmid: 1)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x0060_0010)
        // TLBIALLNSNH drops every VMID.
        fx.core.invalidateTLB(.allNonHyp, innerShareable: false)
        XCTAssertEqual(fx.translate(0x0020_0010)?.pa, 0x00C0_0010)
    }

    func testHypEntriesAndHypMaintenance() throws {
        let fx = try MMUFixture()
        fx.w64(0x1A000, F.ldBlock(0x0000_0000))
        fx.core.sys.httbr = 0x1A000
        fx.core.sys.hsctlr |= 1
        fx.core.switchMode(.hyp)
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(0x0000_2000)?.pa, 0x2000)
        fx.w64(0x1A000, F.ldBlock(0x4000_0000))
        for op in [TLBInvalidation.all, .allNonHyp, .byMVAAllASID(0x2000), .byMVA(0x2000, asid: 0),
                   .byMVAHyp(0x4000_2000)] {
            fx.core.invalidateTLB(op, innerShareable: false)
            XCTAssertEqual(fx.translate(0x0000_2000)?.pa, 0x2000, "\(op) must not drop Hyp entries")
        }
        fx.core.invalidateTLB(.byMVAHyp(0x2FFF), innerShareable: false)
        XCTAssertEqual(fx.translate(0x0000_2000)?.pa, 0x4000_2000)
        fx.w64(0x1A000, F.ldBlock(0x8000_0000))
        fx.core.invalidateTLB(.allHyp, innerShareable: false)
        XCTAssertEqual(fx.translate(0x0000_2000)?.pa, 0x8000_2000)
    }

    func testInvalidateByMVADropsEveryPageOfTheBlock() throws {
        let fx = try MMUFixture()
        fx.setL1(0x1000_0000, F.section(0x0010_0000))
        fx.enableShort()
        XCTAssertEqual(fx.translate(0x1000_1000)?.pa, 0x0010_1000)
        XCTAssertEqual(fx.translate(0x1008_5000)?.pa, 0x0018_5000)
        fx.setL1(0x1000_0000, F.section(0x0020_0000))
        fx.core.invalidateTLB(.byMVA(0x1000_1234, asid: 0), innerShareable: false)
        XCTAssertEqual(fx.translate(0x1000_1000)?.pa, 0x0020_1000)
        XCTAssertEqual(fx.translate(0x1008_5000)?.pa, 0x0028_5000, "other page of the same section")
    }

    func testContextBitsKeepMMUOffAndFormatChangesFromHitting() throws {
        let fx = try staleFixture()
        fx.core.sys.sctlr &= ~1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, UInt64(Self.va), "MMU off: flat, no TLB hit")
        fx.core.sys.sctlr |= 1
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(Self.va)?.pa, 0x0010_0040, "entry still cached")
        // DACR is applied to cached entries at access time.
        fx.core.sys.dacr = 0
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.fault(Self.va)?.kind, .domain)
    }

    func testFaultingWalksAreNotCached() throws {
        let fx = try MMUFixture()
        fx.enableShort()
        XCTAssertNotNil(fx.fault(0x1000))
        XCTAssertEqual(fx.core.tlb.validCount, 0)
        fx.setL1(0x1000, F.section(0x0010_0000))
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x0010_1000, "no stale translation fault")
        XCTAssertEqual(fx.core.tlb.validCount, 1)
    }

    func testInnerShareableMaintenanceReachesOtherCores() throws {
        let mem = PhysicalMemory()
        try mem.addRAM(base: 0, size: 0x10000)
        let a = Core(memory: mem, coreID: 0), b = Core(memory: mem, coreID: 1)
        a.invalidateTLB(.all, innerShareable: false)
        XCTAssertFalse(b.lines.tlbFlush.load(ordering: .relaxed))
        a.invalidateTLB(.byMVA(0x1000, asid: 1), innerShareable: true)
        XCTAssertTrue(b.lines.tlbFlush.load(ordering: .relaxed))
        XCTAssertFalse(a.lines.tlbFlush.load(ordering: .relaxed))
    }
}
