import Foundation
import XCTest
import Guests
import HostNetwork
@testable import Machine
@testable import Devices

/// User-mode networking end to end: Debian's kernel and busybox on the
/// virtio-net device, behind libslirp as `armvisor run` sets it up by
/// default. The guest's udhcpc gets QEMU's lease (10.0.2.15, gateway
/// 10.0.2.2, DNS 10.0.2.3), and wget fetches a file from an HTTP server this
/// test runs on the host's 127.0.0.1, through the gateway; the guest's
/// SHA-256 of it matches the host's. No address but 127.0.0.1 is reached.
final class UserNetworkLinuxTests: XCTestCase {
    func testGuestFetchesAFileFromTheHostThroughTheUserNetwork() throws {
        // 3 MiB of noise: many full-sized segments through slirp and the device.
        var generator = SystemRandomNumberGenerator()
        let body = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let server = try LoopbackHTTPServer(body: body)
        defer { server.stop() }

        var virtio = VirtioOptions()
        virtio.network = try NetworkOptions(parsing: "user").makeNetworkBackend()
        let (outcome, text, machine) = try DebianGuest.boot(
            virtio: virtio, bootargs: "console=ttyAMA0 armvisor.net-check=http://10.0.2.2:\(server.port)/blob",
            requiring: "net check", maxInstructions: 40_000_000_000)
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(3000)))
        let lines = Set(text.split(whereSeparator: \.isNewline).map(String.init))
        XCTAssertTrue(lines.contains("ARMVISOR-DHCP: lease 10.0.2.15 router 10.0.2.2 dns 10.0.2.3"), String(text.suffix(3000)))
        XCTAssertTrue(lines.contains("ARMVISOR-NET-ADDRESS: 10.0.2.15"), String(text.suffix(3000)))
        XCTAssertTrue(lines.contains("ARMVISOR-NET-ROUTE: default via 10.0.2.2 dev eth0 "), String(text.suffix(3000)))
        let expected = "ARMVISOR-NET-FETCHED: \(body.count) bytes sha256 \(try DebianGuest.sha256(body))"
        XCTAssertTrue(lines.contains(expected), "wanted \(expected):\n\(text.suffix(3000))")
        XCTAssertEqual(server.requests, ["GET /blob HTTP/1.1"])
        let net = try XCTUnwrap(machine.virtio.net)
        XCTAssertGreaterThan(net.statistics.receivedFrames, UInt64(body.count / 1514), "frames reached the guest")
    }
}
