import XCTest
@testable import Devices

/// The PL011 against its TRM: flags, FIFO depth, trigger levels, the
/// receive-timeout interrupt, interrupt clearing, and the receiver enable.
final class PL011Tests: XCTestCase {
    final class Line: @unchecked Sendable { var levels: [Bool] = [] }

    /// A UART as Linux leaves it: enabled, FIFOs on, RX and RT unmasked.
    func makeUART(fifo: Bool = true) -> (PL011, Line) {
        let uart = PL011 { _ in }
        let line = Line()
        uart.interruptLine = { line.levels.append($0) }
        uart.mmioWrite(offset: 0x2C, size: 4, value: fifo ? 0x70 : 0x60)   // LCR_H: 8 bits, FEN
        uart.mmioWrite(offset: 0x30, size: 4, value: 0x301)                 // CR: UARTEN | TXE | RXE
        uart.mmioWrite(offset: 0x38, size: 4, value: 0x50)                  // IMSC: RXIM | RTIM
        return (uart, line)
    }

    func reg(_ u: PL011, _ offset: UInt64) -> UInt64 { u.mmioRead(offset: offset, size: 4) }

    func testFlagsTrackTheReceiveFIFO() {
        let (u, _) = makeUART()
        XCTAssertEqual(reg(u, 0x18) & 0xF0, 0x90, "idle: TXFE and RXFE, neither FIFO full")
        XCTAssertEqual(u.receive([1, 2, 3]), 3)
        XCTAssertEqual(reg(u, 0x18) & 0xF0, 0x80, "data waiting: RXFE clear, RXFF clear")
        XCTAssertEqual(u.receive([UInt8](repeating: 7, count: 40)), 29, "32-entry FIFO takes 29 more")
        XCTAssertEqual(reg(u, 0x18) & 0xF0, 0xC0, "full: RXFF")
        XCTAssertEqual(u.receiveSpace, 0)
        XCTAssertEqual([reg(u, 0), reg(u, 0), reg(u, 0)], [1, 2, 3])
        for _ in 0..<29 { XCTAssertEqual(reg(u, 0), 7) }
        XCTAssertEqual(reg(u, 0x18) & 0x10, 0x10)
    }

    func testWithoutFIFOsTheDepthIsOneByte() {
        let (u, _) = makeUART(fifo: false)
        XCTAssertEqual(u.receive([0x41, 0x42]), 1)
        XCTAssertEqual(reg(u, 0x18) & 0x50, 0x40, "one byte fills it")
        XCTAssertEqual(reg(u, 0x3C) & 0x10, 0x10, "RX interrupt on the single byte")
    }

    func testReceiverTakesNothingWhileDisabled() {
        let u = PL011 { _ in }
        XCTAssertEqual(u.receive([1]), 0, "reset CR has UARTEN clear")
        var notified = 0
        u.receiveSpaceAvailable = { notified += 1 }
        u.mmioWrite(offset: 0x30, size: 4, value: 0x301)
        XCTAssertEqual(notified, 1, "enabling the receiver asks the console for input")
        XCTAssertEqual(u.receive([1]), 1)
    }

    func testRXInterruptFollowsTheTriggerLevelAndTimeoutCoversShortBursts() {
        let (u, line) = makeUART()
        // IFLS reset value: RX trigger at 1/2 full (16 bytes).
        u.receive([UInt8](repeating: 0x61, count: 3))
        XCTAssertEqual(reg(u, 0x3C) & 0x50, 0x40, "3 bytes: timeout only, no RX")
        XCTAssertEqual(line.levels, [true])
        u.receive([UInt8](repeating: 0x61, count: 13))
        XCTAssertEqual(reg(u, 0x3C) & 0x50, 0x50, "16 bytes: RX too")
        XCTAssertEqual(reg(u, 0x40), 0x50, "MIS = RIS & IMSC")
        _ = reg(u, 0)
        XCTAssertEqual(reg(u, 0x3C) & 0x50, 0x40, "below the trigger: RX clears, timeout stays")
        for _ in 0..<15 { _ = reg(u, 0) }
        XCTAssertEqual(reg(u, 0x3C) & 0x50, 0, "empty: timeout clears")
        XCTAssertEqual(line.levels, [true, false])
        // 1/8 trigger (4 bytes).
        u.mmioWrite(offset: 0x34, size: 4, value: 0x00)
        u.receive([1, 2, 3, 4])
        XCTAssertEqual(reg(u, 0x3C) & 0x10, 0x10)
    }

    func testICRClearsAndMaskingDropsTheLine() {
        let (u, line) = makeUART()
        u.receive([1])
        XCTAssertEqual(line.levels.last, true)
        u.mmioWrite(offset: 0x44, size: 4, value: 0x40)   // clear RT
        XCTAssertEqual(reg(u, 0x3C) & 0x40, 0)
        XCTAssertEqual(line.levels.last, false)
        u.receive([2])
        XCTAssertEqual(line.levels.last, true)
        u.mmioWrite(offset: 0x38, size: 4, value: 0)
        XCTAssertEqual(line.levels.last, false, "masked")
        XCTAssertEqual(reg(u, 0x40), 0)
        XCTAssertEqual(reg(u, 0x3C) & 0x40, 0x40, "still raw")
    }

    func testTXInterruptRisesWhenAByteDrains() {
        var sent: [UInt8] = []
        let u = PL011 { sent.append($0) }
        XCTAssertEqual(u.mmioRead(offset: 0x3C, size: 4) & 0x20, 0, "no TX interrupt until something is sent")
        u.mmioWrite(offset: 0, size: 4, value: 0x68)
        XCTAssertEqual(sent, [0x68])
        XCTAssertEqual(u.mmioRead(offset: 0x3C, size: 4) & 0x20, 0x20)
        u.mmioWrite(offset: 0x44, size: 4, value: 0x20)
        XCTAssertEqual(u.mmioRead(offset: 0x3C, size: 4) & 0x20, 0)
    }

    func testReadingTellsTheConsoleThereIsRoom() {
        let (u, _) = makeUART()
        var notified = 0
        u.receiveSpaceAvailable = { notified += 1 }
        u.receive([1, 2])
        _ = reg(u, 0)
        XCTAssertEqual(notified, 1)
        _ = reg(u, 0x18)
        XCTAssertEqual(notified, 1, "only data reads free space")
    }
}
