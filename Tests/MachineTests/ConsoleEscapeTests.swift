import XCTest
import Machine
import HostConsole

final class ConsoleEscapeTests: XCTestCase {
    func testPlainBytesGoToTheGuest() {
        var e = ConsoleEscape()
        XCTAssertEqual(e.feed(Array("ls\r".utf8)), [.send(Array("ls\r".utf8))])
    }

    func testQuitHelpAndLiteralCtrlA() {
        var e = ConsoleEscape()
        XCTAssertEqual(e.feed([0x61, 0x01, 0x68, 0x62]), [.send([0x61]), .help, .send([0x62])])
        XCTAssertEqual(e.feed([0x01, 0x01, 0x63]), [.send([0x01, 0x63])])
        XCTAssertEqual(e.feed([0x64, 0x01, 0x78, 0x65]), [.send([0x64]), .quit, .send([0x65])])
    }

    func testEscapeSplitAcrossReads() {
        var e = ConsoleEscape()
        XCTAssertEqual(e.feed([0x41, 0x01]), [.send([0x41])])
        XCTAssertEqual(e.feed([0x78]), [.quit])
    }

    func testUnknownCommandKeyIsDropped() {
        var e = ConsoleEscape()
        XCTAssertEqual(e.feed([0x01, 0x7A, 0x41]), [.send([0x41])])
    }
}
