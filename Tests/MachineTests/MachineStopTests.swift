import ARMv7
import Foundation
import XCTest
@testable import Machine
@testable import Devices

/// Stopping a running VM from another thread, and the shutdown hooks.
final class MachineStopTests: XCTestCase {
    final class Device: ShutdownParticipant, MMIODevice, @unchecked Sendable {
        var shutdowns = 0
        func shutdown() { shutdowns += 1 }
        func mmioRead(offset: UInt64, size: Int) -> UInt64 { 0 }
        func mmioWrite(offset: UInt64, size: Int, value: UInt64) {}
    }

    final class Box: @unchecked Sendable { var outcome: RunOutcome? }

    func runInBackground(_ machine: VirtMachine) -> (Box, DispatchSemaphore) {
        let box = Box(), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let m = machine
        Thread { box.outcome = m.run(); done.signal() }.start()
        return (box, done)
    }

    func testRequestStopEndsAnEndlessLoopAndShutdownRunsOnce() throws {
        let machine = try VirtMachine(ramSize: 16 << 20) { _ in }
        try machine.load(GuestImage.flat(GuestRunner.image([0xEAFF_FFFE]), at: VirtMemoryMap.ramBase + 0x1_0000))   // b .
        let device = Device()
        try machine.devices.map(device, base: 0x0B00_0000, size: 0x200)   // a free window
        var order: [String] = []
        machine.addShutdownHandler { order.append("handler after \(device.shutdowns) device shutdown") }
        let (box, done) = runInBackground(machine)
        usleep(50_000)
        machine.stopHandle.requestStop(reason: .signal(SIGTERM))
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "run() returned")
        XCTAssertEqual(box.outcome, .stopped(.signal(SIGTERM)))
        XCTAssertNotNil(machine.lifecycle.firstGuestEntry)
        machine.shutdown()
        machine.shutdown()
        XCTAssertEqual(device.shutdowns, 1)
        XCTAssertEqual(order, ["handler after 1 device shutdown"])
    }

    func testWFIWaitsForConsoleInputAndStopWakesIt() throws {
        let machine = try VirtMachine(ramSize: 16 << 20) { _ in }
        // cpsid i; wfi; b .-4  (no timer armed: only an outside interrupt could wake it)
        try machine.load(GuestImage.flat(GuestRunner.image([0xF10C_0080, 0xE320_F003, 0xEAFF_FFFD]),
                                         at: VirtMemoryMap.ramBase + 0x1_0000))
        machine.stopHandle.setExternalInput(true)
        let (box, done) = runInBackground(machine)
        XCTAssertEqual(done.wait(timeout: .now() + 0.3), .timedOut, "waits instead of failing")
        machine.requestStop(reason: .console)
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(box.outcome, .stopped(.console))
    }

    func testWFIWithNoInputLeftIsStillAGuestError() throws {
        let machine = try VirtMachine(ramSize: 16 << 20) { _ in }
        try machine.load(GuestImage.flat(GuestRunner.image([0xF10C_0080, 0xE320_F003, 0xEAFF_FFFD]),
                                         at: VirtMemoryMap.ramBase + 0x1_0000))
        machine.stopHandle.setExternalInput(true)
        let (box, done) = runInBackground(machine)
        XCTAssertEqual(done.wait(timeout: .now() + 0.3), .timedOut)
        machine.stopHandle.setExternalInput(false)   // the console hit EOF
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        guard case .guestError(let message)? = box.outcome else { return XCTFail("\(String(describing: box.outcome))") }
        XCTAssertTrue(message.contains("no timer armed"), message)
    }
}
