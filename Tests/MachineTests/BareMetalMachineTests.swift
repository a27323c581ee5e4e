import XCTest
import ARMv7
@testable import Machine
import Guests

/// The bare-metal board runs guests and turns bad input into clear errors.
final class BareMetalMachineTests: XCTestCase {
    func testEmbeddedDemoGuestPrintsAndPowersOff() throws {
        let (outcome, text) = try GuestRunner.run(EmbeddedGuests.demo)
        XCTAssertEqual(outcome, .powerOff)
        XCTAssertTrue(text.contains("demo guest: done") || text.contains("hello from armvisor"), text)
    }

    func testGarbageInstructionsEndInAGuestErrorNotACrash() throws {
        // 0xFFFFFFFF is UNDEFINED; with VBAR = 0 and no RAM there the vector fetch aborts.
        let (outcome, _) = try GuestRunner.run(GuestRunner.image([0xFFFF_FFFF, 0xFFFF_FFFF]))
        guard case .guestError(let message) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(message.contains("vector"), message)
    }

    func testJumpIntoMMIOIsAPrefetchAbortNotAHostCrash() throws {
        // mov r0, #0x09000000 ; bx r0  -> executing from the UART window
        let (outcome, _) = try GuestRunner.run(GuestRunner.image([0xE3A0_0409, 0xE12F_FF10]))
        guard case .guestError = outcome else { return XCTFail("\(outcome)") }
    }

    func testWFIWithNoInterruptSourceIsReported() throws {
        let (outcome, _) = try GuestRunner.run(GuestRunner.image([0xE320_F003]))
        guard case .guestError(let message) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(message.contains("interrupt"), message)
    }

    func testInstructionLimitStopsAnInfiniteLoop() throws {
        let (outcome, _) = try GuestRunner.run(GuestRunner.image([0xEAFF_FFFE]), maxInstructions: 10_000)
        XCTAssertEqual(outcome, .instructionLimit)
    }

    func testPSCIVersionReturnsToTheGuest() throws {
        // ldr r0,=0x84000000 (via movw/movt); hvc #0; mov r5, r0; movw/movt r0 = SYSTEM_OFF; hvc #0
        let words: [UInt32] = [0xE300_0000, 0xE348_0400, 0xE140_0070, 0xE1A0_5000,
                               0xE300_0008, 0xE348_0400, 0xE140_0070]
        let capture = GuestRunner.Capture()
        let m = try BareMetalMachine(ramSize: 1 << 20) { capture.bytes.append($0) }
        try m.load(GuestImage.flat(GuestRunner.image(words), at: 0x4001_0000))
        XCTAssertEqual(m.run(), .powerOff)
        XCTAssertEqual(m.core.register(5), 0x0001_0000)
    }

    func testImageThatDoesNotFitIsRejected() throws {
        let m = try BareMetalMachine(ramSize: 1 << 20) { _ in }
        let big = [UInt8](repeating: 0, count: 2 << 20)
        XCTAssertThrowsError(try m.load(GuestImage.flat(big, at: 0x4000_0000)))
        XCTAssertThrowsError(try m.load(GuestImage.flat([0, 0, 0, 0], at: 0x1000)))
    }

    func testMissingAndEmptyFilesAreClearErrors() throws {
        XCTAssertThrowsError(try GuestImage.read(path: "/nonexistent/kernel")) { e in
            XCTAssertEqual(e as? LoadError, .unreadable(path: "/nonexistent/kernel", reason: "no such file"))
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-empty-\(getpid())")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try GuestImage.read(path: empty.path)) { e in
            XCTAssertEqual(e as? LoadError, .empty(path: empty.path))
        }
    }

    func testTruncatedOrForeignELFIsRejected() {
        var elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 60)
        XCTAssertThrowsError(try GuestImage.elf(elf))          // machine 0: not ARM
        elf[18] = 40
        XCTAssertThrowsError(try GuestImage.elf(elf))          // no program headers
        XCTAssertThrowsError(try GuestImage.elf(Array(elf.prefix(20))))
    }

    func testBadRAMSizeIsRejected() {
        XCTAssertThrowsError(try BareMetalMachine(ramSize: 4096) { _ in })
        XCTAssertThrowsError(try BareMetalMachine(ramSize: 8 << 30) { _ in })
    }
}

/// The board reports how much the guest executed.
final class BareMetalStatisticsTests: XCTestCase {
    func testInstructionCountIsReportedAfterPowerOff() throws {
        let m = try BareMetalMachine(ramSize: 1 << 20) { _ in }
        // 100 NOPs, then PSCI SYSTEM_OFF.
        let words = Array(repeating: UInt32(0xE1A0_0000), count: 100) + [0xE300_0008, 0xE348_0400, 0xE140_0070]
        try m.load(GuestImage.flat(GuestRunner.image(words), at: 0x4001_0000))
        XCTAssertEqual(m.run(), .powerOff)
        XCTAssertEqual(m.core.instructionCount, 103, "the HVC counts: it completed")
    }
}
