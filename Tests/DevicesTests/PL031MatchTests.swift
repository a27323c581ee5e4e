import XCTest
import Foundation
@testable import Devices

/// The PL031 match interrupt (PL031 TRM 3.3): RTCRIS is set when the counter
/// reaches RTCMR whatever the mask says, RTCMIS and the interrupt output are
/// RTCRIS & RTCIMSC, writing 1 to RTCICR clears it.
final class PL031MatchTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        let lock = NSLock()
        var seconds: Int64 = 1_000
        var timers: [@Sendable () -> Void] = []
        func advance(_ s: Int64) { lock.lock(); seconds += s; lock.unlock() }
        var now: Int64 { lock.lock(); defer { lock.unlock() }; return seconds }
    }

    private func makeRTC() -> (PL031, Clock, () -> [Bool]) {
        let clock = Clock()
        let rtc = PL031(clock: { clock.now }, schedule: { _, work in
            clock.lock.lock(); clock.timers.append(work); clock.lock.unlock()
        })
        var levels: [Bool] = []
        rtc.interruptLine = { levels.append($0) }
        return (rtc, clock, { levels })
    }

    func testMatchSetsRawStatusEvenWhenMaskedAndTheMaskGatesTheLine() {
        let (rtc, clock, levels) = makeRTC()
        rtc.mmioWrite(offset: 0x04, size: 4, value: 1_001)     // MR = now + 1
        XCTAssertEqual(rtc.mmioRead(offset: 0x14, size: 4), 0, "not yet")
        clock.advance(2)
        XCTAssertEqual(rtc.mmioRead(offset: 0x14, size: 4), 1, "RIS: the counter passed MR")
        XCTAssertEqual(rtc.mmioRead(offset: 0x18, size: 4), 0, "MIS: masked")
        XCTAssertEqual(levels(), [])
        rtc.mmioWrite(offset: 0x10, size: 4, value: 1)          // IMSC
        XCTAssertEqual(rtc.mmioRead(offset: 0x18, size: 4), 1)
        XCTAssertEqual(levels(), [true])
        rtc.mmioWrite(offset: 0x1C, size: 4, value: 1)          // ICR
        XCTAssertEqual(rtc.mmioRead(offset: 0x14, size: 4), 0)
        XCTAssertEqual(levels(), [true, false])
        clock.advance(10)
        XCTAssertEqual(rtc.mmioRead(offset: 0x14, size: 4), 0, "one match, one event")
    }

    func testHostTimerRaisesTheLineWithoutAnyRegisterAccess() {
        let (rtc, clock, levels) = makeRTC()
        rtc.mmioWrite(offset: 0x10, size: 4, value: 1)
        rtc.mmioWrite(offset: 0x04, size: 4, value: 1_003)
        XCTAssertEqual(clock.timers.count, 1, "a timer is set for the match")
        clock.advance(3)
        let fire = clock.timers.removeFirst()
        fire()
        XCTAssertEqual(levels(), [true])
    }

    func testTimerFiringEarlySetsItselfAgain() {
        let (rtc, clock, levels) = makeRTC()
        rtc.mmioWrite(offset: 0x10, size: 4, value: 1)
        rtc.mmioWrite(offset: 0x04, size: 4, value: 1_005)
        clock.advance(4)
        clock.timers.removeFirst()()
        XCTAssertEqual(levels(), [])
        XCTAssertEqual(clock.timers.count, 1)
        clock.advance(1)
        clock.timers.removeFirst()()
        XCTAssertEqual(levels(), [true])
    }

    func testAMatchValueInThePastWaitsForTheCounterToWrap() {
        let (rtc, clock, _) = makeRTC()
        rtc.mmioWrite(offset: 0x04, size: 4, value: 500)
        clock.advance(100)
        XCTAssertEqual(rtc.mmioRead(offset: 0x14, size: 4), 0)
    }
}
