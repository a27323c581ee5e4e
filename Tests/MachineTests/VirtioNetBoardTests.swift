import Foundation
import XCTest
import Devices
@testable import Machine

/// The board's virtio-net transport: its place in the transport order and
/// its backend's start and stop.
final class VirtioNetBoardTests: XCTestCase {
    final class Backend: NetworkBackend, @unchecked Sendable {
        weak var port: NetworkPort?
        var started = 0, stopped = 0
        func attach(_ port: NetworkPort) { self.port = port }
        func start() throws { started += 1 }
        func stop() { stopped += 1 }
        func transmit(_ frame: UnsafeRawBufferPointer) -> Bool { true }
        func receiveSpaceAvailable() {}
    }

    func testNetworkComesAfterBlockAndBeforeEntropyAndConsole() throws {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("virtio-net-board-\(getpid()).img")
        try Data(count: 4096).write(to: disk)
        defer { try? FileManager.default.removeItem(at: disk) }
        let backend = Backend()
        var options = VirtioOptions(diskPath: disk.path)
        options.network = backend
        options.macAddress = VirtioNet.MACAddress("02:00:00:00:00:01")!
        XCTAssertEqual(options.transportCount, 4)
        let m = try VirtMachine(ramSize: 16 << 20, virtio: options) { _ in }
        XCTAssertEqual(m.virtio.transports.map(\.device.deviceID), [2, 1, 4, 3], "block, network, entropy, console")
        XCTAssertTrue(backend.port === m.virtio.net)
        XCTAssertEqual(m.virtio.net?.macAddress.description, "02:00:00:00:00:01")
        XCTAssertTrue(m.virtio.net?.transport === m.virtio.transports[1])
        XCTAssertEqual(backend.started, 1, "started with the board")
        XCTAssertEqual(backend.stopped, 0)
        m.shutdown()
        XCTAssertGreaterThanOrEqual(backend.stopped, 1, "stopped at power-off")

        var netOnly = VirtioOptions.none
        netOnly.network = Backend()
        XCTAssertEqual(netOnly.transportCount, 1)
        XCTAssertEqual(try VirtMachine(ramSize: 16 << 20, virtio: netOnly) { _ in }.virtio.transports.map(\.device.deviceID), [1])
    }
}
