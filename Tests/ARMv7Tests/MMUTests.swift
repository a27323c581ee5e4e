@testable import ARMv7
import XCTest

/// A core with 16 MiB of RAM at PA 0 and helpers to write translation
/// tables and check translations. Shared by the MMU*Tests files.
final class MMUFixture {
    let mem = PhysicalMemory()
    let core: Core

    init() throws {
        try mem.addRAM(base: 0, size: 0x100_0000)
        core = Core(memory: mem)
    }

    func w32(_ pa: UInt64, _ v: UInt32) { mem.write(pa, size: 4, value: UInt64(v)) }
    func w64(_ pa: UInt64, _ v: UInt64) { mem.write(pa, size: 8, value: v) }

    // MARK: Short descriptors (ARM ARM B3.5.1)

    static func section(_ pa: UInt32, ap: UInt32 = 0b011, domain: UInt32 = 0, xn: Bool = false,
                        pxn: Bool = false, nG: Bool = false) -> UInt32 {
        (pa & 0xFFF0_0000) | (ap >> 2) << 15 | (ap & 3) << 10 | domain << 5 | (xn ? 1 << 4 : 0)
            | (nG ? 1 << 17 : 0) | 2 | (pxn ? 1 : 0)
    }

    static func supersection(_ pa: UInt64, ap: UInt32 = 0b011) -> UInt32 {
        UInt32(pa & 0xFF00_0000) | UInt32((pa >> 32) & 0xF) << 20 | UInt32((pa >> 36) & 0xF) << 5
            | 1 << 18 | (ap >> 2) << 15 | (ap & 3) << 10 | 2
    }

    static func pageTable(_ base: UInt32, domain: UInt32 = 0, pxn: Bool = false) -> UInt32 {
        (base & 0xFFFF_FC00) | domain << 5 | (pxn ? 1 << 2 : 0) | 1
    }

    static func smallPage(_ pa: UInt32, ap: UInt32 = 0b011, xn: Bool = false, nG: Bool = false) -> UInt32 {
        (pa & 0xFFFF_F000) | (nG ? 1 << 11 : 0) | (ap >> 2) << 9 | (ap & 3) << 4 | 2 | (xn ? 1 : 0)
    }

    static func largePage(_ pa: UInt32, ap: UInt32 = 0b011, xn: Bool = false) -> UInt32 {
        (pa & 0xFFFF_0000) | (xn ? 1 << 15 : 0) | (ap >> 2) << 9 | (ap & 3) << 4 | 1
    }

    /// Enables the short-descriptor PL1&0 MMU with the level-1 table at
    /// `ttbr0`, TTBCR.N = `n`, all domains client.
    func enableShort(ttbr0: UInt32 = 0x4000, ttbr1: UInt32 = 0, n: UInt32 = 0, dacr: UInt32 = 0x5555_5555) {
        core.sys.ttbr0 = UInt64(ttbr0)
        core.sys.ttbr1 = UInt64(ttbr1)
        core.sys.ttbcr = n
        core.sys.dacr = dacr
        core.sys.sctlr |= 1
        core.translationContextChanged()
    }

    /// Writes the level-1 descriptor for `va` in the table at `table` (N = 0 layout).
    func setL1(_ va: UInt32, _ desc: UInt32, table: UInt64 = 0x4000) {
        w32(table + UInt64(va >> 20) * 4, desc)
    }

    /// Writes the level-2 descriptor for `va` in the page table at `table`.
    func setL2(_ va: UInt32, _ desc: UInt32, table: UInt64) {
        w32(table + UInt64((va >> 12) & 0xFF) * 4, desc)
    }

    // MARK: Long descriptors (ARM ARM B3.6.1)

    static func ldTable(_ next: UInt64, apTable: UInt64 = 0, xnTable: Bool = false,
                        pxnTable: Bool = false) -> UInt64 {
        (next & 0xFF_FFFF_F000) | apTable << 61 | (xnTable ? 1 << 60 : 0) | (pxnTable ? 1 << 59 : 0) | 3
    }

    /// Block (levels 1/2) descriptor; `ap` is AP[2:1].
    static func ldBlock(_ oa: UInt64, ap: UInt64 = 0b01, af: Bool = true, xn: Bool = false, pxn: Bool = false,
                        nG: Bool = false) -> UInt64 {
        oa | ap << 6 | (af ? 1 << 10 : 0) | (nG ? 1 << 11 : 0) | (pxn ? 1 << 53 : 0) | (xn ? 1 << 54 : 0) | 1
    }

    /// Page (level 3) descriptor.
    static func ldPage(_ oa: UInt64, ap: UInt64 = 0b01, af: Bool = true, xn: Bool = false, pxn: Bool = false,
                       nG: Bool = false) -> UInt64 {
        ldBlock(oa, ap: ap, af: af, xn: xn, pxn: pxn, nG: nG) | 2
    }

    /// Stage-2 block/page descriptor: `s2ap` = S2AP[1:0] (bit 6 read, bit 7 write).
    static func s2Block(_ oa: UInt64, s2ap: UInt64 = 0b11, af: Bool = true, xn: Bool = false,
                        memAttr: UInt64 = 0b1111) -> UInt64 {
        oa | memAttr << 2 | s2ap << 6 | (af ? 1 << 10 : 0) | (xn ? 1 << 54 : 0) | 1
    }

    static func s2Page(_ oa: UInt64, s2ap: UInt64 = 0b11, af: Bool = true, xn: Bool = false,
                       memAttr: UInt64 = 0b1111) -> UInt64 {
        s2Block(oa, s2ap: s2ap, af: af, xn: xn, memAttr: memAttr) | 2
    }

    /// Enables stage 2 with VTCR.T0SZ = 0, SL0 = 1 (level-1 start, 4 entries
    /// of 1 GiB) at `root`, VMID `vmid`.
    func enableStage2(root: UInt64 = 0x20000, vmid: UInt8 = 1, vtcr: UInt32 = 1 << 6) {
        core.sys.vtcr = 0x8000_0000 | vtcr
        core.sys.vttbr = UInt64(vmid) << 48 | root
        core.sys.hcr |= HCR.vm
        core.translationContextChanged()
    }

    /// Stage 2 identity-ish map used by most stage-2 tests: IPA 0..1 GiB →
    /// PA via a level-2 table at `root + 0x1000` of 2 MiB blocks mapping IPA
    /// block i to PA `pa(i)`.
    func mapStage2Blocks(root: UInt64 = 0x20000, _ blocks: [(ipa: UInt64, pa: UInt64, s2ap: UInt64)]) {
        let l2 = root + 0x1000
        w64(root, Self.ldTable(l2))
        for b in blocks {
            w64(l2 + (b.ipa >> 21) * 8, Self.s2Block(b.pa, s2ap: b.s2ap))
        }
    }

    // MARK: Checking

    /// Translates, failing the test on a fault.
    func translate(_ va: UInt32, _ kind: AccessKind = .read, unprivileged: Bool = false,
                   file: StaticString = #filePath, line: UInt = #line) -> TranslationResult? {
        do {
            return try core.translateAddress(va, kind, unprivileged: unprivileged)
        } catch {
            XCTFail("unexpected fault \(error) for VA 0x\(String(va, radix: 16))", file: file, line: line)
            return nil
        }
    }

    /// Translates expecting a fault (data abort, or prefetch abort for fetches).
    func fault(_ va: UInt32, _ kind: AccessKind = .read, unprivileged: Bool = false,
               file: StaticString = #filePath, line: UInt = #line) -> MemoryFault? {
        do {
            let r = try core.translateAddress(va, kind, unprivileged: unprivileged)
            XCTFail("expected a fault, got PA 0x\(String(r.pa, radix: 16))", file: file, line: line)
            return nil
        } catch {
            switch error {
            case .dataAbort(let f) where kind != .fetch: return f
            case .prefetchAbort(let f) where kind == .fetch: return f
            default:
                XCTFail("wrong exception \(error)", file: file, line: line)
                return nil
            }
        }
    }
}

final class MMUTests: XCTestCase {
    func testMMUOffIsFlatWithEverythingAllowed() throws {
        let fx = try MMUFixture()
        for kind in [AccessKind.read, .write, .fetch] {
            let r = fx.translate(0x8765_4321, kind)
            XCTAssertEqual(r, TranslationResult(pa: 0x8765_4321, readable: true, writable: true, executable: true))
        }
        XCTAssertEqual(fx.core.tlb.validCount, 0, "flat translations are not cached")
    }

    func testHypModeUsesHSCTLRNotSCTLR() throws {
        let fx = try MMUFixture()
        fx.enableShort()        // PL1&0 MMU on with an empty (faulting) table
        XCTAssertNotNil(fx.fault(0x1000))
        fx.core.switchMode(.hyp)
        XCTAssertEqual(fx.translate(0x1000)?.pa, 0x1000, "HSCTLR.M = 0: flat in Hyp mode")
    }

    /// DFSR/IFSR encodings against ARM ARM tables B3-23 (short) and B3-24 (long).
    func testFaultStatusEncodings() {
        func short(_ k: MemoryFault.Kind, _ level: UInt8, domain: UInt8 = 0, write: Bool = false) -> UInt32 {
            MemoryFault(kind: k, level: level, domain: domain, write: write).fsr
        }
        func long(_ k: MemoryFault.Kind, _ level: UInt8, write: Bool = false) -> UInt32 {
            MemoryFault(kind: k, level: level, write: write, longFormat: true).fsr
        }
        XCTAssertEqual(short(.alignment, 1), 0x001)
        XCTAssertEqual(short(.accessFlag, 1), 0x003)
        XCTAssertEqual(short(.accessFlag, 2), 0x006)
        XCTAssertEqual(short(.translation, 1), 0x005)
        XCTAssertEqual(short(.translation, 2, domain: 3), 0x037)
        XCTAssertEqual(short(.domain, 1, domain: 2), 0x029)
        XCTAssertEqual(short(.domain, 2, domain: 15), 0x0FB)
        XCTAssertEqual(short(.permission, 1, write: true), 0x80D)
        XCTAssertEqual(short(.permission, 2), 0x00F)
        XCTAssertEqual(short(.externalAbort, 1), 0x008)
        XCTAssertEqual(short(.externalAbortOnWalk, 1), 0x00C)
        XCTAssertEqual(short(.externalAbortOnWalk, 2), 0x00E)
        XCTAssertEqual(long(.translation, 1), 0x205)
        XCTAssertEqual(long(.translation, 3, write: true), 0xA07)
        XCTAssertEqual(long(.accessFlag, 2), 0x20A)
        XCTAssertEqual(long(.permission, 3), 0x20F)
        XCTAssertEqual(long(.externalAbort, 1), 0x210)
        XCTAssertEqual(long(.externalAbortOnWalk, 2), 0x216)
        XCTAssertEqual(long(.alignment, 1), 0x221)
        XCTAssertEqual(long(.domain, 2), 0x23E)
    }
}
