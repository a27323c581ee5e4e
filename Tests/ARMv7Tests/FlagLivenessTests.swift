import XCTest
@testable import ARMv7

/// The translator's dead-flag analysis on hand-written A32 sequences
/// (encodings from the ARM ARM; the JIT differential tests check that
/// skipping the dead stores changes no architectural state).
final class FlagLivenessTests: XCTestCase {
    private let f = FlagLiveness.self

    private func dead(_ words: [UInt32]) -> [UInt8] {
        let d = words.map { A32Decoder.shared.decode($0) }
        let native = d.map { BlockTranslator.plan($0, bigEndian: false, vfpUsable: false) == .native }
        return FlagLiveness.deadWrites(d, native: native, thumb: false)
    }

    func testCompareOverwritesAnEarlierAddsBeforeTheBranch() {
        // ADDS r0, r0, #1; CMP r0, #5; BNE .
        XCTAssertEqual(dead([0xE290_0001, 0xE350_0005, 0x1AFF_FFFE]), [f.all, 0, 0])
    }

    func testNothingIsDeadAcrossALoad() {
        // ADDS r0, r0, #1; LDR r1, [r2]; CMP r0, #5 — the load may fault.
        XCTAssertEqual(dead([0xE290_0001, 0xE592_1000, 0xE350_0005]), [0, 0, 0])
    }

    func testAConditionalInstructionReadsItsFlagsAndKillsNothing() {
        // ADDS r0, r0, #1; ADDEQ r1, r1, #1; MOVS r2, r3; CMP r0, #5
        XCTAssertEqual(dead([0xE290_0001, 0x0281_1001, 0xE1B0_2003, 0xE350_0005]),
                       [f.n | f.c | f.v, 0, f.n | f.z, 0])
    }

    func testCarryReadersAndLogicalOperationsKeepC() {
        // SUBS r0, r0, #1; ADC r1, r1, #0; CMP r0, #0 — ADC reads C.
        XCTAssertEqual(dead([0xE250_0001, 0xE2A1_1000, 0xE350_0000]), [f.n | f.z | f.v, 0, 0])
        // SUBS r0, r0, #1; ANDS r1, r1, #3 — the logical op leaves C (and V) to SUBS.
        XCTAssertEqual(dead([0xE250_0001, 0xE211_1003]), [f.n | f.z, 0])
    }

    func testTheBlockEndKeepsEverythingLive() {
        // MULS r0, r1, r2 last in its block: N and Z live.
        XCTAssertEqual(dead([0xE010_0291]), [0])
    }
}
