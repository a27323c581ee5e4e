import Foundation
import XCTest
@testable import Machine
@testable import Devices
@testable import HostConsole

/// The console's reader thread on a pipe (standard input that is not a terminal).
final class TerminalConsoleTests: XCTestCase {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var _count = 0
        private var _text = ""
        func bump() { lock.lock(); _count += 1; lock.unlock() }
        func add(_ s: String) { lock.lock(); _text += s; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return _count }
        var text: String { lock.lock(); defer { lock.unlock() }; return _text }
    }

    func enabledUART() -> PL011 {
        let uart = PL011 { _ in }
        uart.mmioWrite(offset: 0x2C, size: 4, value: 0x70)
        uart.mmioWrite(offset: 0x30, size: 4, value: 0x301)
        return uart
    }

    func waitUntil(_ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(5)
        while !condition() && Date() < deadline { usleep(1000) }
        XCTAssertTrue(condition(), what)
    }

    func testPipedInputReachesTheUARTWithBackPressureAndEscapes() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        let uart = enabledUART()
        let quits = Flag(), ends = Flag(), printed = Flag()
        let console = TerminalConsole(uart: uart, inputFD: fds[0], onQuit: { quits.bump() },
                                      printText: { printed.add($0) })
        console.onEndOfInput = { ends.bump() }
        XCTAssertFalse(console.isTerminal)
        console.start()
        let message = [UInt8]((0..<100).map { UInt8(0x30 + $0 % 40) })
        _ = message.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        waitUntil("the FIFO fills") { uart.receiveSpace == 0 && console.pendingCount == 68 }
        var got: [UInt8] = []
        // The guest reads: every read makes room the console fills at once.
        while uart.mmioRead(offset: 0x18, size: 4) & 0x10 == 0 { got.append(UInt8(uart.mmioRead(offset: 0, size: 4))) }
        XCTAssertEqual(got, message, "nothing lost or reordered across back-pressure")
        _ = [UInt8]([0x01, 0x68, 0x01, 0x78]).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        waitUntil("Ctrl-A x quits") { quits.count == 1 }
        XCTAssertTrue(printed.text.contains("Ctrl-A x"), "Ctrl-A h printed the help")
        close(fds[1])
        waitUntil("EOF is reported") { ends.count == 1 }
        console.stop()
    }
}
