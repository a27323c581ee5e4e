@testable import ARMv7
import XCTest

/// Stage-1 long-descriptor (LPAE) translation for PL1&0 and Hyp (ARM ARM B3.6).
final class MMULongDescriptorTests: XCTestCase {
    typealias F = MMUFixture
    static let eae: UInt32 = 1 << 31

    /// LPAE on with TTBR0 = `ttbr0`, TTBR1 = `ttbr1` and TTBCR = EAE | `ttbcr`.
    func enableLong(_ fx: MMUFixture, ttbr0: UInt64 = 0x10000, ttbr1: UInt64 = 0, ttbcr: UInt32 = 0) {
        fx.core.sys.ttbr0 = ttbr0
        fx.core.sys.ttbr1 = ttbr1
        fx.core.sys.ttbcr = Self.eae | ttbcr
        fx.core.sys.sctlr |= 1
        fx.core.translationContextChanged()
    }

    func testBlocksAndPagesAtEveryLevelWithFortyBitOutput() throws {
        let fx = try MMUFixture()
        let l1: UInt64 = 0x10000, l2: UInt64 = 0x11000, l3: UInt64 = 0x12000
        fx.w64(l1 + 3 * 8, F.ldBlock(0x80_4000_0000))                // 1 GiB at VA 0xC000_0000
        fx.w64(l1 + 0 * 8, F.ldTable(l2))
        fx.w64(l2 + 1 * 8, F.ldBlock(0x1_0060_0000))                 // 2 MiB at VA 0x0020_0000
        fx.w64(l2 + 2 * 8, F.ldTable(l3))
        fx.w64(l3 + 5 * 8, F.ldPage(0xAB_CDEF_1000))                 // 4 KiB at VA 0x0040_5000
        fx.w64(l3 + 7 * 8, F.ldBlock(0x0090_0000))                   // 0b01 at level 3: reserved
        enableLong(fx)
        XCTAssertEqual(fx.translate(0xC123_4567)?.pa, 0x80_4123_4567)
        XCTAssertEqual(fx.translate(0x002A_BCDE)?.pa, 0x1_006A_BCDE)
        XCTAssertEqual(fx.translate(0x0040_5678, .write)?.pa, 0xAB_CDEF_1678)
        for (va, level, fsr) in [(UInt32(0x4000_0000), UInt8(1), UInt32(0x205)), (0x0060_0000, 2, 0x206),
                                 (0x0040_6000, 3, 0x207), (0x0040_7000, 3, 0x207)] {
            let f = fx.fault(va)
            XCTAssertEqual(f?.kind, .translation, "VA \(va)")
            XCTAssertEqual(f?.level, level, "VA \(va)")
            XCTAssertEqual(f?.fsr, fsr, "VA \(va)")
            XCTAssertEqual(f?.longFormat, true)
        }
    }

    func testT0SZT1SZRegionSelection() throws {
        let fx = try MMUFixture()
        // T0SZ = 2 / T1SZ = 2: 1 GiB regions starting at level 2; the gap faults.
        let t0: UInt64 = 0x13000, t1: UInt64 = 0x14000
        fx.w64(t0 + 1 * 8, F.ldBlock(0x0060_0000))                   // VA 0x0020_0000
        fx.w64(t1 + 1 * 8, F.ldBlock(0x00A0_0000))                   // VA 0xC020_0000
        enableLong(fx, ttbr0: t0, ttbr1: t1, ttbcr: 2 | 2 << 16)
        XCTAssertEqual(fx.translate(0x0020_0004)?.pa, 0x0060_0004)
        XCTAssertEqual(fx.translate(0xC020_0004)?.pa, 0x00A0_0004)
        let f = fx.fault(0x8000_0000)
        XCTAssertEqual(f?.kind, .translation)
        XCTAssertEqual(f?.level, 1)
        XCTAssertEqual(fx.fault(0x4000_0000)?.level, 1)

        // T0SZ = 0, T1SZ = 2: TTBR0 takes everything below the top GiB.
        let l1: UInt64 = 0x10000
        fx.w64(l1 + 2 * 8, F.ldBlock(0x4000_0000))
        enableLong(fx, ttbr0: l1, ttbr1: t1, ttbcr: 2 << 16)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0x8000_0010)?.pa, 0x4000_0010)
        XCTAssertEqual(fx.translate(0xC020_0004)?.pa, 0x00A0_0004)

        // T0SZ = 1, T1SZ = 0: TTBR1 takes the top 2 GiB, walked from level 1 with VA[31:30].
        let l1b: UInt64 = 0x15000
        fx.w64(l1b + 2 * 8, F.ldBlock(0x00_C000_0000))
        enableLong(fx, ttbr0: t0, ttbr1: l1b, ttbcr: 1)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.translate(0x8000_0010)?.pa, 0xC000_0010)

        // EPD0 / EPD1 stop walks of their region.
        enableLong(fx, ttbr0: t0, ttbr1: t1, ttbcr: 2 | 2 << 16 | 1 << 23)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.fault(0xC020_0004)?.fsr, 0x205)
        XCTAssertEqual(fx.translate(0x0020_0004)?.pa, 0x0060_0004)
        enableLong(fx, ttbr0: t0, ttbr1: t1, ttbcr: 2 | 2 << 16 | 1 << 7)
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.fault(0x0020_0004)?.fsr, 0x205)
    }

    func testAccessPermissionsAndHierarchicalControls() throws {
        let fx = try MMUFixture()
        let l1: UInt64 = 0x10000
        fx.w64(l1 + 0 * 8, F.ldTable(0x11000))
        for ap: UInt64 in 0 ..< 4 { fx.w64(0x11000 + ap * 8, F.ldBlock(0x0100_0000 + ap << 21, ap: ap)) }
        fx.w64(0x11000 + 4 * 8, F.ldBlock(0x0200_0000, pxn: true))
        fx.w64(0x11000 + 5 * 8, F.ldBlock(0x0220_0000, af: false))
        fx.w64(l1 + 1 * 8, F.ldTable(0x16000, apTable: 0b01))         // no PL0 access below
        fx.w64(0x16000, F.ldBlock(0x0300_0000, ap: 0b01))
        fx.w64(l1 + 2 * 8, F.ldTable(0x17000, apTable: 0b10))         // no writes below
        fx.w64(0x17000, F.ldBlock(0x0400_0000, ap: 0b01))
        fx.w64(l1 + 3 * 8, F.ldTable(0x18000, pxnTable: true))
        fx.w64(0x18000 + 1 * 8, F.ldBlock(0x0500_0000, ap: 0b01))
        fx.w64(0x18000 + 0 * 8, F.ldTable(0x19000, xnTable: true))
        fx.w64(0x19000, F.ldPage(0x0600_0000, ap: 0b01))
        enableLong(fx)
        // AP[2:1]: (PL1 W, PL0 R, PL0 W); PL1 always reads.
        let expected: [(Bool, Bool, Bool)] = [(true, false, false), (true, true, true),
                                              (false, false, false), (false, true, false)]
        for ap in 0 ..< 4 {
            let va = UInt32(ap) << 21
            let (w1, r0, w0) = expected[ap]
            XCTAssertNotNil(fx.translate(va))
            for (kind, pl0, allowed) in [(AccessKind.write, false, w1), (.read, true, r0), (.write, true, w0)] {
                if allowed {
                    XCTAssertNotNil(fx.translate(va, kind, unprivileged: pl0), "AP=\(ap) \(kind) pl0=\(pl0)")
                } else {
                    let f = fx.fault(va, kind, unprivileged: pl0)
                    XCTAssertEqual(f?.fsr, kind == .write ? 0xA0E : 0x20E, "AP=\(ap) \(kind) pl0=\(pl0)")
                }
            }
        }
        XCTAssertEqual(fx.fault(0x0080_0000, .fetch)?.fsr, 0x20E, "PXN block")
        XCTAssertNotNil(fx.translate(0x0080_0000, .fetch, unprivileged: true))
        let af = fx.fault(0x00A0_0000, .write)
        XCTAssertEqual(af?.kind, .accessFlag)
        XCTAssertEqual(af?.fsr, 0xA0A)
        // APTable = 01: PL0 loses access; PL1 keeps RW.
        XCTAssertEqual(fx.fault(0x4000_0000, .read, unprivileged: true)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x4000_0000, .write))
        // APTable = 10: nobody writes.
        XCTAssertNotNil(fx.translate(0x8000_0000, .read, unprivileged: true))
        XCTAssertEqual(fx.fault(0x8000_0000, .write)?.kind, .permission)
        // PXNTable: PL1 may not execute, PL0 may; XNTable: nobody executes.
        XCTAssertEqual(fx.fault(0xC020_0000, .fetch)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0xC020_0000, .fetch, unprivileged: true))
        let xn = fx.fault(0xC000_0000, .fetch, unprivileged: true)
        XCTAssertEqual(xn?.fsr, 0x20F)
    }

    func testLongDescriptorExternalAbortOnWalkHasLevel() throws {
        let fx = try MMUFixture()
        fx.w64(0x10000, F.ldTable(0x7000_0000))
        enableLong(fx)
        let f = fx.fault(0x0000_1000)
        XCTAssertEqual(f?.kind, .externalAbortOnWalk)
        XCTAssertEqual(f?.fsr, 0x216)
    }

    func testHypRegime() throws {
        let fx = try MMUFixture()
        let l1: UInt64 = 0x1A000
        fx.w64(l1 + 0 * 8, F.ldTable(0x1B000))
        fx.w64(0x1B000 + 0 * 8, F.ldBlock(0x0100_0000, ap: 0b10))            // AP[2] = 1: read-only
        fx.w64(0x1B000 + 1 * 8, F.ldBlock(0x0120_0000, ap: 0b00))            // AP[1] = 0 ignored: RW
        fx.w64(0x1B000 + 2 * 8, F.ldBlock(0x0140_0000, xn: true))
        fx.w64(0x1B000 + 3 * 8, F.ldBlock(0x0160_0000, pxn: true))           // PXN ignored at PL2
        fx.w64(l1 + 1 * 8, F.ldTable(0x1C000, apTable: 0b01))                // APTable[0] ignored
        fx.w64(0x1C000, F.ldBlock(0x0200_0000, ap: 0b00))
        fx.w64(l1 + 2 * 8, F.ldTable(0x1D000, apTable: 0b10))                // APTable[1]: read-only
        fx.w64(0x1D000, F.ldBlock(0x0300_0000, ap: 0b01))
        fx.core.sys.httbr = l1
        fx.core.sys.htcr = 0x8000_0000
        fx.core.sys.hsctlr |= 1
        fx.core.switchMode(.hyp)
        fx.core.translationContextChanged()
        XCTAssertEqual(fx.translate(0x0000_0123)?.pa, 0x0100_0123)
        let f = fx.fault(0x0000_0123, .write)
        XCTAssertEqual(f?.kind, .permission)
        XCTAssertEqual(f?.fsr, 0xA0E)
        XCTAssertEqual(f?.longFormat, true)
        XCTAssertNotNil(fx.translate(0x0020_0000, .write, unprivileged: true))
        XCTAssertEqual(fx.fault(0x0040_0000, .fetch)?.kind, .permission)
        XCTAssertNotNil(fx.translate(0x0060_0000, .fetch))
        XCTAssertNotNil(fx.translate(0x4000_0000, .write))
        XCTAssertEqual(fx.fault(0x8000_0000, .write)?.kind, .permission)
        // HTCR.T0SZ = 1: only the bottom 2 GiB translate.
        fx.core.sys.htcr = 0x8000_0001
        fx.core.tlb.invalidateAll()
        XCTAssertEqual(fx.fault(0x8000_0000)?.fsr, 0x205)
        // Hyp translation ignores the PL1&0 controls entirely.
        fx.core.sys.sctlr |= 1
        fx.core.sys.hcr |= HCR.vm
        XCTAssertEqual(fx.translate(0x0000_0123)?.pa, 0x0100_0123)
    }
}
