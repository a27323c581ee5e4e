@testable import ARMv7
import XCTest

/// ATS1C*, ATS12NSO*, ATS1H* and the PAR formats.
final class MMUAddressTranslationTests: XCTestCase {
    typealias F = MMUFixture

    func testATS1CShortFormatPAR() throws {
        let fx = try MMUFixture()
        fx.setL1(0x1000_0000, F.section(0x0010_0000, ap: 0b010))          // PL0 read-only
        for i in 0 ..< 16 { fx.setL1(0x2000_0000 + UInt32(i) << 20, F.supersection(0x3C_4500_0000)) }
        fx.setL1(0x3000_0000, F.pageTable(0x9000))
        fx.enableShort()
        fx.core.sys.dfsr = 0x1234
        fx.core.addressTranslation(va: 0x1000_0ABC, write: true, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x0010_0000, "PA[31:12], LPAE = 0, F = 0")
        fx.core.addressTranslation(va: 0x2034_5678, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x4500_0000 | 0x3C << 16 | 1 << 1, "supersection: SS with PA[39:32]")
        // Faults go to PAR, not to an exception or DFSR.
        fx.core.addressTranslation(va: 0x1000_0ABC, write: true, privileged: false, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b01101 << 1, "permission fault, section")
        fx.core.addressTranslation(va: 0x1000_0ABC, write: false, privileged: false, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x0010_0000, "ATS1CUR allowed")
        fx.core.addressTranslation(va: 0x0500_0000, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b00101 << 1, "translation fault, section")
        fx.core.addressTranslation(va: 0x3000_0000, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b00111 << 1, "translation fault, page")
        XCTAssertEqual(fx.core.sys.dfsr, 0x1234)
        XCTAssertEqual(fx.core.tlb.validCount, 0, "ATS does not fill the TLB")
    }

    func testATS1CLongFormatPAR() throws {
        let fx = try MMUFixture()
        fx.w64(0x10000, F.ldTable(0x11000))
        fx.w64(0x11000 + 8, F.ldBlock(0xAB_0020_0000, ap: 0b10))
        fx.core.sys.ttbr0 = 0x10000
        fx.core.sys.ttbcr = 0x8000_0000
        fx.core.sys.sctlr |= 1
        fx.core.translationContextChanged()
        fx.core.addressTranslation(va: 0x0021_2345, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0xAB_0021_2000 | 1 << 11)
        fx.core.addressTranslation(va: 0x0021_2345, write: true, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b001110 << 1 | 1 << 11, "permission fault level 2")
        fx.core.addressTranslation(va: 0x0041_2345, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b000110 << 1 | 1 << 11, "translation fault level 2")
        // MMU off with EAE = 1: still the long format.
        fx.core.sys.sctlr &= ~1
        fx.core.addressTranslation(va: 0x0041_2345, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x0041_2000 | 1 << 11)
    }

    /// The guest's tables sit at IPAs; from Hyp mode ATS1CPR gives the IPA
    /// (stage 1 only) in the long format, ATS12NSOPR the PA.
    func guestFixture() throws -> MMUFixture {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0020_0000, 0x0080_0000, 0b11), (0, 0x00E0_0000, 0b01)])
        fx.setL1(0x1000_0000, F.section(0x0000_0000), table: 0x0080_4000)
        fx.enableShort(ttbr0: 0x0020_4000)
        fx.enableStage2()
        fx.core.switchMode(.hyp)
        return fx
    }

    func testATS1CPRFromHypIsStage1OnlyInLongFormat() throws {
        let fx = try guestFixture()
        fx.core.addressTranslation(va: 0x1000_5040, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x0000_5000 | 1 << 11, "IPA, long format although TTBCR.EAE = 0")
        // Stage-2 fault on the stage-1 walk: FSTAGE and S2WLK.
        fx.core.sys.ttbr0 = 0x0040_4000
        fx.core.addressTranslation(va: 0x1000_5040, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b000110 << 1 | 1 << 8 | 1 << 9 | 1 << 11)
        // Stage-1 fault from Hyp: long encoding of the short-descriptor fault.
        fx.core.sys.ttbr0 = 0x0020_4000
        fx.core.addressTranslation(va: 0x1100_0000, write: false, privileged: true, stage1Only: true, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b000101 << 1 | 1 << 11)
    }

    func testATS12NSOTranslatesBothStages() throws {
        let fx = try guestFixture()
        fx.core.addressTranslation(va: 0x1000_5040, write: false, privileged: false, stage1Only: false, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x00E0_5000 | 1 << 11)
        // IPA 0 is read-only at stage 2: a write faults at stage 2 (FSTAGE, not S2WLK).
        fx.core.addressTranslation(va: 0x1000_5040, write: true, privileged: true, stage1Only: false, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b001110 << 1 | 1 << 9 | 1 << 11)
        // HCR.VM = 0 and TTBCR.EAE = 0: stage 1 only, short format.
        fx.core.sys.hcr = 0
        fx.core.sys.ttbr0 = 0x0080_4000
        fx.core.addressTranslation(va: 0x1000_5040, write: false, privileged: true, stage1Only: false, hyp: false)
        XCTAssertEqual(fx.core.sys.par, 0x0000_5000)
    }

    func testATS1HUsesTheHypRegime() throws {
        let fx = try MMUFixture()
        fx.core.switchMode(.hyp)
        fx.core.addressTranslation(va: 0x8000_1234, write: true, privileged: true, stage1Only: true, hyp: true)
        XCTAssertEqual(fx.core.sys.par, 0x8000_1000 | 1 << 11, "HSCTLR.M = 0: flat")
        fx.w64(0x1A000, F.ldBlock(0x40_0000_0000, ap: 0b10))
        fx.core.sys.httbr = 0x1A000
        fx.core.sys.hsctlr |= 1
        fx.core.addressTranslation(va: 0x0000_1234, write: false, privileged: true, stage1Only: true, hyp: true)
        XCTAssertEqual(fx.core.sys.par, 0x40_0000_1000 | 1 << 11)
        fx.core.addressTranslation(va: 0x0000_1234, write: true, privileged: true, stage1Only: true, hyp: true)
        XCTAssertEqual(fx.core.sys.par, 1 | 0b001101 << 1 | 1 << 11, "permission fault level 1")
    }
}
