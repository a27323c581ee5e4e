import XCTest
@testable import ARMv7
@testable import Machine

/// Code spread over more pages than the decode cache keeps: the cache
/// starts over when full and the program still computes the right result.
final class DecodeCacheLimitTests: XCTestCase {
    func testCodeOnMorePagesThanTheCacheHoldsRunsCorrectly() throws {
        let pages = DecodeCache.pageLimit + 100
        var words = [UInt32](repeating: 0, count: (pages + 1) * 1024)
        // Page 0: r0 = 0, r1 = 3, then the loop body of page 0.
        words[0] = 0xE3A0_0000                      // mov r0, #0
        words[1] = 0xE3A0_1003                      // mov r1, #3
        words[2] = 0xE280_0001                      // loop: add r0, r0, #1
        words[3] = 0xEA00_0000 | UInt32((4096 - 12 - 8) / 4)   // b page 1
        for p in 1..<pages {
            words[p * 1024] = 0xE280_0001           // add r0, r0, #1
            words[p * 1024 + 1] = 0xEA00_03FD       // b next page
        }
        let last = pages * 1024
        words[last] = 0xE251_1001                   // subs r1, r1, #1
        let back = (8 - (last + 1) * 4 - 8) / 4     // bne loop (page 0 + 8)
        words[last + 1] = 0x1A00_0000 | (UInt32(bitPattern: Int32(back)) & 0xFF_FFFF)
        words[last + 2] = 0xE300_0008               // movw r0, #8
        words[last + 3] = 0xE348_0400               // movt r0, #0x8400 (SYSTEM_OFF)
        words[last + 4] = 0xE1A0_4001               // mov r4, r1 (keep r1 visible)
        words[last + 5] = 0xE140_0070               // hvc #0
        // r0 is overwritten by the PSCI function id: count in r5 too.
        for i in stride(from: 0, to: words.count, by: 1) where words[i] == 0xE280_0001 { words[i] = 0xE285_5001 }  // add r5, r5, #1
        words[0] = 0xE3A0_5000                      // mov r5, #0
        let machine = try BareMetalMachine(ramSize: 16 << 20) { _ in }
        try machine.load(GuestImage.flat(GuestRunner.image(words), at: VirtMemoryMap.ramBase + 0x1_0000))
        XCTAssertEqual(machine.run(maxInstructions: 50_000_000), .powerOff)
        XCTAssertEqual(machine.core.register(5), UInt32(3 * pages), "every page's add ran on every pass")
    }
}
