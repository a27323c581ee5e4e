import XCTest
@testable import Devices

/// The PL031 RTC as Linux's rtc-pl031 driver sees it.
final class PL031Tests: XCTestCase {
    func testPrimeCellIDsForTheRTC() {
        let rtc = PL031()
        XCTAssertEqual((0..<8).map { rtc.mmioRead(offset: 0xFE0 + UInt64($0 * 4), size: 4) },
                       [0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1])
        let t = rtc.mmioRead(offset: 0, size: 4)
        XCTAssertGreaterThan(t, 1_700_000_000, "seconds since 1970 from the host clock")
        rtc.mmioWrite(offset: 0x08, size: 4, value: 1000)
        XCTAssertLessThan(rtc.mmioRead(offset: 0, size: 4), 1100, "LR sets the counter")
    }
}
