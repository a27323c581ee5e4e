import Foundation
import XCTest
@testable import Machine

/// The board's virtio transports: fixed order, addresses and interrupts.
final class VirtioBoardTests: XCTestCase {
    func testTransportsInBoardOrderAtQEMUAddresses() throws {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("virtio-board-\(getpid()).img")
        try Data(count: 4096).write(to: disk)
        defer { try? FileManager.default.removeItem(at: disk) }
        let m = try VirtMachine(ramSize: 16 << 20, virtio: VirtioOptions(diskPath: disk.path)) { _ in }
        XCTAssertEqual(m.virtio.transports.map(\.device.deviceID), [2, 4, 3], "block, entropy, console")
        XCTAssertEqual((0..<3).map(VirtioDevices.base), [0x0A00_0000, 0x0A00_0200, 0x0A00_0400])
        XCTAssertEqual(try VirtMachine(ramSize: 16 << 20) { _ in }.virtio.transports.map(\.device.deviceID), [4, 3],
                       "entropy and console by default")
        XCTAssertTrue(try VirtMachine(ramSize: 16 << 20, virtio: .none) { _ in }.virtio.transports.isEmpty)
        XCTAssertThrowsError(try VirtMachine(ramSize: 16 << 20, virtio: VirtioOptions(diskPath: "/no/such.img")) { _ in })

        // The entropy transport (n = 1) raises SPI 17 = interrupt ID 49 at the GIC.
        let rng = m.virtio.transports[1]
        XCTAssertFalse(m.gic.stateSummary().contains(" 49:"), m.gic.stateSummary())
        rng.interruptLine(true)
        XCTAssertTrue(m.gic.stateSummary().contains(" 49:PL"), m.gic.stateSummary())
    }
}
