@testable import ARMv7
import XCTest

/// Stage-1 short-descriptor translation (ARM ARM B3.5, B3.7, B3.12).
final class MMUShortDescriptorTests: XCTestCase {
    typealias F = MMUFixture

    func testSectionMapsOneMiB() throws {
        let fx = try MMUFixture()
        fx.setL1(0xC000_0000, F.section(0x0030_0000))
        fx.enableShort()
        let r = fx.translate(0xC001_2345)
        XCTAssertEqual(r, TranslationResult(pa: 0x0031_2345, readable: true, writable: true, executable: true))
        XCTAssertEqual(fx.translate(0xC00F_FFFF, .write)?.pa, 0x003F_FFFF)
        let f = fx.fault(0xC010_0000)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.level, 1)
        XCTAssertEqual(f?.address, 0xC010_0000)
        XCTAssertEqual(f?.fsr, 0x005)
        XCTAssertEqual(f?.stage2, false)
        XCTAssertEqual(f?.longFormat, false)
    }

    func testSupersectionYieldsFortyBitAddress() throws {
        let fx = try MMUFixture()
        let desc = F.supersection(0xA5_1200_0000)
        for i in 0 ..< 16 { fx.setL1(0x4000_0000 + UInt32(i) << 20, desc) }
        fx.enableShort()
        XCTAssertEqual(fx.translate(0x40AB_CDEF)?.pa, 0xA5_12AB_CDEF)
        XCTAssertEqual(fx.translate(0x40FF_FFFF)?.pa, 0xA5_12FF_FFFF)
    }

    func testSmallAndLargePagesThroughPageTable() throws {
        let fx = try MMUFixture()
        let l2: UInt64 = 0x9000
        fx.setL1(0x0010_0000, F.pageTable(UInt32(l2), domain: 3))
        fx.setL2(0x0010_5000, F.smallPage(0x00AB_C000), table: l2)
        for i in 0 ..< 16 { fx.setL2(0x0012_0000 + UInt32(i) << 12, F.largePage(0x00D0_0000), table: l2) }
        fx.enableShort()
        XCTAssertEqual(fx.translate(0x0010_5123)?.pa, 0x00AB_C123)
        XCTAssertEqual(fx.translate(0x0012_F0F0)?.pa, 0x00D0_F0F0, "large page keeps VA[15:0]")
        let f = fx.fault(0x0010_6000, .write)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.level, 2)
        XCTAssertEqual(f?.domain, 3)
        XCTAssertEqual(f?.fsr, 0x837, "page translation fault, domain 3, WnR")
    }

    func testTTBCRNSplitsBetweenTTBR0AndTTBR1() throws {
        let fx = try MMUFixture()
        // N = 2: TTBR0 covers VA < 1 GiB with a 4 KiB table (aligned 2^12), TTBR1 the rest.
        let t0: UInt64 = 0x3000, t1: UInt64 = 0x8000
        fx.w32(t0 + (0x3FF0_0000 >> 20) * 4, F.section(0x0010_0000))
        fx.w32(t1 + (0x3FF0_0000 >> 20) * 4, F.section(0x0020_0000))
        fx.w32(t1 + (0x4000_0000 >> 20) * 4, F.section(0x0050_0000))
        fx.enableShort(ttbr0: UInt32(t0), ttbr1: UInt32(t1), n: 2)
        XCTAssertEqual(fx.translate(0x3FF0_0010)?.pa, 0x0010_0010, "below 1 GiB: TTBR0")
        XCTAssertEqual(fx.translate(0x4000_0010)?.pa, 0x0050_0010, "from 1 GiB: TTBR1, full index")
        // PD0 / PD1 disable walks of their half.
        fx.core.sys.ttbcr = 2 | 1 << 4
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.fault(0x3FF0_0010)?.fsr, 0x005)
        XCTAssertEqual(fx.translate(0x4000_0010)?.pa, 0x0050_0010)
        fx.core.sys.ttbcr = 2 | 1 << 5
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0x3FF0_0010)?.pa, 0x0010_0010)
        XCTAssertEqual(fx.fault(0x4000_0010)?.kind, .translation)
    }

    func testDomainsNoAccessClientManager() throws {
        let fx = try MMUFixture()
        let l2: UInt64 = 0x9000
        fx.setL1(0x0000_0000, F.section(0x0010_0000, ap: 0b000, domain: 2, xn: true))
        fx.setL1(0x0010_0000, F.pageTable(UInt32(l2), domain: 5))
        fx.setL2(0x0010_0000, F.smallPage(0x0020_0000, ap: 0b000), table: l2)
        // Domain 2 no access, domain 5 no access.
        fx.enableShort(dacr: 0)
        var f = fx.fault(0x0000_0100, .write)
        XCTAssertEqual(f?.kind, .domain)
        XCTAssertEqual(f?.domain, 2)
        XCTAssertEqual(f?.fsr, 0x829)
        f = fx.fault(0x0010_0100)
        XCTAssertEqual(f?.kind, .domain)
        XCTAssertEqual(f?.level, 2)
        XCTAssertEqual(f?.fsr, 0x05B, "page domain fault, domain 5")
        // Client: AP = 000 gives a permission fault.
        fx.core.sys.dacr = 1 << 4 | 1 << 10
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.fault(0x0000_0100)?.fsr, 0x02D)
        XCTAssertEqual(fx.fault(0x0010_0100)?.fsr, 0x05F)
        // Manager: no permission checks, XN ignored.
        fx.core.sys.dacr = 3 << 4 | 3 << 10
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(0x0000_0100, .write)?.pa, 0x0010_0100)
        XCTAssertEqual(fx.translate(0x0000_0100, .fetch)?.executable, true)
        XCTAssertEqual(fx.translate(0x0010_0100, .write, unprivileged: true)?.pa, 0x0020_0100)
    }

    func testAccessPermissionsAtPL1AndPL0() throws {
        let fx = try MMUFixture()
        // One section per AP[2:0] value at VA = ap << 20.
        for ap: UInt32 in 0 ..< 8 { fx.setL1(ap << 20, F.section(0x0080_0000 + ap << 20, ap: ap)) }
        fx.enableShort()
        // (PL1 read, PL1 write, PL0 read, PL0 write) per ARM ARM table B3-8.
        let expected: [(Bool, Bool, Bool, Bool)] = [
            (false, false, false, false), (true, true, false, false), (true, true, true, false),
            (true, true, true, true), (false, false, false, false), (true, false, false, false),
            (true, false, true, false), (true, false, true, false),
        ]
        for ap in 0 ..< 8 {
            let va = UInt32(ap) << 20 | 0x40
            let (r1, w1, r0, w0) = expected[ap]
            for (kind, pl0, allowed) in [(AccessKind.read, false, r1), (.write, false, w1),
                                          (.read, true, r0), (.write, true, w0)] {
                if allowed {
                    XCTAssertNotNil(fx.translate(va, kind, unprivileged: pl0), "AP=\(ap) \(kind) pl0=\(pl0)")
                } else {
                    let f = fx.fault(va, kind, unprivileged: pl0)
                    XCTAssertEqual(f?.kind, .permission, "AP=\(ap) \(kind) pl0=\(pl0)")
                    XCTAssertEqual(f?.fsr, kind == .write ? 0x80D : 0x00D)
                }
            }
        }
        // The soft-TLB hints describe the same privilege only.
        let r = fx.translate(0x0020_0000, .read, unprivileged: true)
        XCTAssertEqual(r?.writable, false)
        XCTAssertEqual(fx.translate(0x0020_0000, .read)?.writable, true)
        // User mode uses PL0 permissions without `unprivileged`.
        fx.core.switchMode(.user)
        XCTAssertEqual(fx.fault(0x0010_0000)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x0030_0000, .write))
    }

    func testAccessFlagWithAFE() throws {
        let fx = try MMUFixture()
        let l2: UInt64 = 0x9000
        fx.setL1(0x0000_0000, F.section(0x0010_0000, ap: 0b010, domain: 1))   // AP[0] = 0
        fx.setL1(0x0010_0000, F.pageTable(UInt32(l2), domain: 4))
        fx.setL2(0x0010_0000, F.smallPage(0x0030_0000, ap: 0b110), table: l2)
        fx.setL2(0x0010_1000, F.smallPage(0x0030_1000, ap: 0b111), table: l2)
        fx.enableShort()
        // AFE = 0: AP[0] is a permission bit (AP = 010: PL0 read-only).
        XCTAssertNotNil(fx.translate(0x0000_0000, .write))
        fx.core.sys.sctlr |= 1 << 29
        fx.core.tlb.invalidateAll()
        var f = fx.fault(0x0000_0000)
        XCTAssertEqual(f?.kind, .accessFlag)
        XCTAssertEqual(f?.fsr, 0x013, "section access flag fault, domain 1")
        f = fx.fault(0x0010_0000, .fetch)
        XCTAssertEqual(f?.kind, .accessFlag)
        XCTAssertEqual(f?.fsr, 0x046, "page access flag fault, domain 4")
        // AF = 1 with AP[2:1] = 11: read-only at PL1 and PL0 (simplified model).
        XCTAssertNotNil(fx.translate(0x0010_1000, .read, unprivileged: true))
        XCTAssertEqual(fx.fault(0x0010_1000, .write)?.kind, .permission)
    }

    func testExecuteNeverAndPrivilegedExecuteNever() throws {
        let fx = try MMUFixture()
        let l2: UInt64 = 0x9000
        fx.setL1(0x0000_0000, F.section(0x0010_0000, xn: true))
        fx.setL1(0x0010_0000, F.section(0x0020_0000, pxn: true))
        fx.setL1(0x0020_0000, F.pageTable(UInt32(l2), pxn: true))
        fx.setL2(0x0020_0000, F.smallPage(0x0030_0000), table: l2)
        fx.setL2(0x0020_1000, F.smallPage(0x0030_1000, xn: true), table: l2)
        fx.setL1(0x0030_0000, F.section(0x0040_0000, ap: 0b001))   // PL0 no access
        fx.enableShort()
        var f = fx.fault(0x0000_0010, .fetch)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.fsr, 0x00D)
        XCTAssertEqual(fx.translate(0x0000_0010)?.executable, false)
        // PXN section (bit 0): PL1 may not execute, PL0 may.
        XCTAssertEqual(fx.fault(0x0010_0000, .fetch)?.kind, .permission)
        XCTAssertEqual(fx.translate(0x0010_0000, .fetch, unprivileged: true)?.pa, 0x0020_0000)
        // PXN in the page-table descriptor (bit 2) applies to its pages.
        f = fx.fault(0x0020_0000, .fetch)
        XCTAssertEqual(f?.fsr, 0x00F)
        XCTAssertNotNil(fx.translate(0x0020_0000, .fetch, unprivileged: true))
        XCTAssertEqual(fx.fault(0x0020_1000, .fetch, unprivileged: true)?.kind, .permission)
        // Execution needs read permission.
        XCTAssertEqual(fx.fault(0x0030_0000, .fetch, unprivileged: true)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x0030_0000, .fetch))
    }

    func testWXNAndUWXN() throws {
        let fx = try MMUFixture()
        fx.setL1(0x0000_0000, F.section(0x0010_0000, ap: 0b011))   // RW at PL1 and PL0
        fx.setL1(0x0010_0000, F.section(0x0020_0000, ap: 0b010))   // PL1 RW, PL0 RO
        fx.setL1(0x0020_0000, F.section(0x0030_0000, ap: 0b111))   // RO everywhere
        fx.enableShort()
        XCTAssertNotNil(fx.translate(0x0000_0000, .fetch))
        // UWXN: PL0-writable regions are XN at PL1 only.
        fx.core.sys.sctlr |= 1 << 20
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.fault(0x0000_0000, .fetch)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x0000_0000, .fetch, unprivileged: true))
        XCTAssertNotNil(fx.translate(0x0010_0000, .fetch))
        // WXN: writable regions are XN.
        fx.core.sys.sctlr = fx.core.sys.sctlr & ~(1 << 20) | 1 << 19
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.fault(0x0000_0000, .fetch, unprivileged: true)?.kind, .permission)
        XCTAssertEqual(fx.fault(0x0010_0000, .fetch)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x0020_0000, .fetch))
    }

    func testExternalAbortOnWalk() throws {
        let fx = try MMUFixture()
        // Level-1 table outside RAM.
        fx.enableShort(ttbr0: 0x4000_0000)
        var f = fx.fault(0x0000_1000)
        XCTAssertEqual(f?.kind, .externalAbortOnWalk)
        XCTAssertEqual(f?.fsr, 0x00C)
        // Level-2 table outside RAM.
        fx.setL1(0x0010_0000, F.pageTable(0x5000_0000, domain: 7))
        fx.enableShort()
        f = fx.fault(0x0010_0000, .fetch)
        XCTAssertEqual(f?.level, 2)
        XCTAssertEqual(f?.fsr, 0x07E)
    }
}
